// The engine's policy around rule outcomes: severity (production, overrides), scope, exceptions (live,
// lapsed, wildcard, by id / ARN / name), inline suppressions, tags that could not be read, and how
// versions and CSCs inherit the classification of their functions. A scripted rule returns exactly the
// outcomes each case needs, so every assertion is about what the engine did with them.
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { evaluate, findingId, policyFromConfig } from '../../src/engine/evaluate.js';
import type { ResourceRef, Status } from '../../src/model/finding.js';
import { cscRef, functionRef } from '../../src/model/refs.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { defineRule, type Rule, type RuleOutcome } from '../../src/rules/rule.js';
import { ACCOUNT, aCsc, aFunction, aSnapshot, coverage, NOW, REGION } from '../helpers/builders.js';

const config = (raw: unknown = {}) => ConfigSchema.parse(raw);

interface Scripted {
  resource: ResourceRef;
  status: Exclude<Status, 'ERROR'>;
  details?: Record<string, unknown>;
}

function scriptedRule(
  outcomes: Scripted[],
  over: Partial<Rule['meta']> = {},
  sources: Snapshot['source'][] = ['aws', 'iac'],
): Rule {
  return defineRule<Scripted>({
    meta: {
      id: 'SGN-900',
      slug: 'scripted',
      title: 'Scripted rule',
      severity: 'medium',
      productionSeverity: 'critical',
      rationale: 'r',
      remediation: 'Fix it.',
      resourceType: 'function',
      requires: [],
      sources,
      ...over,
    },
    targets: () => outcomes,
    resourceOf: (o) => o.resource,
    check: (_ctx, o): RuleOutcome => ({
      status: o.status,
      resource: o.resource,
      message: `${o.resource.name} is ${o.status}`,
      ...(o.details ? { details: o.details } : {}),
    }),
  });
}

const prod = aFunction({ name: 'pay-api', tags: { env: 'prod' } });
const dev = aFunction({ name: 'dev-tool', tags: { env: 'dev' } });
const legacy = aFunction({ name: 'legacy-job' });
const snapshot = aSnapshot({ functions: [prod, dev, legacy] });

function run(outcomes: Scripted[], raw: unknown = {}, snap: Snapshot = snapshot, over = {}) {
  return evaluate(snap, config(raw), { now: NOW, rules: [scriptedRule(outcomes, over)] }).findings;
}

describe('severity', () => {
  it('uses the production severity for production resources and the base severity otherwise', () => {
    const [p, d] = run([
      { resource: functionRef(prod), status: 'FAIL' },
      { resource: functionRef(dev), status: 'FAIL' },
    ]);
    expect([p!.severity, p!.production]).toEqual(['critical', true]);
    expect([d!.severity, d!.production]).toEqual(['medium', false]);
  });

  it('falls back to the base severity when a rule names no production severity', () => {
    const [p] = run([{ resource: functionRef(prod), status: 'FAIL' }], {}, snapshot, {
      productionSeverity: undefined,
    });
    expect(p!.severity).toBe('medium');
  });

  it('lets the config override a rule’s severity for every resource, production or not', () => {
    const findings = run(
      [
        { resource: functionRef(prod), status: 'FAIL' },
        { resource: functionRef(dev), status: 'FAIL' },
      ],
      { severity: { 'SGN-900': 'low', 'SGN-001': 'info' } },
    );
    expect(findings.map((f) => f.severity)).toEqual(['low', 'low']);
  });
});

