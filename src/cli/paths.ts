// Paths given on the command line must exist: a typo is a usage error (exit 2) naming the path, not
// an empty scan that exits 0.
import { lstatSync } from 'node:fs';
import { UsageError } from '../errors.js';

export function requireExistingPaths(paths: readonly string[]): void {
  for (const path of paths) {
    try {
      lstatSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new UsageError(
        `${path}: ${code === 'ENOENT' ? 'no such file or directory' : `cannot be read (${code})`}; pass template files or directories to scan`,
        { cause: err },
      );
    }
  }
}
