// Finding and reading IaC files on untrusted checkouts: a directory walk that visits each real directory
// and file once (symlink loops cannot trap it), reads only regular files (never a FIFO or a device), and
// enforces the size limit while reading (a device or /proc file reports size 0).
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  type Stats,
  statSync,
} from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';

/** Directories never searched (explicitly named paths are still scanned). */
export const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.terraform',
  '.serverless',
  '.aws-sam',
  'dist',
  'coverage',
]);
const TEMPLATE_EXT = /\.(ya?ml|json|template)$/i;

/** What discovery found, grouped by how each is scanned. */
export interface Discovered {
  templates: { abs: string; explicit: boolean }[];
  terraformDirs: Map<string, { tf: string[]; tfvars: string[] }>;
  assemblies: string[];
}

export type Report = (abs: string, message: string, level: 'error' | 'warning' | 'note') => void;

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException)?.code ?? String(err);
}

/** The kind of a non-regular file, for messages. */
function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** Whether a name is one `signet iac` would scan, so that skipping it is worth a word. */
function relevantName(name: string): boolean {
  return TEMPLATE_EXT.test(name) || name.endsWith('.tf') || name.endsWith('.tfvars');
}

/**
 * Walks the given paths (already absolute). Directories are identified by device and inode, so a
 * symbolic link back into the tree (`ln -s . loop`) is visited once; files likewise, so one file reached
 * through two links is scanned once. The walk is iterative: no nesting depth can exhaust the stack.
 */
export function discover(paths: readonly string[], report: Report): Discovered {
  const work: Discovered = { templates: [], terraformDirs: new Map(), assemblies: [] };
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const idOf = (st: Stats) => `${st.dev}:${st.ino}`;
  // A link found by the walk is followed only when it stays inside a path the user named: a checkout
  // with `ln -s / root` must not turn a scan into a walk of the whole machine.
  const roots: string[] = [];
  for (const p of paths) {
    try {
      roots.push(realpathSync(p));
    } catch {}
  }
  const inside = (abs: string): boolean => {
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      return false;
    }
    return roots.some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep));
  };

  const addFile = (abs: string, st: Stats, explicit: boolean): void => {
    const name = basename(abs);
    if (!st.isFile()) {
      if (explicit) report(abs, `${kindOf(st)}, not a regular file; not scanned`, 'error');
      else if (relevantName(name)) report(abs, `${kindOf(st)}, not a regular file; skipped`, 'warning');
      return;
    }
    const id = idOf(st);
    if (seenFiles.has(id)) return;
    seenFiles.add(id);
    if (name.endsWith('.tf') || name.endsWith('.tfvars')) {
      const dir = dirname(abs);
      const entry = work.terraformDirs.get(dir) ?? { tf: [], tfvars: [] };
      if (name.endsWith('.tf')) entry.tf.push(abs);
      else if (name === 'terraform.tfvars' || name.endsWith('.auto.tfvars') || explicit)
        entry.tfvars.push(abs);
      work.terraformDirs.set(dir, entry);
      return;
    }
    if (name === 'manifest.json' && explicit) {
      work.assemblies.push(dirname(abs));
      return;
    }
    if (TEMPLATE_EXT.test(name)) work.templates.push({ abs, explicit });
  };

  // Depth-first, children in name order, without recursion.
  const stack: { abs: string; explicit: boolean }[] = [...paths]
    .reverse()
    .map((abs) => ({ abs, explicit: true }));
  while (stack.length > 0) {
    const { abs, explicit } = stack.pop()!;
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (err) {
      // A dangling link found by the walk is not the user's input: stay quiet about it.
      if (explicit) report(abs, `cannot read ${abs}: ${errCode(err)}`, 'error');
      continue;
    }
    if (!explicit && lstatSync(abs).isSymbolicLink() && (st.isFile() || st.isDirectory()) && !inside(abs)) {
      if (st.isDirectory() || relevantName(basename(abs)))
        report(abs, 'link to a path outside the scanned paths; skipped (name that path to scan it)', 'note');
      continue;
    }
    if (!st.isDirectory()) {
      addFile(abs, st, explicit);
      continue;
    }
    const id = idOf(st);
    if (seenDirs.has(id)) {
      if (!explicit) report(abs, 'link to a directory already scanned; skipped', 'note');
      continue;
    }
    seenDirs.add(id);
    let entries: string[];
    try {
      entries = readdirSync(abs).sort();
    } catch (err) {
      report(abs, `cannot list ${abs}: ${errCode(err)}`, 'error');
      continue;
    }
    if (entries.includes('manifest.json') && entries.some((f) => f.endsWith('.template.json'))) {
      work.assemblies.push(abs);
      continue;
    }
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i]!;
      if (SKIP_DIRS.has(entry)) {
        // Skipped only as directories: a file named `dist` is still looked at.
        try {
          if (statSync(join(abs, entry)).isDirectory()) continue;
        } catch {
          continue;
        }
      }
      stack.push({ abs: join(abs, entry), explicit: false });
    }
  }
  return work;
}

/** The outcome of reading one file: its text, or a one-line reason it was not read. */
export type ReadResult = { text: string } | { error: string };

const CHUNK = 1 << 20;

function mb(bytes: number, digits?: number): string {
  const v = bytes / 1048576;
  return v.toFixed(digits ?? (Number.isInteger(v) ? 0 : 2));
}

/**
 * Reads a regular file as UTF-8, at most `maxBytes`. Opens without blocking (a FIFO would wait for a
 * writer forever), checks the opened file is regular, and counts bytes while reading rather than
 * trusting the size the file system reports.
 */
export function readLimited(abs: string, maxBytes: number): ReadResult {
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { error: `cannot read file: ${errCode(err)}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { error: `${kindOf(st)}, not a regular file; not scanned` };
    const overLimit = (size?: number) => ({
      error: `file is ${size === undefined ? 'larger than the limit' : `${mb(size, 1)} MB`}, over the ${mb(maxBytes)} MB limit for IaC files; not scanned (raise it with --max-file-size)`,
    });
    if (st.size > maxBytes) return overLimit(st.size);
    // The reported size is a hint only; the loop stops one byte past the limit whatever it says.
    let buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(st.size + 1, 4096)));
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        if (length > maxBytes) return overLimit();
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(buf.length * 2, CHUNK)));
        buf.copy(bigger, 0, 0, length);
        buf = bigger;
      }
      let n: number;
      try {
        n = readSync(fd, buf, length, buf.length - length, null);
      } catch (err) {
        if (errCode(err) === 'EAGAIN') return { error: 'file is not ready to read (EAGAIN); not scanned' };
        throw err;
      }
      if (n === 0) break;
      length += n;
      if (length > maxBytes) return overLimit();
    }
    return { text: buf.toString('utf8', 0, length) };
  } catch (err) {
    return { error: `cannot read file: ${errCode(err)}` };
  } finally {
    closeSync(fd);
  }
}
