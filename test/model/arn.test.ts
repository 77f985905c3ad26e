import { describe, expect, it } from 'vitest';
import { partitionFor } from '../../src/aws/accounts.js';
import {
  parseLayerVersionArn,
  parseSigningJobArn,
  parseSigningProfileArn,
  signingJobArn,
  unqualifiedFunctionArn,
} from '../../src/model/arn.js';

const PARTITIONS = [
  ['aws', 'us-east-1'],
  ['aws-cn', 'cn-north-1'],
  ['aws-us-gov', 'us-gov-west-1'],
] as const;

describe('ARNs in every partition', () => {
  for (const [partition, region] of PARTITIONS) {
    it(`${partition}: parses signer, job, layer and function ARNs and builds job ARNs that match`, () => {
      expect(
        parseSigningProfileArn(
          `arn:${partition}:signer:${region}:123456789012:/signing-profiles/rel/Abcdef1234`,
        ),
      ).toEqual({
        partition,
        region,
        accountId: '123456789012',
        profileName: 'rel',
        profileVersion: 'Abcdef1234',
      });
      const job = signingJobArn(partition, region, '123456789012', 'a1b2-c3');
      expect(job).toBe(`arn:${partition}:signer:${region}:123456789012:/signing-jobs/a1b2-c3`);
      expect(parseSigningJobArn(job)).toEqual({
        partition,
        region,
        accountId: '123456789012',
        jobId: 'a1b2-c3',
      });
      expect(
        parseLayerVersionArn(`arn:${partition}:lambda:${region}:123456789012:layer:deps:7`),
      ).toMatchObject({
        layerName: 'deps',
        version: '7',
        partition,
      });
      expect(unqualifiedFunctionArn(`arn:${partition}:lambda:${region}:123456789012:function:fn:prod`)).toBe(
        `arn:${partition}:lambda:${region}:123456789012:function:fn`,
      );
    });

    it(`${partition}: the scan takes the partition from the caller identity`, () => {
      expect(partitionFor(`arn:${partition}:iam::123456789012:user/auditor`, 'us-east-1')).toBe(partition);
      expect(partitionFor(undefined, region)).toBe(partition);
    });
  }

  it('rejects what is not a signer ARN', () => {
    expect(parseSigningProfileArn('arn:aws:lambda:us-east-1:123456789012:function:x')).toBeUndefined();
    expect(parseSigningProfileArn('not an arn')).toBeUndefined();
    expect(parseSigningJobArn('arn:aws:signer:us-east-1:123456789012:/signing-profiles/x')).toBeUndefined();
  });
});
