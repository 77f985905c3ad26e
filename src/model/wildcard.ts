// `*` wildcard matching used by config selectors, exceptions and trust allow-lists: delegates to the
// backtracking-free matcher in src/util/wildcard.ts (a regex here took > 60 s on 26 stars).
import { matchWildcard } from '../util/wildcard.js';

export function wildcard(pattern: string, value: string): boolean {
  return matchWildcard(pattern, value);
}
