// `signet watch` end to end on the sandbox: deployments blocked and warned, a CSC detached and
// downgraded, a signature revoked — each made by real SDK calls — reach stdout, a local webhook and SNS
// exactly once, survive a restart without repeating, and a failing sink keeps its alerts.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  DeleteFunctionCodeSigningConfigCommand,
  UpdateCodeSigningConfigCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  DescribeSigningJobCommand,
  PutSigningProfileCommand,
  RevokeSignatureCommand,
  StartSigningJobCommand,
} from '@aws-sdk/client-signer';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { History } from '../../src/history/store.js';
import { type Alert, classifyEvent } from '../../src/monitor/classify.js';
import { type RunWatchOptions, runWatch } from '../../src/monitor/run.js';
import { webhookSignature } from '../../src/monitor/sinks.js';
import { BOOTSTRAP_CREDENTIALS, MANAGEMENT_ACCOUNT_ID } from '../../src/sandbox/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { aRole, aZip } from '../sandbox/lambda-fixtures.js';

const BUCKET = 'watch-artifacts';
const SECRET = 'webhook-secret-for-tests';

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
}

let t: TestSandbox;
let sns: SNSClient;
let topicArn: string;
let dir: string;
let hook: Server;
let hookUrl: string;
const received: Received[] = [];
/** The webhook answers these statuses first (one per request), then 200. */
const hookFailures: number[] = [];
let role: string;
let enforceCsc: string;
let jobId: string;

async function signedPackage(profileName: string): Promise<{ bytes: Uint8Array; jobId: string }> {
  const key = `src/${Math.random().toString(36).slice(2)}.zip`;
  const put = await t.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: aZip() }));
  const job = await t.clients.signer.send(
    new StartSigningJobCommand({
      profileName,
      source: { s3: { bucketName: BUCKET, key, version: put.VersionId } },
      destination: { s3: { bucketName: BUCKET, prefix: 'signed/' } },
    }),
  );
  const described = await t.clients.signer.send(new DescribeSigningJobCommand({ jobId: job.jobId }));
  const object = await t.clients.s3.send(
    new GetObjectCommand({ Bucket: BUCKET, Key: described.signedObject!.s3!.key! }),
  );
  return { bytes: await object.Body!.transformToByteArray(), jobId: job.jobId! };
}

async function fn(name: string, csc: string, code: Uint8Array): Promise<void> {
  await t.clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: role,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Code: { ZipFile: code },
      CodeSigningConfigArn: csc,
    }),
  );
}

async function blockedDeploy(name: string): Promise<void> {
  await expect(
    t.clients.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: aZip() })),
  ).rejects.toMatchObject({ name: 'CodeVerificationFailedException' });
}

async function snsMessages(): Promise<{ message: string }[]> {
  const res = await fetch(`${t.endpoint}/_sandbox/sns/messages?topicArn=${encodeURIComponent(topicArn)}`);
  return ((await res.json()) as { messages: { message: string }[] }).messages;
}

