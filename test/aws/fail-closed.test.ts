// What a scan could not read shows up, and a gate fails closed: each case from issue 7 reproduced
// against the sandbox (IAM denials, throttling that never clears, a member role that does not exist).
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateFunctionCommand, TagResourceCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamPolicyFor, SCAN_CALLS } from '../../src/aws/calls.js';
import { collectSnapshot } from '../../src/aws/collect/scan.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_UNVERIFIED, evaluateGate } from '../../src/engine/gate.js';
import { buildReportInput } from '../../src/engine/report-input.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { coverageLine } from '../../src/report/shared.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { createZip } from '../../src/sandbox/zip.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
const ALL_ACTIONS = iamPolicyFor(SCAN_CALLS).Statement[0]!.Action;

async function createUser(name: string, actions: string[] | undefined) {
  await t.clients.iam.send(new CreateUserCommand({ UserName: name }));
  if (actions) {
    await t.clients.iam.send(
      new PutUserPolicyCommand({
        UserName: name,
        PolicyName: 'signet',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
        }),
      }),
    );
  }
  const key = await t.clients.iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
}

function report(snapshot: Snapshot, raw: unknown = {}) {
  const config = ConfigSchema.parse(raw);
  const evaluation = evaluate(snapshot, config);
  return buildReportInput(snapshot, evaluation, config);
}

beforeAll(async () => {
  t = await startTestSandbox();
  await t.clients.iam.send(
    new CreateRoleCommand({
      RoleName: 'lambda-exec',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  const fn = await t.clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'prod-api',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::111111111111:role/lambda-exec',
      Code: { ZipFile: createZip([{ name: 'index.mjs', data: 'export const handler = () => 1;' }]) },
    }),
  );
  await t.clients.lambda.send(new TagResourceCommand({ Resource: fn.FunctionArn!, Tags: { env: 'prod' } }));
});
afterAll(async () => t?.close());

const scan = (credentials: { accessKeyId: string; secretAccessKey: string }, extra = {}) =>
  collectSnapshot({
    endpoint: t.endpoint,
    credentials,
    homeRegion: 'us-east-1',
    regions: ['us-east-1'],
    // Quotas are off in this sandbox: pace CloudTrail's 2 requests/s 50x faster, as a scaled sandbox would.
    rateScale: 50,
    ...extra,
  });

