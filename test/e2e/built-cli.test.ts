// `signet iac` and `signet demo` as users run them: the built CLI (dist/), refused when stale. Usage
// errors are one line and exit 2; reports are schema-valid SARIF; output files are written safely.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireFreshDist, runCli, staleDistReason } from '../helpers/cli.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';

const EXAMPLES = 'docs/rules/examples/function-has-code-signing-config';
let dir: string;
beforeAll(() => {
  requireFreshDist();
  dir = mkdtempSync(join(tmpdir(), 'signet-built-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stale dist/ detection', () => {
  it('names the source file that changed after the build, and accepts a fresh build', () => {
    const root = join(dir, 'fake-repo');
    mkdirSync(join(root, 'src/cli'), { recursive: true });
    mkdirSync(join(root, 'dist/cli'), { recursive: true });
    writeFileSync(join(root, 'src/cli/main.ts'), '');
    writeFileSync(join(root, 'dist/cli/main.js'), '');
    const old = new Date(Date.UTC(2026, 0, 1));
    const newer = new Date(Date.UTC(2026, 0, 2));
    utimesSync(join(root, 'src/cli/main.ts'), old, old);
    utimesSync(join(root, 'dist/cli/main.js'), newer, newer);
    expect(staleDistReason(root)).toBeUndefined();
    writeFileSync(join(root, 'src/cli/new-command.ts'), '');
    expect(staleDistReason(root)).toBe(
      'dist/cli/new-command.js is missing (src/cli/new-command.ts has no build)',
    );
    writeFileSync(join(root, 'dist/cli/new-command.js'), '');
    utimesSync(join(root, 'dist/cli/new-command.js'), old, old);
    utimesSync(join(root, 'src/cli/new-command.ts'), newer, newer);
    expect(staleDistReason(root)).toBe(
      'src/cli/new-command.ts changed after dist/cli/new-command.js was built',
    );
    expect(() => requireFreshDist(root)).toThrow(/dist\/ is stale: .*run 'npm run build'/);
    rmSync(join(root, 'dist'), { recursive: true });
    expect(staleDistReason(root)).toBe('dist/cli/main.js is missing');
  });
});

describe('usage errors', () => {
  it('exit 2 with one line naming the problem, never the whole help', async () => {
    const cases: [string[], RegExp][] = [
      [['iac', 't.yaml', '--bogus'], /^signet: unknown option '--bogus'; run 'signet iac --help' for usage$/],
      [['iac'], /^signet: missing required argument 'paths'; run 'signet iac --help' for usage$/],
      [['frobnicate'], /^signet: unknown command 'frobnicate'/],
      [['scan', '--fail-on'], /^signet: option '--fail-on <severity>' argument missing/],
      [['iac', '/nonexistent'], /^signet: \/nonexistent: no such file or directory; pass template files/],
      [
        ['iac', EXAMPLES, '--docs-url', 'ftp://example.com'],
        /^signet: --docs-url ftp:\/\/example\.com must be an http\(s\) URL/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr.trimEnd(), args.join(' ')).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });

  it('--help still prints the help and exits 0', async () => {
    const run = await runCli(['iac', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--docs-url <url>');
  });
});

describe('signet iac (built CLI)', () => {
  it('fails the gate on a bad template with schema-valid SARIF linking the rule docs', async () => {
    const out = join(dir, 'iac.sarif');
    const run = await runCli([
      'iac',
      `${EXAMPLES}/cloudformation-bad`,
      '--format',
      'sarif',
      '--output',
      out,
      '--fail-on',
      'high',
      '--docs-url',
      'https://example.com/signet',
    ]);
    expect(run.code, run.stderr).toBe(3);
    const log = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: {
        results: { ruleId: string; kind?: string; level?: string }[];
        tool: { driver: { rules: { helpUri?: string }[] } };
      }[];
    };
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.results.some((r) => r.ruleId === 'SGN-001' && r.level === 'error')).toBe(true);
    expect(
      log.runs[0]!.tool.driver.rules.some((r) =>
        r.helpUri?.startsWith('https://example.com/signet/docs/rules/'),
      ),
    ).toBe(true);
  });

  it('passes the gate on a good template', async () => {
    const run = await runCli([
      'iac',
      `${EXAMPLES}/cloudformation-good`,
      '--format',
      'json',
      '--fail-on',
      'high',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(
      (JSON.parse(run.stdout) as { findings: { status: string }[] }).findings.some(
        (f) => f.status === 'FAIL',
      ),
    ).toBe(false);
  });

  it('writes --output through /dev/null and keeps an existing report’s 0600 mode', async () => {
    const devNull = await runCli([
      'iac',
      `${EXAMPLES}/cloudformation-bad`,
      '--format',
      'sarif',
      '--output',
      '/dev/null',
    ]);
    expect(devNull.code, devNull.stderr).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const secret = join(dir, 'private.json');
    writeFileSync(secret, '{}');
    chmodSync(secret, 0o600);
    const run = await runCli([
      'iac',
      `${EXAMPLES}/cloudformation-bad`,
      '--format',
      'json',
      '--output',
      secret,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(secret, 'utf8'))).toHaveProperty('findings');
  });

  it('writes --output /dev/stdout into the file the shell redirected to, without replacing it', () => {
    const out = join(dir, 'redirected.json');
    execFileSync('sh', [
      '-c',
      `"${process.execPath}" "${CLI}" iac "${EXAMPLES}/cloudformation-bad" --format json --output /dev/stdout > "${out}"`,
    ]);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveProperty('findings');
    expect(statSync(out).isFile()).toBe(true);
  });

  it('answers an impossible output path with one line and exit 2, at once', async () => {
    const run = await runCli(['iac', `${EXAMPLES}/cloudformation-bad`, '--output', '/proc/nonexist/r.txt']);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^signet: cannot write \/proc\/nonexist\/r\.txt: ENOENT/,
    );
  });
});

describe('signet demo (built CLI)', () => {
  it('seeds, scans and writes a schema-valid SARIF report and the HTML report', async () => {
    const sarif = join(dir, 'demo.sarif');
    const html = join(dir, 'demo.html');
    const run = await runCli(
      ['demo', '--no-history', '--format', 'sarif', '--output', sarif, '--html', html],
      { cwd: dir },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/scanned 3 accounts/);
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results: unknown[] }[] };
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.results.length).toBeGreaterThan(10);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);
  }, 120_000);
});