describe('finding fields', () => {
  it('carries the rule’s identity, the resource, the message and the remediation', () => {
    const [f] = run([{ resource: functionRef(dev), status: 'FAIL', details: { reason: 'x' } }]);
    expect(f).toEqual({
      id: findingId('SGN-900', dev.id),
      ruleId: 'SGN-900',
      slug: 'scripted',
      title: 'Scripted rule',
      status: 'FAIL',
      severity: 'medium',
      resource: functionRef(dev),
      message: 'dev-tool is FAIL',
      remediation: 'Fix it.',
      production: false,
      inScope: true,
      details: { reason: 'x' },
    });
  });

  it('gives different ids to different rules and resources', () => {
    expect(findingId('SGN-001', 'a')).toMatch(/^[0-9a-f]{24}$/);
    expect(findingId('SGN-001', 'a')).not.toBe(findingId('SGN-002', 'a'));
    expect(findingId('SGN-001', 'a')).not.toBe(findingId('SGN-001', 'b'));
  });

  it('runs only the rules written for the snapshot’s source', () => {
    const awsOnly = scriptedRule([{ resource: functionRef(dev), status: 'FAIL' }], {}, ['aws']);
    const iacOnly = scriptedRule([{ resource: functionRef(dev), status: 'FAIL' }], { id: 'SGN-901' }, [
      'iac',
    ]);
    const result = evaluate(snapshot, config(), { now: NOW, rules: [awsOnly, iacOnly] });
    expect(result.rules.map((r) => r.meta.id)).toEqual(['SGN-900']);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['SGN-900']);
  });
});

describe('scope', () => {
  const excludeDev = { scope: { exclude: [{ names: ['dev-*'] }] } };

  it('turns out-of-scope FAIL and UNKNOWN into NOT_APPLICABLE and says why, keeping the rule’s message', () => {
    const findings = run(
      [
        { resource: functionRef(dev), status: 'FAIL' },
        { resource: functionRef(dev), status: 'UNKNOWN' },
      ],
      excludeDev,
    );
    for (const f of findings) {
      expect(f.status).toBe('NOT_APPLICABLE');
      expect(f.inScope).toBe(false);
    }
    expect(findings.map((f) => f.message)).toEqual([
      'Out of scope per signet config (scope.include/exclude): dev-tool is FAIL',
      'Out of scope per signet config (scope.include/exclude): dev-tool is UNKNOWN',
    ]);
  });

  it('keeps PASS and NOT_APPLICABLE as they are out of scope, and leaves in-scope FAILs alone', () => {
    const findings = run(
      [
        { resource: functionRef(dev), status: 'PASS' },
        { resource: functionRef(dev), status: 'NOT_APPLICABLE' },
        { resource: functionRef(prod), status: 'FAIL' },
      ],
      excludeDev,
    );
    expect(findings.map((f) => [f.status, f.inScope, f.message])).toEqual([
      ['PASS', false, 'dev-tool is PASS'],
      ['NOT_APPLICABLE', false, 'dev-tool is NOT_APPLICABLE'],
      ['FAIL', true, 'pay-api is FAIL'],
    ]);
  });

  it('does not mute an out-of-scope finding, even when an exception matches it', () => {
    const [f] = run([{ resource: functionRef(dev), status: 'FAIL' }], {
      ...excludeDev,
      exceptions: [{ rule: '*', resource: 'dev-tool', reason: 'accepted' }],
    });
    expect(f!.status).toBe('NOT_APPLICABLE');
    expect(f!.muted).toBeUndefined();
  });

  it('judges a published version by its function’s scope and production class', () => {
    const version: ResourceRef = {
      ...functionRef(prod),
      type: 'function-version',
      id: `${prod.id}:7`,
      name: 'pay-api:7',
    };
    const devVersion: ResourceRef = { ...functionRef(dev), type: 'function-version', id: `${dev.id}:3` };
    const [v, d] = run(
      [
        { resource: version, status: 'FAIL' },
        { resource: devVersion, status: 'FAIL' },
      ],
      excludeDev,
    );
    expect([v!.severity, v!.production, v!.inScope]).toEqual(['critical', true, true]);
    expect([d!.status, d!.inScope]).toEqual(['NOT_APPLICABLE', false]);
  });

  it('judges a CSC by the functions that use it: in scope and production when any of them is', () => {
    const shared = aCsc({ suffix: 'shared' });
    const devOnly = aCsc({ suffix: 'dev' });
    const unused = aCsc({ suffix: 'unused' });
    const attach = (fn: typeof prod, id: string) => ({
      ...fn,
      codeSigningConfig: { state: 'attached' as const, id },
    });
    const snap = aSnapshot({
      functions: [attach(prod, shared.id), attach(dev, shared.id), attach(legacy, devOnly.id)],
      codeSigningConfigs: [shared, devOnly, unused],
    });
    const findings = run(
      [shared, devOnly, unused].map((csc) => ({ resource: cscRef(csc), status: 'FAIL' as const })),
      { scope: { exclude: [{ names: ['legacy-*'] }] } },
      snap,
    );
    expect(findings.map((f) => [f.status, f.severity, f.production, f.inScope])).toEqual([
      ['FAIL', 'critical', true, true],
      ['NOT_APPLICABLE', 'medium', false, false],
      // A CSC no function uses is in scope (it can be attached tomorrow) and not production.
      ['FAIL', 'medium', false, true],
    ]);
  });

  it('treats other resources (signing profiles, accounts) as in scope and not production', () => {
    const profile: ResourceRef = {
      type: 'signing-profile',
      id: 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/dev_tool',
      name: 'dev-tool',
      provenance: { source: 'aws', arn: 'x', accountId: ACCOUNT, region: REGION },
    };
    const [f] = run([{ resource: profile, status: 'FAIL' }], {
      scope: { include: [{ names: ['nothing'] }] },
      production: [{ names: ['*'] }],
    });
    expect([f!.status, f!.production, f!.inScope, f!.severity]).toEqual(['FAIL', false, true, 'medium']);
  });

  it('treats a function resource missing from the snapshot as in scope and not production', () => {
    const ghost = functionRef(aFunction({ name: 'ghost', tags: { env: 'prod' } }));
    const [f] = run(
      [{ resource: { ...ghost, id: 'arn:aws:lambda:us-east-1:1:function:ghost' }, status: 'FAIL' }],
      {
        scope: { include: [{ names: ['nothing'] }] },
      },
    );
    expect([f!.status, f!.production, f!.inScope]).toEqual(['FAIL', false, true]);
  });
});

