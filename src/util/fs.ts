// File output that never leaves half-written files: write a temporary sibling, then rename over.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

function cannotWrite(file: string, err: unknown): UsageError {
  return new UsageError(
    `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}; check the path and permissions`,
    {
      cause: err,
    },
  );
}

function temporarySibling(file: string): string {
  return join(dirname(file), `.${process.pid}.${Date.now()}.tmp`);
}

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = temporarySibling(file);
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    throw cannotWrite(file, err);
  }
}

/** What a streaming writer accepts: the whole text, or its pieces in order (a reporter's generator). */
export type Chunks = string | Iterable<string> | AsyncIterable<string>;

/** Pieces are joined into writes of about this size: one write per finding would cost more than it saves. */
const WRITE_BATCH_CHARS = 1 << 20;

/** Joins small pieces into large strings, so memory stays at one batch whatever the report's size. */
export async function* batched(chunks: Chunks, size = WRITE_BATCH_CHARS): AsyncGenerator<string> {
  if (typeof chunks === 'string') {
    yield chunks;
    return;
  }
  let parts: string[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length) yield parts.join('');
}

/**
 * Streams `chunks` to `file` through a temporary sibling renamed over it at the end, so a reader never
 * sees half a report and a failed run leaves the previous file in place.
 */
export async function writeFileChunks(file: string, chunks: Chunks): Promise<void> {
  let tmp: string | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    tmp = temporarySibling(file);
    const handle = await open(tmp, 'wx');
    try {
      for await (const text of batched(chunks)) await handle.write(text);
    } finally {
      await handle.close();
    }
    renameSync(tmp, file);
    tmp = undefined;
  } catch (err) {
    if (tmp) await rm(tmp, { force: true }).catch(() => {});
    // A file system error is the user's to fix; anything else (a reporter's bug) keeps its own message.
    if (typeof (err as NodeJS.ErrnoException).code === 'string') throw cannotWrite(file, err);
    throw err;
  }
}
