// IAM wildcard matching (`*` any run, `?` one character) without regular expressions: the shared
// backtracking-free matcher of src/util/wildcard.ts, with `?` and optional case folding.
import { matchGlob } from '../util/wildcard.js';

/** Does `value` match the IAM wildcard `pattern`? `ignoreCase` for action names. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return pattern === '*' || matchGlob(pattern, value, { anyChar: true, ignoreCase });
}

/**
 * ARN matching as IAM does for `Resource` and the Arn* condition operators: the six colon-separated
 * components are matched one by one (the last, the resource, may itself contain colons).
 */
export function arnMatch(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  // A pattern that is not a whole ARN never matches an ARN (and vice versa); plain strings glob.
  if (!p || !a) return !p && !a && globMatch(pattern, arn);
  for (let i = 0; i < 6; i++) if (!globMatch(p[i]!, a[i]!)) return false;
  return true;
}

function splitArn(value: string): string[] | undefined {
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < 5; i++) {
    const next = value.indexOf(':', at);
    if (next < 0) return undefined;
    out.push(value.slice(at, next));
    at = next + 1;
  }
  out.push(value.slice(at));
  return out;
}
