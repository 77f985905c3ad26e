// Assembles what reporters need from a snapshot and its evaluation.
import type { SignetConfig } from '../config/schema.js';
import type { Finding } from '../model/finding.js';
import type { ReportInput } from '../model/report.js';
import type { Snapshot } from '../model/snapshot.js';
import { SIGNET_VERSION } from '../version.js';
import type { Evaluation } from './evaluate.js';

/** Rule docs ship in the repository; reports link to them relative to its root. */
export const RULE_DOCS_BASE = 'docs/rules';

/** The rules the coverage headline is computed from. */
const COVERAGE_RULE_IDS = { collection: 'SGN-000', hasCsc: 'SGN-001', enforces: 'SGN-002' } as const;

export function buildReportInput(
  snapshot: Snapshot,
  evaluation: Evaluation,
  /** Scope and production are already on each finding (the evaluation applied the config). */
  _config: SignetConfig,
  now = new Date(),
): ReportInput {
  // Coverage counts come from the findings, so data that could not be read counts as unknown, never
  // as "no CSC" (a function whose attachments failed to list looks unattached in the snapshot).
  const coverage = {
    inScopeFunctions: 0,
    enforced: 0,
    warn: 0,
    noCsc: 0,
    unknown: 0,
    notApplicable: 0,
    unreadableAccountRegions: 0,
  };
  const enforces = new Map<string, Finding['status']>();
  for (const f of evaluation.findings) {
    if (f.ruleId === COVERAGE_RULE_IDS.enforces && f.resource.type === 'function')
      enforces.set(f.resource.id, f.status);
    if (f.ruleId === COVERAGE_RULE_IDS.collection && f.status !== 'PASS')
      coverage.unreadableAccountRegions += 1;
  }
  const images = new Set(snapshot.functions.filter((fn) => fn.packageType === 'Image').map((fn) => fn.id));
  for (const f of evaluation.findings) {
    if (f.ruleId !== COVERAGE_RULE_IDS.hasCsc || f.resource.type !== 'function' || !f.inScope) continue;
    if (images.has(f.resource.id)) {
      coverage.notApplicable += 1;
      continue;
    }
    coverage.inScopeFunctions += 1;
    if (f.status === 'FAIL') coverage.noCsc += 1;
    else if (f.status === 'PASS' && enforces.get(f.resource.id) === 'PASS') coverage.enforced += 1;
    else if (f.status === 'PASS' && enforces.get(f.resource.id) === 'FAIL') coverage.warn += 1;
    else coverage.unknown += 1;
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
