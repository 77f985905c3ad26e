// The `signet` program: global options and the commands (only the invoked command's module is loaded).
import { Command } from 'commander';
import { SIGNET_VERSION } from '../version.js';
import { registerCommands } from './commands.js';
import { configureUsageErrors } from './usage.js';

/** The program for `args` (the arguments after `signet`): only the invoked command's module is loaded. */
export async function buildProgram(args: readonly string[]): Promise<Command> {
  const program = new Command();
  program
    .name('signet')
    .description(
      'Make AWS Lambda code signing real: find unverified code, check IaC, remediate, sign, monitor.',
    )
    .version(SIGNET_VERSION, '-V, --version', "print Signet's version")
    .option('--debug', 'print stack traces for errors');
  await registerCommands(program, args);
  configureUsageErrors(program);
  return program;
}
