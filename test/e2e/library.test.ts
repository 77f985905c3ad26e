// Signet as a library: the built package, imported by name as another program would (package.json
// `exports`), collects nothing here but evaluates, gates and renders; internals stay private.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SCRIPT = `
import { buildReportInput, defaultConfig, emptySnapshot, evaluate, evaluateGate, renderReport, RULES, SignetError, isSignetError, collectSnapshot, scanIac } from 'signet';
const snapshot = emptySnapshot('aws', '2026-11-28T12:00:00.000Z');
snapshot.accounts = [{ accountId: '123456789012' }];
snapshot.regions = ['us-east-1'];
const arn = 'arn:aws:lambda:us-east-1:123456789012:function:fn';
snapshot.functions = [{ id: arn, name: 'fn', accountId: '123456789012', region: 'us-east-1', packageType: 'Zip',
  codeSigningConfig: { state: 'none' }, tags: {}, versions: [], aliases: {}, layers: [],
  provenance: { source: 'aws', arn, accountId: '123456789012', region: 'us-east-1' } }];
snapshot.coverage = ['functions','versions','codeSigningConfigs','cscAttachments','tags','layers','signingProfiles','signingJobs']
  .map((part) => ({ accountId: '123456789012', region: 'us-east-1', part, status: 'ok' }));
const config = defaultConfig();
const evaluation = evaluate(snapshot, config, { now: new Date('2026-11-28T12:00:00Z') });
const input = buildReportInput(snapshot, evaluation, config);
const report = JSON.parse(renderReport('json', input));
console.log(JSON.stringify({
  rules: RULES.length,
  sgn001: evaluation.findings.find((f) => f.ruleId === 'SGN-001').status,
  gate: evaluateGate(input, { failOn: 'high' }).exitCode,
  reportFindings: report.findings.length,
  brand: isSignetError(new SignetError('X', 'y')),
  functions: typeof collectSnapshot === 'function' && typeof scanIac === 'function',
}));
`;

describe('the built package as a library', () => {
  it('declares exports and types that exist in dist/', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      types: string;
      exports: Record<string, { types: string; import: string }>;
    };
    expect(existsSync(pkg.types)).toBe(true);
    expect(existsSync(pkg.exports['.']!.import)).toBe(true);
    expect(existsSync(pkg.exports['.']!.types)).toBe(true);
  });

  it('collects, evaluates, gates and renders through `import … from "signet"`', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT], { encoding: 'utf8' });
    const result = JSON.parse(out) as Record<string, unknown>;
    expect(result).toMatchObject({ sgn001: 'FAIL', gate: 3, brand: true, functions: true });
    expect(result.rules).toBeGreaterThanOrEqual(9);
    expect(result.reportFindings).toBeGreaterThan(0);
  });

  it('keeps internals (the sandbox, CLI) out of the public entry points', () => {
    expect(() =>
      execFileSync(
        process.execPath,
        ['--input-type=module', '-e', "await import('signet/dist/sandbox/index.js')"],
        {
          encoding: 'utf8',
          stdio: 'pipe',
        },
      ),
    ).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it('ships no demo expectations: they are test data', () => {
    const demo = readFileSync('dist/sandbox/seeds/demo.js', 'utf8');
    expect(demo).not.toMatch(/DEMO_EXPECTATIONS|why: '/);
    expect(existsSync('test/e2e/demo-expectations.json')).toBe(true);
  });
});
