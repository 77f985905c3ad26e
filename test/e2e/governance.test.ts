import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  UpdateCodeSigningConfigCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutSigningProfileCommand, StartSigningJobCommand } from '@aws-sdk/client-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { createZip } from '../../src/sandbox/zip.js';
import { requireFreshDist, runCli } from '../helpers/cli.js';
import { ACCOUNT, assumeRole, createRole, createUserWithKey } from '../helpers/principals.js';
import { clientsFor, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: BOOTSTRAP_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: BOOTSTRAP_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
  NO_COLOR: '1',
};

const signet = (args: string[]) => runCli(args, { env });

let t: TestSandbox;
let dir: string;
let findings: Finding[];
let aliceUpdateEventId: string | undefined;
const zip = createZip([{ name: 'index.mjs', data: 'export const handler = () => 1;' }]);

beforeAll(async () => {
  requireFreshDist();
  dir = mkdtempSync(join(tmpdir(), 'signet-governance-'));
  t = await startTestSandbox();
  const exec = await createRole(t.clients, 'lambda-exec', [
    { Effect: 'Allow', Action: 'logs:*', Resource: '*' },
  ]);
  const deployRole = await createRole(t.clients, 'ci-deploy-prod', [
    { Effect: 'Allow', Action: ['lambda:*', 'iam:PassRole', 's3:GetObject*'], Resource: '*' },
  ]);
  await createRole(t.clients, 'ci-sign-prod', [
    {
      Effect: 'Allow',
      Action: ['signer:StartSigningJob', 'signer:DescribeSigningJob', 's3:*'],
      Resource: '*',
    },
  ]);
  await createRole(t.clients, 'release-bot', [
    { Sid: 'Sign', Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: '*' },
    { Sid: 'Ship', Effect: 'Allow', Action: 'lambda:UpdateFunctionCode', Resource: '*' },
  ]);
  const profile = await t.clients.signer.send(
    new PutSigningProfileCommand({ profileName: 'ci_release', platformId: 'AWSLambda-SHA384-ECDSA' }),
  );
  const csc = await t.clients.lambda.send(
    new CreateCodeSigningConfigCommand({
      AllowedPublishers: { SigningProfileVersionArns: [profile.profileVersionArn!] },
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
    }),
  );
  const cscArn = csc.CodeSigningConfig!.CodeSigningConfigArn!;
  const ci = clientsFor(t.endpoint, await assumeRole(t.clients, deployRole, 'build-42'));
  for (const name of ['orders', 'billing'])
    await ci.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: exec,
        Code: { ZipFile: zip },
      }),
    );
  const alice = clientsFor(
    t.endpoint,
    await createUserWithKey(t.clients, 'alice', [
      { Effect: 'Allow', Action: ['lambda:*', 'signer:*', 's3:*'], Resource: '*' },
    ]),
  );
  // A human deploys by hand, signs by hand, and downgrades the CSC to Warn (an admin sets it back).
  await alice.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'billing', ZipFile: zip }));
  await t.clients.s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
  const put = await t.clients.s3.send(
    new PutObjectCommand({ Bucket: 'artifacts', Key: 'src/app.zip', Body: zip }),
  );
  await alice.signer
    .send(
      new StartSigningJobCommand({
        profileName: 'ci_release',
        source: { s3: { bucketName: 'artifacts', key: 'src/app.zip', version: put.VersionId ?? 'null' } },
        destination: { s3: { bucketName: 'artifacts', prefix: 'signed/' } },
      }),
    )
    .catch(() => undefined);
  await alice.lambda.send(
    new UpdateCodeSigningConfigCommand({
      CodeSigningConfigArn: cscArn,
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' },
    }),
  );
  await t.clients.lambda.send(
    new UpdateCodeSigningConfigCommand({
      CodeSigningConfigArn: cscArn,
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
    }),
  );
  for (const c of [ci, alice]) for (const client of Object.values(c)) client.destroy();

  const config = join(dir, 'signet.config.yaml');
  writeFileSync(
    config,
    [
      'pipeline:',
      '  deployers: ["arn:aws:iam::*:role/ci-deploy-*"]',
      '  signers: ["arn:aws:iam::*:role/ci-sign-*"]',
      '  admins: ["arn:aws:iam::*:user/admin"]',
      'lookback: 7d',
      '',
    ].join('\n'),
  );
  const out = await signet([
    'scan',
    '--endpoint',
    t.endpoint,
    '--regions',
    'us-east-1',
    '--config',
    config,
    '--format',
    'json',
  ]);
  expect(out.stderr).not.toMatch(/Error:/);
  findings = (JSON.parse(out.stdout) as { findings: Finding[] }).findings;
  aliceUpdateEventId = (
    findings.find((f) => f.ruleId === 'SGN-009' && f.resource.name === 'billing')?.details?.event as
      | { eventId?: string }
      | undefined
  )?.eventId;
}, 120_000);
afterAll(async () => t?.close());

