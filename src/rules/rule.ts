// The rule contract: pure functions over a Snapshot, metadata beside the logic.

import type { SnapshotIndex } from '../engine/index-snapshot.js';
import type { ResourceRef, ResourceType, Severity, Status } from '../model/finding.js';
import type { Snapshot, SnapshotPart } from '../model/snapshot.js';

export interface RuleMeta {
  /** Stable id, e.g. `SGN-001`. */
  id: string;
  /** Equals the rule's file name and its docs page `docs/rules/<slug>.md`. */
  slug: string;
  /** States the good state ("Lambda function has a code signing configuration"). */
  title: string;
  severity: Severity;
  /** Severity when the resource is production per config (defaults to `severity`). */
  productionSeverity?: Severity;
  rationale: string;
  remediation: string;
  /** Planner that can fix a FAIL (remediation issue); undefined when none yet. */
  planner?: string;
  resourceType: ResourceType;
  /** Snapshot parts the rule reads; a failed part makes the affected results UNKNOWN. */
  requires: SnapshotPart[];
  /** Which snapshot sources the rule runs on. */
  sources: Snapshot['source'][];
}

export interface RuleOutcome {
  status: Exclude<Status, 'ERROR'>;
  resource: ResourceRef;
  message: string;
  details?: Record<string, unknown>;
}

/** Settings rules read (from the config file), already validated. */
export interface RulePolicy {
  /** Signing profile (version) ARNs or ARN patterns (`*` wildcard) trusted besides the scanned accounts'. */
  trustedSigningProfiles: string[];
  /** Accounts whose signing profiles are trusted (besides the scanned accounts). */
  trustedAccounts: string[];
  /** Which published versions rule SGN-007 checks. */
  versions: 'aliased' | 'all';
  /** Longest acceptable signature validity, in days. */
  maxSignatureValidityDays: number;
}

export interface RuleContext {
  snapshot: Snapshot;
  index: SnapshotIndex;
  policy: RulePolicy;
  now: Date;
}

export interface Rule {
  meta: RuleMeta;
  evaluate(ctx: RuleContext): RuleOutcome[];
}
