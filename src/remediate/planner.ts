// The planners: pure functions of (snapshot, findings, config, options) → a plan. Publishers (trusted
// profile versions or a new signing profile), CSCs (reuse a compliant one or create one), attach for
// SGN-001, Warn→Enforce for SGN-002, replace revoked/untrusted publishers for SGN-003, blast-radius
// refusals for shared CSCs, waves, readiness and the manual steps configuration cannot do.
import { createHash } from 'node:crypto';
import type { SignetConfig } from '../config/schema.js';
import { type Evaluation, policyFromConfig } from '../engine/evaluate.js';
import { parseSigningProfileArn } from '../engine/index-snapshot.js';
import { classifyFunction } from '../engine/scope.js';
import { partitionOfRegion } from '../model/arn.js';
import type { Finding } from '../model/finding.js';
import type { CodeSigningConfig, LambdaFunction, Snapshot } from '../model/snapshot.js';
import { judgePublisher, judgeSignature } from '../model/trust.js';
import { RULES } from '../rules/index.js';
import type { RuleContext } from '../rules/rule.js';
import { SIGNET_VERSION } from '../version.js';
import {
  type CscState,
  type ManualStep,
  PLAN_KIND,
  PLAN_SCHEMA_VERSION,
  type Plan,
  type PlanStep,
  type Readiness,
  type Refusal,
  sealPlan,
  stepRef,
} from './plan.js';
import { type OnlySelector, onlyMatches, pickWave, type Wave } from './select.js';

export const LAMBDA_PLATFORM = 'AWSLambda-SHA384-ECDSA';

/** Rules whose FAILs only a re-signed deployment fixes: the plan lists the command (their `meta.planner`). */
const MANUAL_STEP_RULES = RULES.filter((r) => r.meta.planner === 'manual-step').map((r) => r.meta.id);

export interface PlanOptions {
  stage: 'warn' | 'enforce';
  only: OnlySelector[];
  wave?: Wave;
  /** Leave out functions whose current code is not signed by an allowed publisher. */
  requireReady: boolean;
  /** Instead of refusing to flip a shared CSC, attach a new CSC to the selected functions. */
  splitShared: boolean;
  now: Date;
}

/** IAM actions per step kind: what apply needs (read to check, write to act) and rollback's inverse. */
export const STEP_IAM: Record<PlanStep['action'], { apply: string[]; rollback: string[] }> = {
  'create-signing-profile': {
    apply: ['signer:GetSigningProfile', 'signer:PutSigningProfile'],
    rollback: ['signer:GetSigningProfile', 'signer:CancelSigningProfile'],
  },
  'create-code-signing-config': {
    apply: ['lambda:ListCodeSigningConfigs', 'lambda:CreateCodeSigningConfig'],
    rollback: [
      'lambda:ListCodeSigningConfigs',
      'lambda:ListFunctionsByCodeSigningConfig',
      'lambda:DeleteCodeSigningConfig',
    ],
  },
  'attach-code-signing-config': {
    apply: ['lambda:GetFunctionCodeSigningConfig', 'lambda:PutFunctionCodeSigningConfig'],
    rollback: [
      'lambda:GetFunctionCodeSigningConfig',
      'lambda:PutFunctionCodeSigningConfig',
      'lambda:DeleteFunctionCodeSigningConfig',
    ],
  },
  'update-code-signing-config': {
    apply: ['lambda:GetCodeSigningConfig', 'lambda:UpdateCodeSigningConfig'],
    rollback: ['lambda:GetCodeSigningConfig', 'lambda:UpdateCodeSigningConfig'],
  },
};

function arnOf(fn: LambdaFunction): string {
  return fn.provenance.source === 'aws' ? fn.provenance.arn : fn.id;
}

function policyOf(csc: CodeSigningConfig): 'Warn' | 'Enforce' | undefined {
  return typeof csc.policy === 'string' ? csc.policy : undefined;
}

