// The commands `signet --help` lists, as data: their help line and the module that registers them.
// Start-up loads only the invoked command's module; the others are listed from here (a test checks
// every module's real registration against this table, so the two cannot drift).
import { type Command, Help } from 'commander';

type Register = (program: Command) => void;

export interface CommandEntry {
  /** The command as the top-level help lists it: name, `[options]` and arguments (`iac [options] <paths...>`). */
  term: string;
  /** Its description, exactly as its module registers it. */
  summary: string;
  /** Loads the module that registers it. Commands registered by one module share one loader. */
  load: () => Promise<Register>;
}

const remediation = () => import('./remediate-commands.js').then((m) => m.registerRemediationCommands);

/** In the order `signet --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    term: 'demo [options]',
    summary: 'seed a local sandbox organisation (3 accounts, ~40 functions) and scan it end to end',
    load: () => import('./demo-command.js').then((m) => m.registerDemoCommand),
  },
  {
    term: 'scan [options]',
    summary: 'find unverified Lambda code across accounts and regions',
    load: () => import('./scan-command.js').then((m) => m.registerScanCommand),
  },
  {
    term: 'iac [options] <paths...>',
    summary:
      'check IaC (CloudFormation, SAM, CDK cdk.out, Terraform .tf and plan JSON, serverless.yml) for Lambda code signing',
    load: () => import('./iac-command.js').then((m) => m.registerIacCommand),
  },
  {
    term: 'init [options]',
    summary: 'write a commented starter signet.config.yaml',
    load: () => import('./init-command.js').then((m) => m.registerInitCommand),
  },
  {
    term: 'iam-policy <command>',
    summary: 'print the least-privilege IAM policy a Signet command needs',
    load: () => import('./iam-policy-command.js').then((m) => m.registerIamPolicyCommand),
  },
  {
    term: 'kpi [options]',
    summary:
      'KPIs from a scan history: % of production functions in Enforce, blocked unsigned deployments, MTTR, active vs revoked profiles',
    load: () => import('./kpi-command.js').then((m) => m.registerKpiCommand),
  },
  {
    term: 'sandbox [options]',
    summary: 'run a local AWS endpoint (Lambda, Signer, S3, STS, IAM, Organizations, Tagging, CloudTrail)',
    load: () => import('./sandbox-command.js').then((m) => m.registerSandboxCommand),
  },
  {
    term: 'watch [options]',
    summary:
      'alert on blocked or unverified Lambda deployments, CSC downgrades and signing profile revocations (CloudTrail)',
    load: () => import('./watch-command.js').then((m) => m.registerWatchCommand),
  },
  {
    term: 'alerts',
    summary: 'native AWS alerting for code signing events',
    load: () => import('./alerts-command.js').then((m) => m.registerAlertsCommand),
  },
  {
    term: 'dashboard [options]',
    summary: 'serve a local, read-only KPI dashboard for a scan history',
    load: () => import('./dashboard-command.js').then((m) => m.registerDashboardCommand),
  },
  {
    term: 'evidence [options]',
    summary: 'write an evidence pack for auditors: findings, KPIs, alerts, proofs, controls, MANIFEST.sha256',
    load: () => import('./evidence-command.js').then((m) => m.registerEvidenceCommand),
  },
  {
    term: 'sign [options] <packages...>',
    summary: 'sign Lambda ZIP packages with AWS Signer and print the signed S3 objects',
    load: () => import('./sign-command.js').then((m) => m.registerSignCommand),
  },
  {
    term: 'deploy [options]',
    summary: 'deploy a signed package to a function or as a layer version, checked before any write',
    load: () => import('./deploy-command.js').then((m) => m.registerDeployCommand),
  },
  {
    term: 'verify-artifact [options]',
    summary:
      'check a signed object: its signing job, profile status, revocation and provenance (exit 3 on a failed check)',
    load: () => import('./verify-artifact-command.js').then((m) => m.registerVerifyArtifactCommand),
  },
  {
    term: 'plan [options]',
    summary: 'plan the configuration changes that fix SGN-001/002/003 (writes nothing to AWS)',
    load: remediation,
  },
  {
    term: 'apply [options] <plan>',
    summary: 'apply a saved plan, journaled so it can resume or roll back',
    load: remediation,
  },
  {
    term: 'rollback [options] <plan>',
    summary: "undo what an apply's journal says it changed, newest first",
    load: remediation,
  },
  {
    term: 'verify [options]',
    summary:
      'prove remediation: --plan FILE reads an applied plan back; --probe shows each Enforce CSC blocks unsigned code',
    load: remediation,
  },
  {
    term: 'guardrails',
    summary: 'preventive policies that keep code signing enforced',
    load: remediation,
  },
];

export const commandName = (entry: CommandEntry): string => entry.term.split(' ')[0]!;

/**
 * The command the arguments run (`signet [--debug] NAME …`, or NAME in `signet help NAME`), when it is
 * one of `commands`; undefined for `signet`, `signet --help` or an unknown name (Commander reports it).
 */
export function invokedCommand(
  args: readonly string[],
  commands: readonly CommandEntry[] = COMMANDS,
): CommandEntry | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return commands.find((c) => commandName(c) === name);
}

/**
 * Registers every command on `program`: the invoked one (and its module's siblings) from its module,
 * the others as entries that only list themselves (name, term and summary) in the top-level help and
 * in Commander's "did you mean" suggestions.
 */
export async function registerCommands(
  program: Command,
  args: readonly string[],
  commands: readonly CommandEntry[] = COMMANDS,
): Promise<void> {
  const invoked = invokedCommand(args, commands);
  const register = invoked ? await invoked.load() : undefined;
  const listedOnly = new Map<Command, string>();
  program.configureHelp({
    subcommandTerm(this: Help, cmd: Command): string {
      const term = listedOnly.get(cmd);
      if (term !== undefined) return term;
      return Help.prototype.subcommandTerm.call(this, cmd);
    },
  });
  // A command that runs needs no siblings: they only appear in the top-level help (`signet`,
  // `signet --help`, `signet help [NAME]`) and in an unknown command's "did you mean".
  if (invoked && !args.filter((a) => !a.startsWith('-')).includes('help')) {
    register!(program);
    return;
  }
  let registered = false;
  for (const entry of commands) {
    if (invoked && entry.load === invoked.load) {
      if (!registered) register!(program);
      registered = true;
      continue;
    }
    const listed = program.command(commandName(entry)).description(entry.summary);
    listedOnly.set(listed, entry.term);
  }
}
