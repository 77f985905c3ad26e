// The planners on small inline snapshots: what a reviewer of `signet plan` would notice.
import { describe, expect, it } from 'vitest';
import { ConfigSchema, defaultConfig, type SignetConfig } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { type Plan, type PlanStep, parsePlan, serializePlan } from '../../src/remediate/plan.js';
import { buildPlan, type PlanOptions } from '../../src/remediate/planner.js';
import { parseOnly, parseWave } from '../../src/remediate/select.js';
import { RULES } from '../../src/rules/index.js';
import {
  ACCOUNT,
  aCsc,
  aFunction,
  aJob,
  aProfile,
  aSnapshot,
  jobArn,
  NOW,
  profileVersionArn,
  REGION,
} from '../helpers/builders.js';

const CI = profileVersionArn('ci_release');

function plan(
  snapshot: Snapshot,
  options: Partial<PlanOptions> = {},
  config: SignetConfig = defaultConfig(),
): Plan {
  return buildPlan(snapshot, evaluate(snapshot, config, { now: NOW }), config, {
    stage: 'enforce',
    only: [],
    requireReady: false,
    splitShared: false,
    now: NOW,
    ...options,
  });
}

const signed = { signingProfileVersionArn: CI, signingJobArn: jobArn('job-1') };
const actions = (p: Plan) => p.steps.map((s) => `${s.action} ${s.target.split(':').pop()}`);
const step = <A extends PlanStep['action']>(p: Plan, action: A) =>
  p.steps.find((s) => s.action === action) as Extract<PlanStep, { action: A }> | undefined;

