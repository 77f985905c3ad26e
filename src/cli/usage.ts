// Usage errors from the command line (unknown option or command, missing argument): one line on
// stderr naming the problem and where to look, exit 2 — never the whole help text.
import { type Command, CommanderError } from 'commander';

/** Commander errors that are not errors: help or version was asked for and printed. */
const PRINTED_ON_REQUEST = new Set(['commander.helpDisplayed', 'commander.version']);

interface UsageFailure extends CommanderError {
  /** `signet iac` for an error raised while parsing the `iac` command's arguments. */
  commandPath?: string;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Makes `program` and every subcommand throw instead of exiting, and stops Commander printing its own
 * message (and help) for usage errors: `usageExitCode` prints one line instead. Call after registering
 * every command.
 */
export function configureUsageErrors(program: Command): void {
  const configure = (command: Command) => {
    command.showHelpAfterError(false);
    command.configureOutput({ outputError: () => {} });
    command.exitOverride((err) => {
      (err as UsageFailure).commandPath = commandPath(command);
      throw err;
    });
    for (const sub of command.commands) configure(sub);
  };
  configure(program);
}

/**
 * The exit code for an error thrown by Commander, after printing one line for a usage error; undefined
 * when `err` is not Commander's. Help or version asked for → 0; help shown because no command was given → 2.
 */
export function usageExitCode(err: unknown, write: (line: string) => void): number | undefined {
  if (!(err instanceof CommanderError)) return undefined;
  if (PRINTED_ON_REQUEST.has(err.code)) return 0;
  if (err.code === 'commander.help') return 2;
  const where = (err as UsageFailure).commandPath ?? 'signet';
  const message = err.message
    .replace(/^error: /, '')
    .replace(/\s+/g, ' ')
    .trim();
  write(`signet: ${message}; run '${where} --help' for usage\n`);
  return 2;
}
