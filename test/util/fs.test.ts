// Streamed report files: written whole or not at all, from a string, a generator or an async generator.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { batched, writeFileChunks } from '../../src/util/fs.js';

const dir = () => mkdtempSync(join(tmpdir(), 'signet-fs-'));

describe('writeFileChunks', () => {
  it('writes a string, a generator and an async generator to the same bytes', async () => {
    const d = dir();
    function* sync() {
      yield 'a,';
      yield 'é,';
      yield '\n';
    }
    async function* asynchronous() {
      yield* sync();
    }
    await writeFileChunks(join(d, 'one'), 'a,é,\n');
    await writeFileChunks(join(d, 'two'), sync());
    await writeFileChunks(join(d, 'nested/three'), asynchronous());
    for (const f of ['one', 'two', 'nested/three']) expect(readFileSync(join(d, f), 'utf8')).toBe('a,é,\n');
  });

  it('keeps the previous file and leaves no temporary file when the report fails half-way', async () => {
    const d = dir();
    const file = join(d, 'report.json');
    writeFileSync(file, 'previous');
    function* failing() {
      yield 'x'.repeat(3 << 20);
      throw new Error('reporter bug');
    }
    await expect(writeFileChunks(file, failing())).rejects.toThrow('reporter bug');
    expect(readFileSync(file, 'utf8')).toBe('previous');
    expect(readdirSync(d)).toEqual(['report.json']);
  });

  it('names the file and the fix when it cannot be written', async () => {
    const d = dir();
    writeFileSync(join(d, 'plain-file'), '');
    const err = await writeFileChunks(join(d, 'plain-file', 'report.json'), 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(
      /^cannot write .*plain-file\/report\.json: E[A-Z]+; check the path/,
    );
    expect(existsSync(join(d, 'plain-file', 'report.json'))).toBe(false);
  });
});

describe('batched', () => {
  it('joins small pieces into batches of about the given size, keeping order', async () => {
    const out: string[] = [];
    for await (const b of batched(['ab', 'cd', 'ef', 'g'], 4)) out.push(b);
    expect(out).toEqual(['abcd', 'efg']);
  });
});
