import {
  GetFunctionCommand,
  LambdaClient,
  ListFunctionsCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ quotas: { enabled: true } });
});
afterAll(async () => t.close());

describe('Lambda quotas', () => {
  it('throttles >15 concurrent control-plane calls with 429 and the SDK retries them to success', async () => {
    // Enough attempts for the SDK's backoff to outlast a one-second bucket refill.
    const client = new LambdaClient({
      endpoint: t.endpoint,
      region: 'us-east-1',
      credentials: BOOTSTRAP_CREDENTIALS,
      maxAttempts: 10,
    });
    try {
      t.sandbox.resetCallStats();
      const results = await Promise.all(
        Array.from({ length: 25 }, () => client.send(new ListFunctionsCommand({}))),
      );
      expect(results.every((r) => r.$metadata.httpStatusCode === 200)).toBe(true);
      expect(results.some((r) => (r.$metadata.attempts ?? 1) > 1)).toBe(true);
      const stat = t.sandbox
        .callStats()
        .find((s) => s.service === 'lambda' && s.operation === 'ListFunctions');
      expect(stat?.throttled).toBeGreaterThan(0);
    } finally {
      client.destroy();
    }
  });

  it('answers TooManyRequestsException 429 with Retry-After and Reason CallerRateLimitExceeded', async () => {
    const client = new LambdaClient({
      endpoint: t.endpoint,
      region: 'us-east-1',
      credentials: BOOTSTRAP_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const settled = await Promise.allSettled(
        Array.from({ length: 40 }, () => client.send(new ListFunctionsCommand({}))),
      );
      const throttled = settled.find((s) => s.status === 'rejected')?.reason as
        | TooManyRequestsException
        | undefined;
      expect(throttled).toBeInstanceOf(TooManyRequestsException);
      expect(throttled?.$metadata.httpStatusCode).toBe(429);
      expect(throttled?.Reason).toBe('CallerRateLimitExceeded');
      expect(Number(throttled?.retryAfterSeconds)).toBeGreaterThanOrEqual(1);
    } finally {
      client.destroy();
    }
  });

  it('counts GetFunction in its own 100/s bucket, not the shared 15/s one', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const client = new LambdaClient({
      endpoint: t.endpoint,
      region: 'us-east-1',
      credentials: BOOTSTRAP_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      t.sandbox.resetCallStats();
      // 40 GetFunction calls fit in the 100/s bucket: each answers (404, the function does not exist), none throttled.
      const settled = await Promise.allSettled(
        Array.from({ length: 40 }, () => client.send(new GetFunctionCommand({ FunctionName: 'absent' }))),
      );
      expect(
        settled.every((s) => s.status === 'rejected' && s.reason.name === 'ResourceNotFoundException'),
      ).toBe(true);
      const stat = t.sandbox.callStats().find((s) => s.operation === 'GetFunction');
      expect(stat?.throttled).toBe(0);
    } finally {
      client.destroy();
    }
  });
});
