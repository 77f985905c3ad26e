// Start-up speed: let Node keep V8's compiled code for Signet's modules (and its dependencies) between
// runs, in the user's own cache directory. A fresh or unwritable cache only costs the compile time.
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The cache lives in `$XDG_CACHE_HOME/signet/compile-cache` (else `~/.cache/…`), never in a shared
 * temporary directory where another local user could plant compiled code. `NODE_COMPILE_CACHE=DIR`
 * chooses another directory and `NODE_DISABLE_COMPILE_CACHE=1` turns it off (both read by Node itself).
 */
export function enableSignetCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  // Node ≥ 22.1; when NODE_COMPILE_CACHE is set Node has already enabled it at start-up.
  if (typeof module.enableCompileCache !== 'function' || env.NODE_COMPILE_CACHE) return;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  try {
    module.enableCompileCache(join(base, 'signet', 'compile-cache'));
  } catch {
    // A cache we cannot create is not an error: Signet just compiles its modules as usual.
  }
}
