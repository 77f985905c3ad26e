// The good/bad example files under docs/rules/examples double as documentation and as test inputs:
// every `*-bad` example fails its rule, every `*-good` one passes, in every format.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { buildReportInput } from '../../src/engine/report-input.js';
import { scanIac } from '../../src/iac/index.js';
import { buildSarif } from '../../src/report/sarif.js';
import { RULES } from '../../src/rules/index.js';

const EXAMPLES = join(import.meta.dirname, '../../docs/rules/examples');
const config = ConfigSchema.parse({ trust: { accounts: ['111122223333'] } });

const cases = readdirSync(EXAMPLES).flatMap((slug) =>
  readdirSync(join(EXAMPLES, slug)).map((dir) => ({
    slug,
    dir,
    expected: dir.endsWith('-bad') ? 'FAIL' : dir.endsWith('-good') ? 'PASS' : 'UNKNOWN',
  })),
);

describe('rule examples (docs/rules/examples)', () => {
  it('has a good and a bad example for every IaC rule in each format', () => {
    for (const slug of [
      'function-has-code-signing-config',
      'code-signing-config-enforces',
      'allowed-publishers-trusted',
    ]) {
      for (const format of ['cloudformation', 'sam', 'terraform', 'serverless']) {
        for (const kind of ['good', 'bad'])
          expect(cases.some((c) => c.slug === slug && c.dir === `${format}-${kind}`)).toBe(true);
      }
    }
    expect(RULES.some((r) => r.meta.slug === 'layers-signed-by-allowed-publisher')).toBe(true);
  });

  it.each(cases)('$slug/$dir → $expected', ({ slug, dir, expected }) => {
    const { snapshot } = scanIac([join(EXAMPLES, slug, dir)], { baseDir: EXAMPLES });
    expect(snapshot.parseErrors).toEqual([]);
    const { findings } = evaluate(snapshot, config);
    const mine = findings.filter((f) => f.slug === slug);
    expect(mine.length).toBeGreaterThan(0);
    for (const finding of mine) {
      expect(finding.status, finding.message).toBe(expected);
      const prov = finding.resource.provenance;
      expect(prov.source).toBe('iac');
      if (prov.source === 'iac') {
        expect(prov.file.startsWith(`${slug}/${dir}/`)).toBe(true);
        expect(prov.line).toBeGreaterThan(1);
      }
    }
  });
});

describe('annotation lines', () => {
  it('points SGN-002 at the CSC policy a reviewer has to change, not at the function', () => {
    const dir = join(EXAMPLES, 'code-signing-config-enforces', 'terraform-bad');
    const { snapshot } = scanIac([dir], { baseDir: EXAMPLES });
    const input = buildReportInput(snapshot, evaluate(snapshot, config), config);
    const sarif = buildSarif(input) as {
      runs: {
        results: {
          ruleId: string;
          kind: string;
          locations: { physicalLocation: { region: { startLine: number } } }[];
        }[];
      }[];
    };
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === 'SGN-002' && r.kind === 'fail')!;
    const policiesLine =
      readFileSync(join(dir, 'main.tf'), 'utf8')
        .split('\n')
        .findIndex((l) => l.trim().startsWith('policies {')) + 1;
    expect(result.locations[0]!.physicalLocation.region.startLine).toBe(policiesLine);
  });
});
