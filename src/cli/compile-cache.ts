// Start-up speed: let Node keep V8's compiled code for Signet's modules (and its dependencies) between
// runs, in the user's own cache directory. A fresh or unwritable cache only costs the compile time.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SIGNET_VERSION } from '../version.js';

/** A Signet version's cache not written for this long is removed when another version first runs. */
export const STALE_CACHE_DAYS = 30;
const VERSION_DIR = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/;

/**
 * The cache lives in `$XDG_CACHE_HOME/signet/compile-cache/<Signet version>` (else `~/.cache/…`), never in
 * a shared temporary directory where another local user could plant compiled code. Node keys its entries
 * by file name, and the bundle's chunk names change with every release, so each version keeps its own
 * directory: the first run of a version removes the directories of versions that have not written to
 * theirs for {@link STALE_CACHE_DAYS} days (an upgrade does not leave the old entries behind forever).
 * `NODE_COMPILE_CACHE=DIR` chooses another directory and `NODE_DISABLE_COMPILE_CACHE=1` turns it off
 * (both read by Node itself).
 */
export function enableSignetCompileCache(env: NodeJS.ProcessEnv = process.env, now = Date.now()): void {
  // Node ≥ 22.1; when NODE_COMPILE_CACHE is set Node has already enabled it at start-up.
  if (typeof module.enableCompileCache !== 'function' || env.NODE_COMPILE_CACHE) return;
  if (env.NODE_DISABLE_COMPILE_CACHE) return;
  const root = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'signet', 'compile-cache');
  const dir = join(root, SIGNET_VERSION);
  try {
    if (!existsSync(dir)) pruneOtherVersions(root, now);
    module.enableCompileCache(dir);
  } catch {
    // A cache we cannot create or tidy is not an error: Signet just compiles its modules as usual.
  }
}

function pruneOtherVersions(root: string, now: number): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return; // no cache yet
  }
  const cutoff = now - STALE_CACHE_DAYS * 86_400_000;
  for (const name of names) {
    // Only version directories Signet made; Node's own entries of older Signets (directories named
    // after the Node version, e.g. `v22.23.5-x64-…`) are left from before versions had their own.
    if (name === SIGNET_VERSION || !(VERSION_DIR.test(name) || name.startsWith('v'))) continue;
    const path = join(root, name);
    try {
      const stat = statSync(path);
      if (stat.isDirectory() && newestWrite(path, stat.mtimeMs) < cutoff)
        rmSync(path, { recursive: true, force: true });
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
}

/** Node writes entries into a subdirectory per Node version, so the newest write is one level down. */
function newestWrite(dir: string, mtimeMs: number): number {
  let newest = mtimeMs;
  for (const name of readdirSync(dir)) newest = Math.max(newest, statSync(join(dir, name)).mtimeMs);
  return newest;
}
