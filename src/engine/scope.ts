// Scope and production classification of resources from the config's selectors.
import type { Selector, SignetConfig } from '../config/schema.js';
import type { LambdaFunction } from '../model/snapshot.js';
import { wildcard } from '../model/wildcard.js';

export function selectorMatches(selector: Selector, fn: LambdaFunction): boolean {
  if (selector.accounts && !(fn.accountId && selector.accounts.includes(fn.accountId))) return false;
  if (selector.regions && !(fn.region && selector.regions.includes(fn.region))) return false;
  if (selector.names && !selector.names.some((pattern) => wildcard(pattern, fn.name))) return false;
  if (selector.tags) {
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
}

export function classifyFunction(config: SignetConfig, fn: LambdaFunction): FunctionClass {
  const included =
    config.scope.include === undefined || config.scope.include.some((s) => selectorMatches(s, fn));
  const excluded = config.scope.exclude.some((s) => selectorMatches(s, fn));
  return {
    inScope: included && !excluded,
    production: config.production.some((s) => selectorMatches(s, fn)),
  };
}
