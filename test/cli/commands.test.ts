// The command table (src/cli/commands.ts) against the command files' real registrations: the top-level
// help, a command's help and "did you mean" must not depend on which command's module was loaded.
import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandName, invokedCommand, registerCommands } from '../../src/cli/commands.js';
import { buildProgram } from '../../src/cli/program.js';

const loaders = [...new Set(COMMANDS.map((c) => c.load))];

/** Every command registered by every module, as the pre-table CLI did. */
async function fullProgram(): Promise<Command> {
  const program = new Command();
  program
    .name('signet')
    .description(
      'Make AWS Lambda code signing real: find unverified code, check IaC, remediate, sign, monitor.',
    )
    .version('0.1.0', '-V, --version', "print Signet's version")
    .option('--debug', 'print stack traces for errors');
  for (const load of loaders) (await load())(program);
  return program;
}

const help = (program: Command) => program.helpInformation({ error: false });

describe('command table', () => {
  it('lists each command exactly as its module registers it, in the same order', async () => {
    const real = await fullProgram();
    const helper = new Help();
    expect(real.commands.map((c) => [helper.subcommandTerm(c), c.description()])).toEqual(
      COMMANDS.map((c) => [c.term, c.summary]),
    );
  });

  it('each loader registers exactly the commands listed with it', async () => {
    for (const load of loaders) {
      const program = new Command();
      (await load())(program);
      expect(program.commands.map((c) => c.name())).toEqual(
        COMMANDS.filter((c) => c.load === load).map(commandName),
      );
    }
  });

  it('the top-level help is the same whichever command module is loaded', async () => {
    const expected = help(await fullProgram());
    expect(expected).toContain('iac [options] <paths...>');
    for (const args of [[], ['--help'], ['help'], ['help', 'iac'], ['--debug', 'help', 'apply'], ['nope']]) {
      expect(help(await buildProgram(args))).toBe(expected);
    }
  });

  it('a command that runs is registered alone (with its module siblings)', async () => {
    const names = async (args: string[]) => (await buildProgram(args)).commands.map((c) => c.name());
    expect(await names(['iac', 'x.yaml'])).toEqual(['iac']);
    expect(await names(['--debug', 'apply', 'p.json'])).toEqual([
      'plan',
      'apply',
      'rollback',
      'verify',
      'guardrails',
    ]);
    expect(await names(['help', 'iac'])).toEqual(COMMANDS.map(commandName));
  });

  it("a command's own help is its module's", async () => {
    const real = await fullProgram();
    for (const entry of COMMANDS) {
      const name = commandName(entry);
      const lazy = await buildProgram([name]);
      const pick = (p: Command) => p.commands.find((c) => c.name() === name)!;
      expect(help(pick(lazy))).toBe(help(pick(real)));
      expect(pick(lazy).options.length).toBe(pick(real).options.length);
    }
  });

  it('finds the invoked command after global options and in `help NAME`', () => {
    const name = (args: string[]) => {
      const found = invokedCommand(args);
      return found && commandName(found);
    };
    expect(name(['iac', 'template.yaml'])).toBe('iac');
    expect(name(['--debug', 'scan', '--profile', 'p'])).toBe('scan');
    expect(name(['help', 'rollback'])).toBe('rollback');
    expect(name(['--help'])).toBeUndefined();
    expect(name([])).toBeUndefined();
    expect(name(['scna'])).toBeUndefined();
  });

  it('loads only the invoked module', async () => {
    let loads = 0;
    const table = COMMANDS.map((c) => ({
      ...c,
      load: () => {
        loads++;
        return c.load();
      },
    }));
    const program = new Command();
    await registerCommands(program, ['--help'], table);
    expect(loads).toBe(0);
    expect(program.commands.map((c) => c.name())).toEqual(COMMANDS.map(commandName));
    await registerCommands(new Command(), ['iac', 'a.yaml'], table);
    expect(loads).toBe(1);
  });
});
