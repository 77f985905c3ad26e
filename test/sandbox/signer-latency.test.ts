import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeSigningJobCommand,
  PutSigningProfileCommand,
  type SignerClient,
  StartSigningJobCommand,
  waitUntilSuccessfulSigningJob,
} from '@aws-sdk/client-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import {
  aPackage,
  createBucket,
  type Recorded,
  recorder,
  s3Client,
  signerClient,
  upload,
} from './signer-helpers.js';

const LATENCY_MS = 1500;
let t: TestSandbox;
const rec: Recorded = recorder();
let signer: SignerClient;
let s3: S3Client;

beforeAll(async () => {
  t = await startTestSandbox({ signerJobLatencyMs: LATENCY_MS });
  signer = signerClient(rec, t.endpoint);
  s3 = s3Client(rec, t.endpoint);
  await createBucket(s3, 'src-bucket', true);
  await createBucket(s3, 'dst-bucket', false);
  await signer.send(
    new PutSigningProfileCommand({ profileName: 'slow', platformId: 'AWSLambda-SHA384-ECDSA' }),
  );
});
afterAll(async () => {
  for (const c of rec.clients) c.destroy();
  await t.close();
});

async function start(): Promise<string> {
  const version = await upload(s3, 'src-bucket', 'fn.zip', aPackage());
  const out = await signer.send(
    new StartSigningJobCommand({
      profileName: 'slow',
      source: { s3: { bucketName: 'src-bucket', key: 'fn.zip', version } },
      destination: { s3: { bucketName: 'dst-bucket' } },
    }),
  );
  return out.jobId!;
}

describe('Signer jobs with latency (SandboxOptions.signerJobLatencyMs)', () => {
  it('keeps the job InProgress, without a signed object, until the latency has passed', async () => {
    const jobId = await start();
    const job = await signer.send(new DescribeSigningJobCommand({ jobId }));
    expect(job.status).toBe('InProgress');
    expect(job.completedAt).toBeUndefined();
    expect(job.signedObject).toBeUndefined();
    await expect(s3.send(new GetObjectCommand({ Bucket: 'dst-bucket', Key: jobId }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });

  it('the SDK waiter polls until the job succeeds', async () => {
    const jobId = await start();
    const result = await waitUntilSuccessfulSigningJob(
      { client: signer, maxWaitTime: 10, minDelay: 1, maxDelay: 1 },
      { jobId },
    );
    expect(result.state).toBe('SUCCESS');
    const job = await signer.send(new DescribeSigningJobCommand({ jobId }));
    expect(job.status).toBe('Succeeded');
    expect(job.completedAt!.getTime() - job.createdAt!.getTime()).toBeGreaterThanOrEqual(LATENCY_MS - 1000);
    const signed = await s3.send(new GetObjectCommand({ Bucket: 'dst-bucket', Key: jobId }));
    expect(signed.ContentLength).toBeGreaterThan(0);
  });

  it('gives up when the job does not finish within maxWaitTime', async () => {
    const jobId = await start();
    await expect(
      waitUntilSuccessfulSigningJob({ client: signer, maxWaitTime: 1, minDelay: 1, maxDelay: 1 }, { jobId }),
    ).rejects.toThrow();
  });

  it('parsed every response without warnings', () => {
    expect(rec.warnings).toEqual([]);
  });
});
