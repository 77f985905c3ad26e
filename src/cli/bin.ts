#!/usr/bin/env node
// The `signet` executable (package.json "bin"): answers `--version` before loading anything else, turns
// on Node's compile cache before the CLI's modules are compiled, then runs the CLI (main.ts). The build
// bundles it (scripts/bundle-cli.mjs): under --debug, stack traces are mapped back to src/.
import { SIGNET_VERSION } from '../version.js';
import { enableSignetCompileCache } from './compile-cache.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${SIGNET_VERSION}\n`);
} else {
  // Source maps cost start-up time; only a --debug stack trace needs them.
  if (args.includes('--debug')) process.setSourceMapsEnabled(true);
  enableSignetCompileCache();
  await import('./main.js');
}
