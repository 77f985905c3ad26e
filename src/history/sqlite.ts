// Loads Node's built-in SQLite (node:sqlite, Node >= 22.5) without its one-time ExperimentalWarning on
// stderr: users of `signet scan --history` should see findings, not a runtime notice.
import type { DatabaseSync } from 'node:sqlite';

type SqliteModule = typeof import('node:sqlite');

let loaded: SqliteModule | undefined;

export async function loadSqlite(): Promise<SqliteModule> {
  if (loaded) return loaded;
  const original = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SQLite/i.test(text)) return;
    return (original as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    loaded = await import('node:sqlite');
  } finally {
    process.emitWarning = original;
  }
  return loaded;
}

export type { DatabaseSync };
