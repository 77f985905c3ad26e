#!/usr/bin/env node
// The `signet` command line: parse options, call the library, render. Errors become one line
// (with the stack under --debug). Start-up stays close to Node's own: command files register their
// options here but load their heavy modules (AWS SDK, sandbox, engine, IaC adapters, reporters) with
// `await import()` only when their command runs.
import { Command } from 'commander';
import { SignetError } from '../errors.js';
import { SIGNET_VERSION } from '../version.js';
import { registerAlertsCommand } from './alerts-command.js';
import { enableSignetCompileCache } from './compile-cache.js';
import { registerDashboardCommand } from './dashboard-command.js';
import { registerDemoCommand } from './demo-command.js';
import { registerDeployCommand } from './deploy-command.js';
import { registerEvidenceCommand } from './evidence-command.js';
import { registerIacCommand } from './iac-command.js';
import { registerIamPolicyCommand } from './iam-policy-command.js';
import { registerInitCommand } from './init-command.js';
import { registerKpiCommand } from './kpi-command.js';
import { registerRemediationCommands } from './remediate-commands.js';
import { registerSandboxCommand } from './sandbox-command.js';
import { registerScanCommand } from './scan-command.js';
import { registerSignCommand } from './sign-command.js';
import { configureUsageErrors, usageExitCode } from './usage.js';
import { registerVerifyArtifactCommand } from './verify-artifact-command.js';
import { registerWatchCommand } from './watch-command.js';

const MIN_NODE_MAJOR = 22;

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('signet')
    .description(
      'Make AWS Lambda code signing real: find unverified code, check IaC, remediate, sign, monitor.',
    )
    .version(SIGNET_VERSION, '-V, --version', "print Signet's version")
    .option('--debug', 'print stack traces for errors');
  registerDemoCommand(program);
  registerScanCommand(program);
  registerIacCommand(program);
  registerInitCommand(program);
  registerIamPolicyCommand(program);
  registerKpiCommand(program);
  registerSandboxCommand(program);
  registerWatchCommand(program);
  registerAlertsCommand(program);
  registerDashboardCommand(program);
  registerEvidenceCommand(program);
  registerSignCommand(program);
  registerDeployCommand(program);
  registerVerifyArtifactCommand(program);
  registerRemediationCommands(program);
  configureUsageErrors(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    process.stderr.write(
      `signet: Node.js ${process.versions.node} is too old; Signet needs Node.js >= ${MIN_NODE_MAJOR} (run '. scripts/node22.sh' first)\n`,
    );
    return 2;
  }
  enableSignetCompileCache();
  const program = buildProgram();
  try {
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
