// `signet plan`, `apply`, `rollback`, `verify` and `guardrails`: thin shells over src/remediate,
// loaded lazily inside each action so start-up stays fast.
import type { Command } from 'commander';

function scopeOptions(command: Command): Command {
  return command
    .option('--endpoint <url>', 'AWS endpoint override (e.g. the sandbox); default $AWS_ENDPOINT_URL')
    .option('--region <region>', 'region for global calls (default $AWS_REGION or us-east-1)')
    .option('--regions <list>', 'comma-separated regions (default: every enabled region)')
    .option('--accounts <list>', 'comma-separated account ids (AssumeRole with --role-name)')
    .option('--org', 'every active account of the organization')
    .option('--role-name <name>', 'role to assume in other accounts (default OrganizationAccountAccessRole)')
    .option('--config <file>', 'signet config file (default: ./signet.config.yaml if present)')
    .option('--concurrency <n>', 'account-regions collected at once')
    .option('--from-snapshot <file>', 'read a saved scan snapshot instead of calling AWS');
}

function connectionOptions(command: Command): Command {
  return command
    .option('--endpoint <url>', 'AWS endpoint override (e.g. the sandbox); default $AWS_ENDPOINT_URL')
    .option('--region <region>', 'region for global calls (default $AWS_REGION or us-east-1)')
    .option('--role-name <name>', 'role to assume in other accounts (default OrganizationAccountAccessRole)');
}

function actOptions(command: Command): Command {
  return connectionOptions(command).option('--yes', 'do not ask for confirmation');
}

export function registerRemediationCommands(program: Command): void {
  scopeOptions(
    program
      .command('plan')
      .description('plan the configuration changes that fix SGN-001/002/003 (writes nothing to AWS)'),
  )
    .option('--output <file>', 'write the plan file for signet apply')
    .option(
      '--stage <stage>',
      'warn: attach in Warn to observe first; enforce: block untrusted code',
      'enforce',
    )
    .option('--only <selector...>', 'limit to functions: name=GLOB, arn=GLOB, account=ID, region=R, tag:K=V')
    .option('--wave <N/M>', 'the Nth of M deterministic waves of the selection')
    .option('--require-ready', 'leave out functions whose current code is not signed by an allowed publisher')
    .option('--split-shared', 'attach a new CSC to the selection instead of refusing to change a shared CSC')
    .option('--json', 'print the plan as JSON instead of the summary')
    .action(async (opts) => {
      const { runPlan } = await import('../remediate/run-plan.js');
      process.exitCode = await runPlan(opts);
    });

  actOptions(
    program
      .command('apply')
      .description('apply a saved plan, journaled so it can resume or roll back')
      .argument('<plan>', 'plan file from signet plan --output'),
  )
    .option('--resume', 'continue an apply that was interrupted, from its journal')
    .action(async (file: string, opts) => {
      const { runApply } = await import('../remediate/run-apply.js');
      process.exitCode = await runApply(file, opts);
    });

  actOptions(
    program
      .command('rollback')
      .description("undo what an apply's journal says it changed, newest first")
      .argument('<plan>', 'the plan file that was applied'),
  ).action(async (file: string, opts) => {
    const { runRollback } = await import('../remediate/run-apply.js');
    process.exitCode = await runRollback(file, opts);
  });

  scopeOptions(
    program
      .command('verify')
      .description(
        'prove remediation: --plan FILE reads an applied plan back; --probe shows each Enforce CSC blocks unsigned code',
      ),
  )
    .option('--plan <file>', 'the applied plan whose targets to read back')
    .option('--probe', 'create a short-lived probe function per Enforce CSC and try an unsigned deploy')
    .option('--max <n>', 'probe at most N CSCs (in ARN order)')
    .option(
      '--bucket <name>',
      'versioned artifact bucket to sign the probe in; {account} and {region} are filled in',
    )
    .option(
      '--probe-role <arn>',
      'execution role of the probe; {account}, {region}, {partition} are filled in (default arn:{partition}:iam::{account}:role/signet-probe)',
    )
    .option('--evidence <file>', 'write the probe evidence (times, request ids) as JSON')
    .action(async (opts) => {
      if (opts.probe) {
        if (opts.plan) {
          const { UsageError } = await import('../errors.js');
          throw new UsageError('use --plan or --probe, not both');
        }
        const { runProbe } = await import('../remediate/run-probe.js');
        process.exitCode = await runProbe(opts);
        return;
      }
      const { runVerify } = await import('../remediate/run-apply.js');
      process.exitCode = await runVerify(opts);
    });

  const guardrails = program
    .command('guardrails')
    .description('preventive policies that keep code signing enforced');
  guardrails
    .command('scp')
    .description(
      'write a Service Control Policy: no CreateFunction without a CSC, CSCs changed only by admins',
    )
    .option(
      '--output <file>',
      'write the policy here (split into FILE-1.json, FILE-2.json… if over 5,120 characters)',
    )
    .option('--allowed-csc <arn...>', 'CSC ARNs (or * patterns) CreateFunction must name')
    .option(
      '--admin-role <pattern...>',
      'principal ARN patterns that may still manage CSCs and signing profiles (default arn:*:iam::*:role/OrganizationAccountAccessRole, any partition)',
    )
    .action(async (opts: { output?: string; allowedCsc?: string[]; adminRole?: string[] }) => {
      const { runGuardrailsScp } = await import('../remediate/run-guardrails.js');
      process.exitCode = runGuardrailsScp(opts);
    });
}
