// Wildcard matching without backtracking, for config selectors, exceptions and trust allow-lists (`*` only)
// and for IAM policies (`*` and `?`, src/iam/glob.ts). A regex built from the pattern (`a*a*a*…b`)
// backtracks exponentially: 26 `*` against a 63-character name ran for over a minute. Here the pattern is
// split at its stars; the first piece must be a prefix, the last a suffix, and each piece between is found
// once, leftmost, after the previous one (greedy leftmost is always right for patterns whose only
// variable-length wildcard is `*`). Time is bounded by the pieces' searches, O(|value| · |pattern|) at
// worst, and linear when pieces hold no `?`.

export interface GlobOptions {
  /** `?` matches any one character (IAM); otherwise it is literal. */
  anyChar?: boolean;
  /** Compare case-insensitively (IAM action names). */
  ignoreCase?: boolean;
}

const QUESTION = 63;

function pieceAt(piece: string, value: string, at: number, anyChar: boolean): boolean {
  if (at < 0 || at + piece.length > value.length) return false;
  if (!anyChar) return value.startsWith(piece, at);
  for (let i = 0; i < piece.length; i++) {
    const p = piece.charCodeAt(i);
    if (p !== QUESTION && p !== value.charCodeAt(at + i)) return false;
  }
  return true;
}

function findPiece(piece: string, value: string, from: number, anyChar: boolean): number {
  if (!anyChar || !piece.includes('?')) return value.indexOf(piece, from);
  for (let at = from; at + piece.length <= value.length; at++) if (pieceAt(piece, value, at, true)) return at;
  return -1;
}

/** True when `value` matches `pattern`, where `*` matches any run of characters (and `?` one, if asked). */
export function matchGlob(rawPattern: string, rawValue: string, options: GlobOptions = {}): boolean {
  const anyChar = options.anyChar ?? false;
  const pattern = options.ignoreCase ? rawPattern.toLowerCase() : rawPattern;
  const value = options.ignoreCase ? rawValue.toLowerCase() : rawValue;
  const pieces = pattern.split('*');
  if (pieces.length === 1) return pattern.length === value.length && pieceAt(pattern, value, 0, anyChar);
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > value.length) return false;
  if (!pieceAt(first, value, 0, anyChar) || !pieceAt(last, value, value.length - last.length, anyChar))
    return false;
  let from = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i]!;
    if (piece.length === 0) continue;
    const at = findPiece(piece, value, from, anyChar);
    if (at < 0 || at + piece.length > end) return false;
    from = at + piece.length;
  }
  return true;
}

/** True when `value` matches `pattern`, where `*` matches any run of characters (case-sensitive). */
export function matchWildcard(pattern: string, value: string): boolean {
  return matchGlob(pattern, value);
}
