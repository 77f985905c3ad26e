import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { evaluate, findingId } from '../../src/engine/evaluate.js';
import { functionRef } from '../../src/model/refs.js';
import type { LambdaFunction } from '../../src/model/snapshot.js';
import { defineRule, type Rule } from '../../src/rules/rule.js';
import { aFunction, aSnapshot, NOW } from '../helpers/builders.js';

const config = (raw: unknown = {}) => ConfigSchema.parse(raw);
const sgn001 = (findings: ReturnType<typeof evaluate>['findings'], name: string) =>
  findings.find((f) => f.ruleId === 'SGN-001' && f.resource.name === name)!;

describe('evaluate', () => {
  const snapshot = aSnapshot({
    functions: [
      aFunction({ name: 'prod-api', tags: { env: 'prod' } }),
      aFunction({ name: 'legacy-job' }),
      aFunction({ name: 'sandbox-x' }),
    ],
  });

  it('raises severity for production functions and applies config overrides', () => {
    const { findings } = evaluate(snapshot, config(), { now: NOW });
    expect(sgn001(findings, 'prod-api').severity).toBe('critical');
    expect(sgn001(findings, 'legacy-job').severity).toBe('high');
    const overridden = evaluate(snapshot, config({ severity: { 'SGN-001': 'low' } }), { now: NOW }).findings;
    expect(sgn001(overridden, 'prod-api').severity).toBe('low');
  });

  it('mutes findings matched by a live exception, keeps them, and ignores expired exceptions', () => {
    const raw = {
      exceptions: [
        {
          rule: 'SGN-001',
          resource: '*:function:legacy-*',
          reason: 'vendor migration SEC-1',
          expires: '2027-01-31',
        },
        { rule: 'SGN-001', resource: 'prod-api', reason: 'old', expires: '2026-01-01' },
      ],
    };
    const { findings } = evaluate(snapshot, config(raw), { now: NOW });
    const legacy = sgn001(findings, 'legacy-job');
    expect(legacy.status).toBe('FAIL');
    expect(legacy.muted).toEqual({
      reason: 'vendor migration SEC-1',
      expires: '2027-01-31',
      source: 'config',
    });
    expect(sgn001(findings, 'prod-api').muted).toBeUndefined();
  });

  it('honours inline suppressions on IaC resources', () => {
    const fn = aFunction({
      name: 'tpl',
      provenance: {
        source: 'iac',
        format: 'cloudformation',
        file: 't.yaml',
        line: 3,
        column: 3,
        logicalId: 'Fn',
        suppressions: [{ ruleId: 'SGN-001', reason: 'signed elsewhere' }],
      },
    });
    const { findings } = evaluate({ ...aSnapshot({ functions: [fn] }), source: 'iac' }, config(), {
      now: NOW,
    });
    expect(sgn001(findings, 'tpl').muted).toEqual({ reason: 'signed elsewhere', source: 'inline' });
  });

  it('reports out-of-scope failures as not applicable', () => {
    const { findings } = evaluate(snapshot, config({ scope: { exclude: [{ names: ['sandbox-*'] }] } }), {
      now: NOW,
    });
    const f = sgn001(findings, 'sandbox-x');
    expect([f.status, f.inScope]).toEqual(['NOT_APPLICABLE', false]);
    expect(f.message).toMatch(/Out of scope/);
  });

  const meta = {
    id: 'SGN-999',
    slug: 'broken',
    title: 't',
    severity: 'low',
    rationale: 'r',
    remediation: 'r',
    resourceType: 'function',
    requires: ['functions'],
    sources: ['aws'],
  } as const satisfies Rule['meta'];

  it('turns a rule that throws before naming resources into one ERROR finding and keeps running the others', () => {
    const broken = defineRule<LambdaFunction>({
      meta: { ...meta, requires: [...meta.requires] },
      targets: () => {
        throw new Error('boom');
      },
      resourceOf: functionRef,
      check: () => [],
    });
    const ok: Rule = {
      ...broken,
      meta: { ...broken.meta, id: 'SGN-998' },
      targets: () => [],
    };
    const { findings, rules } = evaluate(snapshot, config(), { now: NOW, rules: [broken, ok] });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: 'ERROR',
      ruleId: 'SGN-999',
      message: expect.stringMatching(/boom/),
    });
    expect(rules).toHaveLength(2);
  });

  it('turns a check that throws on one resource into an ERROR for that resource and judges the others', () => {
    const picky = defineRule<LambdaFunction>({
      meta: { ...meta, requires: [...meta.requires] },
      targets: (ctx) => ctx.snapshot.functions,
      resourceOf: functionRef,
      check: (_ctx, fn) => {
        if (fn.name === 'legacy-job') throw new Error('odd runtime');
        return { status: 'FAIL', resource: functionRef(fn), message: `${fn.name} fails` };
      },
    });
    const { findings } = evaluate(snapshot, config(), { now: NOW, rules: [picky] });
    expect(findings.map((f) => [f.resource.name, f.status])).toEqual([
      ['prod-api', 'FAIL'],
      ['legacy-job', 'ERROR'],
      ['sandbox-x', 'FAIL'],
    ]);
    expect(findings[1]!.message).toMatch(/legacy-job: odd runtime/);
  });

  it('answers UNKNOWN for a resource whose required parts were not collected, whatever the rule said', () => {
    const liar = defineRule<LambdaFunction>({
      meta: { ...meta, requires: ['functions', 'signingJobs'] },
      targets: (ctx) => ctx.snapshot.functions,
      resourceOf: functionRef,
      check: (_ctx, fn) => ({ status: 'PASS', resource: functionRef(fn), message: 'fine' }),
    });
    const partial = {
      ...snapshot,
      coverage: snapshot.coverage.map((c) =>
        c.part === 'signingJobs' ? { ...c, status: 'failed' as const } : c,
      ),
    };
    const { findings } = evaluate(partial, config(), { now: NOW, rules: [liar] });
    expect(findings.map((f) => f.status)).toEqual(['UNKNOWN', 'UNKNOWN', 'UNKNOWN']);
    expect(findings[0]!.message).toMatch(/signingJobs could not be collected/);
    const narrowed = defineRule<LambdaFunction>({
      ...liar,
      check: (_ctx, fn) => ({
        status: 'NOT_APPLICABLE',
        resource: functionRef(fn),
        message: 'n/a',
        requires: ['functions'],
      }),
    });
    expect(evaluate(partial, config(), { now: NOW, rules: [narrowed] }).findings[0]!.status).toBe(
      'NOT_APPLICABLE',
    );
  });

  it('gives findings deterministic ids from rule and resource', () => {
    const a = evaluate(snapshot, config(), { now: NOW }).findings;
    const b = evaluate(snapshot, config(), { now: NOW }).findings;
    expect(a.map((f) => f.id)).toEqual(b.map((f) => f.id));
    expect(sgn001(a, 'prod-api').id).toBe(findingId('SGN-001', snapshot.functions[0]!.id));
  });
});
