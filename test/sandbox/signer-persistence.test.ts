import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  GetSigningProfileCommand,
  PutSigningProfileCommand,
  StartSigningJobCommand,
} from '@aws-sdk/client-signer';
import { afterAll, describe, expect, it } from 'vitest';
import { internal } from '../../src/sandbox/internals.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { aPackage, createBucket, recorder, s3Client, signerClient, upload } from './signer-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'signet-signer-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('S3 and Signer state persistence', () => {
  it('keeps buckets, versions, profiles, keys and jobs across a restart', async () => {
    const stateFile = join(dir, 'state.json');
    const rec = recorder();
    const first = await startTestSandbox({ stateFile });
    const s3 = s3Client(rec, first.endpoint);
    const signer = signerClient(rec, first.endpoint);
    await createBucket(s3, 'persist-src', true);
    await createBucket(s3, 'persist-dst', false);
    const v1 = await upload(s3, 'persist-src', 'fn.zip', aPackage('v1'));
    const put = await signer.send(
      new PutSigningProfileCommand({ profileName: 'persisted', platformId: 'AWSLambda-SHA384-ECDSA' }),
    );
    const { jobId } = await signer.send(
      new StartSigningJobCommand({
        profileName: 'persisted',
        source: { s3: { bucketName: 'persist-src', key: 'fn.zip', version: v1 } },
        destination: { s3: { bucketName: 'persist-dst' } },
      }),
    );
    // Suspending versioning keeps old versions and writes `null` ones from now on.
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'persist-src',
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    );
    const suspended = await s3.send(
      new PutObjectCommand({ Bucket: 'persist-src', Key: 'fn.zip', Body: 'later' }),
    );
    expect(suspended.VersionId).toBeUndefined();
    for (const c of rec.clients) c.destroy();
    await first.close();

    const second = await startTestSandbox({ stateFile });
    const rec2 = recorder();
    const s3b = s3Client(rec2, second.endpoint);
    const signerB = signerClient(rec2, second.endpoint);
    try {
      const profile = await signerB.send(new GetSigningProfileCommand({ profileName: 'persisted' }));
      expect(profile.profileVersionArn).toBe(put.profileVersionArn);
      const old = await s3b.send(
        new GetObjectCommand({ Bucket: 'persist-src', Key: 'fn.zip', VersionId: v1 }),
      );
      expect(old.VersionId).toBe(v1);
      const latest = await s3b.send(new GetObjectCommand({ Bucket: 'persist-src', Key: 'fn.zip' }));
      expect(latest.VersionId).toBe('null');
      expect(await latest.Body?.transformToString()).toBe('later');
      const signed = await s3b.send(new GetObjectCommand({ Bucket: 'persist-dst', Key: jobId }));
      const bytes = Buffer.from(await signed.Body!.transformToByteArray());
      expect(internal(second.sandbox.internals, 'signer').checkPackage(bytes)).toMatchObject({
        kind: 'signed',
        profileVersionArn: put.profileVersionArn,
      });
      expect(rec.warnings.concat(rec2.warnings)).toEqual([]);
    } finally {
      for (const c of rec2.clients) c.destroy();
      await second.close();
    }
  });
});
