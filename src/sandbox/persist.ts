// Atomic file writes for the sandbox's --state file (write a temporary file, then rename over). The
// state holds secret keys and private signing keys: it is created owner-only (0600), whatever the umask.
import { closeSync, fchmodSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

export function writeFileAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', 0o600);
    // A leftover temp file from a crash keeps its old mode: set it.
    fchmodSync(fd, 0o600);
    const bytes = Buffer.from(data, 'utf8');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}