describe('exceptions', () => {
  const fail = (fn = legacy): Scripted => ({ resource: functionRef(fn), status: 'FAIL' });

  it('mutes by resource name, id or ARN, with wildcards, for the named rule or every rule', () => {
    for (const exception of [
      { rule: 'SGN-900', resource: 'legacy-job' },
      { rule: 'SGN-900', resource: legacy.id },
      { rule: '*', resource: '*:function:legacy-*' },
      { rule: '*', resource: 'legacy*' },
    ]) {
      const [f] = run([fail()], { exceptions: [{ ...exception, reason: 'vendor code' }] });
      expect(f!.muted, JSON.stringify(exception)).toEqual({ reason: 'vendor code', source: 'config' });
      expect(f!.status).toBe('FAIL');
    }
  });

  it('does not mute another rule’s finding or another resource', () => {
    const findings = run([fail(), fail(prod)], {
      exceptions: [
        { rule: 'SGN-001', resource: 'legacy-job', reason: 'other rule' },
        { rule: 'SGN-900', resource: 'legacy', reason: 'not a wildcard' },
      ],
    });
    expect(findings.map((f) => f.muted)).toEqual([undefined, undefined]);
  });

  it('mutes FAIL and UNKNOWN only: PASS, NOT_APPLICABLE and ERROR stay unmuted', () => {
    const exceptions = [{ rule: '*', resource: '*', reason: 'blanket', expires: '2027-06-30' }];
    const findings = run(
      (['FAIL', 'UNKNOWN', 'PASS', 'NOT_APPLICABLE'] as const).map((status) => ({
        resource: functionRef(legacy),
        status,
      })),
      { exceptions },
    );
    expect(findings.map((f) => f.muted)).toEqual([
      { reason: 'blanket', source: 'config', expires: '2027-06-30' },
      { reason: 'blanket', source: 'config', expires: '2027-06-30' },
      undefined,
      undefined,
    ]);
    const thrower = defineRule<string>({
      meta: { ...scriptedRule([]).meta },
      targets: () => ['legacy-job'],
      resourceOf: () => functionRef(legacy),
      check: () => {
        throw new Error('bad data');
      },
    });
    const [error] = evaluate(snapshot, config({ exceptions }), { now: NOW, rules: [thrower] }).findings;
    expect([error!.status, error!.muted]).toEqual(['ERROR', undefined]);
  });

  it('applies an exception through its last day and says when it lapsed after that', () => {
    const exceptions = [
      { rule: 'SGN-900', resource: 'legacy-job', reason: 'migration SEC-1', expires: '2026-11-28' },
    ];
    const onTheDay = evaluate(snapshot, config({ exceptions }), {
      now: new Date('2026-11-28T23:59:00Z'),
      rules: [scriptedRule([fail()])],
    }).findings[0]!;
    expect(onTheDay.muted).toEqual({ reason: 'migration SEC-1', source: 'config', expires: '2026-11-28' });
    expect(onTheDay.message).toBe('legacy-job is FAIL');
    const dayAfter = evaluate(snapshot, config({ exceptions }), {
      now: new Date('2026-11-29T00:00:01Z'),
      rules: [scriptedRule([fail()])],
    }).findings[0]!;
    expect(dayAfter.muted).toBeUndefined();
    expect(dayAfter.message).toBe(
      'legacy-job is FAIL (The exception for this finding expired on 2026-11-28: "migration SEC-1"; renew or remove it.)',
    );
    expect(dayAfter.details).toEqual({
      expiredException: { reason: 'migration SEC-1', expires: '2026-11-28' },
    });
  });

  it('uses a live exception over a lapsed one, and notes lapses only on FAIL and UNKNOWN', () => {
    const exceptions = [
      { rule: '*', resource: 'legacy-job', reason: 'old', expires: '2025-01-01' },
      { rule: '*', resource: 'legacy-job', reason: 'renewed', expires: '2027-01-01' },
    ];
    const [muted] = run([fail()], { exceptions });
    expect(muted!.muted?.reason).toBe('renewed');
    expect(muted!.message).toBe('legacy-job is FAIL');
    expect(muted!.details).toBeUndefined();
    const lapsedOnly = [exceptions[0]!];
    const findings = run(
      (['UNKNOWN', 'PASS', 'NOT_APPLICABLE'] as const).map((status) => ({
        resource: functionRef(legacy),
        status,
      })),
      { exceptions: lapsedOnly },
    );
    expect(findings.map((f) => f.details?.expiredException !== undefined)).toEqual([true, false, false]);
    const [outOfScope] = run([fail()], {
      exceptions: lapsedOnly,
      scope: { exclude: [{ names: ['legacy-*'] }] },
    });
    expect(outOfScope!.message).not.toContain('expired');
  });

  it('keeps the rule’s details next to the lapse note', () => {
    const [f] = run([{ ...fail(), details: { csc: 'none' } }], {
      exceptions: [{ rule: '*', resource: 'legacy-job', reason: 'old', expires: '2025-01-01' }],
    });
    expect(f!.details).toEqual({ csc: 'none', expiredException: { reason: 'old', expires: '2025-01-01' } });
  });

  it('honours inline suppressions on templates for the rule or `*`, after config exceptions', () => {
    const template = (suppressions: { ruleId: string; reason: string }[]) =>
      aFunction({
        name: 'Tpl',
        accountId: undefined,
        region: undefined,
        provenance: {
          source: 'iac',
          format: 'cloudformation',
          file: 't.yaml',
          line: 3,
          column: 3,
          logicalId: 'Tpl',
          suppressions,
        },
      });
    const judge = (fn: ReturnType<typeof template>, raw: unknown = {}) =>
      evaluate({ ...aSnapshot({ functions: [fn] }), source: 'iac' }, config(raw), {
        now: NOW,
        rules: [scriptedRule([{ resource: functionRef(fn), status: 'FAIL' }])],
      }).findings[0]!.muted;
    expect(judge(template([{ ruleId: '*', reason: 'all rules' }]))).toEqual({
      reason: 'all rules',
      source: 'inline',
    });
    expect(judge(template([{ ruleId: 'SGN-900', reason: 'this rule' }]))).toEqual({
      reason: 'this rule',
      source: 'inline',
    });
    expect(judge(template([{ ruleId: 'SGN-001', reason: 'other rule' }]))).toBeUndefined();
    expect(
      judge(template([{ ruleId: '*', reason: 'inline' }]), {
        exceptions: [{ rule: '*', resource: 'Tpl', reason: 'config' }],
      }),
    ).toEqual({ reason: 'config', source: 'config' });
  });
});

