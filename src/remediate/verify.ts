// `signet verify --plan`: read every target of an applied plan back and confirm it is in its `after`
// state (created resources found through the journal's outputs or their plan marker). Only reads.
import type { RegionActor } from '../aws/act/targets.js';
import { describeError } from '../aws/errors.js';
import type { ActorSource } from './apply.js';
import { readJournal } from './journal.js';
import type { Plan, PlanStep } from './plan.js';
import { refStepId } from './plan.js';

export interface VerifyResult {
  stepId: string;
  target: string;
  ok: boolean;
  message: string;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export async function verifyPlan(
  plan: Plan,
  journalFile: string,
  actors: ActorSource,
): Promise<VerifyResult[]> {
  const outputs = new Map(readJournal(journalFile).outputs);
  const results: VerifyResult[] = [];
  const resolve = async (ref: string, actor: RegionActor): Promise<string | undefined> => {
    const id = refStepId(ref);
    if (id === undefined) return ref;
    const known = outputs.get(id);
    if (known) return known;
    const step = plan.steps.find((s) => s.id === id);
    if (step?.action === 'create-code-signing-config') {
      const found = await actor.findCscByDescription(step.after.description);
      if (found) outputs.set(id, found);
      return found;
    }
    if (step?.action === 'create-signing-profile') {
      const live = await actor.profile(step.after.profileName);
      if (live?.profileVersionArn) outputs.set(id, live.profileVersionArn);
      return live?.profileVersionArn;
    }
    return undefined;
  };
  const check = async (step: PlanStep, actor: RegionActor): Promise<VerifyResult> => {
    const base = { stepId: step.id, target: step.target };
    switch (step.action) {
      case 'create-signing-profile': {
        const live = await actor.profile(step.after.profileName);
        const ok = live?.status === 'Active' && live.platformId === step.after.platformId;
        return {
          ...base,
          ok,
          message: ok
            ? `signing profile ${step.after.profileName} is active`
            : `signing profile ${step.after.profileName} is ${live ? live.status : 'missing'}`,
        };
      }
      case 'create-code-signing-config': {
        const arn = await resolve(`step:${step.id}`, actor);
        const live = arn ? await actor.csc(arn) : undefined;
        const publishers = await Promise.all(step.after.publishers.map((p) => resolve(p, actor)));
        const ok =
          live !== undefined &&
          live.policy === step.after.policy &&
          sameSet(
            live.publishers,
            publishers.filter((p): p is string => Boolean(p)),
          );
        return {
          ...base,
          target: arn ?? step.target,
          ok,
          message: ok
            ? `CSC ${arn} exists in ${step.after.policy}`
            : live
              ? `CSC ${arn} is ${live.policy} with ${live.publishers.join(', ')}`
              : 'the CSC this plan creates does not exist (not applied?)',
        };
      }
      case 'update-code-signing-config': {
        const live = await actor.csc(step.target);
        const publishers = await Promise.all(step.after.publishers.map((p) => resolve(p, actor)));
        const ok =
          live !== undefined &&
          live.policy === step.after.policy &&
          sameSet(
            live.publishers,
            publishers.filter((p): p is string => Boolean(p)),
          );
        return {
          ...base,
          ok,
          message: ok
            ? `CSC is ${step.after.policy} with the planned publishers`
            : live
              ? `CSC is ${live.policy} with ${live.publishers.join(', ')}, not the planned ${step.after.policy}`
              : 'CSC no longer exists',
        };
      }
      case 'attach-code-signing-config': {
        const desired = await resolve(step.after.csc, actor);
        let live: string | null;
        try {
          live = await actor.functionCsc(step.target);
        } catch (err) {
          return { ...base, ok: false, message: `cannot read: ${(err as Error).name}` };
        }
        const ok = desired !== undefined && live === desired;
        return {
          ...base,
          ok,
          message: ok
            ? `uses ${live}`
            : `uses ${live ?? '(no CSC)'}, the plan attaches ${desired ?? step.after.csc}`,
        };
      }
    }
  };
  for (const step of plan.steps) {
    const actor = await actors.actor(step.accountId, step.region);
    try {
      results.push(await check(step, actor));
    } catch (err) {
      results.push({
        stepId: step.id,
        target: step.target,
        ok: false,
        message: `UNKNOWN: cannot read it (${describeError(err)})`,
      });
    }
  }
  return results;
}
