import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  GetFunctionCodeSigningConfigCommand,
  LambdaClient,
  PutFunctionCodeSigningConfigCommand,
  paginateListCodeSigningConfigs,
  paginateListFunctions,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_CREDENTIALS, MANAGEMENT_ACCOUNT_ID } from '../../src/sandbox/index.js';
import { demoSeed } from '../../src/sandbox/seeds/demo.js';
import { createZip } from '../../src/sandbox/zip.js';
import { requireFreshDist, runCli } from '../helpers/cli.js';
import { type Credentials, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: BOOTSTRAP_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: BOOTSTRAP_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
  NO_COLOR: '1',
};

const signet = (args: string[], extraEnv: Record<string, string> = {}) =>
  runCli(args, { env: { ...env, ...extraEnv } });

let t: TestSandbox;
let dir: string;
let accounts: { prod: string; dev: string };
const lambdas = new Map<string, LambdaClient>();

async function lambdaFor(accountId: string, region: string): Promise<LambdaClient> {
  const key = `${accountId}|${region}`;
  let client = lambdas.get(key);
  if (!client) {
    let credentials: Credentials = BOOTSTRAP_CREDENTIALS;
    if (accountId !== MANAGEMENT_ACCOUNT_ID) {
      const out = await t.clients.sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
          RoleSessionName: 'test',
        }),
      );
      credentials = {
        accessKeyId: out.Credentials!.AccessKeyId!,
        secretAccessKey: out.Credentials!.SecretAccessKey!,
        sessionToken: out.Credentials!.SessionToken!,
      };
    }
    client = new LambdaClient({ endpoint: t.endpoint, region, credentials, maxAttempts: 3 });
    lambdas.set(key, client);
  }
  return client;
}

/** Every function's CSC (GetFunctionCodeSigningConfig) and every CSC's policy and publishers. */
async function liveState(): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const accountId of [MANAGEMENT_ACCOUNT_ID, accounts.prod, accounts.dev]) {
    for (const region of REGIONS) {
      const lambda = await lambdaFor(accountId, region);
      for await (const page of paginateListFunctions({ client: lambda }, {})) {
        for (const fn of page.Functions ?? []) {
          const out = await lambda.send(
            new GetFunctionCodeSigningConfigCommand({ FunctionName: fn.FunctionArn }),
          );
          state[fn.FunctionArn!] = out.CodeSigningConfigArn || '(none)';
        }
      }
      for await (const page of paginateListCodeSigningConfigs({ client: lambda }, {})) {
        for (const c of page.CodeSigningConfigs ?? []) {
          state[c.CodeSigningConfigArn!] = JSON.stringify([
            c.CodeSigningPolicies?.UntrustedArtifactOnDeployment,
            [...(c.AllowedPublishers?.SigningProfileVersionArns ?? [])].sort(),
          ]);
        }
      }
    }
  }
  return state;
}

const sandboxFlags = () => ['--endpoint', t.endpoint];

beforeAll(async () => {
  requireFreshDist();
  dir = mkdtempSync(join(tmpdir(), 'signet-remediate-'));
  t = await startTestSandbox();
  const seeded = await demoSeed({
    endpoint: t.endpoint,
    credentials: { ...BOOTSTRAP_CREDENTIALS },
    params: {},
    log: () => {},
  });
  const match = /prod=(\d{12}) dev=(\d{12})/.exec(seeded.summary)!;
  accounts = { prod: match[1]!, dev: match[2]! };
}, 120_000);
afterAll(async () => {
  for (const client of lambdas.values()) client.destroy();
  await t?.close();
});

interface ScanReport {
  findings: { id: string; ruleId: string; status: string; resource: { name: string } }[];
}

