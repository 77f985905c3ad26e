// The plan file (`signet plan --output plan.json`): zod-validated, versioned, its steps hashed so a
// hand-edited or truncated plan is refused before anything is written.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { SIGNET_VERSION } from '../version.js';

export const PLAN_SCHEMA_VERSION = 1;
export const PLAN_KIND = 'signet-remediation-plan';

/** A publisher or CSC named by ARN, or by the plan step that creates it (`step:s002`). */
export const Ref = z.string().min(1);
export type Ref = z.infer<typeof Ref>;

export const STEP_REF_PREFIX = 'step:';

export function stepRef(stepId: string): string {
  return `${STEP_REF_PREFIX}${stepId}`;
}

export function refStepId(ref: string): string | undefined {
  return ref.startsWith(STEP_REF_PREFIX) ? ref.slice(STEP_REF_PREFIX.length) : undefined;
}

const Policy = z.enum(['Warn', 'Enforce']);

export const CscState = z
  .object({
    policy: Policy,
    /** Signing profile version ARNs (or refs to profiles the plan creates), sorted. */
    publishers: z.array(Ref).min(1).max(20),
  })
  .strict();
export type CscState = z.infer<typeof CscState>;

const Inverse = z.object({ action: z.string(), description: z.string() }).strict();

const common = {
  id: z.string().regex(/^s\d{3,}$/),
  /** The resource the step writes: an ARN, or a description of what it creates. */
  target: z.string(),
  accountId: z.string().regex(/^\d{12}$/),
  region: z.string(),
  /** Rules whose FAILs the step fixes. */
  ruleIds: z.array(z.string()),
  /** Why, in one sentence. */
  reason: z.string(),
  /** Every function the step touches (bound to the CSC it changes, or attached). */
  functions: z.array(z.string()),
  /** IAM actions the step needs (joins `signet iam-policy apply`). */
  iamActions: z.array(z.string()).min(1),
  inverse: Inverse,
};

export const CreateSigningProfileStep = z
  .object({
    ...common,
    action: z.literal('create-signing-profile'),
    before: z.object({ exists: z.literal(false) }).strict(),
    after: z
      .object({
        profileName: z.string().regex(/^[A-Za-z0-9_]{2,64}$/),
        platformId: z.literal('AWSLambda-SHA384-ECDSA'),
        signatureValidity: z.object({
          value: z.number().int().positive(),
          type: z.enum(['DAYS', 'MONTHS', 'YEARS']),
        }),
        tags: z.record(z.string(), z.string()),
      })
      .strict(),
  })
  .strict();

export const CreateCscStep = z
  .object({
    ...common,
    action: z.literal('create-code-signing-config'),
    before: z.object({ exists: z.literal(false) }).strict(),
    after: CscState.extend({
      /** Carries the plan id and step id: how apply finds a CSC it created before it was killed. */
      description: z.string().max(256),
    }).strict(),
  })
  .strict();

export const AttachCscStep = z
  .object({
    ...common,
    action: z.literal('attach-code-signing-config'),
    /** The function's CSC ARN before (null = none). */
    before: z.object({ csc: z.string().nullable() }).strict(),
    after: z.object({ csc: Ref }).strict(),
  })
  .strict();

export const UpdateCscStep = z
  .object({
    ...common,
    action: z.literal('update-code-signing-config'),
    before: CscState,
    after: CscState,
  })
  .strict();

export const PlanStep = z.discriminatedUnion('action', [
  CreateSigningProfileStep,
  CreateCscStep,
  AttachCscStep,
  UpdateCscStep,
]);
export type PlanStep = z.infer<typeof PlanStep>;
export type StepAction = PlanStep['action'];

/** What configuration cannot fix: explicit, with the next command, never silently dropped. */
export const ManualStep = z
  .object({
    ruleId: z.string(),
    resource: z.string(),
    accountId: z.string().optional(),
    region: z.string().optional(),
    message: z.string(),
    command: z.string(),
  })
  .strict();
export type ManualStep = z.infer<typeof ManualStep>;

/** A change the plan refused to make (blast radius) or left out (readiness), with the way forward. */
export const Refusal = z
  .object({
    resource: z.string(),
    accountId: z.string().optional(),
    region: z.string().optional(),
    ruleIds: z.array(z.string()),
    reason: z.string(),
    /** Functions outside the selection that the change would also have touched. */
    outside: z.array(z.string()),
    fix: z.string(),
  })
  .strict();
export type Refusal = z.infer<typeof Refusal>;

