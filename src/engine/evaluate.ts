// Runs the rules over a snapshot and turns their outcomes into findings: severity (production and
// config overrides), scope, exceptions and inline suppressions (muted, never dropped), stable ids.
import { createHash } from 'node:crypto';
import { lookbackDays } from '../config/defaults.js';
import { expiredExceptionFor } from '../config/exceptions.js';
import type { SignetConfig } from '../config/schema.js';
import type { Finding, ResourceRef, Severity } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import { SnapshotIndex } from '../model/snapshot-index.js';
import { wildcard } from '../model/wildcard.js';
import { RULES } from '../rules/index.js';
import type { Rule, RuleContext, RulePolicy } from '../rules/rule.js';
import { type RuleResult, runRule } from './run-rule.js';
import { classifyFunction, type FunctionClass } from './scope.js';

export interface EvaluateOptions {
  now?: Date;
  rules?: readonly Rule[];
}

export interface Evaluation {
  findings: Finding[];
  /** The rules that ran (those whose sources include the snapshot's). */
  rules: Rule[];
  index: SnapshotIndex;
}

export function findingId(ruleId: string, resourceId: string): string {
  // 24 hex characters made as such: `.digest('hex').slice(0, 24)` would keep all 64 alive behind a
  // slice, which for the hundreds of thousands of findings of a large template is ~17 MB.
  return createHash('sha256').update(`${ruleId}|${resourceId}`).digest().toString('hex', 0, 12);
}

export function policyFromConfig(config: SignetConfig): RulePolicy {
  return {
    trustedSigningProfiles: config.trust.signingProfiles,
    trustedAccounts: config.trust.accounts,
    versions: config.rules.versions,
    maxSignatureValidityDays: config.rules.maxSignatureValidityDays,
    ...(config.pipeline ? { pipeline: config.pipeline } : {}),
    lookbackDays: lookbackDays(config.lookback),
  };
}

function resourceClass(
  index: SnapshotIndex,
  config: SignetConfig,
  resource: ResourceRef,
  cache: Map<string, FunctionClass>,
): FunctionClass {
  const classify = (fnId: string): FunctionClass => {
    let cls = cache.get(fnId);
    if (!cls) {
      const fn = index.functionsById.get(fnId);
      cls = fn
        ? classifyFunction(config, fn, index.partStatus('tags', fn.accountId, fn.region) === 'ok')
        : { inScope: true, production: false };
      cache.set(fnId, cls);
    }
    return cls;
  };
  if (resource.type === 'function') return classify(resource.id);
  if (resource.type === 'function-version') return classify(resource.id.replace(/:[^:]+$/, ''));
  if (resource.type === 'code-signing-config') {
    const users = index.functionsByCsc.get(resource.id) ?? [];
    if (users.length === 0) return { inScope: true, production: false };
    const classes = users.map((fn) => classify(fn.id));
    const tagsAssumed = classes.some((c) => c.tagsAssumed);
    return {
      inScope: classes.some((c) => c.inScope),
      production: classes.some((c) => c.production),
      ...(tagsAssumed ? { tagsAssumed } : {}),
    };
  }
  return { inScope: true, production: false };
}

/** The names an exception's `resource` pattern is matched against: id, ARN, name. */
function resourceCandidates(resource: ResourceRef): string[] {
  return [resource.id, resource.arn, resource.name].filter((v): v is string => Boolean(v));
}

function muteFor(
  config: SignetConfig,
  ruleId: string,
  outcome: RuleResult,
  now: Date,
): Finding['muted'] | undefined {
  const today = now.toISOString().slice(0, 10);
  const resource = outcome.resource;
  for (const exception of config.exceptions) {
    if (exception.rule !== '*' && exception.rule !== ruleId) continue;
    if (exception.expires && exception.expires < today) continue;
    const candidates = resourceCandidates(resource);
    if (candidates.some((c) => wildcard(exception.resource, c))) {
      return {
        reason: exception.reason,
        source: 'config',
        ...(exception.expires ? { expires: exception.expires } : {}),
      };
    }
  }
  if (resource.provenance.source === 'iac') {
    const inline = resource.provenance.suppressions?.find((s) => s.ruleId === ruleId || s.ruleId === '*');
    if (inline) return { reason: inline.reason, source: 'inline' };
  }
  return undefined;
}

export function evaluate(
  snapshot: Snapshot,
  config: SignetConfig,
  options: EvaluateOptions = {},
): Evaluation {
  const now = options.now ?? new Date();
  const index = new SnapshotIndex(snapshot);
  const ctx: RuleContext = { snapshot, index, policy: policyFromConfig(config), now };
  const rules = (options.rules ?? RULES).filter((rule) => rule.meta.sources.includes(snapshot.source));
  const classes = new Map<string, FunctionClass>();
  const findings: Finding[] = [];
  for (const rule of rules) {
    const { meta } = rule;
    for (const outcome of runRule(rule, ctx)) {
      const cls = resourceClass(index, config, outcome.resource, classes);
      const severity: Severity =
        config.severity[meta.id] ??
        (cls.production ? (meta.productionSeverity ?? meta.severity) : meta.severity);
      const outOfScope = !cls.inScope && (outcome.status === 'FAIL' || outcome.status === 'UNKNOWN');
      const muted =
        outcome.status === 'PASS' || outcome.status === 'NOT_APPLICABLE' || outcome.status === 'ERROR'
          ? undefined
          : muteFor(config, meta.id, outcome, now);
      // A lapsed exception no longer mutes, and says so on the finding (issue 8 item 9).
      const lapsed =
        muted ||
        outOfScope ||
        outcome.status === 'PASS' ||
        outcome.status === 'NOT_APPLICABLE' ||
        outcome.status === 'ERROR'
          ? undefined
          : expiredExceptionFor(config, meta.id, resourceCandidates(outcome.resource), now);
      const expiredNote = lapsed
        ? ` (The exception for this finding expired on ${lapsed.expires}: "${lapsed.reason}"; renew or remove it.)`
        : '';
      const assumed = cls.tagsAssumed
        ? ` (Tags of ${outcome.resource.accountId ?? '?'}/${outcome.resource.region ?? '?'} could not be read, so this resource is treated as production and in scope.)`
        : '';
      findings.push({
        id: findingId(meta.id, outcome.resource.id),
        ruleId: meta.id,
        slug: meta.slug,
        title: meta.title,
        status: outOfScope ? 'NOT_APPLICABLE' : outcome.status,
        severity,
        resource: outcome.resource,
        message: outOfScope
          ? `Out of scope per signet config (scope.include/exclude): ${outcome.message}`
          : `${outcome.message}${assumed}${expiredNote}`,
        remediation: meta.remediation,
        ...(muted && !outOfScope ? { muted } : {}),
        production: cls.production,
        inScope: cls.inScope,
        ...(outcome.details || cls.tagsAssumed || lapsed
          ? {
              details: {
                ...outcome.details,
                ...(cls.tagsAssumed ? { classification: 'assumed: tags unreadable' } : {}),
                ...(lapsed ? { expiredException: { reason: lapsed.reason, expires: lapsed.expires } } : {}),
              },
            }
          : {}),
      });
    }
  }
  return { findings, rules, index };
}
