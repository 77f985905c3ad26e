// The applier and rollback: execute a saved plan step by step, each step re-reading its target first
// (a stale plan stops before writing), skipping steps already in their `after` state, journaling
// before and after every write; rollback undoes what the journal says was applied, newest first.
import type { CscLive, RegionActor } from '../aws/act/targets.js';
import { describeError as errorText } from '../aws/errors.js';
import { SignetError, UsageError } from '../errors.js';
import { faultPoint, Journal, type JournalState, readJournal } from './journal.js';
import type { CscState, Plan, PlanStep } from './plan.js';
import { refStepId } from './plan.js';

export interface ActorSource {
  actor(accountId: string, region: string): Promise<RegionActor>;
}

export interface StepReport {
  stepId: string;
  outcome:
    | 'done'
    | 'skipped'
    | 'already-done'
    | 'stale'
    | 'failed'
    | 'conflict'
    | 'rolled-back'
    | 'unchanged';
  message: string;
}

export interface RunResult {
  reports: StepReport[];
  /** The first problem that stopped the run. */
  stoppedBy?: StepReport;
}

export class StalePlanError extends SignetError {
  constructor(message: string) {
    super('STALE_PLAN', message);
  }
}

function sameCsc(live: CscLive, state: { policy: string; publishers: string[] }): boolean {
  const a = [...live.publishers].sort();
  const b = [...state.publishers].sort();
  return live.policy === state.policy && a.length === b.length && a.every((v, i) => v === b[i]);
}

function describeCsc(state: { policy: string; publishers: string[] }): string {
  return `${state.policy}, publishers [${state.publishers.join(', ')}]`;
}

/** Resolves `step:sNNN` references from the journal's outputs. */
function resolver(outputs: Map<string, string>) {
  return (ref: string): string => {
    const id = refStepId(ref);
    if (id === undefined) return ref;
    const value = outputs.get(id);
    if (!value) throw new SignetError('PLAN_ORDER', `internal error: step ${id}'s output is not known yet`);
    return value;
  };
}

function resolveState(state: CscState, resolve: (ref: string) => string): CscState {
  return { policy: state.policy, publishers: state.publishers.map(resolve).sort() };
}

function groupByRegion(steps: readonly PlanStep[]): PlanStep[][] {
  const groups = new Map<string, PlanStep[]>();
  for (const step of steps) {
    const key = `${step.accountId}|${step.region}`;
    groups.set(key, [...(groups.get(key) ?? []), step]);
  }
  return [...groups.values()];
}

export interface ApplyOptions {
  journalFile: string;
  resume: boolean;
  actors: ActorSource;
  onStep?: (report: StepReport) => void;
  /** Checked before each step: true stops the apply (Ctrl-C) after the step in flight. */
  shouldStop?: () => boolean;
}

/** Checks the journal belongs to this plan and says whether apply may start or continue. */
export function checkJournalForApply(plan: Plan, state: JournalState, file: string, resume: boolean): void {
  if (!state.header) {
    if (state.entries.length)
      throw new UsageError(
        `journal ${file} has no header; it is damaged — move it away and run signet rollback from a backup`,
      );
    return;
  }
  if (state.header.planId !== plan.planId || state.header.stepsHash !== plan.stepsHash)
    throw new UsageError(
      `journal ${file} belongs to another plan (${state.header.planId}); move it away or pass that plan`,
    );
  if (state.entries.some((e) => e.phase.startsWith('rollback')))
    throw new UsageError(
      `plan ${plan.planId} was rolled back (see ${file}); run signet plan again for a fresh plan`,
    );
  if (!resume && state.entries.length)
    throw new UsageError(
      `an earlier apply of this plan left ${file}; continue it with --resume, or undo it with signet rollback`,
    );
}

