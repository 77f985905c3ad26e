// The monitoring commands as users run them (the built CLI): scan --history twice, kpi, evidence,
// alerts template, and their one-line errors.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyManifest } from '../../src/history/evidence.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { aRole, aZip } from '../sandbox/lambda-fixtures.js';

const CLI = join(process.cwd(), 'dist/cli/main.js');
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: BOOTSTRAP_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: BOOTSTRAP_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
  NO_COLOR: '1',
};

function signet(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...env, TMPDIR: dir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let t: TestSandbox;
let dir: string;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run npm run build first');
  dir = mkdtempSync(join(tmpdir(), 'signet-monitor-cli-'));
  t = await startTestSandbox();
  const role = await aRole(t.clients.iam);
  await t.clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'orders',
      Role: role,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Code: { ZipFile: aZip() },
      Tags: { env: 'prod' },
    }),
  );
}, 60_000);
afterAll(async () => t?.close());

describe('monitoring commands (built CLI)', () => {
  it('records scans with --history, reports KPIs and writes a verifiable evidence pack', async () => {
    const history = join(dir, 'history.db');
    for (let i = 0; i < 2; i++) {
      const scan = await signet([
        'scan',
        '--endpoint',
        t.endpoint,
        '--regions',
        'us-east-1',
        '--history',
        history,
        '--format',
        'json',
      ]);
      expect(scan.code, scan.stderr).toBe(0);
      expect(scan.stderr).toMatch(new RegExp(`recorded run ${i + 1} \\(\\d+ findings\\) in `));
    }
    const kpi = await signet(['kpi', '--history', history, '--format', 'json', '--periods', '1']);
    expect(kpi.code, kpi.stderr).toBe(0);
    const report = JSON.parse(kpi.stdout) as {
      history: { runs: number };
      overall: { enforcement: { production: { total: number; enforced: number } } }[];
    };
    expect(report.history.runs).toBe(2);
    expect(report.overall[0]!.enforcement.production).toMatchObject({ total: 1, enforced: 0 });
    const md = await signet(['kpi', '--history', history, '--format', 'markdown']);
    expect(md.stdout).toMatch(/^# Signet KPIs/);

    const out = join(dir, 'evidence');
    const evidence = await signet(['evidence', '--history', history, '--output', out]);
    expect(evidence.code, evidence.stderr).toBe(0);
    expect(verifyManifest(out).ok).toBe(true);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(/\*\*not met\*\*/);
  }, 120_000);

  it('signet demo leaves a history whose KPIs show its remediation and the blocked hot-fixes', async () => {
    const demo = await signet(['demo', '--format', 'json', '--html', join(dir, 'demo.html')]);
    expect(demo.code, demo.stderr).toBe(0);
    const file = /signet kpi --history (\S+)/.exec(demo.stderr)?.[1];
    expect(file, demo.stderr).toBeDefined();
    const kpi = await signet(['kpi', '--history', file!, '--format', 'json', '--periods', '1']);
    expect(kpi.code, kpi.stderr).toBe(0);
    const report = JSON.parse(kpi.stdout) as {
      history: { runs: number };
      overall: {
        enforcement: { production: { percent: number }; inScope: { percent: number } };
        blockedAttempts: number;
        mttr: { resolved: number; meanHours: number };
      }[];
    };
    const now = report.overall[0]!;
    expect(report.history.runs).toBe(2);
    expect(now.enforcement.production.percent).toBe(100);
    expect(now.blockedAttempts).toBe(2);
    expect(now.mttr.resolved).toBeGreaterThan(0);
    expect(now.mttr.meanHours).toBeGreaterThanOrEqual(72);
  }, 300_000);

  it('writes alert templates and answers bad input with one line and exit 2', async () => {
    const cfn = await signet(['alerts', 'template']);
    expect(cfn.code).toBe(0);
    expect(cfn.stdout).toMatch(/AWS::Events::Rule/);
    const tf = await signet(['alerts', 'template', '--format', 'terraform']);
    expect(tf.stdout).toMatch(/resource "aws_cloudwatch_metric_alarm"/);
    for (const args of [
      ['alerts', 'template', '--format', 'pulumi'],
      ['kpi', '--history', join(dir, 'missing.db')],
      ['kpi', '--history', join(dir, 'history.db'), '--period', 'fortnight'],
      ['watch', '--since', 'forever'],
      ['watch', '--sns-topic', 'not-an-arn'],
      ['dashboard'],
      ['evidence', '--history', join(dir, 'history.db')],
    ]) {
      const run = await signet(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).toMatch(/^signet: /);
    }
  }, 120_000);
});
