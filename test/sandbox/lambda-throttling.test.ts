// Lambda quotas, driven by a virtual sandbox clock: bucket refills follow events (the test moves the
// clock), never wall time, so the expectations are exact and cannot flake on a busy machine.
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
let now = Date.UTC(2026, 5, 1);
beforeAll(async () => {
  t = await startTestSandbox({ quotas: { enabled: true }, clock: () => now });
});
afterAll(async () => t.close());

/** A fresh second on the virtual clock: every bucket full again. */
function nextSecond(): void {
  now += 1000;
}

function lambda(maxAttempts: number): LambdaClient {
  return new LambdaClient({
    endpoint: t.endpoint,
    region: 'us-east-1',
    credentials: BOOTSTRAP_CREDENTIALS,
    maxAttempts,
  });
}

describe('Lambda quotas', () => {
  it('answers exactly 15 of 40 concurrent control-plane calls in one second; the rest get 429 TooManyRequestsException with Retry-After', async () => {
    nextSecond();
    const client = lambda(1);
    try {
      const settled = await Promise.allSettled(
        Array.from({ length: 40 }, () => client.send(new ListFunctionsCommand({}))),
      );
      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(15);
      const rejected = settled.filter((s) => s.status === 'rejected');
      expect(rejected).toHaveLength(25);
      const throttled = rejected[0]!.reason as TooManyRequestsException;
      expect(throttled).toBeInstanceOf(TooManyRequestsException);
      expect(throttled.$metadata.httpStatusCode).toBe(429);
      expect(throttled.Reason).toBe('CallerRateLimitExceeded');
      expect(Number(throttled.retryAfterSeconds)).toBeGreaterThanOrEqual(1);
      // The bucket is empty until the clock moves, however long the test takes.
      await expect(client.send(new ListFunctionsCommand({}))).rejects.toBeInstanceOf(
        TooManyRequestsException,
      );
      nextSecond();
      expect((await client.send(new ListFunctionsCommand({}))).$metadata.httpStatusCode).toBe(200);
    } finally {
      client.destroy();
    }
  });

  it('the SDK retries throttled calls to success once the bucket refills (clock moved on each 429)', async () => {
    nextSecond();
    const client = lambda(10);
    // Each throttled answer moves the virtual clock a second on: the event, not a timer, refills.
    client.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (err) {
          if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 429)
            nextSecond();
          throw err;
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'advanceClockOnThrottle' },
    );
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
      expect(stat?.count).toBe(25 + stat!.throttled);
      expect(stat?.throttled).toBeGreaterThan(0);
    } finally {
      client.destroy();
    }
  });

  it('counts GetFunction in its own 100/s bucket, not the shared 15/s one', async () => {
    nextSecond();
    const client = lambda(1);
    try {
      // Empty the shared 15/s bucket first.
      await Promise.allSettled(Array.from({ length: 15 }, () => client.send(new ListFunctionsCommand({}))));
      await expect(client.send(new ListFunctionsCommand({}))).rejects.toBeInstanceOf(
        TooManyRequestsException,
      );
      t.sandbox.resetCallStats();
      // 40 GetFunction calls in the same virtual second: each answers (404), none throttled.
      const settled = await Promise.allSettled(
        Array.from({ length: 40 }, () => client.send(new GetFunctionCommand({ FunctionName: 'absent' }))),
      );
      expect(
        settled.every((s) => s.status === 'rejected' && s.reason.name === 'ResourceNotFoundException'),
      ).toBe(true);
      const stat = t.sandbox.callStats().find((s) => s.operation === 'GetFunction');
      expect(stat?.throttled).toBe(0);
      expect(stat?.count).toBe(40);
    } finally {
      client.destroy();
    }
  });
});