export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<RunResult> {
  const state = readJournal(options.journalFile);
  checkJournalForApply(plan, state, options.journalFile, options.resume);
  const journal = Journal.open(options.journalFile, plan);
  const outputs = new Map(state.outputs);
  const resolve = resolver(outputs);
  const reports: RunResult['reports'] = [];
  let stoppedBy: StepReport | undefined;
  const report = (r: StepReport) => {
    reports.push(r);
    options.onStep?.(r);
  };

  const runStep = async (step: PlanStep, actor: RegionActor): Promise<void> => {
    const last = state.last.get(step.id);
    if (last && (last.phase === 'done' || last.phase === 'skipped')) {
      report({
        stepId: step.id,
        outcome: 'already-done',
        message: `${step.id} already ${last.phase} (journal)`,
      });
      return;
    }
    const stale = (observed: unknown, message: string) => {
      journal.append({ stepId: step.id, phase: 'stale', observed, error: message });
      throw new StalePlanError(message);
    };
    switch (step.action) {
      case 'create-signing-profile': {
        const name = step.after.profileName;
        const live = await actor.profile(name);
        if (live) {
          if (
            live.status === 'Active' &&
            live.tags['signet:plan'] === plan.planId &&
            live.profileVersionArn
          ) {
            // Created by this plan before a kill cut the journal short.
            outputs.set(step.id, live.profileVersionArn);
            journal.append({
              stepId: step.id,
              phase: 'done',
              output: live.profileVersionArn,
              observed: live,
            });
            report({
              stepId: step.id,
              outcome: 'done',
              message: `signing profile ${name} exists (created by this plan)`,
            });
            return;
          }
          stale(
            live,
            `stale plan: signing profile ${name} in ${step.accountId}/${step.region} now exists (${live.status}), the plan expected none; plan again`,
          );
        }
        journal.append({ stepId: step.id, phase: 'begin', observed: null });
        const out = await actor.putProfile(
          name,
          step.after.platformId,
          step.after.signatureValidity,
          step.after.tags,
        );
        faultPoint();
        outputs.set(step.id, out.profileVersionArn);
        journal.append({
          stepId: step.id,
          phase: 'done',
          output: out.profileVersionArn,
          ...(out.requestId ? { requestId: out.requestId } : {}),
        });
        report({
          stepId: step.id,
          outcome: 'done',
          message: `created signing profile ${name} (${out.profileVersionArn})`,
        });
        return;
      }
      case 'create-code-signing-config': {
        const existing = await actor.findCscByDescription(step.after.description);
        if (existing) {
          outputs.set(step.id, existing);
          journal.append({ stepId: step.id, phase: 'done', output: existing, observed: existing });
          report({
            stepId: step.id,
            outcome: 'done',
            message: `CSC ${existing} exists (created by this plan)`,
          });
          return;
        }
        const publishers = step.after.publishers.map(resolve).sort();
        journal.append({ stepId: step.id, phase: 'begin', observed: null });
        const out = await actor.createCsc(step.after.description, step.after.policy, publishers);
        faultPoint();
        outputs.set(step.id, out.arn);
        journal.append({
          stepId: step.id,
          phase: 'done',
          output: out.arn,
          ...(out.requestId ? { requestId: out.requestId } : {}),
        });
        report({ stepId: step.id, outcome: 'done', message: `created ${step.after.policy} CSC ${out.arn}` });
        return;
      }
      case 'update-code-signing-config': {
        const live = await actor.csc(step.target);
        if (!live) return stale(null, `stale plan: CSC ${step.target} no longer exists; plan again`);
        const after = resolveState(step.after, resolve);
        if (sameCsc(live, after)) {
          journal.append({ stepId: step.id, phase: 'skipped', observed: live });
          report({
            stepId: step.id,
            outcome: 'skipped',
            message: `CSC ${step.target} is already ${describeCsc(after)}`,
          });
          return;
        }
        if (!sameCsc(live, step.before))
          return stale(
            live,
            `stale plan: CSC ${step.target} is now ${describeCsc(live)}, the plan expected ${describeCsc(step.before)}; nothing further was written — plan again`,
          );
        journal.append({ stepId: step.id, phase: 'begin', observed: live });
        const requestId = await actor.updateCsc(step.target, after.policy, after.publishers);
        faultPoint();
        journal.append({ stepId: step.id, phase: 'done', ...(requestId ? { requestId } : {}) });
        report({ stepId: step.id, outcome: 'done', message: `CSC ${step.target} → ${describeCsc(after)}` });
        return;
      }
      case 'attach-code-signing-config': {
        let live: string | null;
        try {
          live = await actor.functionCsc(step.target);
        } catch (err) {
          if ((err as { name?: string }).name === 'ResourceNotFoundException')
            return stale(null, `stale plan: function ${step.target} no longer exists; plan again`);
          throw err;
        }
        const desired = resolve(step.after.csc);
        if (live === desired) {
          journal.append({ stepId: step.id, phase: 'skipped', observed: live });
          report({ stepId: step.id, outcome: 'skipped', message: `${step.target} already uses ${desired}` });
          return;
        }
        if (live !== step.before.csc)
          return stale(
            live,
            `stale plan: function ${step.target} now has CSC ${live ?? '(none)'}, the plan expected ${step.before.csc ?? '(none)'}; nothing further was written — plan again`,
          );
        journal.append({ stepId: step.id, phase: 'begin', observed: live });
        const requestId = await actor.putFunctionCsc(step.target, desired);
        faultPoint();
        journal.append({ stepId: step.id, phase: 'done', ...(requestId ? { requestId } : {}) });
        report({ stepId: step.id, outcome: 'done', message: `${step.target} → ${desired}` });
        return;
      }
    }
  };

  try {
    // Account-regions run concurrently (each has its own quotas); steps within one run in plan order.
    await Promise.all(
      groupByRegion(plan.steps).map(async (steps) => {
        const actor = await options.actors.actor(steps[0]!.accountId, steps[0]!.region);
        for (const step of steps) {
          if (stoppedBy) return;
          if (options.shouldStop?.()) {
            stoppedBy ??= {
              stepId: step.id,
              outcome: 'failed',
              message: `interrupted before step ${step.id}; every finished step is journaled`,
            };
            return;
          }
          try {
            await runStep(step, actor);
          } catch (err) {
            const isStale = err instanceof StalePlanError;
            const r: StepReport = {
              stepId: step.id,
              outcome: isStale ? 'stale' : 'failed',
              message: isStale
                ? err.message
                : `step ${step.id} (${step.action} ${step.target}) failed: ${errorText(err)}`,
            };
            if (!isStale) journal.append({ stepId: step.id, phase: 'failed', error: errorText(err) });
            stoppedBy ??= r;
            report(r);
            return;
          }
        }
      }),
    );
  } finally {
    journal.close();
  }
  return { reports, ...(stoppedBy ? { stoppedBy } : {}) };
}

