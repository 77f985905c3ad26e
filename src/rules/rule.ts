// The rule contract: pure functions over a Snapshot, metadata beside the logic. A rule names the
// resources it judges and checks one at a time; the engine runs each check, turns a throwing check into
// an ERROR for that resource alone, and answers UNKNOWN wherever the rule's `requires` were not collected.
import type { ResourceRef, ResourceType, Severity, Status } from '../model/finding.js';
import type { Snapshot, SnapshotPart } from '../model/snapshot.js';
import type { SnapshotIndex } from '../model/snapshot-index.js';
import type { TrustContext, TrustPolicy } from '../model/trust.js';

export type Planner = 'configuration' | 'manual-step';

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
  /**
   * What `signet plan` does about a FAIL: `configuration` — it plans the change and `signet apply` makes
   * it; `manual-step` — the code must be re-signed and redeployed, which configuration cannot do, so the
   * plan lists the exact `signet deploy` command per finding. Undefined: outside the plan.
   */
  planner?: Planner;
  resourceType: ResourceType;
  /**
   * Snapshot parts the rule reads. The engine enforces it: an outcome for a resource whose account-region
   * lacks one of these parts becomes UNKNOWN, whatever the rule concluded.
   */
  requires: SnapshotPart[];
  /** Which snapshot sources the rule runs on. */
  sources: Snapshot['source'][];
}

export interface RuleOutcome {
  status: Exclude<Status, 'ERROR'>;
  resource: ResourceRef;
  message: string;
  details?: Record<string, unknown>;
  /**
   * The parts this conclusion rests on, when fewer than the rule's `requires` (an image function is not
   * applicable whatever else failed). Must be a subset of `meta.requires`; the engine ignores the rest.
   */
  requires?: readonly SnapshotPart[];
}

/** Settings rules read (from the config file), already validated. */
export interface RulePolicy extends TrustPolicy {
  /** Which published versions rule SGN-007 checks. */
  versions: 'aliased' | 'all';
  /** Longest acceptable signature validity, in days. */
  maxSignatureValidityDays: number;
  /** The CI/CD pipeline's principals (ARN patterns); undefined = not configured (SGN-009/010/012/013 UNKNOWN). */
  pipeline?: { deployers: string[]; signers: string[]; admins: string[] };
  /** CloudTrail window in days (SGN-009/010/013). */
  lookbackDays?: number;
}

export interface RuleContext extends TrustContext {
  snapshot: Snapshot;
  index: SnapshotIndex;
  policy: RulePolicy;
  now: Date;
}

export interface RuleDefinition<T> {
  meta: RuleMeta;
  /** The things the rule judges (functions, CSCs, profiles), each checked on its own. */
  targets(ctx: RuleContext): readonly T[];
  /** How a target is reported, e.g. when its check throws. */
  resourceOf(target: T, ctx: RuleContext): ResourceRef;
  /** Judges one target: one outcome, or several (a function's published versions). */
  check(ctx: RuleContext, target: T): RuleOutcome | RuleOutcome[];
}

/** A registered rule (its target type erased). */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds rules over different target types.
export type Rule = RuleDefinition<any>;

/** Declares a rule with its target type checked. */
export function defineRule<T>(rule: RuleDefinition<T>): Rule {
  return rule;
}