function publisherArns(csc: CodeSigningConfig): string[] {
  return csc.allowedPublishers.flatMap((p) => (p.kind === 'arn' ? [p.arn] : []));
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

interface Region {
  accountId: string;
  region: string;
}

const regionKey = (r: Region) => `${r.accountId}|${r.region}`;

/** Deploy command for code that must be signed first (issue 12's `signet deploy`). */
function deployCommand(fn: LambdaFunction, profile: string): string {
  return `signet deploy --function ${arnOf(fn)} --package <build.zip> --profile ${profile} --bucket <artifact-bucket>`;
}

export function buildPlan(
  snapshot: Snapshot,
  evaluation: Evaluation,
  config: SignetConfig,
  options: PlanOptions,
): Plan {
  const { index } = evaluation;
  const ctx: RuleContext = { snapshot, index, policy: policyFromConfig(config), now: options.now };
  const targetPolicy = options.stage === 'enforce' ? 'Enforce' : 'Warn';
  const fails = (f: Finding) => f.status === 'FAIL' && !f.muted && f.inScope;
  const failsBy = new Map<string, Finding[]>();
  for (const f of evaluation.findings.filter(fails)) {
    const list = failsBy.get(f.ruleId) ?? [];
    list.push(f);
    failsBy.set(f.ruleId, list);
  }
  const failing = (ruleId: string) => new Set((failsBy.get(ruleId) ?? []).map((f) => f.resource.id));

  const classOf = new Map(snapshot.functions.map((fn) => [fn.id, classifyFunction(config, fn)]));
  const selected = (fn: LambdaFunction) =>
    fn.provenance.source === 'aws' &&
    fn.packageType === 'Zip' &&
    classOf.get(fn.id)?.inScope === true &&
    (options.only.length === 0 || options.only.some((s) => onlyMatches(s, fn)));
  const production = (fn: LambdaFunction) => classOf.get(fn.id)?.production === true;

  // ---- units of work: a function to attach, or a CSC to update (with every function it serves)
  type Unit =
    | { kind: 'attach'; key: string; fn: LambdaFunction; ruleIds: string[] }
    | { kind: 'csc'; key: string; csc: CodeSigningConfig; users: LambdaFunction[]; ruleIds: string[] };
  const units: Unit[] = [];
  const refused: Refusal[] = [];
  const sgn001 = failing('SGN-001');
  const sgn002 = failing('SGN-002');
  const sgn003 = failing('SGN-003');
  for (const fn of snapshot.functions) {
    if (sgn001.has(fn.id) && selected(fn))
      units.push({ kind: 'attach', key: fn.id, fn, ruleIds: ['SGN-001'] });
  }
  for (const csc of snapshot.codeSigningConfigs) {
    if (csc.provenance.source !== 'aws' || !csc.accountId || !csc.region) continue;
    const users = index.functionsByCsc.get(csc.id) ?? [];
    const ruleIds: string[] = [];
    if (options.stage === 'enforce' && policyOf(csc) === 'Warn' && users.some((u) => sgn002.has(u.id)))
      ruleIds.push('SGN-002');
    if (sgn003.has(csc.id)) ruleIds.push('SGN-003');
    if (ruleIds.length === 0) continue;
    const inSelection = users.filter(selected);
    if (inSelection.length === 0 && (users.length > 0 || options.only.length > 0)) continue;
    const outside = users.filter((u) => !selected(u));
    if (outside.length === 0) {
      units.push({ kind: 'csc', key: csc.id, csc, users, ruleIds });
      continue;
    }
    if (options.splitShared) {
      // The selected functions move to a CSC of their own; the shared one is left as it is.
      for (const fn of inSelection) units.push({ kind: 'attach', key: fn.id, fn, ruleIds });
      continue;
    }
    refused.push({
      resource: csc.arn ?? csc.id,
      accountId: csc.accountId,
      region: csc.region,
      ruleIds,
      reason: `the CSC also serves ${outside.length} function(s) outside the selection; changing it would change their next deploy too`,
      outside: outside.map(arnOf).sort(),
      fix: 'widen the selection to every function it serves, or plan again with --split-shared to attach a new CSC to the selected functions only',
    });
  }

  const unitProduction = (u: Unit) => (u.kind === 'attach' ? production(u.fn) : u.users.some(production));
  const waveUnits = options.wave
    ? pickWave(
        units,
        (u) => `${u.kind}|${u.key}`,
        unitProduction,
        config.remediation.production,
        options.wave,
      )
    : units;

  // ---- publishers per account-region: configured trusted versions, else the region's active profiles
  const regionsOf = new Map<string, Region>();
  for (const u of waveUnits) {
    const r = u.kind === 'attach' ? u.fn : u.csc;
    regionsOf.set(regionKey(r as Region), { accountId: r.accountId!, region: r.region! });
  }
  const steps: PlanStep[] = [];
  let seq = 0;
  const nextId = () => `s${String(++seq).padStart(3, '0')}`;
  const planId = createHash('sha256')
    .update(
      JSON.stringify([
        snapshot.collectedAt,
        options.stage,
        options.only.map((o) => o.text),
        options.wave ?? null,
      ]),
    )
    .digest('hex')
    .slice(0, 12);

  const publishersFor = new Map<string, { refs: string[]; names: string[] }>();
  const choosePublishers = (r: Region): { refs: string[]; names: string[] } => {
    const key = regionKey(r);
    const known = publishersFor.get(key);
    if (known) return known;
    const configured = config.trust.signingProfiles.filter((arn) => {
      const parsed = parseSigningProfileArn(arn);
      return !arn.includes('*') && parsed?.profileVersion && parsed.region === r.region;
    });
    const own = snapshot.signingProfiles.filter(
      (p) =>
        p.accountId === r.accountId &&
        p.region === r.region &&
        p.status === 'Active' &&
        p.platformId === LAMBDA_PLATFORM &&
        p.profileVersionArn &&
        judgePublisher(ctx, { kind: 'arn', arn: p.profileVersionArn }).verdict === 'trusted',
    );
    let chosen: { refs: string[]; names: string[] };
    if (configured.length > 0) {
      chosen = {
        refs: sorted(configured),
        names: sorted(configured.map((a) => parseSigningProfileArn(a)!.profileName)),
      };
    } else if (own.length > 0) {
      chosen = { refs: sorted(own.map((p) => p.profileVersionArn!)), names: sorted(own.map((p) => p.name)) };
    } else {
      const taken = new Set(
        snapshot.signingProfiles
          .filter((p) => p.accountId === r.accountId && p.region === r.region)
          .map((p) => p.name),
      );
      let name = config.remediation.profileName;
      for (let n = 2; taken.has(name); n++) name = `${config.remediation.profileName}_${n}`;
      const id = nextId();
      steps.push({
        id,
        action: 'create-signing-profile',
        target: `arn:${partitionOfRegion(r.region)}:signer:${r.region}:${r.accountId}:/signing-profiles/${name}`,
        accountId: r.accountId,
        region: r.region,
        ruleIds: [],
        reason: `no active ${LAMBDA_PLATFORM} signing profile is trusted in ${r.accountId}/${r.region}; CSCs need a publisher`,
        functions: [],
        iamActions: STEP_IAM['create-signing-profile'].apply,
        inverse: { action: 'cancel-signing-profile', description: `cancel signing profile ${name}` },
        before: { exists: false },
        after: {
          profileName: name,
          platformId: LAMBDA_PLATFORM,
          signatureValidity: { value: config.remediation.signatureValidityDays, type: 'DAYS' },
          tags: { 'managed-by': 'signet', 'signet:plan': planId },
        },
      });
      chosen = { refs: [stepRef(id)], names: [name] };
    }
    publishersFor.set(key, chosen);
    return chosen;
  };

  // ---- the CSC each account-region's attachments go to: reuse a compliant one or create one
  const cscFor = new Map<string, { ref: string; publishers: string[] }>();
  const changing = new Set(waveUnits.filter((u) => u.kind === 'csc').map((u) => (u as { key: string }).key));
  const targetCsc = (r: Region, ruleIds: string[]) => {
    const key = regionKey(r);
    const known = cscFor.get(key);
    if (known) return known;
    const reusable = snapshot.codeSigningConfigs
      .filter(
        (c) =>
          c.accountId === r.accountId &&
          c.region === r.region &&
          c.arn &&
          !changing.has(c.id) &&
          policyOf(c) === targetPolicy &&
          c.allowedPublishers.length > 0 &&
          !sgn003.has(c.id) &&
          c.allowedPublishers.every((p) => judgePublisher(ctx, p).verdict === 'trusted'),
      )
      .sort(
        (a, b) =>
          (index.functionsByCsc.get(b.id)?.length ?? 0) - (index.functionsByCsc.get(a.id)?.length ?? 0) ||
          (a.arn! < b.arn! ? -1 : 1),
      );
    let chosen: { ref: string; publishers: string[] };
    if (reusable[0]) {
      chosen = { ref: reusable[0].arn!, publishers: sorted(publisherArns(reusable[0])) };
    } else {
      const publishers = choosePublishers(r);
      const id = nextId();
      steps.push({
        id,
        action: 'create-code-signing-config',
        target: `new ${targetPolicy} code signing config in ${r.accountId}/${r.region}`,
        accountId: r.accountId,
        region: r.region,
        ruleIds,
        reason: `no compliant ${targetPolicy} CSC with trusted publishers exists in ${r.accountId}/${r.region} to reuse`,
        functions: [],
        iamActions: STEP_IAM['create-code-signing-config'].apply,
        inverse: {
          action: 'delete-code-signing-config',
          description: 'delete the CSC once no function uses it',
        },
        before: { exists: false },
        after: {
          policy: targetPolicy,
          publishers: publishers.refs,
          description: `signet plan ${planId} step ${id}: ${targetPolicy}, publishers ${publishers.names.join(', ')}`,
        },
      });
      chosen = { ref: stepRef(id), publishers: publishers.refs };
    }
    cscFor.set(key, chosen);
    return chosen;
  };

  // ---- readiness: is the function's current code signed by a publisher the target CSC allows?
  const readiness: Readiness[] = [];
  const judgeReady = (fn: LambdaFunction, publishers: string[]): Readiness => {
    const signedBy = fn.signingProfileVersionArn;
    const pipeline: Readiness['pipeline'] = fn.signingJobArn ? 'signed' : signedBy ? 'unknown' : 'unsigned';
    let ready = false;
    let reason: string;
    if (!signedBy)
      reason = 'current code is unsigned: its pipeline must sign before the next deploy (signet sign/deploy)';
    else if (!publishers.includes(signedBy))
      reason = `current code is signed by ${signedBy}, which the target CSC does not allow`;
    else {
      const verdict = judgeSignature(
        ctx,
        { ...fn, codeSigningConfig: { state: 'none' } },
        signedBy,
        fn.signingJobArn,
      );
      ready = verdict.verdict === 'trusted';
      reason =
        verdict.verdict === 'trusted'
          ? `current code is signed by an allowed publisher (${signedBy})`
          : verdict.reason;
    }
    return { function: arnOf(fn), ready, reason, pipeline, production: production(fn) };
  };

  // CSC updates first (they need only the publishers), then attachments.
  const updates: PlanStep[] = [];
  const attaches: PlanStep[] = [];
  const ordered = [...waveUnits].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const unit of ordered.filter((u) => u.kind === 'csc')) {
    if (unit.kind !== 'csc') continue;
    const { csc, users } = unit;
    const r = { accountId: csc.accountId!, region: csc.region! };
    const good = csc.allowedPublishers.flatMap((p) =>
      p.kind === 'arn' && judgePublisher(ctx, p).verdict === 'trusted' ? [p.arn] : [],
    );
    const publishers = good.length > 0 ? sorted(good) : choosePublishers(r).refs;
    const before: CscState = { policy: policyOf(csc) ?? 'Warn', publishers: sorted(publisherArns(csc)) };
    const after: CscState = {
      policy: options.stage === 'enforce' ? 'Enforce' : before.policy,
      publishers: unit.ruleIds.includes('SGN-003') ? publishers : before.publishers,
    };
    const checks = users.map((fn) => judgeReady(fn, after.publishers));
    if (options.requireReady && checks.some((c) => !c.ready)) {
      refused.push({
        resource: csc.arn!,
        accountId: r.accountId,
        region: r.region,
        ruleIds: unit.ruleIds,
        reason: `${checks.filter((c) => !c.ready).length} function(s) it serves are not ready (current code not signed by an allowed publisher)`,
        outside: [],
        fix: 'sign and deploy their code first (signet deploy), or plan without --require-ready',
      });
      continue;
    }
    readiness.push(...checks);
    const removed = before.publishers.filter((p) => !after.publishers.includes(p));
    const changes = [
      ...(before.policy !== after.policy ? [`${before.policy} → ${after.policy}`] : []),
      ...(removed.length ? [`drop untrusted publisher(s) ${removed.join(', ')}`] : []),
    ];
    updates.push({
      id: '',
      action: 'update-code-signing-config',
      target: csc.arn!,
      accountId: r.accountId,
      region: r.region,
      ruleIds: unit.ruleIds,
      reason: changes.join('; ') || 'publishers replaced',
      functions: users.map(arnOf).sort(),
      iamActions: STEP_IAM['update-code-signing-config'].apply,
      inverse: {
        action: 'update-code-signing-config',
        description: `restore ${before.policy} and publishers ${before.publishers.join(', ')}`,
      },
      before,
      after,
    });
  }
  for (const unit of ordered) {
    if (unit.kind !== 'attach') continue;
    const { fn } = unit;
    const r = { accountId: fn.accountId!, region: fn.region! };
    const previous =
      fn.codeSigningConfig.state === 'attached'
        ? (index.cscById.get(fn.codeSigningConfig.id)?.arn ?? fn.codeSigningConfig.id)
        : null;
    const publishersPreview = cscFor.get(regionKey(r))?.publishers ?? choosePublishers(r).refs;
    const check = judgeReady(fn, publishersPreview);
    if (options.requireReady && !check.ready) {
      refused.push({
        resource: arnOf(fn),
        accountId: r.accountId,
        region: r.region,
        ruleIds: unit.ruleIds,
        reason: `not ready: ${check.reason}`,
        outside: [],
        fix: `sign its code first: ${deployCommand(fn, choosePublishers(r).names[0] ?? '<profile>')}`,
      });
      continue;
    }
    const target = targetCsc(r, unit.ruleIds);
    readiness.push(target.publishers === publishersPreview ? check : judgeReady(fn, target.publishers));
    attaches.push({
      id: '',
      action: 'attach-code-signing-config',
      target: arnOf(fn),
      accountId: r.accountId,
      region: r.region,
      ruleIds: unit.ruleIds,
      reason: previous
        ? `move from shared CSC ${previous} to a ${targetPolicy} CSC for the selection`
        : `no CSC: attach a ${targetPolicy} CSC`,
      functions: [arnOf(fn)],
      iamActions: STEP_IAM['attach-code-signing-config'].apply,
      inverse: previous
        ? { action: 'attach-code-signing-config', description: `re-attach ${previous}` }
        : {
            action: 'detach-code-signing-config',
            description: 'remove the CSC (DeleteFunctionCodeSigningConfig)',
          },
      before: { csc: previous },
      after: { csc: target.ref },
    });
  }
  for (const step of [...updates, ...attaches]) {
    step.id = nextId();
    steps.push(step);
  }
  // Record every function a created CSC ends up serving.
  for (const step of steps) {
    if (step.action !== 'create-code-signing-config') continue;
    const ref = stepRef(step.id);
    step.functions = steps
      .filter((s) => s.action === 'attach-code-signing-config' && s.after.csc === ref)
      .map((s) => s.target)
      .sort();
  }

  // ---- what configuration cannot fix
  const manual: ManualStep[] = [];
  const fnById = index.functionsById;
  const profileHint = (f: Finding) =>
    choosePublisherName(snapshot, f.resource.accountId, f.resource.region, config.remediation.profileName);
  for (const ruleId of MANUAL_STEP_RULES) {
    for (const f of failsBy.get(ruleId) ?? []) {
      const fnId =
        f.resource.type === 'function-version' ? f.resource.id.replace(/:[^:]+$/, '') : f.resource.id;
      const fn = fnById.get(fnId);
      if (!fn || !selected(fn)) continue;
      const profile = profileHint(f);
      let command: string;
      if (ruleId === 'SGN-006') {
        // The layer the finding names (an unsigned or untrusted one), else the first layer.
        const named = fn.layers.find((l) => l.arn && f.message.includes(l.arn)) ?? fn.layers[0];
        const layer = named?.arn?.split(':')[6] ?? '<layer>';
        command = `signet deploy --layer ${layer} --package <layer.zip> --profile ${profile} --bucket <artifact-bucket> --update-functions`;
      } else if (ruleId === 'SGN-007') {
        const alias = (f.details?.aliases as string[] | undefined)?.[0] ?? '<alias>';
        command = `${deployCommand(fn, profile)} --publish --alias ${alias}`;
      } else command = deployCommand(fn, profile);
      manual.push({
        ruleId,
        resource: f.resource.arn ?? f.resource.id,
        ...(f.resource.accountId ? { accountId: f.resource.accountId } : {}),
        ...(f.resource.region ? { region: f.resource.region } : {}),
        message: f.message,
        command,
      });
    }
  }

  return sealPlan({
    kind: PLAN_KIND,
    schemaVersion: PLAN_SCHEMA_VERSION,
    signetVersion: SIGNET_VERSION,
    planId,
    createdAt: options.now.toISOString(),
    stage: options.stage,
    selection: {
      only: options.only.map((o) => o.text),
      wave: options.wave ? `${options.wave.index}/${options.wave.count}` : null,
      requireReady: options.requireReady,
      splitShared: options.splitShared,
    },
    source: {
      collectedAt: snapshot.collectedAt,
      accounts: snapshot.accounts.map((a) => a.accountId),
      regions: snapshot.regions,
    },
    steps,
    manual,
    refused,
    readiness: dedupeReadiness(readiness),
  });
}

function dedupeReadiness(list: Readiness[]): Readiness[] {
  const byFn = new Map<string, Readiness>();
  for (const r of list) byFn.set(r.function, r);
  return [...byFn.values()].sort((a, b) => (a.function < b.function ? -1 : 1));
}

function choosePublisherName(
  snapshot: Snapshot,
  accountId: string | undefined,
  region: string | undefined,
  fallback: string,
): string {
  const profile = snapshot.signingProfiles.find(
    (p) =>
      p.accountId === accountId &&
      p.region === region &&
      p.status === 'Active' &&
      p.platformId === LAMBDA_PLATFORM,
  );
  return profile?.name ?? fallback;
}
