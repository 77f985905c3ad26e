// `signet` as installed runs dist/cli/bin.js, which the build bundles (scripts/bundle-cli.mjs); the
// e2e tests run dist/cli/main.js from tsc. Both must behave the same, and --debug stack traces from the
// bundle must still name Signet's source files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireFreshDist } from '../helpers/cli.js';

const ROOT = process.cwd();
const BIN = join(ROOT, 'dist/cli/bin.js');
const EXAMPLE = 'docs/rules/examples/function-has-code-signing-config/sam-bad/template.yaml';

function run(entry: string, args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [entry, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'signet-cache-')) },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same run twice differs only in its collection time. */
const timeless = (r: ReturnType<typeof run>) => {
  const t = (s: string) =>
    s.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>').replace(/\(node:\d+\)/g, '(node:PID)');
  return { ...r, stdout: t(r.stdout), stderr: t(r.stderr) };
};

beforeAll(() => requireFreshDist());

describe('the bundled executable', () => {
  it('is a bundle: its chunks, not the tsc build of main.js', () => {
    const bin = readFileSync(BIN, 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(bin).toContain('./chunks/');
    expect(bin).not.toContain("'./main.js'");
    expect(readdirSync(join(ROOT, 'dist/cli/chunks')).some((f) => f.startsWith('iac-command-'))).toBe(true);
  });

  it('prints what the unbundled CLI prints, exit codes included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-bundle-'));
    writeFileSync(join(dir, 'broken.yaml'), 'Resources: [\n');
    const cases: string[][] = [
      ['--help'],
      ['iac', '--help'],
      ['help', 'rollback'],
      ['iac', EXAMPLE],
      ['iac', EXAMPLE, '--fail-on', 'high', '--format', 'sarif'],
      ['iac', join(dir, 'broken.yaml')],
      // Every example: CloudFormation/SAM YAML and JSON, CDK, Terraform, serverless.yml.
      ['iac', 'docs/rules/examples', '--format', 'json'],
      ['iac', EXAMPLE, '--param', 'nope'],
      ['iam-policy', 'scan'],
      ['alerts', 'template', '--format', 'terraform'],
      ['scna'],
      ['iac'],
    ];
    for (const args of cases) {
      expect(timeless(run(BIN, args)), args.join(' ')).toEqual(timeless(run(CLI, args)));
    }
    // The bundle carries yaml's ES module build with its Node warning path: same warning, same place.
    writeFileSync(join(dir, 'signet.config.yaml'), 'lookback: !foo 7d\n');
    writeFileSync(join(dir, 'template.yaml'), readFileSync(EXAMPLE, 'utf8'));
    const warned = timeless(run(BIN, ['iac', 'template.yaml'], dir));
    expect(warned).toEqual(timeless(run(CLI, ['iac', 'template.yaml'], dir)));
    expect(warned.stderr).toContain('YAMLWarning: Unresolved tag: !foo at line 1, column 11');
    // Not a vacuous comparison: these cases print findings, usage errors and a parse error.
    expect(run(BIN, ['iac', EXAMPLE, '--fail-on', 'high']).code).toBe(3);
    expect(run(BIN, ['scna']).stderr).toContain('Did you mean scan?');
  });

  it('`signet iac` loads neither node:child_process (commander keeps it for executable subcommands) nor zod', () => {
    const record = pathToFileURL(join(ROOT, 'test/fixtures/start-up/record-modules.mjs')).href;
    const r = spawnSync(process.execPath, ['--import', record, BIN, 'iac', EXAMPLE], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const loaded = r.stderr.slice(r.stderr.lastIndexOf('--- loaded modules ---'));
    expect(r.stdout).toContain('SGN-001');
    expect(loaded).toContain('builtin:crypto');
    expect(loaded).not.toContain('builtin:child_process');
    // zod is in the schemas chunk; config/schema.ts and model/snapshot.ts are its users.
    expect(loaded).not.toMatch(/chunks\/(schema|snapshot|schemas)-[A-Za-z0-9_-]{8}\.js/);
    expect(loaded).not.toContain('node_modules/');
  });

  it('--debug stack traces name the source files', () => {
    const r = run(BIN, ['--debug', 'iac', '/nonexistent/template.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at requireExistingPaths \(.*src\/cli\/paths\.ts:\d+:\d+\)/);
    // Without --debug: one line, no stack.
    const quiet = run(BIN, ['iac', '/nonexistent/template.yaml']);
    expect(quiet.stderr.trim().split('\n')).toHaveLength(1);
  });
});
