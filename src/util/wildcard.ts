// `*` wildcard matching without backtracking. A regex built from the pattern (`a*a*a*…b`) backtracks
// exponentially: 26 `*` against a 63-character name ran for over a minute. Here the pattern is split
// at its stars; the first piece must be a prefix, the last a suffix, and each piece between is found
// once, leftmost, after the previous one (greedy leftmost is always right for `*`-only patterns). Time
// is bounded by the pieces' searches, O(|value| · |pattern|) at worst, and linear in usual cases.

/** True when `value` matches `pattern`, where `*` matches any run of characters (case-sensitive). */
export function matchWildcard(pattern: string, value: string): boolean {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return pattern === value;
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > value.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let from = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i]!;
    if (piece.length === 0) continue;
    const at = value.indexOf(piece, from);
    if (at < 0 || at + piece.length > end) return false;
    from = at + piece.length;
  }
  return true;
}