describe('planners', () => {
  it('attaches an existing compliant Enforce CSC to a function without one (SGN-001), reusing it', () => {
    const csc = aCsc();
    const snapshot = aSnapshot({
      functions: [
        aFunction({ name: 'api', ...signed }),
        aFunction({ name: 'other', codeSigningConfig: { state: 'attached', id: csc.id }, ...signed }),
      ],
      codeSigningConfigs: [csc],
      signingProfiles: [aProfile()],
    });
    const p = plan(snapshot);
    expect(actions(p)).toEqual(['attach-code-signing-config api']);
    const attach = step(p, 'attach-code-signing-config')!;
    expect(attach.before).toEqual({ csc: null });
    expect(attach.after).toEqual({ csc: csc.arn });
    expect(attach.iamActions).toContain('lambda:PutFunctionCodeSigningConfig');
    expect(attach.inverse.action).toBe('detach-code-signing-config');
    expect(p.readiness).toEqual([expect.objectContaining({ ready: true, pipeline: 'signed' })]);
  });

  it('creates a CSC when none is reusable, and a signing profile when the region has no trusted one', () => {
    const snapshot = aSnapshot({ functions: [aFunction({ name: 'api' })] });
    const p = plan(snapshot);
    expect(p.steps.map((s) => s.action)).toEqual([
      'create-signing-profile',
      'create-code-signing-config',
      'attach-code-signing-config',
    ]);
    const profile = step(p, 'create-signing-profile')!;
    expect(profile.after).toMatchObject({
      profileName: 'signet_lambda',
      platformId: 'AWSLambda-SHA384-ECDSA',
      signatureValidity: { value: 90, type: 'DAYS' },
    });
    const csc = step(p, 'create-code-signing-config')!;
    expect(csc.after.publishers).toEqual([`step:${profile.id}`]);
    expect(csc.after.policy).toBe('Enforce');
    expect(csc.functions).toEqual([`arn:aws:lambda:${REGION}:${ACCOUNT}:function:api`]);
    expect(step(p, 'attach-code-signing-config')!.after.csc).toBe(`step:${csc.id}`);
    expect(p.readiness[0]).toMatchObject({ ready: false, pipeline: 'unsigned' });
    // the unsigned code is a manual step with the exact next command
    expect(p.manual).toEqual([
      expect.objectContaining({
        ruleId: 'SGN-004',
        command: expect.stringMatching(/^signet deploy --function arn:aws:lambda:.*:function:api /),
      }),
    ]);
  });

  it("uses configured trusted profile versions of the region before the account's own", () => {
    const central = 'arn:aws:signer:us-east-1:999999999999:/signing-profiles/central/Zz12345678';
    const config = ConfigSchema.parse({
      trust: {
        signingProfiles: [
          central,
          'arn:aws:signer:eu-west-1:999999999999:/signing-profiles/central/Ab12345678',
        ],
      },
    });
    const p = plan(aSnapshot({ functions: [aFunction()], signingProfiles: [aProfile()] }), {}, config);
    expect(step(p, 'create-code-signing-config')!.after.publishers).toEqual([central]);
  });

  it('flips a Warn CSC to Enforce when every function it serves is selected (SGN-002), listing them all', () => {
    const csc = aCsc({ policy: 'Warn' });
    const fns = ['a', 'b'].map((name) =>
      aFunction({ name, codeSigningConfig: { state: 'attached', id: csc.id }, ...signed }),
    );
    const p = plan(aSnapshot({ functions: fns, codeSigningConfigs: [csc], signingProfiles: [aProfile()] }));
    const update = step(p, 'update-code-signing-config')!;
    expect(update.before).toEqual({ policy: 'Warn', publishers: [CI] });
    expect(update.after).toEqual({ policy: 'Enforce', publishers: [CI] });
    expect(update.functions).toHaveLength(2);
    expect(p.refused).toEqual([]);
  });

  it('with --stage warn, does not flip Warn CSCs and attaches a Warn CSC', () => {
    const csc = aCsc({ policy: 'Warn' });
    const snapshot = aSnapshot({
      functions: [
        aFunction({ name: 'a', codeSigningConfig: { state: 'attached', id: csc.id } }),
        aFunction({ name: 'new' }),
      ],
      codeSigningConfigs: [csc],
      signingProfiles: [aProfile()],
    });
    const p = plan(snapshot, { stage: 'warn' });
    expect(actions(p)).toEqual(['attach-code-signing-config new']);
    expect(step(p, 'attach-code-signing-config')!.after.csc).toBe(csc.arn);
  });

  it('refuses to flip a CSC shared with functions outside the selection, naming them; --split-shared moves the selection instead', () => {
    const csc = aCsc({ policy: 'Warn' });
    const fns = ['team-a-1', 'team-a-2', 'team-b'].map((name) =>
      aFunction({ name, codeSigningConfig: { state: 'attached', id: csc.id }, ...signed }),
    );
    const snapshot = aSnapshot({ functions: fns, codeSigningConfigs: [csc], signingProfiles: [aProfile()] });
    const refused = plan(snapshot, { only: [parseOnly('name=team-a-*')] });
    expect(refused.steps).toEqual([]);
    expect(refused.refused).toEqual([
      expect.objectContaining({
        resource: csc.arn,
        outside: [`arn:aws:lambda:${REGION}:${ACCOUNT}:function:team-b`],
        fix: expect.stringMatching(/--split-shared/),
      }),
    ]);
    const split = plan(snapshot, { only: [parseOnly('name=team-a-*')], splitShared: true });
    expect(split.steps.map((s) => s.action)).toEqual([
      'create-code-signing-config',
      'attach-code-signing-config',
      'attach-code-signing-config',
    ]);
    expect(step(split, 'attach-code-signing-config')!.before).toEqual({ csc: csc.arn });
    expect(split.steps.some((s) => s.target === csc.arn)).toBe(false);
  });

  it("replaces revoked and untrusted publishers (SGN-003) with the region's trusted ones", () => {
    const revoked = aProfile({
      name: 'old',
      status: 'Revoked',
      profileVersionArn: profileVersionArn('old'),
      id: profileVersionArn('old'),
    });
    const csc = aCsc({ allowedPublishers: [{ kind: 'arn', arn: profileVersionArn('old') }] });
    const fn = aFunction({ codeSigningConfig: { state: 'attached', id: csc.id } });
    const p = plan(
      aSnapshot({ functions: [fn], codeSigningConfigs: [csc], signingProfiles: [aProfile(), revoked] }),
    );
    const update = step(p, 'update-code-signing-config')!;
    expect(update.ruleIds).toEqual(['SGN-003']);
    expect(update.after.publishers).toEqual([CI]);
    expect(update.inverse.description).toMatch(/old/);
  });

  it('--require-ready leaves out functions whose code is not signed by an allowed publisher', () => {
    const csc = aCsc();
    const snapshot = aSnapshot({
      functions: [aFunction({ name: 'ready', ...signed }), aFunction({ name: 'unsigned' })],
      codeSigningConfigs: [csc],
      signingProfiles: [aProfile()],
    });
    const p = plan(snapshot, { requireReady: true });
    expect(actions(p)).toEqual(['attach-code-signing-config ready']);
    expect(p.refused).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/^not ready: current code is unsigned/) }),
    ]);
  });

  it('--only selects by name, account, region and tag; out-of-scope and image functions are never touched', () => {
    const config = ConfigSchema.parse({ scope: { exclude: [{ names: ['legacy-*'] }] } });
    const snapshot = aSnapshot({
      functions: [
        aFunction({ name: 'api', tags: { team: 'pay' } }),
        aFunction({ name: 'web', tags: { team: 'web' } }),
        aFunction({ name: 'legacy-x' }),
        aFunction({ name: 'image', packageType: 'Image' }),
      ],
      codeSigningConfigs: [aCsc()],
      signingProfiles: [aProfile()],
    });
    expect(actions(plan(snapshot, {}, config))).toEqual([
      'attach-code-signing-config api',
      'attach-code-signing-config web',
    ]);
    expect(actions(plan(snapshot, { only: [parseOnly('tag:team=pay')] }, config))).toEqual([
      'attach-code-signing-config api',
    ]);
    expect(
      plan(snapshot, { only: [parseOnly(`account=${ACCOUNT},region=eu-west-1`)] }, config).steps,
    ).toEqual([]);
    expect(() => parseOnly('colour=red')).toThrow(/unknown criterion 'colour'/);
  });

  it('--wave N/M splits the selection deterministically: every function in exactly one wave, production last', () => {
    const fns = Array.from({ length: 10 }, (_, i) =>
      aFunction({ name: `fn-${i}`, tags: i < 3 ? { env: 'prod' } : {}, ...signed }),
    );
    const snapshot = aSnapshot({
      functions: fns,
      codeSigningConfigs: [aCsc()],
      signingProfiles: [aProfile()],
    });
    const waves = [1, 2, 3].map((n) =>
      plan(snapshot, { wave: parseWave(`${n}/3`) }).steps.map((s) => s.target),
    );
    expect(waves.flat().sort()).toEqual(fns.map((f) => f.id).sort());
    expect(new Set(waves.flat()).size).toBe(10);
    expect(plan(snapshot, { wave: parseWave('2/3') }).steps.map((s) => s.target)).toEqual(waves[1]);
    const prod = new Set(fns.slice(0, 3).map((f) => f.id));
    // production goes last: none in the first wave, the last wave only production
    expect(waves[0]!.filter((t) => prod.has(t))).toEqual([]);
    expect(waves[2]!.every((t) => prod.has(t))).toBe(true);
    const first = ConfigSchema.parse({ remediation: { production: 'first' } });
    const firstWave = plan(snapshot, { wave: parseWave('1/3') }, first).steps.map((s) => s.target);
    expect(firstWave.filter((t) => prod.has(t))).toHaveLength(3);
    expect(() => parseWave('4/3')).toThrow(/1 <= N <= M/);
  });

  it('the plan file round-trips and refuses edits', () => {
    const p = plan(aSnapshot({ functions: [aFunction()] }));
    expect(parsePlan(serializePlan(p), 'p.json')).toEqual(p);
    const edited = serializePlan(p).replace('"Enforce"', '"Warn"');
    expect(() => parsePlan(edited, 'p.json')).toThrow(/modified after it was written/);
    const extra = JSON.stringify({ ...p, steps: [{ ...p.steps[0], surprise: true }] });
    expect(() => parsePlan(extra, 'p.json')).toThrow(/is not valid at steps\.0/);
    expect(() => parsePlan('{"kind":"signet-remediation-plan","schemaVersion":9}', 'p.json')).toThrow(
      /schema version 9/,
    );
  });
});

