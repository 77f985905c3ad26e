// `signet apply` and `signet rollback` behind the CLI: load and check the plan, confirm, act, report.
import { createInterface } from 'node:readline/promises';
import { Actors } from '../aws/act/targets.js';
import { APPLY_CALLS, ROLLBACK_CALLS, VERIFY_CALLS } from '../aws/calls.js';
import { DEFAULT_ROLE_NAME } from '../aws/collect/scan.js';
import { UsageError } from '../errors.js';
import { applyPlan, type RunResult, rollbackPlan, type StepReport } from './apply.js';
import { journalPath, readJournal } from './journal.js';
import { loadPlan, type Plan } from './plan.js';
import { renderPlanSummary } from './render.js';
import { endpointOf, homeRegion } from './run-plan.js';

export interface ActOptions {
  yes?: boolean;
  resume?: boolean;
  endpoint?: string;
  region?: string;
  roleName?: string;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function confirm(question: string, yes: boolean | undefined, what: string): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY)
    throw new UsageError(`refusing to ${what} without --yes: there is no terminal to confirm on`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} Only 'yes' is accepted: `);
    if (answer.trim() !== 'yes') throw new UsageError(`${what} cancelled; nothing was written`);
  } finally {
    rl.close();
  }
}

function actorsFor(opts: ActOptions, command: 'apply' | 'rollback' | 'verify'): Actors {
  const endpoint = endpointOf(opts);
  return new Actors({
    ...(endpoint ? { endpoint } : {}),
    homeRegion: homeRegion(opts),
    roleName: opts.roleName ?? DEFAULT_ROLE_NAME,
    declared: command === 'apply' ? APPLY_CALLS : command === 'rollback' ? ROLLBACK_CALLS : VERIFY_CALLS,
    sessionName: `signet-${command}`,
  });
}

function printStep(r: StepReport): void {
  const mark: Record<StepReport['outcome'], string> = {
    done: '✓',
    skipped: '=',
    'already-done': '=',
    'rolled-back': '↺',
    unchanged: '=',
    stale: '✗',
    failed: '✗',
    conflict: '!',
  };
  process.stdout.write(`${mark[r.outcome]} [${r.stepId}] ${r.message}\n`);
}

function finish(result: RunResult, plan: Plan, file: string, command: 'apply' | 'rollback'): number {
  const count = (o: StepReport['outcome']) => result.reports.filter((r) => r.outcome === o).length;
  if (command === 'apply') {
    process.stdout.write(
      `\nApply ${result.stoppedBy ? 'stopped' : 'complete'}: ${count('done')} changed, ${count('skipped') + count('already-done')} already in place, of ${plan.steps.length} step(s).\n`,
    );
    if (result.stoppedBy) {
      log(`signet: ${result.stoppedBy.message}`);
      if (result.stoppedBy.outcome !== 'stale')
        log(
          `signet: fix the cause, then 'signet apply ${file} --resume' to continue or 'signet rollback ${file}' to undo`,
        );
      return 1;
    }
    return 0;
  }
  process.stdout.write(
    `\nRollback ${result.stoppedBy ? 'incomplete' : 'complete'}: ${count('rolled-back')} restored, ${count('unchanged')} already as before.\n`,
  );
  if (result.stoppedBy) {
    log(`signet: ${result.stoppedBy.message}`);
    return 1;
  }
  return 0;
}

export async function runApply(file: string, opts: ActOptions): Promise<number> {
  const plan = loadPlan(file);
  const journalFile = journalPath(file);
  if (!opts.resume && readJournal(journalFile).entries.length)
    throw new UsageError(
      `an earlier apply of this plan left ${journalFile}; continue it with --resume, or undo it with signet rollback`,
    );
  if (plan.steps.length === 0) {
    process.stdout.write('Nothing to apply: the plan has no steps.\n');
    return 0;
  }
  if (!opts.yes) {
    process.stderr.write(renderPlanSummary(plan));
    await confirm(`Apply ${plan.steps.length} step(s) of plan ${plan.planId}?`, opts.yes, 'apply');
  }
  const actors = actorsFor(opts, 'apply');
  try {
    const result = await applyPlan(plan, {
      journalFile,
      resume: Boolean(opts.resume),
      actors,
      onStep: printStep,
    });
    return finish(result, plan, file, 'apply');
  } finally {
    actors.destroy();
  }
}

export async function runRollback(file: string, opts: ActOptions): Promise<number> {
  const plan = loadPlan(file);
  const journalFile = journalPath(file);
  const state = readJournal(journalFile);
  const begun = plan.steps.filter((s) => state.begun.has(s.id));
  if (!state.header)
    throw new UsageError(`no journal ${journalFile}: nothing of plan ${plan.planId} was applied from here`);
  if (!opts.yes) {
    for (const s of [...begun].reverse())
      process.stderr.write(`  ↺ [${s.id}] ${s.inverse.description} (${s.target})\n`);
    await confirm(`Roll back ${begun.length} step(s) of plan ${plan.planId}?`, opts.yes, 'roll back');
  }
  const actors = actorsFor(opts, 'rollback');
  try {
    const result = await rollbackPlan(plan, { journalFile, actors, onStep: printStep });
    return finish(result, plan, file, 'rollback');
  } finally {
    actors.destroy();
  }
}

export async function runVerify(opts: ActOptions & { plan?: string; probe?: boolean }): Promise<number> {
  if (opts.probe)
    throw new UsageError(
      '--probe is not available in this version: verify --plan FILE confirms an applied plan; see docs/remediation.md',
    );
  if (!opts.plan) throw new UsageError('pass --plan FILE to confirm that an applied plan is in place');
  const plan = loadPlan(opts.plan);
  const { verifyPlan } = await import('./verify.js');
  const actors = actorsFor(opts, 'verify');
  try {
    const results = await verifyPlan(plan, journalPath(opts.plan), actors);
    for (const r of results)
      process.stdout.write(`${r.ok ? '✓' : '✗'} [${r.stepId}] ${r.target}: ${r.message}\n`);
    const bad = results.filter((r) => !r.ok).length;
    process.stdout.write(
      `\nVerify: ${results.length - bad} of ${results.length} target(s) in their planned state${bad ? `, ${bad} not` : ''}.\n`,
    );
    return bad ? 1 : 0;
  } finally {
    actors.destroy();
  }
}
