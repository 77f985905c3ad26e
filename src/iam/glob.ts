// IAM wildcard matching (`*` any run, `?` one character) without regular expressions: the pattern is
// split on `*` and each literal segment is found leftmost in order, which is exact for globs and never
// backtracks. Cost is O(|value| × |longest segment|) at worst and linear for patterns without `?`.

function segmentAt(segment: string, value: string, at: number): boolean {
  if (at + segment.length > value.length) return false;
  for (let i = 0; i < segment.length; i++) {
    const p = segment.charCodeAt(i);
    if (p !== 63 /* ? */ && p !== value.charCodeAt(at + i)) return false;
  }
  return true;
}

function findSegment(segment: string, value: string, from: number): number {
  if (!segment.includes('?')) return value.indexOf(segment, from);
  for (let at = from; at + segment.length <= value.length; at++) if (segmentAt(segment, value, at)) return at;
  return -1;
}

/** Does `value` match the IAM wildcard `pattern`? `ignoreCase` for action names. */
export function globMatch(rawPattern: string, rawValue: string, ignoreCase = false): boolean {
  if (rawPattern === '*') return true;
  const pattern = ignoreCase ? rawPattern.toLowerCase() : rawPattern;
  const value = ignoreCase ? rawValue.toLowerCase() : rawValue;
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern.length === value.length && segmentAt(pattern, value, 0);
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (first.length + last.length > value.length) return false;
  if (!segmentAt(first, value, 0)) return false;
  if (!segmentAt(last, value, value.length - last.length)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const segment = parts[i]!;
    if (segment === '') continue;
    const found = findSegment(segment, value, at);
    if (found < 0 || found + segment.length > end) return false;
    at = found + segment.length;
  }
  return true;
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
