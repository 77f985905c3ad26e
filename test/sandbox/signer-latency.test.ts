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

// A virtual sandbox clock: jobs complete when the test moves it past their latency, never on wall time.
const LATENCY_MS = 60_000;
let now = Date.UTC(2026, 2, 1);
let t: TestSandbox;
const rec: Recorded = recorder();
let signer: SignerClient;
let s3: S3Client;

beforeAll(async () => {
  t = await startTestSandbox({ signerJobLatencyMs: LATENCY_MS, clock: () => now });
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

  it('completes the job exactly when the sandbox clock passes its latency', async () => {
    const jobId = await start();
    now += LATENCY_MS - 1;
    expect((await signer.send(new DescribeSigningJobCommand({ jobId }))).status).toBe('InProgress');
    now += 1;
    const job = await signer.send(new DescribeSigningJobCommand({ jobId }));
    expect(job.status).toBe('Succeeded');
    expect(job.completedAt!.getTime() - job.createdAt!.getTime()).toBe(LATENCY_MS);
    const signed = await s3.send(new GetObjectCommand({ Bucket: 'dst-bucket', Key: jobId }));
    expect(signed.ContentLength).toBeGreaterThan(0);
  });

  it('the SDK waiter polls until the job succeeds (the clock moves after its first poll)', async () => {
    const jobId = await start();
    let polls = 0;
    const waiterClient = signerClient(rec, t.endpoint);
    waiterClient.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        polls += 1;
        // The event: the waiter saw InProgress once; now the job's time has come.
        if (polls === 1) now += LATENCY_MS;
        return out;
      },
      { step: 'initialize', name: 'advanceClockAfterFirstPoll' },
    );
    const result = await waitUntilSuccessfulSigningJob(
      { client: waiterClient, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { jobId },
    );
    expect(result.state).toBe('SUCCESS');
    expect(polls).toBeGreaterThanOrEqual(2);
    const job = await signer.send(new DescribeSigningJobCommand({ jobId }));
    expect(job.status).toBe('Succeeded');
    expect(job.completedAt!.getTime() - job.createdAt!.getTime()).toBe(LATENCY_MS);
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
