// Output files: atomic replace for regular files (mode kept), write-through for devices, FIFOs and
// symlink targets, temp files removed on failure, the real error named, no spinning on odd paths.
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignetError, UsageError } from '../../src/errors.js';
import { writeOutput, writeOutputSync } from '../../src/util/fs.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-output-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sub(name: string): string {
  const d = join(dir, name);
  mkdirSync(d);
  return d;
}

describe('writeOutput / writeOutputSync', () => {
  it('creates a new file (and missing parent directories) with the content', async () => {
    const d = sub('new');
    writeOutputSync(join(d, 'a', 'b', 'report.json'), '{"ok":true}\n');
    expect(readFileSync(join(d, 'a', 'b', 'report.json'), 'utf8')).toBe('{"ok":true}\n');
    await writeOutput(join(d, 'streamed.txt'), ['one ', Buffer.from('two '), 'three']);
    expect(readFileSync(join(d, 'streamed.txt'), 'utf8')).toBe('one two three');
    expect(readdirSync(d).sort()).toEqual(['a', 'streamed.txt']);
  });

  it('replaces an existing regular file atomically and keeps its mode (0600 stays 0600)', () => {
    const d = sub('mode');
    const file = join(d, 'secret-report.html');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    const before = statSync(file).ino;
    writeOutputSync(file, 'new content');
    expect(readFileSync(file, 'utf8')).toBe('new content');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Replaced by rename (a new inode), never truncated in place.
    expect(statSync(file).ino).not.toBe(before);
    chmodSync(file, 0o640);
    writeOutputSync(file, 'again');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(d)).toEqual(['secret-report.html']);
  });

  it('writes a symlink’s target and leaves the link a link', () => {
    const d = sub('link');
    const target = join(d, 'real.txt');
    writeFileSync(target, 'old');
    chmodSync(target, 0o600);
    symlinkSync('real.txt', join(d, 'link.txt'));
    writeOutputSync(join(d, 'link.txt'), 'through the link');
    expect(lstatSync(join(d, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, 'link.txt'))).toBe('real.txt');
    expect(readFileSync(target, 'utf8')).toBe('through the link');
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('creates the target of a dangling symlink instead of replacing the link', () => {
    const d = sub('dangling');
    symlinkSync('made.txt', join(d, 'link.txt'));
    writeOutputSync(join(d, 'link.txt'), 'created');
    expect(lstatSync(join(d, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'made.txt'), 'utf8')).toBe('created');
  });

  it('writes through /dev/null and leaves it a character device', () => {
    writeOutputSync('/dev/null', 'discarded');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('writes through a FIFO to its reader and leaves it a FIFO', async () => {
    const d = sub('fifo');
    const fifo = join(d, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let received = '';
    reader.stdout.on('data', (b: Buffer) => {
      received += b.toString();
    });
    const closed = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    await writeOutput(
      fifo,
      (async function* () {
        yield 'line 1\n';
        yield 'line 2\n';
      })(),
    );
    await closed;
    expect(received).toBe('line 1\nline 2\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('removes the temp file and keeps the old content when the chunk source fails', async () => {
    const d = sub('fail');
    const file = join(d, 'report.sarif');
    writeFileSync(file, 'previous report');
    const failing = (async function* () {
      yield 'partial';
      throw new Error('reporter broke');
    })();
    await expect(writeOutput(file, failing)).rejects.toThrow(
      /cannot write .*report\.sarif: .*reporter broke/,
    );
    expect(readFileSync(file, 'utf8')).toBe('previous report');
    expect(readdirSync(d)).toEqual(['report.sarif']);
  });

  it('names the real error of a device that fails (ENOSPC on /dev/full), as an I/O error (exit 1)', () => {
    if (!existsSync('/dev/full')) return;
    let error: unknown;
    try {
      writeOutputSync('/dev/full', 'x'.repeat(1024));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SignetError);
    expect(error).not.toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      'cannot write /dev/full: ENOSPC (no space left on device); nothing was replaced',
    );
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('fails at once, naming the cause, for a directory that cannot exist (/proc/nonexist/r.txt)', () => {
    expect(() => writeOutputSync('/proc/nonexist/r.txt', 'x')).toThrow(UsageError);
    expect(() => writeOutputSync('/proc/nonexist/r.txt', 'x')).toThrow(
      /cannot write \/proc\/nonexist\/r\.txt: ENOENT/,
    );
  });

  it('refuses a directory and a path under a regular file, with one line each', () => {
    const d = sub('bad');
    writeFileSync(join(d, 'file'), 'x');
    expect(() => writeOutputSync(d, 'x')).toThrow(/EISDIR \(is a directory\)/);
    expect(() => writeOutputSync(join(d, 'file', 'r.txt'), 'x')).toThrow(/ENOTDIR/);
    expect(readdirSync(d)).toEqual(['file']);
  });
});
