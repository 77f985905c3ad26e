// The whole ReportInput as JSON with a schema version and a stable key order, for machines and diffs.
import type { ReportInput } from '../model/report.js';

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
  const document: Record<string, unknown> = { ...input, schemaVersion: REPORT_JSON_SCHEMA_VERSION };
  const ordered: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_ORDER) if (key in document) ordered[key] = sortKeys(document[key]);
  for (const key of Object.keys(document).sort())
    if (!(key in ordered)) ordered[key] = sortKeys(document[key]);
  return `${JSON.stringify(ordered, null, 2)}\n`;
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
