// Remediation end to end through the built CLI on the demo organisation: plan → apply → re-scan,
// an unsigned deploy blocked, rollback restoring every CSC exactly, SIGKILL at many step boundaries
// followed by --resume or rollback, and a stale plan refused.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateCodeSigningConfigCommand,
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
import { type Credentials, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const CLI = join(process.cwd(), 'dist/cli/main.js');
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: BOOTSTRAP_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: BOOTSTRAP_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
  NO_COLOR: '1',
};

function signet(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

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
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run npm run build first');
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
