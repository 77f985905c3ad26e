// What the governance rules (SGN-009..014) say about themselves in every report — id, title, severity,
// resource type, the parts they need, why it matters and how to fix — is what their docs/rules pages say.
// A finding's remediation that drifted from its page (or went blank) would send a user to the wrong fix.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../../src/model/snapshot-index.js';
import { codeSigningTamperAccess } from '../../src/rules/code-signing-tamper-access.js';
import { deployedOutsidePipeline } from '../../src/rules/deployed-outside-pipeline.js';
import { RULES } from '../../src/rules/index.js';
import { preventiveScp } from '../../src/rules/preventive-scp.js';
import type { Rule } from '../../src/rules/rule.js';
import { separationOfDuties } from '../../src/rules/separation-of-duties.js';
import { signedOutsidePipeline } from '../../src/rules/signed-outside-pipeline.js';
import { signingProfileAccess } from '../../src/rules/signing-profile-access.js';
import { ACCOUNT, aCsc, aFunction, aProfile, DEFAULT_POLICY, NOW, REGION } from '../helpers/builders.js';
import { aGovernedSnapshot, WITH_PIPELINE } from '../helpers/governance-builders.js';

/** Prose compared by its words: markdown code marks and punctuation do not matter, words do. */
const words = (text: string) =>
  text
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const GOVERNANCE: [Rule, string, string, string][] = [
  [deployedOutsidePipeline, 'SGN-009', 'deployed-outside-pipeline', 'function'],
  [signedOutsidePipeline, 'SGN-010', 'signed-outside-pipeline', 'signing-profile'],
  [separationOfDuties, 'SGN-011', 'separation-of-duties', 'iam-principal'],
  [signingProfileAccess, 'SGN-012', 'signing-profile-access', 'iam-principal'],
  [codeSigningTamperAccess, 'SGN-013', 'code-signing-tamper-access', 'account'],
  [preventiveScp, 'SGN-014', 'preventive-scp', 'account'],
];

function section(page: string, heading: string): string {
  const start = page.indexOf(`## ${heading}\n`);
  expect(start, `section "${heading}"`).toBeGreaterThan(0);
  const end = page.indexOf('\n## ', start + 3);
  return page.slice(start, end < 0 ? undefined : end);
}

describe('governance rules agree with their pages', () => {
  for (const [rule, id, slug, resourceType] of GOVERNANCE) {
    const { meta } = rule;
    it(`${id} ${slug}`, () => {
      expect(meta.id).toBe(id);
      expect(meta.slug).toBe(slug);
      expect(meta.resourceType).toBe(resourceType);
      expect(meta.sources).toEqual(['aws']);
      expect(RULES).toContain(rule);
      const page = readFileSync(`docs/rules/${slug}.md`, 'utf8');
      expect(page.split('\n')[0]).toBe(`# ${id} — ${meta.title}`);
      expect(page).toContain(`| Rule id | \`${id}\` |`);
      expect(page).toContain(`| Slug | \`${slug}\` |`);
      expect(page).toContain(`| Needs | ${meta.requires.map((p) => `\`${p}\``).join(', ')} |`);
      const severity = /\| Severity \| ([a-z]+)(?: \(([a-z]+) for production functions\))? \|/.exec(page);
      expect(severity?.[1]).toBe(meta.severity);
      expect(severity?.[2]).toBe(meta.productionSeverity);
      expect(meta.rationale.length).toBeGreaterThan(40);
      expect(words(section(page, 'Why it matters'))).toContain(words(meta.rationale));
      expect(meta.remediation.length).toBeGreaterThan(40);
      expect(words(section(page, 'How to fix'))).toContain(words(meta.remediation));
    });
  }
});

describe('a check that throws is reported on what the rule judges', () => {
  const snapshot = aGovernedSnapshot(
    { trailEvents: [] },
    {
      functions: [aFunction()],
      codeSigningConfigs: [aCsc()],
      signingProfiles: [aProfile()],
    },
  );
  const ctx = {
    snapshot,
    index: new SnapshotIndex(snapshot),
    policy: { ...DEFAULT_POLICY, ...WITH_PIPELINE },
    now: NOW,
  };
  const idsOf = (rule: Rule) => rule.targets(ctx).map((t: unknown) => rule.resourceOf(t, ctx).id);

  it('functions, profiles and accounts (per region for CloudTrail events)', () => {
    expect(idsOf(deployedOutsidePipeline)).toEqual([aFunction().id]);
    expect(idsOf(signedOutsidePipeline)).toEqual([aProfile().id]);
    for (const rule of [separationOfDuties, signingProfileAccess, preventiveScp])
      expect(idsOf(rule)).toEqual([`account:${ACCOUNT}`]);
    expect(idsOf(codeSigningTamperAccess)).toEqual([`account:${ACCOUNT}`, `account:${ACCOUNT}:${REGION}`]);
  });
});