describe('fail closed', () => {
  it('a principal without lambda:ListFunctions gets an UNKNOWN account-region, an unknown headline and exit 1', async () => {
    const credentials = await createUser(
      'no-list',
      ALL_ACTIONS.filter((a) => a !== 'lambda:ListFunctions'),
    );
    const input = report(await scan(credentials));
    const sgn000 = input.findings.find((f) => f.ruleId === 'SGN-000' && f.resource.region === 'us-east-1')!;
    expect(sgn000.status).toBe('UNKNOWN');
    expect(sgn000.message).toMatch(
      /functions, versions, layers could not be collected.*ListFunctions failed with AccessDenied/,
    );
    expect(coverageLine(input)).toBe('Coverage: unknown — 1 account-region could not be read completely');
    expect(evaluateGate(input, { failOn: 'high' }).exitCode).toBe(EXIT_UNVERIFIED);
    expect(evaluateGate(input, { failOn: 'high', allowIncomplete: true }).exitCode).toBe(EXIT_OK);
    expect(evaluateGate(input, { failOn: 'high', allowIncomplete: true, failOnUnknown: true }).exitCode).toBe(
      EXIT_UNVERIFIED,
    );
  });

  it('a principal with no policy at all sees nothing and the gate says so', async () => {
    const credentials = await createUser('no-policy', undefined);
    const snapshot = await scan(credentials, { regions: undefined });
    const input = report(snapshot);
    // ListRegions failed too: the account-wide finding says only the home region was scanned.
    const unknown = input.findings.filter((f) => f.ruleId === 'SGN-000' && f.status === 'UNKNOWN');
    expect(unknown.map((f) => f.resource.region)).toEqual(['global', 'us-east-1']);
    expect(unknown[0]!.message).toMatch(/ListRegions failed/);
    expect(input.findings.some((f) => f.status === 'PASS')).toBe(false);
    expect(evaluateGate(input, { failOn: 'critical' }).exitCode).toBe(EXIT_UNVERIFIED);
  });

  it('a member account whose role does not exist is an UNKNOWN finding, not silently dropped', async () => {
    const snapshot = await scan(BOOTSTRAP_CREDENTIALS, {
      accounts: ['111111111111', '222233334444'],
      roleName: 'RoleThatDoesNotExist',
    });
    const input = report(snapshot);
    const member = input.findings.find(
      (f) => f.ruleId === 'SGN-000' && f.resource.accountId === '222233334444',
    )!;
    expect([member.status, member.resource.region]).toEqual(['UNKNOWN', 'global']);
    expect(member.message).toMatch(/none of its regions were scanned \(sts:AssumeRole failed/);
    expect(evaluateGate(input, { failOn: 'high' }).exitCode).toBe(EXIT_FINDINGS);
    expect(evaluateGate(input, { failOn: 'high' }).reasons.join('\n')).toMatch(/incomplete collection/);
  });

  it('without tag:GetResources, tag-selected production functions keep their severity and stay in scope', async () => {
    const credentials = await createUser(
      'no-tags',
      ALL_ACTIONS.filter((a) => a !== 'tag:GetResources'),
    );
    const snapshot = await scan(credentials);
    const config = {
      production: [{ tags: { env: 'prod' } }],
      scope: { include: [{ tags: { env: ['prod', 'staging'] } }] },
    };
    const input = report(snapshot, config);
    const sgn001 = input.findings.find((f) => f.ruleId === 'SGN-001' && f.resource.name === 'prod-api')!;
    expect([sgn001.status, sgn001.severity, sgn001.inScope, sgn001.production]).toEqual([
      'FAIL',
      'critical',
      true,
      true,
    ]);
    expect(sgn001.message).toMatch(
      /Tags of 111111111111\/us-east-1 could not be read, so this resource is treated as production and in scope/,
    );
    expect(evaluateGate(input, { failOn: 'critical', allowIncomplete: true }).exitCode).toBe(EXIT_FINDINGS);
    // With tags readable the same config classifies from the real tag.
    const full = report(await scan(BOOTSTRAP_CREDENTIALS), config);
    const real = full.findings.find((f) => f.ruleId === 'SGN-001' && f.resource.name === 'prod-api')!;
    expect([real.severity, real.message]).toEqual([
      'critical',
      expect.not.stringMatching(/could not be read/),
    ]);
  });
});

describe('throttling that never clears', () => {
  let throttled: TestSandbox;
  beforeAll(async () => {
    throttled = await startTestSandbox({
      quotas: { enabled: true, scale: 1, rates: { 'lambda:control': 0.01 }, defaultRate: 50 },
    });
  });
  afterAll(async () => throttled?.close());

  it('becomes UNKNOWN findings and exit 1, never "no in-scope functions" and exit 0', async () => {
    const snapshot = await collectSnapshot({
      endpoint: throttled.endpoint,
      credentials: BOOTSTRAP_CREDENTIALS,
      homeRegion: 'us-east-1',
      regions: ['us-east-1'],
      maxAttempts: 2,
    });
    expect(snapshot.collectionErrors.map((e) => e.errorCode)).toContain('TooManyRequestsException');
    const input = report(snapshot);
    const sgn000 = input.findings.find((f) => f.ruleId === 'SGN-000' && f.resource.region === 'us-east-1')!;
    expect(sgn000.status).toBe('UNKNOWN');
    expect(sgn000.message).toMatch(/still throttled after every retry/);
    expect(coverageLine(input)).toMatch(/^Coverage: unknown/);
    expect(evaluateGate(input, { failOn: 'high' }).exitCode).toBe(EXIT_UNVERIFIED);
  }, 60_000);
});
