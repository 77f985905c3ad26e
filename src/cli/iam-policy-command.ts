// `signet iam-policy <command>`: the exact IAM policy a command needs, from the declared calls.
import type { Command } from 'commander';
import { COMMAND_CALLS, iamPolicyFor } from '../aws/calls.js';
import { UsageError } from '../errors.js';

export function registerIamPolicyCommand(program: Command): void {
  program
    .command('iam-policy')
    .description('print the least-privilege IAM policy a Signet command needs')
    .argument('<command>', `one of: ${Object.keys(COMMAND_CALLS).join(', ')}`)
    .action((name: string) => {
      const calls = COMMAND_CALLS[name];
      if (!calls)
        throw new UsageError(
          `no IAM policy for '${name}'; use one of ${Object.keys(COMMAND_CALLS).join(', ')}`,
        );
      process.stdout.write(
        `${JSON.stringify(iamPolicyFor(calls, `Signet${name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`), null, 2)}\n`,
      );
    });
}
