// Hostile checkouts for the directory walk: symlink loops, FIFOs and devices named like templates,
// files that grow past the limit. Each case is built in a temporary directory by the test.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLimited } from '../../src/iac/files.js';
import { scanIac } from '../../src/iac/index.js';

const TEMPLATE =
  'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: { Code: { ZipFile: x } }\n';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'signet-walk-'));
}

describe('directory walk on a hostile checkout', () => {
  it('visits a directory once however many links point back into it (ln -s . a; b; c)', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'd', 't.yaml'), TEMPLATE);
    for (const name of ['a', 'b', 'c']) symlinkSync('.', join(dir, 'd', name));
    const { snapshot, scanned, problems } = scanIac([dir], { baseDir: dir });
    expect(scanned).toEqual([{ file: 'd/t.yaml', format: 'cloudformation' }]);
    expect(snapshot.functions).toHaveLength(1);
    expect(problems.filter((p) => p.level === 'error')).toEqual([]);
    // The links are said to be skipped, as notes.
    expect(problems.filter((p) => p.message.includes('already scanned')).map((p) => p.file)).toEqual([
      'd/a',
      'd/b',
      'd/c',
    ]);
  });

  it('scans each file once when a link loops back to the root (ln -s . loop)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.yaml'), TEMPLATE);
    symlinkSync('.', join(dir, 'loop'));
    symlinkSync('..', join(dir, 'up'));
    symlinkSync('/', join(dir, 'root'));
    const { snapshot, problems } = scanIac([dir], { baseDir: dir });
    expect(snapshot.functions.map((f) => f.id)).toEqual(['t.yaml#Fn']);
    // Links leading out of the named paths are not followed (`up` → .., `root` → /).
    expect(
      problems.filter((p) => p.message.includes('outside the scanned paths')).map((p) => p.file),
    ).toEqual(['root', 'up']);
  });

  it('scans a file reached through two names once', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), TEMPLATE);
    symlinkSync('a.yaml', join(dir, 'b.yaml'));
    const { snapshot } = scanIac([dir], { baseDir: dir });
    expect(snapshot.functions).toHaveLength(1);
  });

  it('does not open a FIFO named like a template (it would block forever)', () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'p.yaml')]);
    writeFileSync(join(dir, 'ok.yaml'), TEMPLATE);
    const { snapshot, problems } = scanIac([dir], { baseDir: dir });
    expect(snapshot.functions).toHaveLength(1);
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'p.yaml', level: 'warning', message: expect.stringContaining('FIFO') }),
    );
    // Named explicitly, it is an error, still without blocking.
    const explicit = scanIac([join(dir, 'p.yaml')], { baseDir: dir });
    expect(explicit.problems).toContainEqual(
      expect.objectContaining({ file: 'p.yaml', level: 'error', message: expect.stringContaining('FIFO') }),
    );
  });

  it('does not read a device behind a template name (ln -s /dev/zero z.yaml)', () => {
    const dir = tempDir();
    symlinkSync('/dev/zero', join(dir, 'z.yaml'));
    writeFileSync(join(dir, 'ok.yaml'), TEMPLATE);
    const { snapshot, problems } = scanIac([dir], { baseDir: dir });
    expect(snapshot.functions).toHaveLength(1);
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'z.yaml', message: expect.stringContaining('character device') }),
    );
  });

  it('enforces the size limit while reading, whatever size the file system reports', () => {
    // /dev/zero reports size 0; reading it through readLimited stops one byte past the limit.
    const zero = readLimited('/dev/zero', 1024);
    expect(zero).toEqual({ error: expect.stringContaining('not a regular file') });
    const dir = tempDir();
    writeFileSync(join(dir, 'big.yaml'), 'x'.repeat(5000));
    expect(readLimited(join(dir, 'big.yaml'), 4096)).toEqual({
      error: expect.stringContaining('over the 0.00 MB limit'),
    });
    expect(readLimited(join(dir, 'big.yaml'), 5000)).toEqual({ text: 'x'.repeat(5000) });
    expect(readLimited(join(dir, 'missing.yaml'), 5000)).toEqual({ error: 'cannot read file: ENOENT' });
  });

  it('skips node_modules and other build directories but not a file with such a name', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'x', 't.yaml'), TEMPLATE);
    writeFileSync(join(dir, 'main.yaml'), TEMPLATE);
    const { scanned } = scanIac([dir], { baseDir: dir });
    expect(scanned.map((s) => s.file)).toEqual(['main.yaml']);
  });

  it('walks a directory tree deeper than the call stack could recurse', () => {
    const dir = tempDir();
    let deep = dir;
    // 300 levels stays within PATH_MAX (4096) with one-letter names.
    for (let i = 0; i < 300; i++) deep = join(deep, 'd');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 't.yaml'), TEMPLATE);
    const { snapshot } = scanIac([dir], { baseDir: dir });
    expect(snapshot.functions).toHaveLength(1);
  });
});