export interface RollbackOptions {
  journalFile: string;
  actors: ActorSource;
  onStep?: (report: StepReport) => void;
}

/** Undoes, newest first, every step the journal says apply began; refuses to clobber later changes. */
export async function rollbackPlan(plan: Plan, options: RollbackOptions): Promise<RunResult> {
  const state = readJournal(options.journalFile);
  if (!state.header)
    throw new UsageError(
      `no journal ${options.journalFile}: nothing of plan ${plan.planId} was applied here`,
    );
  if (state.header.planId !== plan.planId || state.header.stepsHash !== plan.stepsHash)
    throw new UsageError(`journal ${options.journalFile} belongs to another plan (${state.header.planId})`);
  const journal = Journal.open(options.journalFile, plan);
  const reports: StepReport[] = [];
  let stoppedBy: StepReport | undefined;
  const report = (r: StepReport) => {
    reports.push(r);
    options.onStep?.(r);
  };
  const outputs = new Map(state.outputs);
  const finished = new Set(
    state.entries
      .filter((e) => e.phase === 'rollback-done' || e.phase === 'rollback-skipped')
      .map((e) => e.stepId),
  );
  const todo = plan.steps.filter((s) => state.begun.has(s.id) && !finished.has(s.id)).reverse();

  const undo = async (step: PlanStep, actor: RegionActor): Promise<void> => {
    const conflict = (observed: unknown, message: string) => {
      journal.append({ stepId: step.id, phase: 'rollback-conflict', observed, error: message });
      const r: StepReport = { stepId: step.id, outcome: 'conflict', message };
      stoppedBy ??= r;
      report(r);
    };
    const unchanged = (observed: unknown, message: string) => {
      journal.append({ stepId: step.id, phase: 'rollback-skipped', observed });
      report({ stepId: step.id, outcome: 'unchanged', message });
    };
    switch (step.action) {
      case 'attach-code-signing-config': {
        const live = await actor.functionCsc(step.target);
        if (live === step.before.csc)
          return unchanged(live, `${step.target} already has ${live ?? 'no CSC'}`);
        const id = refStepId(step.after.csc);
        const applied = id ? outputs.get(id) : step.after.csc;
        if (live !== applied)
          return conflict(
            live,
            `${step.target} now has CSC ${live ?? '(none)'}, not the one apply set (${applied ?? '?'}); changed since — left as it is`,
          );
        journal.append({ stepId: step.id, phase: 'rollback-begin', observed: live });
        const requestId = step.before.csc
          ? await actor.putFunctionCsc(step.target, step.before.csc)
          : await actor.deleteFunctionCsc(step.target);
        faultPoint();
        journal.append({ stepId: step.id, phase: 'rollback-done', ...(requestId ? { requestId } : {}) });
        report({
          stepId: step.id,
          outcome: 'rolled-back',
          message: `${step.target} → ${step.before.csc ?? '(no CSC)'}`,
        });
        return;
      }
      case 'update-code-signing-config': {
        const live = await actor.csc(step.target);
        if (!live) return conflict(null, `CSC ${step.target} no longer exists; cannot restore it`);
        if (sameCsc(live, step.before))
          return unchanged(live, `CSC ${step.target} is already ${describeCsc(step.before)}`);
        const after = resolveState(step.after, (ref) => {
          const sid = refStepId(ref);
          return sid ? (outputs.get(sid) ?? ref) : ref;
        });
        if (!sameCsc(live, after))
          return conflict(
            live,
            `CSC ${step.target} is now ${describeCsc(live)}, not what apply set; changed since — left as it is`,
          );
        journal.append({ stepId: step.id, phase: 'rollback-begin', observed: live });
        const requestId = await actor.updateCsc(step.target, step.before.policy, step.before.publishers);
        faultPoint();
        journal.append({ stepId: step.id, phase: 'rollback-done', ...(requestId ? { requestId } : {}) });
        report({
          stepId: step.id,
          outcome: 'rolled-back',
          message: `CSC ${step.target} → ${describeCsc(step.before)}`,
        });
        return;
      }
      case 'create-code-signing-config': {
        const arn = outputs.get(step.id) ?? (await actor.findCscByDescription(step.after.description));
        if (!arn || !(await actor.csc(arn)))
          return unchanged(null, `the CSC step ${step.id} would create does not exist`);
        const users = await actor.cscUsers(arn);
        if (users.length)
          return conflict(
            users,
            `CSC ${arn} (created by this plan) is still used by ${users.join(', ')}; not deleted`,
          );
        journal.append({ stepId: step.id, phase: 'rollback-begin', observed: arn });
        const requestId = await actor.deleteCsc(arn);
        faultPoint();
        journal.append({ stepId: step.id, phase: 'rollback-done', ...(requestId ? { requestId } : {}) });
        report({ stepId: step.id, outcome: 'rolled-back', message: `deleted CSC ${arn}` });
        return;
      }
      case 'create-signing-profile': {
        const name = step.after.profileName;
        const live = await actor.profile(name);
        if (live?.status !== 'Active')
          return unchanged(live ?? null, `signing profile ${name} is not active`);
        if (live.tags['signet:plan'] !== plan.planId)
          return conflict(live, `signing profile ${name} was not created by this plan; left as it is`);
        journal.append({ stepId: step.id, phase: 'rollback-begin', observed: live });
        // Signer profiles cannot be deleted: cancelling is the inverse (AWS keeps cancelled profiles).
        const requestId = await actor.cancelProfile(name);
        faultPoint();
        journal.append({ stepId: step.id, phase: 'rollback-done', ...(requestId ? { requestId } : {}) });
        report({ stepId: step.id, outcome: 'rolled-back', message: `cancelled signing profile ${name}` });
        return;
      }
    }
  };

  try {
    // Newest first, one at a time: attachments go before the CSCs and profiles they use.
    for (const step of todo) {
      const actor = await options.actors.actor(step.accountId, step.region);
      try {
        await undo(step, actor);
      } catch (err) {
        const message = `rollback of ${step.id} (${step.action} ${step.target}) failed: ${errorText(err)}`;
        journal.append({ stepId: step.id, phase: 'rollback-failed', error: errorText(err) });
        const r: StepReport = { stepId: step.id, outcome: 'failed', message };
        stoppedBy ??= r;
        report(r);
        break;
      }
    }
  } finally {
    journal.close();
  }
  return { reports, ...(stoppedBy ? { stoppedBy } : {}) };
}
