// The whole ReportInput as JSON with a schema version and a stable key order, for machines and diffs.
import type { ReportInput } from '../model/report.js';
import { JsonArrayStream, jsonChunks } from './json-stream.js';

/** Bumped when a field changes meaning or is removed (adding fields does not bump it). */
export const REPORT_JSON_SCHEMA_VERSION = 1;

// The top level reads in this order; nested objects have their keys sorted so that two runs over the
// same data produce the same bytes whatever order the collectors filled them in.
const TOP_LEVEL_ORDER = [
  'schemaVersion',
  'tool',
  'generatedAt',
  'source',
  'collectedAt',
  'accounts',
  'regions',
  'coverage',
  'signingProfileCounts',
  'rules',
  'findings',
  'collectionErrors',
  'parseErrors',
] as const;

export function renderJson(input: ReportInput): string {
  return [...renderJsonChunks(input)].join('');
}

/**
 * The same text in pieces: findings are key-sorted and printed one at a time, so writing the report
 * costs one finding's copy at a time rather than a sorted copy of them all plus one huge string.
 */
export function* renderJsonChunks(input: ReportInput): Generator<string> {
  const document: Record<string, unknown> = { ...input, schemaVersion: REPORT_JSON_SCHEMA_VERSION };
  const ordered: Record<string, unknown> = {};
  const value = (key: string) =>
    key === 'findings' && Array.isArray(document[key])
      ? new JsonArrayStream(lazyMap(document[key] as unknown[], sortKeys))
      : sortKeys(document[key]);
  for (const key of TOP_LEVEL_ORDER) if (key in document) ordered[key] = value(key);
  for (const key of Object.keys(document).sort()) if (!(key in ordered)) ordered[key] = value(key);
  yield* jsonChunks(ordered);
  yield '\n';
}

function* lazyMap<T, U>(items: readonly T[], fn: (item: T) => U): Generator<U> {
  for (const item of items) yield fn(item);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
