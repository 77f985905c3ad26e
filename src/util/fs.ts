// Output files (`--output`, `--report`, `--save-snapshot`, `signet init`) written safely, whatever the
// path names. A regular file (or a path that does not exist yet) is replaced atomically: a temporary
// sibling with the old file's mode, renamed over it, so a reader never sees half a report. Anything
// else is written through, never replaced: `/dev/null`, `/dev/stdout`, a FIFO a reader waits on. A
// symlink is followed and its target handled by the same rule (the link stays a link). A failed write
// removes its temporary file and names the real error.
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SignetError, UsageError } from '../errors.js';

/** What `writeOutput` takes: the whole content, or chunks as a (streamed) reporter produces them. */
export type OutputChunks =
  | string
  | Uint8Array
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>;

/** Error codes that mean "this path is wrong" (exit 2), as opposed to an I/O failure (exit 1). */
const PATH_ERRORS = new Set([
  'EACCES',
  'EPERM',
  'ENOENT',
  'ENOTDIR',
  'EISDIR',
  'EROFS',
  'ELOOP',
  'ENAMETOOLONG',
  'EEXIST',
]);

const DESCRIPTIONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a parent is not a directory',
  EISDIR: 'is a directory',
  EROFS: 'read-only file system',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  EPIPE: 'the reader closed the pipe',
  EEXIST: 'exists and is not a directory',
};

function outputError(file: string, err: unknown): SignetError {
  if (err instanceof SignetError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const what = code ? `${code} (${DESCRIPTIONS[code] ?? (err as Error).message})` : String(err);
  if (code && PATH_ERRORS.has(code))
    return new UsageError(`cannot write ${file}: ${what}; check the path and permissions`, { cause: err });
  return new SignetError('OUTPUT', `cannot write ${file}: ${what}; nothing was replaced`, { cause: err });
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Creates the missing parent directories one level at a time (at most one call per path component):
 * `mkdirSync(..., { recursive: true })` can spin forever on paths such as `/proc/nonexist/r.txt`.
 */
function ensureParent(dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const stat = lstatOrUndefined(current);
    if (stat) {
      if (!statSync(current).isDirectory())
        throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing.reverse()) mkdirSync(path);
}

type Target = { kind: 'replace'; path: string; mode: number | undefined } | { kind: 'through'; path: string };

/** Decides how to write `file`: follow symlinks; regular or absent → replace; anything else → write through. */
function targetFor(file: string): Target {
  // /dev/stdout, /dev/fd/N and /proc/self/fd/N name an open descriptor (maybe a file the shell
  // redirected to): write into it, never rename over what it points at.
  if (/^\/(dev|proc)\//.test(resolve(file))) {
    const stat = lstatOrUndefined(file);
    if (stat?.isDirectory()) throw Object.assign(new Error(`${file} is a directory`), { code: 'EISDIR' });
    return { kind: 'through', path: file };
  }
  const stat = lstatOrUndefined(file);
  if (!stat) return { kind: 'replace', path: file, mode: undefined };
  if (stat.isSymbolicLink()) {
    let real: string;
    try {
      real = realpathSync(file);
    } catch (err) {
      // A dangling link: create its target through the link, as a shell redirection would.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'through', path: file };
      throw err;
    }
    return targetFor(real);
  }
  if (stat.isDirectory()) throw Object.assign(new Error(`${file} is a directory`), { code: 'EISDIR' });
  if (stat.isFile()) return { kind: 'replace', path: file, mode: stat.mode & 0o7777 };
  return { kind: 'through', path: file };
}

function toBytes(chunk: string | Uint8Array): Uint8Array {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

function writeAll(fd: number, chunk: string | Uint8Array): void {
  const bytes = toBytes(chunk);
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
}

interface Sink {
  write(chunk: string | Uint8Array): void;
  commit(): void;
  abort(): void;
}

function openSink(file: string): Sink {
  const target = targetFor(file);
  if (target.kind === 'through') {
    // O_TRUNC is harmless on devices and FIFOs; opening a FIFO waits for its reader, as `>` does.
    const fd = openSync(target.path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o666);
    let open = true;
    return {
      write: (chunk) => writeAll(fd, chunk),
      commit: () => {
        open = false;
        closeSync(fd);
      },
      abort: () => {
        if (open) closeSync(fd);
        open = false;
      },
    };
  }
  ensureParent(dirname(target.path));
  const tmp = tempPathFor(target.path);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, target.mode ?? 0o666);
  let open = true;
  return {
    write: (chunk) => writeAll(fd, chunk),
    commit: () => {
      // Keep an existing file's mode exactly (the umask applied at open may have narrowed it).
      if (target.mode !== undefined) fchmodSync(fd, target.mode);
      fsyncSync(fd);
      open = false;
      closeSync(fd);
      renameSync(tmp, target.path);
    },
    abort: () => {
      if (open) closeSync(fd);
      open = false;
      rmSync(tmp, { force: true });
    },
  };
}

/**
 * Writes `chunks` to `file` safely (see the file comment). Accepts a whole string/bytes, an iterable,
 * or an async iterable of chunks, so streamed reporters write through the same path. Errors are
 * Signet errors naming the file and the real cause (UsageError for a wrong path).
 */
export async function writeOutput(file: string, chunks: OutputChunks): Promise<void> {
  let sink: Sink | undefined;
  try {
    sink = openSink(file);
    if (typeof chunks === 'string' || chunks instanceof Uint8Array) sink.write(chunks);
    else if (Symbol.asyncIterator in chunks) for await (const chunk of chunks) sink.write(chunk);
    else for (const chunk of chunks) sink.write(chunk);
    sink.commit();
  } catch (err) {
    sink?.abort();
    throw outputError(file, err);
  }
}

/** The synchronous form of {@link writeOutput} for content already in memory. */
export function writeOutputSync(
  file: string,
  data: string | Uint8Array | Iterable<string | Uint8Array>,
): void {
  let sink: Sink | undefined;
  try {
    sink = openSink(file);
    if (typeof data === 'string' || data instanceof Uint8Array) sink.write(data);
    else for (const chunk of data) sink.write(chunk);
    sink.commit();
  } catch (err) {
    sink?.abort();
    throw outputError(file, err);
  }
}

/** @deprecated kept for callers written before {@link writeOutputSync}; same behaviour. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  writeOutputSync(file, data);
}

/**
 * Pieces are joined into writes of about this size: one write per finding would cost more than it saves.
 * Kept under V8's large-object size (128 KB, two bytes a character at worst): a larger batch string is
 * allocated straight in the old generation, and a report of hundreds of MB then grows the heap by its
 * whole size before a full collection (a 50 MB template's JSON report peaked ~250 MB higher).
 */
const WRITE_BATCH_CHARS = 1 << 15;

/**
 * Joins a reporter's small pieces into strings of about `size` characters, in order, so a streamed report
 * costs one batch of memory and one write per batch whatever its size.
 */
export async function* batched(
  chunks: Iterable<string> | AsyncIterable<string>,
  size = WRITE_BATCH_CHARS,
): AsyncGenerator<string> {
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
