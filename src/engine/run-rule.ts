// Runs one rule over a snapshot: each target on its own (a check that throws is one ERROR for that
// resource; the others are still judged), and the rule's `requires` enforced so a rule cannot PASS or
// FAIL on data that was not collected.
import type { ResourceRef, Status } from '../model/finding.js';
import type { Snapshot, SnapshotPart } from '../model/snapshot.js';
import type { Rule, RuleContext, RuleOutcome } from '../rules/rule.js';

export interface RuleResult extends Omit<RuleOutcome, 'status' | 'requires'> {
  status: Status;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The resource an ERROR points at when the rule failed before naming any resource. */
function wholeRuleResource(snapshot: Snapshot, rule: Rule): ResourceRef {
  return {
    type: rule.meta.resourceType,
    id: `${rule.meta.id}:*`,
    name: '(every resource)',
    provenance:
      snapshot.source === 'iac'
        ? { source: 'iac', format: 'unknown', file: '', line: 1, column: 1, logicalId: '*' }
        : { source: 'aws', arn: '*', accountId: '', region: '' },
  };
}

/** UNKNOWN when a part the outcome rests on was not collected for the resource's account-region. */
export function unknownForMissingParts(
  ctx: RuleContext,
  parts: readonly SnapshotPart[],
  resource: ResourceRef,
): RuleResult | undefined {
  const missing = ctx.index.missingPart(parts, resource.accountId, resource.region);
  if (!missing) return undefined;
  const cause = ctx.index.errorFor(missing.part, resource.accountId, resource.region);
  return {
    status: 'UNKNOWN',
    resource,
    message: `Cannot tell: ${missing.part} ${missing.status === 'failed' ? 'could not be collected' : 'were not collected'} for ${resource.accountId ?? '?'}/${resource.region ?? '?'}${cause ? ` (${cause})` : ''}; fix access and scan again.`,
    details: { missingPart: missing.part },
  };
}

function gate(ctx: RuleContext, rule: Rule, outcome: RuleOutcome): RuleResult {
  const { requires, ...result } = outcome;
  if (outcome.status === 'UNKNOWN') return result;
  const declared = rule.meta.requires;
  const parts = requires ? requires.filter((p) => declared.includes(p)) : declared;
  return unknownForMissingParts(ctx, parts, outcome.resource) ?? result;
}

export function runRule(rule: Rule, ctx: RuleContext): RuleResult[] {
  const { meta } = rule;
  let targets: readonly unknown[];
  try {
    targets = rule.targets(ctx);
  } catch (err) {
    return [
      {
        status: 'ERROR',
        resource: wholeRuleResource(ctx.snapshot, rule),
        message: `Rule ${meta.id} failed before judging any resource: ${errorMessage(err)}; the other rules still ran.`,
      },
    ];
  }
  const results: RuleResult[] = [];
  for (const target of targets) {
    let outcomes: RuleOutcome | RuleOutcome[];
    try {
      outcomes = rule.check(ctx, target);
    } catch (err) {
      let resource: ResourceRef;
      try {
        resource = rule.resourceOf(target, ctx);
      } catch {
        resource = wholeRuleResource(ctx.snapshot, rule);
      }
      results.push({
        status: 'ERROR',
        resource,
        message: `Rule ${meta.id} failed on ${resource.name}: ${errorMessage(err)}; its other resources were still judged.`,
      });
      continue;
    }
    for (const outcome of Array.isArray(outcomes) ? outcomes : [outcomes]) {
      results.push(gate(ctx, rule, outcome));
    }
  }
  return results;
}
