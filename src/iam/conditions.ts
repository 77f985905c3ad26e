// IAM condition evaluation (StringEquals/Like, ArnEquals/Like, Null, Bool and their Not, IfExists,
// ForAnyValue and ForAllValues forms), three-valued: a key whose value Signet cannot know makes the
// condition `unknown`, never silently true or false. Operators outside that list are `unknown` too.
import { arnMatch, globMatch } from './glob.js';
import type { ConditionBlock } from './policy.js';

export type Tri = true | false | 'unknown';

export type ContextValue = string | readonly string[];

/** Condition keys of a request: lower-cased key → value(s). */
export interface ConditionKeys {
  get(key: string): ContextValue | undefined;
  /** Absent keys: `absent` means not in the request (AWS semantics), `unknown` means could be anything. */
  readonly missing: 'absent' | 'unknown';
}

export function and(values: Iterable<Tri>): Tri {
  let unknown = false;
  for (const v of values) {
    if (v === false) return false;
    if (v === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
}

export function or(values: Iterable<Tri>): Tri {
  let unknown = false;
  for (const v of values) {
    if (v === true) return true;
    if (v === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : false;
}

export function not(value: Tri): Tri {
  return value === 'unknown' ? 'unknown' : !value;
}

const SPECIAL: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/**
 * Replaces policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${*}`); `undefined` when
 * a variable has no value (the element then does not match), `unknown` when its value is unknown.
 */
export function substitute(text: string, keys: ConditionKeys): string | undefined | 'unknown' {
  if (!text.includes('${')) return text;
  let out = '';
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('${', at);
    if (open < 0) break;
    const close = text.indexOf('}', open);
    if (close < 0) break;
    out += text.slice(at, open);
    const inner = text.slice(open + 2, close);
    const comma = inner.indexOf(',');
    const name = (comma < 0 ? inner : inner.slice(0, comma)).trim();
    const fallback = comma < 0 ? undefined : /^\s*'(.*)'\s*$/.exec(inner.slice(comma + 1))?.[1];
    if (Object.hasOwn(SPECIAL, name)) out += SPECIAL[name];
    else {
      const value = keys.get(name.toLowerCase());
      if (typeof value === 'string') out += value;
      else if (value === undefined && fallback !== undefined) out += fallback;
      else if (value === undefined && keys.missing === 'unknown') return 'unknown';
      else return undefined;
    }
    at = close + 1;
  }
  return out + text.slice(at);
}

type Compare = (actual: string, expected: string) => boolean;

const COMPARES: Record<string, { test: Compare; negated: boolean }> = {
  StringEquals: { test: (a, e) => a === e, negated: false },
  StringNotEquals: { test: (a, e) => a === e, negated: true },
  StringEqualsIgnoreCase: { test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  StringLike: { test: (a, e) => globMatch(e, a), negated: false },
  StringNotLike: { test: (a, e) => globMatch(e, a), negated: true },
  ArnEquals: { test: (a, e) => arnMatch(e, a), negated: false },
  ArnLike: { test: (a, e) => arnMatch(e, a), negated: false },
  ArnNotEquals: { test: (a, e) => arnMatch(e, a), negated: true },
  ArnNotLike: { test: (a, e) => arnMatch(e, a), negated: true },
  Bool: { test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
};

/** Does one context value match any of the policy's values (after variable substitution)? */
function valueMatches(test: Compare, actual: string, expected: readonly string[], keys: ConditionKeys): Tri {
  return or(
    expected.map((raw): Tri => {
      const e = substitute(raw, keys);
      if (e === undefined) return false;
      if (e === 'unknown') return 'unknown';
      return test(actual, e);
    }),
  );
}

/** One operator on one key. Exported for the table-driven tests. */
export function evaluateCondition(
  rawOperator: string,
  rawKey: string,
  expected: readonly string[],
  keys: ConditionKeys,
): Tri {
  let operator = rawOperator;
  let set: 'any' | 'all' | undefined;
  if (operator.startsWith('ForAnyValue:')) {
    set = 'any';
    operator = operator.slice('ForAnyValue:'.length);
  } else if (operator.startsWith('ForAllValues:')) {
    set = 'all';
    operator = operator.slice('ForAllValues:'.length);
  }
  const ifExists = operator.endsWith('IfExists') && operator !== 'IfExists';
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);
  const key = rawKey.toLowerCase();
  const value = keys.get(key);
  if (value === undefined && keys.missing === 'unknown') return 'unknown';
  const actual: readonly string[] = value === undefined ? [] : typeof value === 'string' ? [value] : value;

  if (operator === 'Null') {
    if (set || ifExists) return 'unknown';
    const wantsAbsent = expected.some((e) => e.toLowerCase() === 'true');
    return (actual.length === 0) === wantsAbsent;
  }
  const compare = Object.hasOwn(COMPARES, operator) ? COMPARES[operator] : undefined;
  if (!compare) return 'unknown';

  if (set === 'any') {
    // ForAnyValue: true when at least one request value matches; an absent or empty key is false.
    if (actual.length === 0) return ifExists;
    return or(
      actual.map((a) => {
        const m = valueMatches(compare.test, a, expected, keys);
        return compare.negated ? not(m) : m;
      }),
    );
  }
  if (set === 'all') {
    // ForAllValues: true when every request value matches; an absent or empty key is true (vacuous).
    if (actual.length === 0) return true;
    return and(
      actual.map((a) => {
        const m = valueMatches(compare.test, a, expected, keys);
        return compare.negated ? not(m) : m;
      }),
    );
  }
  if (actual.length === 0) {
    // A missing key fails a positive operator and satisfies a negated one (IAM docs,
    // "Condition operators"); IfExists makes it match either way.
    return ifExists || compare.negated;
  }
  const matched = or(actual.map((a) => valueMatches(compare.test, a, expected, keys)));
  return compare.negated ? not(matched) : matched;
}

/** A statement's whole Condition block: every operator and key must hold (AND). */
export function evaluateConditions(block: ConditionBlock | undefined, keys: ConditionKeys): Tri {
  if (!block) return true;
  const results: Tri[] = [];
  for (const [operator, entries] of Object.entries(block))
    for (const [key, values] of Object.entries(entries))
      results.push(evaluateCondition(operator, key, values, keys));
  return and(results);
}
