// The sandbox cannot be abused: owner-only state file, bounded request bodies (control endpoints
// included), and quota buckets that always hold at least one token.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { QuotaKeeper } from '../../src/sandbox/quotas.js';
import { MAX_CONTROL_BODY_BYTES } from '../../src/sandbox/server.js';
import { startTestSandbox } from '../helpers/sandbox.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-sandbox-limits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--state file', () => {
  it('is written owner-only (0600): it holds secret keys and private signing keys', async () => {
    const file = join(dir, 'state.json');
    const t = await startTestSandbox({ stateFile: file });
    try {
      await t.clients.iam.send(new CreateUserCommand({ UserName: 'someone' }));
    } finally {
      await t.close();
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('someone');
  });

  it('turns an existing world-readable state file into 0600 on the next save', async () => {
    const file = join(dir, 'loose.json');
    const first = await startTestSandbox({ stateFile: file });
    await first.close();
    chmodSync(file, 0o644);
    const second = await startTestSandbox({ stateFile: file });
    await second.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('leaves no temp file behind when the state cannot be written', async () => {
    const file = join(dir, 'missing-dir', 'state.json');
    const t = await startTestSandbox({ stateFile: file });
    await expect(t.close()).rejects.toThrow(/ENOENT/);
    expect(() => statSync(`${file}.${process.pid}.tmp`)).toThrow();
  });
});

describe('request bodies', () => {
  it('refuses a control-endpoint body over the limit with 413 (declared length)', async () => {
    const t = await startTestSandbox();
    try {
      const res = await fetch(`${t.endpoint}/_sandbox/clock`, {
        method: 'POST',
        body: JSON.stringify({ advanceMs: 1, pad: 'x'.repeat(MAX_CONTROL_BODY_BYTES) }),
      });
      expect(res.status).toBe(413);
      expect(res.headers.get('x-amzn-errortype')).toBe('RequestEntityTooLargeException');
      expect((await res.json()) as { message: string }).toMatchObject({
        message: expect.stringContaining(`${MAX_CONTROL_BODY_BYTES} bytes`),
      });
      // The clock did not move and the sandbox still answers.
      expect(t.sandbox.world.clockOffsetMs).toBe(0);
      expect((await fetch(`${t.endpoint}/_sandbox/health`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('refuses a chunked (undeclared length) control body over the limit without keeping it', async () => {
    const t = await startTestSandbox();
    try {
      const chunk = new Uint8Array(16 * 1024).fill(0x20);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 64) return controller.close();
          sent += 1;
          controller.enqueue(chunk);
        },
      });
      const res = await fetch(`${t.endpoint}/_sandbox/quotas`, {
        method: 'POST',
        body,
        duplex: 'half',
      } as RequestInit & { duplex: 'half' });
      expect(res.status).toBe(413);
    } finally {
      await t.close();
    }
  });

  it('refuses an AWS API body over the limit with the service’s own 413 error', async () => {
    const t = await startTestSandbox({ maxBodyBytes: 4096 });
    try {
      await expect(
        t.clients.lambda.send(
          new CreateFunctionCommand({
            FunctionName: 'big',
            Role: 'arn:aws:iam::111111111111:role/r',
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Code: { ZipFile: new Uint8Array(8192) },
          }),
        ),
      ).rejects.toMatchObject({ name: 'RequestEntityTooLargeException', $metadata: { httpStatusCode: 413 } });
      // Small requests still go through.
      expect((await t.clients.lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('quota buckets', () => {
  it('hold at least one token when the scaled rate is below 1/s', () => {
    // 15/s × 0.01 = 0.15/s: one call now, the next after 1/0.15 s.
    const keeper = new QuotaKeeper({ enabled: true, scale: 0.01, rates: {}, defaultRate: 50 });
    const t0 = 1_000_000;
    expect(keeper.take('111111111111', 'us-east-1', 'lambda:control', t0)).toBe(0);
    const wait = keeper.take('111111111111', 'us-east-1', 'lambda:control', t0);
    expect(wait).toBeCloseTo(1 / 0.15, 5);
    expect(keeper.take('111111111111', 'us-east-1', 'lambda:control', t0 + Math.ceil(wait * 1000))).toBe(0);
  });

  it('let a sandbox with --quota-scale 0.01 answer calls, one per refill (virtual clock)', async () => {
    let now = Date.UTC(2026, 0, 1);
    const t = await startTestSandbox({ quotas: { enabled: true, scale: 0.01 }, clock: () => now });
    const lambda = new LambdaClient({
      endpoint: t.endpoint,
      region: 'us-east-1',
      credentials: BOOTSTRAP_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      expect((await lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
      await expect(lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({
        name: 'TooManyRequestsException',
      });
      now += 7000;
      expect((await lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    } finally {
      lambda.destroy();
      await t.close();
    }
  });
});
