#!/usr/bin/env node
// The `signet` executable (package.json "bin"): answers `--version` before loading anything else, turns
// on Node's compile cache before the CLI's modules are compiled, then runs the CLI (main.ts).
import { SIGNET_VERSION } from '../version.js';
import { enableSignetCompileCache } from './compile-cache.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${SIGNET_VERSION}\n`);
} else {
  enableSignetCompileCache();
  await import('./main.js');
}
