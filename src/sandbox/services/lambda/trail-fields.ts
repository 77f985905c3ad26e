// CloudTrail's view of Lambda calls: lowerCamelCase keys, no package bytes, environment variables hidden.

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

function lowerFirst(key: string): string {
  // Acronym prefixes read as CloudTrail writes them (`KMSKeyArn` → `kMSKeyArn` is what AWS records).
  return key.charAt(0).toLowerCase() + key.slice(1);
}

/** Converts a wire object (PascalCase) to CloudTrail's lowerCamelCase, dropping secrets and blobs. */
export function trailShape(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => trailShape(item, parentKey));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (key === 'ZipFile') continue;
    // CloudTrail never shows environment variable values.
    if (key === 'Variables' && parentKey === 'Environment') {
      out.variables = HIDDEN;
      continue;
    }
    // Tag maps and routing weights keep their own keys.
    if (key === 'Tags' || key === 'AdditionalVersionWeights') {
      out[lowerFirst(key)] = v;
      continue;
    }
    out[lowerFirst(key)] = trailShape(v, key);
  }
  return out;
}

export function trailObject(value: unknown): Record<string, unknown> | null {
  const shaped = trailShape(value);
  return shaped && typeof shaped === 'object' && !Array.isArray(shaped)
    ? (shaped as Record<string, unknown>)
    : null;
}