const find = (ruleId: string, pred: (f: Finding) => boolean) =>
  findings.filter((f) => f.ruleId === ruleId && pred(f));

describe('governance rules through the built CLI', () => {
  it('SGN-009: passes the pipeline deploy and fails the human one, with the CloudTrail event', () => {
    expect(find('SGN-009', (f) => f.resource.name === 'orders')[0]?.status).toBe('PASS');
    const billing = find('SGN-009', (f) => f.resource.name === 'billing')[0]!;
    expect(billing.status).toBe('FAIL');
    expect(billing.message).toContain(`arn:aws:iam::${ACCOUNT}:user/alice`);
    expect(aliceUpdateEventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(billing.message).toContain(aliceUpdateEventId!);
  });

  it('SGN-011: fails the role that can both sign and deploy, citing both statements', () => {
    const bot = find('SGN-011', (f) => f.resource.id === `arn:aws:iam::${ACCOUNT}:role/release-bot`)[0]!;
    expect(bot.status).toBe('FAIL');
    expect(bot.message).toMatch(/Sid Sign/);
    expect(bot.message).toMatch(/Sid Ship/);
    expect(find('SGN-011', (f) => f.resource.id.endsWith(':role/ci-deploy-prod'))).toEqual([]);
    expect(find('SGN-011', (f) => f.resource.id.endsWith(':role/ci-sign-prod'))).toEqual([]);
  });

  it('SGN-012: flags alice (signer:* on *) and the release bot signing outside pipeline.signers', () => {
    expect(find('SGN-012', (f) => f.resource.id.endsWith(':user/alice'))[0]?.status).toBe('FAIL');
    expect(find('SGN-012', (f) => f.resource.id.endsWith(':role/release-bot'))[0]?.status).toBe('FAIL');
  });

  it('SGN-013: fails the Enforce → Warn downgrade even though it was set back', () => {
    const events = find('SGN-013', (f) => f.resource.region === 'us-east-1')[0]!;
    expect(events.status).toBe('FAIL');
    expect(events.message).toMatch(/to Warn.*user\/alice/);
  });

  it('SGN-014: the sandbox account is the management account of no organisation: FAIL, not PASS', () => {
    expect(find('SGN-014', () => true)[0]?.status).toBe('FAIL');
  });

  it('signet iam-policy scan includes the governance calls', async () => {
    const out = await signet(['iam-policy', 'scan']);
    for (const action of [
      'cloudtrail:LookupEvents',
      'iam:GetAccountAuthorizationDetails',
      'organizations:ListPolicies',
      'organizations:DescribePolicy',
    ])
      expect(out.stdout).toContain(action);
  });

  it('--no-cloudtrail makes the CloudTrail rules UNKNOWN, and a bad --lookback is a usage error', async () => {
    const out = await signet([
      'scan',
      '--endpoint',
      t.endpoint,
      '--regions',
      'us-east-1',
      '--no-cloudtrail',
      '--format',
      'json',
    ]);
    const skipped = (JSON.parse(out.stdout) as { findings: Finding[] }).findings.filter(
      (f) => f.ruleId === 'SGN-009',
    );
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((f) => f.status === 'UNKNOWN')).toBe(true);
    const bad = await signet(['scan', '--endpoint', t.endpoint, '--lookback', '120d']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--lookback 120d/);
  });
});