function options(over: Partial<RunWatchOptions> = {}): RunWatchOptions & { lines: string[]; logs: string[] } {
  const lines: string[] = [];
  const logs: string[] = [];
  return {
    endpoint: t.endpoint,
    credentials: BOOTSTRAP_CREDENTIALS,
    homeRegion: 'us-east-1',
    regions: ['us-east-1'],
    roleName: 'OrganizationAccountAccessRole',
    once: true,
    sinceMs: 3_600_000,
    intervalMs: 60_000,
    stateFile: join(dir, 'watch-state.json'),
    webhooks: [hookUrl],
    webhookSecret: SECRET,
    topics: [{ arn: topicArn, region: 'us-east-1', accountId: MANAGEMENT_ACCOUNT_ID }],
    format: 'json',
    historyFile: join(dir, 'history.db'),
    stdout: (line) => lines.push(line),
    log: (line) => logs.push(line),
    retry: { attempts: 3, baseDelayMs: 1 },
    lines,
    logs,
    ...over,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signet-watch-'));
  t = await startTestSandbox();
  sns = new SNSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: BOOTSTRAP_CREDENTIALS });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'signet-alerts' }))).TopicArn!;
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      const status = hookFailures.shift() ?? 200;
      if (status === 200) received.push({ body, headers: req.headers });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/secret-token`;

  role = await aRole(t.clients.iam);
  await t.clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await t.clients.s3.send(
    new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  const profile = await t.clients.signer.send(
    new PutSigningProfileCommand({ profileName: 'Release', platformId: 'AWSLambda-SHA384-ECDSA' }),
  );
  const publishers = { SigningProfileVersionArns: [profile.profileVersionArn!] };
  enforceCsc = (
    await t.clients.lambda.send(
      new CreateCodeSigningConfigCommand({
        AllowedPublishers: publishers,
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
      }),
    )
  ).CodeSigningConfig!.CodeSigningConfigArn!;
  const warnCsc = (
    await t.clients.lambda.send(
      new CreateCodeSigningConfigCommand({
        AllowedPublishers: publishers,
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' },
      }),
    )
  ).CodeSigningConfig!.CodeSigningConfigArn!;
  const signed = await signedPackage('Release');
  jobId = signed.jobId;
  await fn('payments', enforceCsc, signed.bytes);
  await fn('reports', warnCsc, (await signedPackage('Release')).bytes);
  // Signed redeploy: no alert.
  await t.clients.lambda.send(
    new UpdateFunctionCodeCommand({
      FunctionName: 'payments',
      ZipFile: (await signedPackage('Release')).bytes,
    }),
  );
}, 60_000);

afterAll(async () => {
  sns?.destroy();
  await new Promise((resolve) => hook?.close(resolve));
  await t?.close();
});

describe('signet watch', () => {
  it('sends each code signing event once to stdout, the webhook (signed) and SNS, and records it', async () => {
    await blockedDeploy('payments');
    // Warn lets unsigned code through, and says so in CloudTrail.
    await t.clients.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'reports', ZipFile: aZip() }));
    await t.clients.lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: 'reports' }));
    await t.clients.signer.send(new RevokeSignatureCommand({ jobId, reason: 'leaked' }));
    hookFailures.push(503); // the first delivery is retried

    const run = options();
    expect(await runWatch(run)).toBe(0);
    const alerts = run.lines.map((l) => JSON.parse(l) as Alert);
    expect(alerts.map((a) => a.kind).sort()).toEqual(
      ['csc-detached', 'deployment-blocked', 'signature-revoked', 'unverified-deployment-allowed'].sort(),
    );
    const blocked = alerts.find((a) => a.kind === 'deployment-blocked')!;
    expect(blocked).toMatchObject({
      resource: 'payments',
      accountId: MANAGEMENT_ACCOUNT_ID,
      region: 'us-east-1',
      errorCode: 'CodeVerificationFailedException',
      principal: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:user/admin`,
    });
    expect(blocked.next).toMatch(/signet sign/);
    expect(received.map((r) => (JSON.parse(r.body) as { alert: Alert }).alert.id).sort()).toEqual(
      alerts.map((a) => a.id).sort(),
    );
    for (const r of received) {
      expect(r.headers['x-signet-signature']).toBe(webhookSignature(SECRET, r.body));
      expect((JSON.parse(r.body) as { text: string }).text).toMatch(/^\[(CRITICAL|HIGH|MEDIUM)\] /);
    }
    expect((await snsMessages()).length).toBe(4);
    // The webhook URL is a secret: it never reaches the logs.
    expect(run.logs.join('\n')).not.toContain('secret-token');
    const history = await History.open(join(dir, 'history.db'));
    expect(
      history
        .events()
        .map((e) => e.kind)
        .sort(),
    ).toEqual(alerts.map((a) => a.kind).sort());
    history.close();
  });

  it('does not repeat alerts after a restart, and sends the next event exactly once', async () => {
    const before = received.length;
    const again = options();
    expect(await runWatch(again)).toBe(0);
    expect(again.lines).toEqual([]);
    expect(received.length).toBe(before);

    await t.clients.lambda.send(
      new UpdateCodeSigningConfigCommand({
        CodeSigningConfigArn: enforceCsc,
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' },
      }),
    );
    const next = options();
    expect(await runWatch(next)).toBe(0);
    expect(next.lines.map((l) => (JSON.parse(l) as Alert).kind)).toEqual(['csc-downgraded']);
    expect(received.length).toBe(before + 1);
    expect((await snsMessages()).length).toBe(5);
  });

  it('keeps alerts a sink could not take, exits 1, and delivers them on the next poll', async () => {
    await t.clients.lambda.send(
      new UpdateCodeSigningConfigCommand({
        CodeSigningConfigArn: enforceCsc,
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
      }),
    );
    await blockedDeploy('payments');
    const before = received.length;
    hookFailures.push(500, 500, 500);
    const failing = options();
    expect(await runWatch(failing)).toBe(1);
    expect(failing.logs.join('\n')).toMatch(/could not deliver alert .* kept for the next poll/);
    expect(received.length).toBe(before);
    const recovered = options();
    expect(await runWatch(recovered)).toBe(0);
    expect(recovered.lines).toEqual([]); // stdout already had it; only the webhook was owed
    expect(received.length).toBe(before + 1);
    expect((JSON.parse(received.at(-1)!.body) as { alert: Alert }).alert.kind).toBe('deployment-blocked');
  });

  it('fails closed: CloudTrail it cannot read exits 1 and leaves no cursor; an unreachable endpoint is one clear error', async () => {
    await t.clients.iam.send(new CreateUserCommand({ UserName: 'no-trail' }));
    await t.clients.iam.send(
      new PutUserPolicyCommand({
        UserName: 'no-trail',
        PolicyName: 'sns-only',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }],
        }),
      }),
    );
    const key = (await t.clients.iam.send(new CreateAccessKeyCommand({ UserName: 'no-trail' }))).AccessKey!;
    const stateFile = join(dir, 'denied-state.json');
    const denied = options({
      credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! },
      stateFile,
      webhooks: [],
      topics: [],
      historyFile: join(dir, 'denied.db'),
    });
    expect(await runWatch(denied)).toBe(1);
    expect(denied.logs.join('\n')).toMatch(/could not read CloudTrail in \d{12}\/us-east-1 \(AccessDenied/);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).targets).toEqual({});

    const unreachable = options({ endpoint: 'http://127.0.0.1:9', stateFile: join(dir, 'other-state.json') });
    await expect(runWatch(unreachable)).rejects.toThrow(/cannot identify the caller/);
  });
});

