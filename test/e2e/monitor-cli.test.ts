// The monitoring commands as users run them (the built CLI): scan --history twice, kpi, evidence,
// alerts template, and their one-line errors.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyManifest } from '../../src/history/evidence.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { requireFreshDist, runCli } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { aRole, aZip } from '../sandbox/lambda-fixtures.js';

const env = {
  AWS_ACCESS_KEY_ID: BOOTSTRAP_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: BOOTSTRAP_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
};

/** The built CLI, with the sandbox's keys and this test's directory as TMPDIR (the demo writes there). */
const signet = (args: string[]) => runCli(args, { env: { ...env, TMPDIR: dir } });

let t: TestSandbox;
let dir: string;
beforeAll(async () => {
  requireFreshDist();
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
