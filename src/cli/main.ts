#!/usr/bin/env node
// The `signet` command line: parse options, call the library, render. Errors become one line
// (with the stack under --debug). Start-up stays close to Node's own: the help lists the commands from
// a table (commands.ts), only the invoked command's file is loaded to register its options, and it
// loads its heavy modules (AWS SDK, sandbox, engine, IaC adapters, reporters) with `await import()`
// only when its action runs.
import { SignetError } from '../errors.js';
import { enableSignetCompileCache } from './compile-cache.js';
import { buildProgram } from './program.js';
import { usageExitCode } from './usage.js';

const MIN_NODE_MAJOR = 22;

async function main(argv: string[]): Promise<number> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    process.stderr.write(
      `signet: Node.js ${process.versions.node} is too old; Signet needs Node.js >= ${MIN_NODE_MAJOR} (run '. scripts/node22.sh' first)\n`,
    );
    return 2;
  }
  enableSignetCompileCache();
  try {
    const program = await buildProgram(argv.slice(2));
    await program.parseAsync(argv);
    // Commands report findings-based exit codes through process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const usage = usageExitCode(err, (line) => process.stderr.write(line));
    if (usage !== undefined) return usage;
    const debug = argv.includes('--debug');
    // Messages can carry paths and text from untrusted files: no terminal escape sequences get through.
    const { safeText } = await import('../report/shared.js');
    if (err instanceof SignetError) {
      process.stderr.write(`signet: ${safeText(err.message)}\n`);
      if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
      return err.code === 'USAGE' ? 2 : 1;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`signet: ${safeText(message)}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write('signet: run again with --debug for details\n');
    return 1;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`signet: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
