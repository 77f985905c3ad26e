// parseArn is written out (the SDK's parser loads @smithy/core at start-up): it must agree with
// `@aws-sdk/util-arn-parser` on every input, ARN or not.
import { parse, validate } from '@aws-sdk/util-arn-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArn, partitionOf } from '../../src/model/arn.js';

function sdk(value: string) {
  if (!validate(value)) return undefined;
  try {
    return parse(value);
  } catch {
    return undefined;
  }
}

describe('parseArn', () => {
  it('agrees with the SDK parser on ARNs, near-ARNs and non-ARNs', () => {
    const samples = [
      'arn:aws:lambda:us-east-1:123456789012:function:f',
      'arn:aws:lambda:us-east-1:123456789012:function:f:PROD',
      'arn:aws-cn:signer:cn-north-1:123456789012:/signing-profiles/p/v1',
      'arn:aws-us-gov:iam::123456789012:role/a:b',
      'arn:aws:s3:::bucket',
      'arn:aws:lambda:us-east-1:123456789012',
      'arn:aws:lambda',
      'ARN:aws:lambda:us-east-1:1:function:f',
      ' arn:aws:lambda:us-east-1:1:function:f',
      'xarn:aws:a:b:c:d',
      'arn:::::',
      '',
      'not an arn',
    ];
    for (const s of samples) expect(parseArn(s), s).toEqual(sdk(s));
    expect(parseArn('arn:aws:iam::123456789012:role/a:b')?.resource).toBe('role/a:b');
    expect(parseArn('arn:aws:lambda:us-east-1:123456789012')).toBeUndefined();
    expect(partitionOf('arn:aws-cn:s3:::b')).toBe('aws-cn');
    expect(partitionOf('s3://b')).toBeUndefined();
  });

  it('agrees with the SDK parser on generated strings', () => {
    const part = fc.stringMatching(/^[a-z0-9:/-]{0,6}$/);
    fc.assert(
      fc.property(fc.array(part, { maxLength: 9 }), fc.boolean(), (parts, prefix) => {
        const s = `${prefix ? 'arn:' : ''}${parts.join(':')}`;
        expect(parseArn(s)).toEqual(sdk(s));
      }),
    );
  });
});