describe('classifying CloudTrail records', () => {
  const record = (over: Record<string, unknown>) => ({
    EventId: 'e1',
    EventTime: new Date('2026-11-01T00:00:00Z'),
    CloudTrailEvent: JSON.stringify({
      eventSource: 'lambda.amazonaws.com',
      eventName: 'UpdateFunctionCode20150331v2',
      awsRegion: 'eu-west-1',
      recipientAccountId: '111111111111',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111111111111:assumed-role/ci-deploy/build-42',
        sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111111111111:role/ci-deploy' } },
      },
      requestParameters: { functionName: 'arn:aws:lambda:eu-west-1:111111111111:function:orders' },
      ...over,
    }),
  });

  it('maps assumed-role sessions to their role and names the function from an ARN', () => {
    const alert = classifyEvent(record({ errorCode: 'InvalidCodeSignatureException' }), 'x', 'y')!;
    expect(alert).toMatchObject({
      kind: 'deployment-blocked',
      principal: 'arn:aws:iam::111111111111:role/ci-deploy',
      session: 'build-42',
      resource: 'orders',
      accountId: '111111111111',
      region: 'eu-west-1',
    });
    expect(alert.next).toMatch(/tampering/);
  });

  it('ignores successful and unrelated events, other errors and unparsable records', () => {
    expect(classifyEvent(record({}), 'a', 'r')).toBeUndefined();
    expect(classifyEvent(record({ errorCode: 'ResourceConflictException' }), 'a', 'r')).toBeUndefined();
    expect(
      classifyEvent(
        record({ eventName: 'GetFunction20150331v2', errorCode: 'CodeVerificationFailedException' }),
        'a',
        'r',
      ),
    ).toBeUndefined();
    expect(classifyEvent({ EventId: 'x', CloudTrailEvent: '{not json' }, 'a', 'r')).toBeUndefined();
    expect(
      classifyEvent(
        record({
          eventName: 'UpdateCodeSigningConfig',
          requestParameters: { codeSigningPolicies: { untrustedArtifactOnDeployment: 'Enforce' } },
        }),
        'a',
        'r',
      ),
    ).toBeUndefined();
    expect(
      classifyEvent(
        record({
          eventName: 'UpdateCodeSigningConfig',
          requestParameters: {
            codeSigningConfigArn: 'arn:x',
            codeSigningPolicies: { untrustedArtifactOnDeployment: 'Warn' },
          },
        }),
        'a',
        'r',
      ),
    ).toMatchObject({ kind: 'csc-downgraded', resource: 'arn:x', severity: 'critical' });
  });
});
