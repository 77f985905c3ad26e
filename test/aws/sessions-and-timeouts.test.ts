// Long scans keep their member-account sessions, hung endpoints time out, Signet's own errors are never
// recorded as data gaps, and --profile credentials work: each against the sandbox.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateAccountCommand, CreateOrganizationCommand } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientFactory, isUndeclaredCallError, UndeclaredCallError } from '../../src/aws/clients.js';
import { collectRegion } from '../../src/aws/collect/region.js';
import { collectSnapshot } from '../../src/aws/collect/scan.js';
import { profileCredentials } from '../../src/aws/credentials.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { createLambdaExecRole, SeedClients } from '../../src/sandbox/seeds/clients.js';
import { createZip } from '../../src/sandbox/zip.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const HOUR = 3_600_000;
let t: TestSandbox;
let member: string;

beforeAll(async () => {
  t = await startTestSandbox();
  await t.clients.organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const created = await t.clients.organizations.send(
    new CreateAccountCommand({ AccountName: 'workloads', Email: 'w@example.com' }),
  );
  member = created.CreateAccountStatus!.AccountId!;
  const admin = new SeedClients(t.endpoint, { ...BOOTSTRAP_CREDENTIALS }, 'us-west-2');
  const inMember = await admin.assume(`arn:aws:iam::${member}:role/OrganizationAccountAccessRole`, 'setup');
  const role = await createLambdaExecRole(inMember);
  await inMember.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'late-region-fn',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: role,
      Code: { ZipFile: createZip([{ name: 'index.js', data: 'exports.handler = async () => 1;' }]) },
    }),
  );
  admin.destroy();
  inMember.destroy();
});
afterAll(async () => t?.close());

describe('member-account sessions', () => {
  it('renew when the session expires mid-scan (sandbox clock advanced 2 h after the first region)', async () => {
    t.sandbox.resetCallStats();
    let advanced = false;
    const recorded: string[] = [];
    const snapshot = await collectSnapshot({
      endpoint: t.endpoint,
      credentials: { ...BOOTSTRAP_CREDENTIALS },
      homeRegion: 'us-east-1',
      accounts: [member],
      regions: ['us-east-1', 'eu-west-1', 'us-west-2'],
      concurrency: 1,
      progress: {
        onCall: (c) => recorded.push(`${c.service}:${c.operation}:${c.accountId}`),
        onAccountRegionDone: () => {
          if (advanced) return;
          advanced = true;
          // The one-hour session from AssumeRole is now expired for the sandbox (as for AWS).
          t.sandbox.world.clockOffsetMs += 2 * HOUR;
        },
      },
    });
    expect(advanced).toBe(true);
    expect(snapshot.collectionErrors).toEqual([]);
    expect(snapshot.functions.map((f) => f.name)).toEqual(['late-region-fn']);
    const assumed = t.sandbox
      .callStats()
      .filter((s) => s.operation === 'AssumeRole')
      .reduce((n, s) => n + s.count, 0);
    expect(assumed).toBeGreaterThanOrEqual(2);
    // The SDK's own STS client (inside the refreshing session) goes through Signet's middleware: every
    // AssumeRole the sandbox saw, the renewal included, was declared and recorded for the account.
    expect(recorded.filter((c) => c === `sts:AssumeRole:${member}`)).toHaveLength(assumed);
    t.sandbox.world.clockOffsetMs = 0;
  });
});

describe('request timeouts', () => {
  let proxy: Server;
  let hung = 0;
  beforeAll(async () => {
    // Forwards to the sandbox, except Lambda requests, which it accepts and never answers (like a
    // process stopped with kill -STOP).
    const target = new URL(t.endpoint);
    proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (/\/lambda\/aws4_request/.test(String(req.headers.authorization ?? ''))) {
          hung += 1;
          return;
        }
        const forward = request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (upstream) => {
            res.writeHead(upstream.statusCode ?? 502, upstream.headers);
            upstream.pipe(res);
          },
        );
        forward.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  });

  it('turns a hung endpoint into retried attempts and then collection errors, never a scan that waits forever', async () => {
    const { port } = proxy.address() as AddressInfo;
    const snapshot = await collectSnapshot({
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { ...BOOTSTRAP_CREDENTIALS },
      homeRegion: 'us-east-1',
      regions: ['us-east-1'],
      requestTimeoutMs: 300,
      maxAttempts: 2,
    });
    const lambdaErrors = snapshot.collectionErrors.filter((e) => e.service === 'lambda');
    expect(lambdaErrors.map((e) => e.operation).sort()).toEqual(['ListCodeSigningConfigs', 'ListFunctions']);
    expect(lambdaErrors[0]!.errorCode).toMatch(/Timeout/);
    // Each hung call was attempted again before it was given up.
    expect(hung).toBeGreaterThanOrEqual(4);
    // The other services answered.
    expect(snapshot.coverage.find((c) => c.part === 'signingProfiles')?.status).toBe('ok');
  }, 30_000);
});

describe("Signet's own errors", () => {
  it('an undeclared call stops the collection (brand check), it is not recorded as missing data', async () => {
    const factory = new ClientFactory({ endpoint: t.endpoint, declared: [] });
    try {
      const error = await collectRegion(
        factory,
        {
          accountId: '111111111111',
          region: 'us-east-1',
          credentials: BOOTSTRAP_CREDENTIALS,
          partition: 'aws',
        },
        new Date(),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UndeclaredCallError);
      expect(isUndeclaredCallError(error)).toBe(true);
      expect(isUndeclaredCallError(new Error('UndeclaredCallError'))).toBe(false);
    } finally {
      factory.destroy();
    }
  });
});

describe('--profile', () => {
  it('scans with the credentials of a named profile from the shared credentials file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-profile-'));
    const file = join(dir, 'credentials');
    writeFileSync(
      file,
      `[default]\naws_access_key_id = AKIAWRONGWRONGWRONG\naws_secret_access_key = wrong\n\n[sandbox-admin]\naws_access_key_id = ${BOOTSTRAP_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${BOOTSTRAP_CREDENTIALS.secretAccessKey}\n`,
    );
    const previous = { file: process.env.AWS_SHARED_CREDENTIALS_FILE, config: process.env.AWS_CONFIG_FILE };
    process.env.AWS_SHARED_CREDENTIALS_FILE = file;
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    try {
      const snapshot = await collectSnapshot({
        endpoint: t.endpoint,
        credentials: profileCredentials('sandbox-admin'),
        homeRegion: 'us-east-1',
        regions: ['us-east-1'],
      });
      expect(snapshot.collectionErrors).toEqual([]);
      expect(snapshot.accounts).toEqual([{ accountId: '111111111111' }]);
      await expect(
        collectSnapshot({
          endpoint: t.endpoint,
          credentials: profileCredentials('no-such-profile'),
          homeRegion: 'us-east-1',
          regions: ['us-east-1'],
        }),
      ).rejects.toThrow(/cannot identify the caller.*no-such-profile/);
    } finally {
      for (const [key, value] of [
        ['AWS_SHARED_CREDENTIALS_FILE', previous.file],
        ['AWS_CONFIG_FILE', previous.config],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