export const Readiness = z
  .object({
    function: z.string(),
    /** Current code signed by a publisher the target CSC allows: the next deploy must be signed too. */
    ready: z.boolean(),
    reason: z.string(),
    /** Whether the current code came from a signing pipeline (a signing job), where known. */
    pipeline: z.enum(['signed', 'unsigned', 'unknown']),
    production: z.boolean(),
  })
  .strict();
export type Readiness = z.infer<typeof Readiness>;

export const PlanBody = z
  .object({
    kind: z.literal(PLAN_KIND),
    schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
    signetVersion: z.string(),
    planId: z.string().regex(/^[0-9a-f]{12}$/),
    createdAt: z.string(),
    stage: z.enum(['warn', 'enforce']),
    selection: z
      .object({
        only: z.array(z.string()),
        wave: z.string().nullable(),
        requireReady: z.boolean(),
        splitShared: z.boolean(),
      })
      .strict(),
    source: z
      .object({
        collectedAt: z.string(),
        accounts: z.array(z.string()),
        regions: z.array(z.string()),
      })
      .strict(),
    steps: z.array(PlanStep),
    manual: z.array(ManualStep),
    refused: z.array(Refusal),
    readiness: z.array(Readiness),
  })
  .strict();
export type PlanBody = z.infer<typeof PlanBody>;

export const Plan = PlanBody.extend({ stepsHash: z.string().regex(/^sha256:[0-9a-f]{64}$/) }).strict();
export type Plan = z.infer<typeof Plan>;

/** Canonical JSON (sorted keys) so the hash does not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hash of what apply executes: the steps, plus the plan id that marks created resources. */
export function hashSteps(planId: string, steps: readonly PlanStep[]): string {
  return `sha256:${createHash('sha256').update(canonical({ planId, steps })).digest('hex')}`;
}

export function sealPlan(body: PlanBody): Plan {
  return { ...body, stepsHash: hashSteps(body.planId, body.steps) };
}

export function serializePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

export function savePlan(file: string, plan: Plan): void {
  writeFileAtomic(file, serializePlan(plan));
}

/** Parses and checks a plan; every problem is one line naming the file, the reason and the fix. */
export function parsePlan(text: string, file: string): Plan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(
      `plan ${file} is not valid JSON (truncated or edited?); run 'signet plan --output ${file}' again`,
    );
  }
  const head = raw as { kind?: unknown; schemaVersion?: unknown } | null;
  if (head?.kind !== PLAN_KIND)
    throw new UsageError(`${file} is not a Signet remediation plan; pass a file written by 'signet plan'`);
  if (head.schemaVersion !== PLAN_SCHEMA_VERSION) {
    throw new UsageError(
      `plan ${file} has schema version ${String(head.schemaVersion)}, this Signet ${SIGNET_VERSION} applies version ${PLAN_SCHEMA_VERSION}; plan again`,
    );
  }
  const parsed = Plan.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `plan ${file} is not valid at ${issue.path.join('.') || '(top)'}: ${issue.message} (edited by hand?); plan again`,
    );
  }
  const plan = parsed.data;
  const expected = hashSteps(plan.planId, plan.steps);
  if (plan.stepsHash !== expected) {
    throw new UsageError(
      `plan ${file} was modified after it was written (steps hash ${plan.stepsHash.slice(0, 19)}… does not match ${expected.slice(0, 19)}…); plan again instead of editing it`,
    );
  }
  checkReferences(plan, file);
  return plan;
}

/** Every `step:` reference names an earlier create step in the same account-region. */
function checkReferences(plan: Plan, file: string): void {
  const seen = new Map<string, PlanStep>();
  const check = (step: PlanStep, ref: string, kind: StepAction) => {
    const id = refStepId(ref);
    if (id === undefined) return;
    const target = seen.get(id);
    if (
      !target ||
      target.action !== kind ||
      target.accountId !== step.accountId ||
      target.region !== step.region
    )
      throw new UsageError(
        `plan ${file}: step ${step.id} refers to ${ref}, which is not an earlier ${kind} step`,
      );
  };
  for (const step of plan.steps) {
    if (seen.has(step.id)) throw new UsageError(`plan ${file}: step id ${step.id} appears twice`);
    if (step.action === 'create-code-signing-config' || step.action === 'update-code-signing-config')
      for (const p of step.after.publishers) check(step, p, 'create-signing-profile');
    if (step.action === 'attach-code-signing-config')
      check(step, step.after.csc, 'create-code-signing-config');
    seen.set(step.id, step);
  }
}

export function loadPlan(file: string): Plan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read plan ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}; pass the file 'signet plan --output' wrote`,
      { cause: err },
    );
  }
  return parsePlan(text, file);
}
