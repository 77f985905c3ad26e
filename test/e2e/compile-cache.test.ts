// The compile cache in the user's cache directory: one directory per Signet version, and the first run of
// a version removes what versions unused for a month left behind (chunk names change every release).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STALE_CACHE_DAYS } from '../../src/cli/compile-cache.js';
import { SIGNET_VERSION } from '../../src/version.js';
import { requireFreshDist } from '../helpers/cli.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const DAY = 86_400_000;

function anEntryDir(root: string, name: string, ageDays: number) {
  const dir = join(root, name);
  const node = join(dir, 'v22.0.0-x64-0000');
  mkdirSync(node, { recursive: true });
  writeFileSync(join(node, 'abcd1234'), 'cached code');
  const when = new Date(Date.now() - ageDays * DAY);
  for (const path of [join(node, 'abcd1234'), node, dir]) utimesSync(path, when, when);
}

describe('compile cache directory', () => {
  it('keeps one directory per version and prunes only stale ones, on the first run of a version', () => {
    requireFreshDist();
    const cache = mkdtempSync(join(tmpdir(), 'signet-cache-'));
    const root = join(cache, 'signet', 'compile-cache');
    anEntryDir(root, '0.0.9', STALE_CACHE_DAYS + 1); // an old Signet, unused for a month: removed
    anEntryDir(root, '0.0.8', STALE_CACHE_DAYS - 2); // another Signet still in use: kept
    anEntryDir(root, 'v22.1.0-x64-5555', 90); // Node's directory from before versions had their own: removed
    anEntryDir(root, 'notes', 90); // not Signet's: kept
    writeFileSync(join(root, 'README'), 'a file'); // not a directory: kept
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache, NO_COLOR: '1' };
    delete env.NODE_COMPILE_CACHE;
    delete env.NODE_DISABLE_COMPILE_CACHE;
    const run = () => {
      const r = spawnSync(process.execPath, [BIN, '--help'], { env, encoding: 'utf8' });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };

    const first = run();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(readdirSync(root).sort()).toEqual(['0.0.8', 'README', SIGNET_VERSION, 'notes'].sort());
    // Node wrote this version's entries under its own directory.
    const [nodeDir] = readdirSync(join(root, SIGNET_VERSION));
    expect(readdirSync(join(root, SIGNET_VERSION, nodeDir!)).length).toBeGreaterThan(0);

    // Later runs of the same version do not look at the others (no work on every start).
    anEntryDir(root, '0.0.7', 365);
    expect(run()).toEqual(first);
    expect(readdirSync(root)).toContain('0.0.7');
  });
});
