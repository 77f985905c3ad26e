// Each rule's metadata is what users read in every finding and report (title, severity, why, how to fix);
// its page under docs/rules/ says the same. These tests keep the two from drifting apart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/index.js';

const page = (slug: string) => readFileSync(`docs/rules/${slug}.md`, 'utf8');

describe('rule metadata and rule pages agree', () => {
  for (const { meta } of RULES) {
    it(`${meta.id}: heading, severity, resource and where it runs`, () => {
      const doc = page(meta.slug);
      expect(doc.split('\n')[0]).toBe(`# ${meta.id} — ${meta.title}`);
      const severity = meta.productionSeverity
        ? `${meta.severity} (${meta.productionSeverity} for production`
        : `${meta.severity} |`;
      expect(doc).toContain(`| Severity | ${severity}`);
      const row = (name: string) => doc.split('\n').find((l) => l.startsWith(`| ${name} |`)) ?? '';
      // Rules that report on several kinds of resource list them all; the declared one is among them.
      expect(row('Resource').split(/[ ,()]+/)).toContain(meta.resourceType);
      const runsOn = row('Runs on');
      expect(runsOn.includes('live accounts'), 'live accounts').toBe(meta.sources.includes('aws'));
      expect(runsOn.includes('infrastructure-as-code'), 'templates').toBe(meta.sources.includes('iac'));
      // What `signet plan` does about a FAIL (the planner reads meta.planner; test/remediate/planner.test.ts).
      const fixedBy = row('Fixed by');
      expect(fixedBy.includes('`signet apply`'), 'configuration').toBe(meta.planner === 'configuration');
      expect(fixedBy.includes('`signet deploy`'), 'manual step').toBe(meta.planner === 'manual-step');
      expect(fixedBy.includes('outside `signet plan`'), 'outside').toBe(meta.planner === undefined);
    });
  }

  // The core rules' pages quote the metadata word for word (the governance rules' pages explain more).
  const core = RULES.filter((r) => /^SGN-00[0-8]$/.test(r.meta.id));

  it('covers the nine core rules', () => {
    expect(core.map((r) => r.meta.id)).toEqual([
      'SGN-000',
      'SGN-001',
      'SGN-002',
      'SGN-003',
      'SGN-004',
      'SGN-005',
      'SGN-006',
      'SGN-007',
      'SGN-008',
    ]);
  });

  for (const { meta } of core) {
    it(`${meta.id}: why it matters, how to fix and the data it needs`, () => {
      const doc = page(meta.slug);
      expect(doc).toContain(`## Why it matters\n\n${meta.rationale}\n`);
      expect(doc).toContain(`## How to fix\n\n${meta.remediation}\n`);
      if (meta.id !== 'SGN-000')
        expect(doc).toContain(`| Needs | ${meta.requires.map((p) => `\`${p}\``).join(', ')} |`);
    });
  }
});
