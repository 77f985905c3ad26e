// The built CLI (dist/, from `npm run build`) end to end: exit codes, one-line errors, reports.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { demoSeed } from '../../src/sandbox/seeds/demo.js';
import { CLI, requireFreshDist, runCli } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: BOOTSTRAP_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: BOOTSTRAP_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
  NO_COLOR: '1',
};

/** The built CLI, with the sandbox's credentials (the sandbox lives in this process). */
const signet = (args: string[], cwd = process.cwd()) => runCli(args, { cwd, env });

let t: TestSandbox;
let dir: string;
beforeAll(async () => {
  requireFreshDist();
  dir = mkdtempSync(join(tmpdir(), 'signet-cli-'));
  t = await startTestSandbox();
  await demoSeed({
    endpoint: t.endpoint,
    credentials: { ...BOOTSTRAP_CREDENTIALS },
    params: {},
    log: () => {},
  });
}, 120_000);
afterAll(async () => t?.close());

describe('signet CLI', () => {
  it('scans with --fail-on, saves a snapshot and replays it offline with the same findings', async () => {
    const snap = join(dir, 'snap.json');
    const live = await signet([
      'scan',
      '--endpoint',
      t.endpoint,
      '--org',
      '--format',
      'json',
      '--fail-on',
      'high',
      '--save-snapshot',
      snap,
    ]);
    expect(live.code, live.stderr).toBe(3);
    const liveReport = JSON.parse(live.stdout) as { findings: { id: string; status: string }[] };
    expect(liveReport.findings.some((f) => f.status === 'FAIL')).toBe(true);
    const offline = await signet(['scan', '--from-snapshot', snap, '--format', 'json']);
    expect(offline.code).toBe(0);
    const offlineReport = JSON.parse(offline.stdout) as typeof liveReport;
    expect(offlineReport.findings.map((f) => [f.id, f.status])).toEqual(
      liveReport.findings.map((f) => [f.id, f.status]),
    );
  });

  it('writes several formats at once', async () => {
    const sarif = join(dir, 'out.sarif');
    const csv = join(dir, 'out.csv');
    const run = await signet([
      'scan',
      '--endpoint',
      t.endpoint,
      '--regions',
      'us-east-1',
      '--format',
      'junit',
      '--output',
      join(dir, 'out.xml'),
      '--report',
      `sarif=${sarif}`,
      '--report',
      `csv=${csv}`,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(join(dir, 'out.xml'), 'utf8')).toMatch(/^<\?xml/);
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toMatch(/rule/i);
  });

  it('answers bad input with one clear line and exit code 2', async () => {
    for (const args of [
      ['scan', '--fail-on', 'urgent'],
      ['scan', '--accounts', '12'],
      ['scan', '--format', 'pdf'],
      ['scan', '--from-snapshot', join(dir, 'missing.json')],
      ['iam-policy', 'no-such-command'],
    ]) {
      const run = await signet(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^signet: /);
    }
  });

  it('prints the least-privilege policy for scan', async () => {
    const run = await signet(['iam-policy', 'scan']);
    const policy = JSON.parse(run.stdout) as { Statement: { Action: string[] }[] };
    expect(policy.Statement[0]!.Action).toContain('lambda:ListFunctionsByCodeSigningConfig');
    expect(policy.Statement[0]!.Action).not.toContain('lambda:GetFunctionCodeSigningConfig');
  });

  it('writes a starter config once and refuses to overwrite it', async () => {
    expect((await signet(['init'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'signet.config.yaml'), 'utf8')).toMatch(/exceptions/);
    const again = await signet(['init'], dir);
    expect([again.code, again.stderr]).toEqual([2, expect.stringMatching(/already exists; pass --force/)]);
  });

  it('runs the sandbox and prints how to use it', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'sandbox', '--port', '0', '--state', join(dir, 'state.json')],
      { env },
    );
    const out = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('AWS_REGION')) resolve(text);
      });
      child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
    });
    expect(out).toMatch(/export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+/);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(existsSync(join(dir, 'state.json'))).toBe(true);
  });
});
