// Scope and production classification of resources from the config's selectors.
import type { Selector, SignetConfig } from '../config/schema.js';
import type { LambdaFunction } from '../model/snapshot.js';
import { wildcard } from '../model/wildcard.js';

/**
 * Does a selector match a function? When its tags could not be read (`tagsKnown` false), a tag condition
 * counts as `assumeTags` — callers pick the conservative answer (included, production, not excluded).
 */
export function selectorMatches(
  selector: Selector,
  fn: LambdaFunction,
  tagsKnown = true,
  assumeTags = false,
): boolean {
  if (selector.accounts && !(fn.accountId && selector.accounts.includes(fn.accountId))) return false;
  if (selector.regions && !(fn.region && selector.regions.includes(fn.region))) return false;
  if (selector.names && !selector.names.some((pattern) => wildcard(pattern, fn.name))) return false;
  if (selector.tags) {
    if (!tagsKnown) return assumeTags;
    for (const [key, expected] of Object.entries(selector.tags)) {
      const actual = fn.tags[key];
      if (actual === undefined) return false;
      const values = Array.isArray(expected) ? expected : [expected];
      if (!values.some((v) => v === '*' || v.toLowerCase() === actual.toLowerCase())) return false;
    }
  }
  return true;
}

export interface FunctionClass {
  inScope: boolean;
  production: boolean;
  /** Tags could not be read and a tag selector was assumed to match (production, in scope). */
  tagsAssumed?: boolean;
}

function usesTags(selectors: readonly Selector[] | undefined): boolean {
  return (selectors ?? []).some((s) => s.tags !== undefined);
}

/**
 * Classifies a function. With `tagsKnown` false (tag:GetResources failed for its account-region) Signet
 * fails closed: a tag selector counts as matching for `scope.include` and `production`, and as not
 * matching for `scope.exclude`, so missing tags never lower a severity or hide a FAIL.
 */
export function classifyFunction(config: SignetConfig, fn: LambdaFunction, tagsKnown = true): FunctionClass {
  const included =
    config.scope.include === undefined ||
    config.scope.include.some((s) => selectorMatches(s, fn, tagsKnown, true));
  const excluded = config.scope.exclude.some((s) => selectorMatches(s, fn, tagsKnown, false));
  const production = config.production.some((s) => selectorMatches(s, fn, tagsKnown, true));
  const tagsAssumed =
    !tagsKnown &&
    (usesTags(config.scope.include) || usesTags(config.scope.exclude) || usesTags(config.production));
  return { inScope: included && !excluded, production, ...(tagsAssumed ? { tagsAssumed } : {}) };
}
