// The human summary of a plan, like `terraform plan`: per account-region, `+ create`, `~ update`,
// `- detach`, every function each change touches, then counts, refusals and manual steps.
import type { Plan, PlanStep } from './plan.js';
import { refStepId } from './plan.js';

const MAX_LISTED = 50;

function shortName(arn: string): string {
  const fn = /:function:([^:]+)$/.exec(arn)?.[1];
  if (fn) return fn;
  const csc = /:code-signing-config:(csc-[a-z0-9]+)$/.exec(arn)?.[1];
  if (csc) return csc;
  const profile = /:\/signing-profiles\/([^/]+)(?:\/([^/]+))?$/.exec(arn);
  if (profile) return profile[2] ? `${profile[1]}/${profile[2]}` : profile[1]!;
  return arn;
}

function ref(value: string | null): string {
  if (value === null) return '(none)';
  const step = refStepId(value);
  return step ? `(created by ${step})` : shortName(value);
}

function functionsLine(functions: readonly string[], production: ReadonlySet<string>): string {
  const names = functions.map((f) => `${shortName(f)}${production.has(f) ? ' [prod]' : ''}`);
  const shown = names.slice(0, MAX_LISTED).join(', ');
  const more =
    names.length > MAX_LISTED ? ` … and ${names.length - MAX_LISTED} more (see the plan file)` : '';
  return `${functions.length} function(s): ${shown}${more}`;
}

export function stepSymbol(step: PlanStep): '+' | '~' | '-' {
  if (step.action === 'create-signing-profile' || step.action === 'create-code-signing-config') return '+';
  return '~';
}

export function describeStep(step: PlanStep): string {
  switch (step.action) {
    case 'create-signing-profile':
      return `create signing profile ${step.after.profileName} (${step.after.platformId}, signatures valid ${step.after.signatureValidity.value} ${step.after.signatureValidity.type.toLowerCase()})`;
    case 'create-code-signing-config':
      return `create code signing config (${step.after.policy}, publishers ${step.after.publishers.map(ref).join(', ')})`;
    case 'update-code-signing-config': {
      const changes: string[] = [];
      if (step.before.policy !== step.after.policy)
        changes.push(`${step.before.policy} → ${step.after.policy}`);
      const removed = step.before.publishers.filter((p) => !step.after.publishers.includes(p));
      const added = step.after.publishers.filter((p) => !step.before.publishers.includes(p));
      if (removed.length) changes.push(`- publishers ${removed.map(ref).join(', ')}`);
      if (added.length) changes.push(`+ publishers ${added.map(ref).join(', ')}`);
      return `update code signing config ${shortName(step.target)}: ${changes.join('; ')}`;
    }
    case 'attach-code-signing-config':
      return `attach code signing config to ${shortName(step.target)}: ${ref(step.before.csc)} → ${ref(step.after.csc)}`;
  }
}

export function renderPlanSummary(plan: Plan): string {
  const out: string[] = [];
  const production = new Set(plan.readiness.filter((r) => r.production).map((r) => r.function));
  const readiness = new Map(plan.readiness.map((r) => [r.function, r]));
  const selection = [
    plan.selection.only.length ? `--only ${plan.selection.only.join(' ')}` : 'every in-scope function',
    plan.selection.wave ? `wave ${plan.selection.wave}` : undefined,
    plan.selection.requireReady ? 'ready functions only' : undefined,
    plan.selection.splitShared ? 'split shared CSCs' : undefined,
  ].filter(Boolean);
  out.push(
    `Signet plan ${plan.planId} — stage ${plan.stage}, ${selection.join(', ')}; snapshot collected ${plan.source.collectedAt}`,
  );
  const groups = new Map<string, PlanStep[]>();
  for (const step of plan.steps) {
    const key = `${step.accountId} / ${step.region}`;
    groups.set(key, [...(groups.get(key) ?? []), step]);
  }
  for (const [key, steps] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.push('', key);
    for (const step of steps) {
      const rules = step.ruleIds.length ? `  ${step.ruleIds.join(',')}` : '';
      out.push(`  ${stepSymbol(step)} [${step.id}] ${describeStep(step)}${rules}`);
      if (step.functions.length) out.push(`        touches ${functionsLine(step.functions, production)}`);
      if (step.action === 'attach-code-signing-config') {
        const r = readiness.get(step.target);
        if (r) out.push(`        ${r.ready ? 'ready' : 'NOT READY'}: ${r.reason}`);
      }
      if (step.action === 'update-code-signing-config') {
        const unready = step.functions.filter((f) => readiness.get(f)?.ready === false);
        if (unready.length)
          out.push(
            `        NOT READY: ${functionsLine(unready, production)} (their next unsigned deploy will fail)`,
          );
      }
    }
  }
  const create = plan.steps.filter((s) => stepSymbol(s) === '+').length;
  const change = plan.steps.length - create;
  const touched = new Set(plan.steps.flatMap((s) => s.functions)).size;
  out.push(
    '',
    `Plan: ${create} to create, ${change} to update, 0 to detach; ${touched} function(s) touched.`,
  );
  const unready = plan.readiness.filter((r) => !r.ready).length;
  if (unready)
    out.push(
      `${unready} function(s) are not ready: attaching or enforcing does not stop running code, but their next unsigned deploy will fail (plan with --require-ready to leave them out).`,
    );
  if (plan.refused.length) {
    out.push('', `Refused (${plan.refused.length}):`);
    for (const r of plan.refused) {
      out.push(`  ! ${shortName(r.resource)} (${r.ruleIds.join(',')}): ${r.reason}`);
      if (r.outside.length) out.push(`      outside the selection: ${functionsLine(r.outside, production)}`);
      out.push(`      fix: ${r.fix}`);
    }
  }
  if (plan.manual.length) {
    out.push('', `Manual steps — configuration cannot fix these (${plan.manual.length}):`);
    for (const m of plan.manual) {
      out.push(`  * ${m.ruleId} ${shortName(m.resource)}: ${m.message}`);
      out.push(`      next: ${m.command}`);
    }
  }
  if (plan.steps.length === 0)
    out.push('', 'No changes: nothing in the selection needs a configuration change.');
  return `${out.join('\n')}\n`;
}
