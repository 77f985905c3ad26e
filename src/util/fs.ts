// File output that never leaves half-written files: write a temporary sibling, then rename over.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = join(dirname(file), `.${process.pid}.${Date.now()}.tmp`);
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    throw new UsageError(
      `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}; check the path and permissions`,
      {
        cause: err,
      },
    );
  }
}
