// Atomic file writes for the sandbox's --state file (write a temporary file, then rename over).
import { renameSync, writeFileSync } from 'node:fs';

export function writeFileAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
