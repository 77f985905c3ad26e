// Saving and loading snapshots (`--save-snapshot`, `--from-snapshot`), validated against the schema.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { SNAPSHOT_SCHEMA_VERSION, Snapshot } from './snapshot.js';

export function saveSnapshot(file: string, snapshot: Snapshot): void {
  writeFileAtomic(file, `${JSON.stringify(snapshot, null, 2)}\n`);
}

export function loadSnapshot(file: string): Snapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code
        ? `cannot read snapshot ${file}: ${code}`
        : `snapshot ${file} is not valid JSON; pass a file written by --save-snapshot`,
      { cause: err },
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UsageError(`snapshot ${file} is not a JSON object; pass a file written by --save-snapshot`);
  }
  const version = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version !== 'number') {
    throw new UsageError(
      `snapshot ${file}: schemaVersion must be a number (this Signet reads ${SNAPSHOT_SCHEMA_VERSION}), got ${version === undefined ? 'none' : `${typeof version} ${JSON.stringify(version)}`}; pass a file written by --save-snapshot`,
    );
  }
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new UsageError(
      `snapshot ${file} has schema version ${String(version)}, this Signet reads ${SNAPSHOT_SCHEMA_VERSION}; collect it again`,
    );
  }
  const parsed = Snapshot.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `snapshot ${file} is not valid at ${issue.path.join('.') || '(top)'}: ${issue.message}; collect it again`,
    );
  }
  return parsed.data;
}
