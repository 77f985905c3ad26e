// Assembles what reporters need from a snapshot and its evaluation.
import type { SignetConfig } from '../config/schema.js';
import type { ReportInput } from '../model/report.js';
import type { Snapshot } from '../model/snapshot.js';
import { SIGNET_VERSION } from '../version.js';
import type { Evaluation } from './evaluate.js';
import { classifyFunction } from './scope.js';

/** Rule docs ship in the repository; reports link to them relative to its root. */
export const RULE_DOCS_BASE = 'docs/rules';

export function buildReportInput(
  snapshot: Snapshot,
  evaluation: Evaluation,
  config: SignetConfig,
  now = new Date(),
): ReportInput {
  const coverage = { inScopeFunctions: 0, enforced: 0, warn: 0, noCsc: 0, notApplicable: 0 };
  for (const fn of snapshot.functions) {
    if (!classifyFunction(config, fn).inScope) continue;
    if (fn.packageType === 'Image') {
      coverage.notApplicable += 1;
      continue;
    }
    coverage.inScopeFunctions += 1;
    const csc =
      fn.codeSigningConfig.state === 'attached'
        ? evaluation.index.cscById.get(fn.codeSigningConfig.id)
        : undefined;
    if (!csc) {
      if (fn.codeSigningConfig.state === 'none') coverage.noCsc += 1;
      continue;
    }
    if (csc.policy === 'Enforce') coverage.enforced += 1;
    else if (csc.policy === 'Warn') coverage.warn += 1;
  }
  const profiles = { active: 0, canceled: 0, revoked: 0 };
  for (const profile of snapshot.signingProfiles) {
    if (profile.status === 'Active') profiles.active += 1;
    else if (profile.status === 'Canceled') profiles.canceled += 1;
    else if (profile.status === 'Revoked') profiles.revoked += 1;
  }
  return {
    tool: { name: 'signet', version: SIGNET_VERSION },
    generatedAt: now.toISOString(),
    source: snapshot.source,
    collectedAt: snapshot.collectedAt,
    accounts: snapshot.accounts,
    regions: snapshot.regions,
    rules: evaluation.rules.map((rule) => ({
      id: rule.meta.id,
      slug: rule.meta.slug,
      title: rule.meta.title,
      severity: rule.meta.severity,
      rationale: rule.meta.rationale,
      remediation: rule.meta.remediation,
      helpUri: `${RULE_DOCS_BASE}/${rule.meta.slug}.md`,
    })),
    findings: evaluation.findings,
    collectionErrors: snapshot.collectionErrors,
    parseErrors: snapshot.parseErrors ?? [],
    signingProfileCounts: profiles,
    coverage,
  };
}