async function scan(): Promise<ScanReport> {
  const run = await signet(['scan', ...sandboxFlags(), '--org', '--format', 'json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as ScanReport;
}

describe('signet plan → apply → rollback', () => {
  it('fixes every SGN-001/002/003 FAIL in the selection, changes nothing else, blocks unsigned deploys, and rolls back exactly', async () => {
    const before = await liveState();
    const scanBefore = await scan();
    const planFile = join(dir, 'all.json');
    const plan = await signet(['plan', ...sandboxFlags(), '--org', '--output', planFile]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/Plan: \d+ to create, \d+ to update, 0 to detach/);
    expect(plan.stdout).toMatch(/~ \[s\d+\] update code signing config csc-[a-z0-9]+: Warn → Enforce/);
    expect(plan.stdout).toMatch(
      /touches 3 function\(s\): billing-sync \[prod\], notifications \[prod\], search-indexer \[prod\]/,
    );
    expect(plan.stdout).toMatch(/Manual steps — configuration cannot fix these/);
    expect(plan.stdout).toMatch(
      /next: signet deploy --layer search-plugins --package <layer.zip> .* --update-functions/,
    );
    expect(plan.stdout).toMatch(
      /next: signet deploy --function \S+:function:checkout .* --publish --alias live/,
    );
    expect(plan.stdout).toMatch(
      /next: signet deploy --function arn:aws:lambda:us-east-1:\d{12}:function:reports-export/,
    );
    // plan writes nothing
    expect(await liveState()).toEqual(before);

    const apply = await signet(['apply', planFile, ...sandboxFlags(), '--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/Apply complete: \d+ changed/);
    const verified = await signet(['verify', '--plan', planFile, ...sandboxFlags()]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/Verify: (\d+) of \1 target\(s\) in their planned state\./);

    const scanAfter = await scan();
    const statusBefore = new Map(scanBefore.findings.map((f) => [f.id, f]));
    for (const f of scanAfter.findings) {
      // The governance rules (SGN-009..014) watch CloudTrail and IAM: they see the apply itself.
      if (/^SGN-01[0-4]$|^SGN-009$/.test(f.ruleId)) continue;
      const was = statusBefore.get(f.id)!;
      if (['SGN-001', 'SGN-002', 'SGN-003'].includes(f.ruleId)) {
        expect(f.status, `${f.ruleId} ${f.resource.name}`).not.toBe('FAIL');
      } else {
        expect([f.ruleId, f.resource.name, f.status]).toEqual([was.ruleId, was.resource.name, was.status]);
      }
    }
    expect(
      scanBefore.findings.filter((f) => f.ruleId === 'SGN-001' && f.status === 'FAIL').length,
    ).toBeGreaterThan(5);

    // the next unsigned deploy to a remediated function is blocked
    const lambda = await lambdaFor(accounts.prod, 'us-east-1');
    const unsigned = createZip([{ name: 'index.mjs', data: 'export const handler = async () => 1;\n' }]);
    await expect(
      lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'reports-export', ZipFile: unsigned })),
    ).rejects.toMatchObject({ name: 'CodeVerificationFailedException' });

    const rollback = await signet(['rollback', planFile, ...sandboxFlags(), '--yes']);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(await liveState()).toEqual(before);
    const unverified = await signet(['verify', '--plan', planFile, ...sandboxFlags()]);
    expect(unverified.code).toBe(1);
    expect(unverified.stdout).toMatch(
      /✗ \[s\d+\] arn:aws:lambda:us-east-1:\d{12}:function:reports-export: uses \(no CSC\)/,
    );
  }, 240_000);

  it('refuses a stale plan, naming the resource, and writes nothing further', async () => {
    const before = await liveState();
    const planFile = join(dir, 'stale.json');
    const plan = await signet([
      'plan',
      ...sandboxFlags(),
      '--org',
      '--only',
      `account=${accounts.prod},region=us-east-1`,
      '--output',
      planFile,
    ]);
    expect(plan.code, plan.stderr).toBe(0);
    // Someone attaches a CSC to reports-export after the plan was made.
    const lambda = await lambdaFor(accounts.prod, 'us-east-1');
    const other = await lambda.send(
      new CreateCodeSigningConfigCommand({
        Description: 'attached by hand',
        AllowedPublishers: {
          SigningProfileVersionArns: [
            JSON.parse(
              before[Object.keys(before).find((k) => k.includes(`${accounts.prod}:code-signing-config`))!]!,
            )[1][0],
          ],
        },
      }),
    );
    const otherArn = other.CodeSigningConfig!.CodeSigningConfigArn!;
    await lambda.send(
      new PutFunctionCodeSigningConfigCommand({
        FunctionName: 'reports-export',
        CodeSigningConfigArn: otherArn,
      }),
    );
    const changed = await liveState();
    const apply = await signet(['apply', planFile, ...sandboxFlags(), '--yes']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(
      /stale plan: function arn:aws:lambda:us-east-1:\d{12}:function:reports-export now has CSC/,
    );
    const journal = readFileSync(`${planFile}.journal`, 'utf8');
    expect(journal).toMatch(/"phase":"stale"/);
    // Whatever ran before the stale step is journaled and can be rolled back; reports-export kept the hand-attached CSC.
    const after = await liveState();
    expect(after[`arn:aws:lambda:us-east-1:${accounts.prod}:function:reports-export`]).toBe(otherArn);
    const rollback = await signet(['rollback', planFile, ...sandboxFlags(), '--yes']);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(await liveState()).toEqual(changed);
  }, 120_000);

  it('signet demo shows the remediation plan after the findings, without applying it', async () => {
    const demo = await signet(['demo', '--no-history', '--html', join(dir, 'demo.html')]);
    const report = demo.stdout.indexOf('Remediation plan (not applied');
    expect(report, demo.stderr).toBeGreaterThan(0);
    expect(demo.stdout.slice(report)).toMatch(/Plan: \d+ to create, \d+ to update, 0 to detach/);
    expect(demo.stdout.slice(report)).toMatch(/Manual steps — configuration cannot fix these/);
  }, 240_000);

  it('verify --probe proves each Enforce CSC blocks unsigned code, cleans up, and removes leftovers by tag', async () => {
    // A probe left behind by an interrupted run (in dev: prod's SCP requires a CSC on CreateFunction).
    const lambda = await lambdaFor(accounts.dev, 'us-east-1');
    await lambda
      .send(
        new CreateFunctionCommand({
          FunctionName: 'signet-probe-0123456789',
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: `arn:aws:iam::${accounts.dev}:role/lambda-exec`,
          Code: {
            ZipFile: createZip([{ name: 'index.mjs', data: 'export const handler = async () => 0;\n' }]),
          },
          Tags: { 'signet:probe': 'true' },
        }),
      )
      .catch(() => undefined);
    const before = await liveState();
    const evidence = join(dir, 'evidence.json');
    const run = await signet([
      'verify',
      '--probe',
      ...sandboxFlags(),
      '--org',
      '--bucket',
      'signet-demo-artifacts-{account}-{region}',
      '--probe-role',
      'arn:aws:iam::{account}:role/lambda-exec',
      '--evidence',
      evidence,
    ]);
    // The dev CSC whose publishers were all revoked cannot sign a probe: not proven, exit 1.
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(
      /✓ proven +arn:aws:lambda:us-east-1:\d{12}:code-signing-config:csc-[a-z0-9]+: signed package accepted; unsigned UpdateFunctionCode refused with CodeVerificationFailedException .*UpdateFunctionCode=[0-9a-f-]+/,
    );
    expect(run.stdout).toMatch(/✗ not proven .*allows no active signing profile/);
    expect(run.stderr).toMatch(
      /deleted leftover probe arn:aws:lambda:us-east-1:\d{12}:function:signet-probe-0123456789/,
    );
    const report = JSON.parse(readFileSync(evidence, 'utf8')) as {
      evidence: { proven: boolean; cleanedUp: boolean }[];
    };
    expect(report.evidence.filter((e) => e.proven).length).toBeGreaterThanOrEqual(3);
    expect(report.evidence.every((e) => e.cleanedUp)).toBe(true);
    const after = await liveState();
    expect(Object.keys(after).filter((k) => k.includes(':function:signet-probe-'))).toEqual([]);
    const {
      [`arn:aws:lambda:us-east-1:${accounts.dev}:function:signet-probe-0123456789`]: _leftover,
      ...rest
    } = before;
    expect(Object.keys(rest).filter((k) => !(k in after))).toEqual([]);
    expect(after).toEqual(rest);
  }, 120_000);

  it('stops on AccessDenied with the step named, then --resume with enough permissions finishes', async () => {
    // A read-only role in dev: apply can read (stale check) but every write is denied.
    const session = await t.clients.sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accounts.dev}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'iam',
      }),
    );
    const iam = new IAMClient({
      endpoint: t.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: session.Credentials!.AccessKeyId!,
        secretAccessKey: session.Credentials!.SecretAccessKey!,
        sessionToken: session.Credentials!.SessionToken!,
      },
    });
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'signet-readonly',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:root` },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'signet-readonly',
        PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    iam.destroy();
    const before = await liveState();
    const planFile = join(dir, 'denied.json');
    const plan = await signet([
      'plan',
      ...sandboxFlags(),
      '--org',
      '--only',
      `account=${accounts.dev},region=us-east-1`,
      '--output',
      planFile,
    ]);
    expect(plan.code, plan.stderr).toBe(0);
    const denied = await signet([
      'apply',
      planFile,
      ...sandboxFlags(),
      '--yes',
      '--role-name',
      'signet-readonly',
    ]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/step s\d+ \(\S+ \S+\) failed: AccessDeniedException/);
    expect(denied.stderr).toMatch(/--resume' to continue or 'signet rollback/);
    expect(readFileSync(`${planFile}.journal`, 'utf8')).toMatch(/"phase":"failed"/);
    expect(await liveState()).toEqual(before);
    const resumed = await signet(['apply', planFile, ...sandboxFlags(), '--yes', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await signet(['verify', '--plan', planFile, ...sandboxFlags()])).code).toBe(0);
    expect((await signet(['rollback', planFile, ...sandboxFlags(), '--yes'])).code).toBe(0);
    expect(await liveState()).toEqual(before);
  }, 120_000);

  it('prints least-privilege policies for plan, apply, rollback and verify', async () => {
    const actions = async (command: string) => {
      const run = await signet(['iam-policy', command]);
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { Statement: { Action: string[] }[] }).Statement.flatMap(
        (s) => s.Action,
      );
    };
    const plan = await actions('plan');
    expect(plan.some((a) => /Put|Update|Create|Delete/.test(a))).toBe(false);
    const apply = await actions('apply');
    expect(apply).toEqual(
      expect.arrayContaining([
        'lambda:PutFunctionCodeSigningConfig',
        'lambda:UpdateCodeSigningConfig',
        'lambda:CreateCodeSigningConfig',
      ]),
    );
    expect(apply).not.toContain('lambda:DeleteFunctionCodeSigningConfig');
    expect(await actions('rollback')).toEqual(
      expect.arrayContaining([
        'lambda:DeleteFunctionCodeSigningConfig',
        'lambda:DeleteCodeSigningConfig',
        'signer:CancelSigningProfile',
      ]),
    );
    expect((await actions('verify')).some((a) => /Put|Update|Create|Delete/.test(a))).toBe(false);
  });

  it('refuses a hand-edited or truncated plan with the reason', async () => {
    const planFile = join(dir, 'edit.json');
    expect((await signet(['plan', ...sandboxFlags(), '--org', '--output', planFile])).code).toBe(0);
    const text = readFileSync(planFile, 'utf8');
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, text.replace('"Enforce"', '"Warn"'));
    const run = await signet(['apply', edited, ...sandboxFlags(), '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/was modified after it was written/);
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    const cut = await signet(['apply', truncated, ...sandboxFlags(), '--yes']);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/not valid JSON \(truncated or edited\?\)/);
    const noTty = await signet(['apply', planFile, ...sandboxFlags()]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/refusing to apply without --yes/);
  }, 60_000);

  it('survives SIGKILL at every step boundary: --resume finishes, rollback restores the exact prior state', async () => {
    const planFile = join(dir, 'kill.json');
    const plan = await signet([
      'plan',
      ...sandboxFlags(),
      '--org',
      '--only',
      'region=us-west-2',
      'name=dev-vendor-sync',
      'name=billing-sync',
      '--json',
      '--output',
      planFile,
    ]);
    expect(plan.code, plan.stderr).toBe(0);
    const steps = (JSON.parse(plan.stdout) as { steps: { action: string; target: string }[] }).steps;
    expect(steps.map((s) => s.action)).toEqual(
      expect.arrayContaining([
        'create-code-signing-config',
        'update-code-signing-config',
        'attach-code-signing-config',
      ]),
    );
    const before = await liveState();
    const apply = await signet(['apply', planFile, ...sandboxFlags(), '--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    const after = await liveState();
    expect((await signet(['rollback', planFile, ...sandboxFlags(), '--yes'])).code).toBe(0);
    expect(await liveState()).toEqual(before);
    rmSync(`${planFile}.journal`);

    // CSCs the plan creates get a new ARN on every run: name them by their content instead.
    const normal = (state: Record<string, string>) => {
      const out: Record<string, string> = {};
      for (const [key, value] of Object.entries(state)) {
        if (key.includes(':code-signing-config:') && !(key in before)) continue;
        out[key] =
          value.includes(':code-signing-config:') && !(value in before) ? `new ${state[value]}` : value;
      }
      return out;
    };
    const expected = normal(after);
    const initial = normal(before);
    // Each step has three boundaries: journaled begin, write returned, journaled done.
    const boundaries = steps.length * 3;
    for (let k = 1; k <= boundaries; k++) {
      const killed = await signet(['apply', planFile, ...sandboxFlags(), '--yes'], {
        SIGNET_FAULT_KILL_AT: String(k),
      });
      expect(killed.signal, `kill point ${k}`).toBe('SIGKILL');
      // In between, every target is in its before or after state — never anything else.
      const mid = normal(await liveState());
      for (const [key, value] of Object.entries(mid)) {
        if (value !== initial[key]) expect(value, `${key} at kill point ${k}`).toBe(expected[key]);
      }
      if (k % 2 === 1) {
        const resumed = await signet(['apply', planFile, ...sandboxFlags(), '--yes', '--resume']);
        expect(resumed.code, `resume after kill point ${k}: ${resumed.stderr}`).toBe(0);
        expect(normal(await liveState()), `state after resume at kill point ${k}`).toEqual(expected);
      }
      const rollback = await signet(['rollback', planFile, ...sandboxFlags(), '--yes']);
      expect(rollback.code, `rollback after kill point ${k}: ${rollback.stderr}`).toBe(0);
      expect(await liveState(), `state after rollback at kill point ${k}`).toEqual(before);
      rmSync(`${planFile}.journal`);
    }
  }, 600_000);
});
