// What the built CLI really loads for the commands whose start-up is measured (docs/benchmarks.md, "CLI
// start-up"): dynamic imports included, which the static walk in test/cli/start-up.test.ts cannot see.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireFreshDist } from '../helpers/cli.js';

const ROOT = process.cwd();
// The tsc build: the bundle (dist/cli/bin.js) keeps the same dynamic-import boundaries as chunks, but
// only separate modules show which packages were loaded.
const CLI = join(ROOT, 'dist/cli/main.js');
const RECORD = pathToFileURL(join(ROOT, 'test/fixtures/start-up/record-modules.mjs')).href;
const MARKER = '\n--- loaded modules ---\n';

/** Runs the CLI in `cwd`; the modules it loaded, relative to the repository (`node:` ones left out). */
function loadedBy(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, ['--import', RECORD, CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', NODE_DISABLE_COMPILE_CACHE: '1' },
  });
  const at = r.stderr.lastIndexOf(MARKER);
  expect(at, r.stderr).toBeGreaterThanOrEqual(0);
  const modules = r.stderr
    .slice(at + MARKER.length)
    .trim()
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => relative(ROOT, new URL(url).pathname));
  return { code: r.status, stdout: r.stdout, modules };
}

const packages = (modules: string[]) =>
  [
    ...new Set(
      modules
        .filter((m) => m.includes('node_modules/'))
        .map((m) => m.split('node_modules/').pop()!.split('/').slice(0, 1)[0]!),
    ),
  ].sort();

const SAM = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Transform: AWS::Serverless-2016-10-31',
  'Resources:',
  '  Fn:',
  '    Type: AWS::Serverless::Function',
  '    Properties: { Runtime: nodejs22.x, Handler: index.handler, CodeUri: s3://b/k.zip }',
  '',
].join('\n');

beforeAll(() => requireFreshDist());

describe.skipIf(typeof module.registerHooks !== 'function')('what the built CLI loads', () => {
  it('`signet --help`: commander and the command table, no command module', () => {
    const { code, modules } = loadedBy(['--help']);
    expect(code).toBe(0);
    expect(packages(modules)).toEqual(['commander']);
    expect(modules.filter((m) => m.startsWith('dist/cli/') && m.endsWith('-command.js'))).toEqual([]);
  });

  it('`signet iac` on one YAML template without a config file: no zod, AWS SDK or TOML parser', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'signet-startup-'));
    writeFileSync(join(cwd, 'template.yaml'), SAM);
    const { code, stdout, modules } = loadedBy(['iac', 'template.yaml', '--fail-on', 'high'], cwd);
    expect(stdout).toContain('SGN-001');
    expect(code).toBe(3);
    const deps = packages(modules);
    expect(deps).toContain('yaml');
    for (const heavy of ['zod', '@aws-sdk', '@smithy', 'smol-toml']) expect(deps).not.toContain(heavy);
    expect(modules).not.toContain('dist/config/schema.js');
    // The console report alone: no other reporter.
    expect(modules).toContain('dist/report/console.js');
    for (const other of ['html', 'sarif', 'json', 'csv', 'junit', 'markdown', 'asff'])
      expect(modules).not.toContain(`dist/report/${other}.js`);
    const sarif = loadedBy(['iac', 'template.yaml', '--format', 'sarif'], cwd);
    expect(sarif.modules).toContain('dist/report/sarif.js');
    expect(sarif.modules).not.toContain('dist/report/html.js');
    expect(JSON.parse(sarif.stdout).version).toBe('2.1.0');
  });

  it('a config file still loads (and validates with) the schema', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'signet-startup-'));
    writeFileSync(join(cwd, 'template.yaml'), SAM);
    writeFileSync(join(cwd, 'signet.config.yaml'), 'rules:\n  versions: sometimes\n');
    const r = loadedBy(['iac', 'template.yaml'], cwd);
    expect(r.code).toBe(2);
    expect(packages(r.modules)).toContain('zod');
  });
});
