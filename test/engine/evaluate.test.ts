import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { evaluate, findingId } from '../../src/engine/evaluate.js';
import type { Rule } from '../../src/rules/rule.js';
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

  it('turns a throwing rule into one ERROR finding and keeps running the others', () => {
    const broken: Rule = {
      meta: {
        id: 'SGN-999',
        slug: 'broken',
        title: 't',
        severity: 'low',
        rationale: 'r',
        remediation: 'r',
        resourceType: 'function',
        requires: [],
        sources: ['aws'],
      },
      evaluate: () => {
        throw new Error('boom');
      },
    };
    const ok: Rule = { ...broken, meta: { ...broken.meta, id: 'SGN-998' }, evaluate: () => [] };
    const { findings, rules } = evaluate(snapshot, config(), { now: NOW, rules: [broken, ok] });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: 'ERROR',
      ruleId: 'SGN-999',
      message: expect.stringMatching(/boom/),
    });
    expect(rules).toHaveLength(2);
  });

  it('gives findings deterministic ids from rule and resource', () => {
    const a = evaluate(snapshot, config(), { now: NOW }).findings;
    const b = evaluate(snapshot, config(), { now: NOW }).findings;
    expect(a.map((f) => f.id)).toEqual(b.map((f) => f.id));
    expect(sgn001(a, 'prod-api').id).toBe(findingId('SGN-001', snapshot.functions[0]!.id));
  });
});