describe('each rule is planned as its metadata says (meta.planner)', () => {
  // One fleet where every planned rule fails at least once: a bare function, a Warn CSC allowing a
  // revoked profile that also signed its function's code, code from a revoked signing job, an unsigned
  // layer, an alias on an unsigned version.
  const revoked = aProfile({
    name: 'old',
    status: 'Revoked',
    profileVersionArn: profileVersionArn('old'),
    id: profileVersionArn('old'),
  });
  const warn = aCsc({
    suffix: 'w',
    policy: 'Warn',
    allowedPublishers: [{ kind: 'arn', arn: profileVersionArn('old') }],
  });
  const good = aCsc({ suffix: 'g' });
  const onGood = (name: string, over: Partial<Parameters<typeof aFunction>[0]> = {}) =>
    aFunction({ name, codeSigningConfig: { state: 'attached', id: good.id }, ...signed, ...over });
  const fleet = aSnapshot({
    functions: [
      aFunction({ name: 'bare' }),
      aFunction({
        name: 'warned',
        codeSigningConfig: { state: 'attached', id: warn.id },
        signingProfileVersionArn: profileVersionArn('old'),
        signingJobArn: jobArn('job-old'),
      }),
      onGood('revoked-job', { signingJobArn: jobArn('job-r') }),
      onGood('layered', { layers: [{ arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:utils:3` }] }),
      onGood('versioned', {
        versions: [
          {
            version: '1',
            arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:versioned:1`,
            aliases: ['live'],
            layers: [],
          },
        ],
      }),
    ],
    codeSigningConfigs: [warn, good],
    signingProfiles: [aProfile(), revoked],
    signingJobs: [aJob(), aJob({ jobId: 'job-r', isRevoked: true })],
  });
  const config = defaultConfig();
  const evaluation = evaluate(fleet, config, { now: NOW });
  const p = buildPlan(fleet, evaluation, config, {
    stage: 'enforce',
    only: [],
    requireReady: false,
    splitShared: false,
    now: NOW,
  });
  const failed = new Set(evaluation.findings.filter((f) => f.status === 'FAIL').map((f) => f.ruleId));
  const configured = new Set([...p.steps.flatMap((s) => s.ruleIds), ...p.refused.flatMap((r) => r.ruleIds)]);
  const manual = new Set(p.manual.map((m) => m.ruleId));

  for (const { meta } of RULES) {
    it(`${meta.id}: ${meta.planner ?? 'outside the plan'}`, () => {
      if (meta.planner) expect(failed, 'the fleet makes this rule fail').toContain(meta.id);
      expect(configured.has(meta.id)).toBe(meta.planner === 'configuration');
      expect(manual.has(meta.id)).toBe(meta.planner === 'manual-step');
    });
  }
});
