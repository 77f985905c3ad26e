import type { TrailEvent } from '../model/governance.js';
import { functionRef } from '../model/refs.js';
import type { LambdaFunction } from '../model/snapshot.js';
import {
  actorArn,
  eventEvidence,
  eventFunctionName,
  eventIs,
  eventSentence,
  matchesAny,
  needsPipeline,
  trailEvents,
} from './governance.js';
import { defineRule, type RuleContext, type RuleOutcome } from './rule.js';

/** Events that change what a function runs: new code, or new layers through a configuration update. */
function isCodeChange(e: TrailEvent): boolean {
  if (eventIs(e, 'CreateFunction') || eventIs(e, 'UpdateFunctionCode')) return true;
  return eventIs(e, 'UpdateFunctionConfiguration') && Array.isArray(e.requestParameters?.layers);
}

/**
 * The latest code change. CloudTrail times have second precision: when several changes share the latest
 * second, one not made by a deployer wins (the order inside that second is unknown; fail closed).
 */
function latestChange(ctx: RuleContext, fn: LambdaFunction, deployers: readonly string[]) {
  let latest: TrailEvent | undefined;
  const byDeployer = (e: TrailEvent) => {
    const who = actorArn(e.actor);
    return who !== undefined && matchesAny(deployers, who);
  };
  for (const e of trailEvents(ctx)) {
    if (e.errorCode || e.accountId !== fn.accountId || e.region !== fn.region) continue;
    if (!isCodeChange(e) || eventFunctionName(e) !== fn.name) continue;
    const t = Date.parse(e.eventTime);
    const l = latest ? Date.parse(latest.eventTime) : Number.NEGATIVE_INFINITY;
    if (t > l || (t === l && latest && byDeployer(latest) && !byDeployer(e))) latest = e;
  }
  return latest;
}

export const deployedOutsidePipeline = defineRule<LambdaFunction>({
  meta: {
    id: 'SGN-009',
    slug: 'deployed-outside-pipeline',
    title: "A function's latest code change was made by the CI/CD pipeline",
    severity: 'high',
    productionSeverity: 'critical',
    rationale:
      'Code deployed from outside a hardened, automated pipeline (a laptop, a console session, a leaked key) skips review, build provenance and signing; it is the third signal of unverified code.',
    remediation:
      'Redeploy the function from the pipeline, find out why someone deployed by hand, and restrict lambda:CreateFunction/UpdateFunctionCode/UpdateFunctionConfiguration to the pipeline.deployers roles (SGN-011, SGN-014).',
    resourceType: 'function',
    requires: ['functions', 'cloudtrail'],
    sources: ['aws'],
  },
  targets: (ctx) => ctx.snapshot.functions,
  resourceOf: functionRef,
  check(ctx, fn): RuleOutcome {
    const resource = functionRef(fn);
    const unconfigured = needsPipeline(ctx, resource, 'deployers');
    if (unconfigured) return unconfigured;
    const deployers = ctx.policy.pipeline!.deployers;
    const days = ctx.policy.lookbackDays ?? 30;
    const event = latestChange(ctx, fn, deployers);
    if (!event) {
      return {
        status: 'UNKNOWN',
        resource,
        message: `No code change of ${fn.name} in the ${days}-day CloudTrail window${fn.lastModified ? ` (last modified ${fn.lastModified})` : ''}: its code was deployed before the window, so Signet cannot tell who deployed it. Redeploy from the pipeline or widen lookback (CloudTrail keeps 90 days).`,
        details: { lookbackDays: days, ...(fn.lastModified ? { lastModified: fn.lastModified } : {}) },
      };
    }
    const principal = actorArn(event.actor);
    const details = { event: eventEvidence(event), deployers };
    if (principal && matchesAny(deployers, principal)) {
      return {
        status: 'PASS',
        resource,
        message: `${fn.name} was last changed by the pipeline: ${eventSentence(event)}.`,
        details,
      };
    }
    return {
      status: 'FAIL',
      resource,
      message: `${fn.name} was last changed outside the pipeline (${event.eventName.replace(/\d{8}.*$/, '')}) by ${eventSentence(event)}; redeploy it from the pipeline.`,
      details,
    };
  },
});
