// `--only SELECTOR…` and `--wave N/M`: which functions a plan touches, deterministically.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { LambdaFunction } from '../model/snapshot.js';
import { wildcard } from '../rules/support.js';

/** One `--only` selector: comma-separated criteria that must all match. */
export interface OnlySelector {
  text: string;
  criteria: { key: 'name' | 'arn' | 'account' | 'region' | 'tag' | 'any'; tag?: string; pattern: string }[];
}

const SELECTOR_HELP =
  "use name=GLOB, arn=GLOB, account=ID, region=REGION, tag:KEY=VALUE or a bare function name/ARN glob, criteria joined by ','";

export function parseOnly(text: string): OnlySelector {
  const criteria: OnlySelector['criteria'] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    if (!part) throw new UsageError(`--only '${text}' has an empty criterion; ${SELECTOR_HELP}`);
    const eq = part.indexOf('=');
    if (eq < 0) {
      criteria.push({ key: 'any', pattern: part });
      continue;
    }
    const key = part.slice(0, eq);
    const pattern = part.slice(eq + 1);
    if (!pattern) throw new UsageError(`--only '${text}': ${key}= needs a value; ${SELECTOR_HELP}`);
    if (key.startsWith('tag:') && key.length > 4) criteria.push({ key: 'tag', tag: key.slice(4), pattern });
    else if (key === 'name' || key === 'arn' || key === 'account' || key === 'region') {
      if (key === 'account' && !/^\d{12}$/.test(pattern))
        throw new UsageError(`--only '${text}': account= needs a 12-digit account id`);
      criteria.push({ key, pattern });
    } else throw new UsageError(`--only '${text}': unknown criterion '${key}'; ${SELECTOR_HELP}`);
  }
  return { text, criteria };
}

export function onlyMatches(selector: OnlySelector, fn: LambdaFunction): boolean {
  const arn = fn.provenance.source === 'aws' ? fn.provenance.arn : fn.id;
  return selector.criteria.every((c) => {
    switch (c.key) {
      case 'name':
        return wildcard(c.pattern, fn.name);
      case 'arn':
        return wildcard(c.pattern, arn);
      case 'account':
        return fn.accountId === c.pattern;
      case 'region':
        return wildcard(c.pattern, fn.region ?? '');
      case 'tag': {
        const value = fn.tags[c.tag!];
        return value !== undefined && wildcard(c.pattern, value);
      }
      default:
        return wildcard(c.pattern, fn.name) || wildcard(c.pattern, arn);
    }
  });
}

export interface Wave {
  index: number;
  count: number;
}

export function parseWave(text: string): Wave {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count)
    throw new UsageError(`--wave ${text}: use N/M with 1 <= N <= M, e.g. --wave 1/3`);
  return { index, count };
}

/** Stable order independent of fleet changes elsewhere: a hash of the unit's key. */
function stableKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Splits units into `wave.count` contiguous waves after ordering them by production (first or last)
 * then by a hash of their key, and returns wave `wave.index`'s units. The same inputs always give the
 * same waves, and every unit is in exactly one wave.
 */
export function pickWave<T>(
  units: readonly T[],
  key: (unit: T) => string,
  production: (unit: T) => boolean,
  order: 'first' | 'last',
  wave: Wave,
): T[] {
  const sorted = units
    .map((unit) => ({ unit, hash: stableKey(key(unit)), prod: production(unit) }))
    .sort((a, b) => {
      if (a.prod !== b.prod) return (a.prod ? 0 : 1) - (b.prod ? 0 : 1) || 0;
      return a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0;
    });
  if (order === 'last') sorted.sort((a, b) => Number(a.prod) - Number(b.prod));
  const size = Math.ceil(sorted.length / wave.count);
  return sorted.slice((wave.index - 1) * size, wave.index * size).map((s) => s.unit);
}