describe('tags that could not be read', () => {
  const tagsFailed = aSnapshot({
    functions: [dev],
    coverage: coverage().map((c) => (c.part === 'tags' ? { ...c, status: 'failed' as const } : c)),
  });

  it('classifies conservatively (production, in scope) and says so on the finding', () => {
    const [f] = run([{ resource: functionRef(dev), status: 'FAIL' }], {}, tagsFailed);
    expect([f!.status, f!.severity, f!.production, f!.inScope]).toEqual(['FAIL', 'critical', true, true]);
    expect(f!.message).toBe(
      `dev-tool is FAIL (Tags of ${ACCOUNT}/${REGION} could not be read, so this resource is treated as production and in scope.)`,
    );
    expect(f!.details).toEqual({ classification: 'assumed: tags unreadable' });
  });

  it('keeps a tag-based scope.exclude from hiding the FAIL', () => {
    const [f] = run(
      [{ resource: functionRef(dev), status: 'FAIL' }],
      { scope: { exclude: [{ tags: { env: 'dev' } }] } },
      tagsFailed,
    );
    expect([f!.status, f!.inScope]).toEqual(['FAIL', true]);
    const [known] = run([{ resource: functionRef(dev), status: 'FAIL' }], {
      scope: { exclude: [{ tags: { env: 'dev' } }] },
    });
    expect([known!.status, known!.inScope]).toEqual(['NOT_APPLICABLE', false]);
  });

  it('carries the assumption to a CSC used by such a function', () => {
    const csc = aCsc();
    const snap = {
      ...tagsFailed,
      functions: [{ ...dev, codeSigningConfig: { state: 'attached' as const, id: csc.id } }],
      codeSigningConfigs: [csc],
    };
    const [f] = run([{ resource: cscRef(csc), status: 'FAIL' }], {}, snap);
    expect(f!.details).toEqual({ classification: 'assumed: tags unreadable' });
    expect(f!.production).toBe(true);
  });

  it('does not claim an assumption when tags were read', () => {
    const [f] = run([{ resource: functionRef(dev), status: 'FAIL' }]);
    expect(f!.message).toBe('dev-tool is FAIL');
    expect(f!.details).toBeUndefined();
  });
});

describe('policyFromConfig', () => {
  it('passes trust, version, validity, pipeline and lookback settings to the rules', () => {
    const pipeline = {
      deployers: ['arn:aws:iam::123456789012:role/deploy'],
      signers: ['arn:aws:iam::123456789012:role/sign'],
      admins: [],
    };
    expect(
      policyFromConfig(
        config({
          trust: { signingProfiles: ['arn:aws:signer:*'], accounts: ['210987654321'] },
          rules: { versions: 'all', maxSignatureValidityDays: 365 },
          pipeline,
          lookback: '12w',
        }),
      ),
    ).toEqual({
      trustedSigningProfiles: ['arn:aws:signer:*'],
      trustedAccounts: ['210987654321'],
      versions: 'all',
      maxSignatureValidityDays: 365,
      pipeline,
      lookbackDays: 84,
    });
    expect(policyFromConfig(config())).not.toHaveProperty('pipeline');
  });
});
