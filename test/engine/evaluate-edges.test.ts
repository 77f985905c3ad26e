// Edge cases of the engine's classification and muting that a user meets in real fleets: versions
// numbered past 9, CSCs shared across scopes and regions, templates without suppressions, rule errors
// next to lapsed exceptions.
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { ResourceRef } from '../../src/model/finding.js';
import { cscRef, functionRef } from '../../src/model/refs.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { defineRule, type Rule } from '../../src/rules/rule.js';
import { aCsc, aFunction, aSnapshot, coverage, NOW } from '../helpers/builders.js';

const config = (raw: unknown = {}) => ConfigSchema.parse(raw);

function failing(resources: ResourceRef[], throwFor?: string): Rule {
  return defineRule<ResourceRef>({
    meta: {
      id: 'SGN-901',
      slug: 'edges',
      title: 'Edges',
      severity: 'medium',
      productionSeverity: 'critical',
      rationale: 'r',
      remediation: 'r',
      resourceType: 'function',
      requires: [],
      sources: ['aws', 'iac'],
    },
    targets: () => resources,
    resourceOf: (r) => r,
    check: (_ctx, r) => {
      if (r.name === throwFor) throw new Error('broken input');
      return { status: 'FAIL', resource: r, message: `${r.name} fails` };
    },
  });
}

const run = (snapshot: Snapshot, resources: ResourceRef[], raw: unknown = {}, throwFor?: string) =>
  evaluate(snapshot, config(raw), { now: NOW, rules: [failing(resources, throwFor)] }).findings;

describe('engine edge cases', () => {
  it('classifies version 12 of a production function as production (the whole version suffix is cut)', () => {
    const fn = aFunction({ name: 'pay', tags: { env: 'prod' } });
    const v12: ResourceRef = {
      ...functionRef(fn),
      type: 'function-version',
      id: `${fn.id}:12`,
      name: 'pay:12',
    };
    const [f] = run(aSnapshot({ functions: [fn] }), [v12]);
    expect([f!.production, f!.severity]).toEqual([true, 'critical']);
  });

  it('keeps a CSC in scope when one of its functions is, even if another is excluded', () => {
    const csc = aCsc();
    const attached = { state: 'attached' as const, id: csc.id };
    const snapshot = aSnapshot({
      functions: [
        aFunction({ name: 'keep', codeSigningConfig: attached }),
        aFunction({ name: 'drop', codeSigningConfig: attached }),
      ],
      codeSigningConfigs: [csc],
    });
    const [f] = run(snapshot, [cscRef(csc)], { scope: { exclude: [{ names: ['drop'] }] } });
    expect([f!.status, f!.inScope]).toEqual(['FAIL', true]);
  });

  it('assumes production for a CSC when the tags of any one of its functions were unreadable', () => {
    const csc = aCsc();
    const attached = { state: 'attached' as const, id: csc.id };
    const snapshot = aSnapshot({
      functions: [
        aFunction({ name: 'east', codeSigningConfig: attached }),
        { ...aFunction({ name: 'west', codeSigningConfig: attached }), region: 'us-west-2' },
      ],
      codeSigningConfigs: [csc],
      coverage: [
        ...coverage(),
        ...coverage().map((c) => ({
          ...c,
          region: 'us-west-2',
          status: c.part === 'tags' ? ('failed' as const) : ('ok' as const),
        })),
      ],
    });
    const [f] = run(snapshot, [cscRef(csc)]);
    expect(f!.production).toBe(true);
    expect(f!.details).toEqual({ classification: 'assumed: tags unreadable' });
  });

  it('says "?" for the account and region of a resource that names none when tags were unreadable', () => {
    const csc = aCsc();
    const snapshot = aSnapshot({
      functions: [aFunction({ codeSigningConfig: { state: 'attached', id: csc.id } })],
      codeSigningConfigs: [csc],
      coverage: coverage().map((c) => (c.part === 'tags' ? { ...c, status: 'failed' as const } : c)),
    });
    const bare: ResourceRef = { ...cscRef(csc), accountId: undefined, region: undefined };
    const [f] = run(snapshot, [bare]);
    expect(f!.message).toBe(
      `${bare.name} fails (Tags of ?/? could not be read, so this resource is treated as production and in scope.)`,
    );
  });

  it('judges template resources that carry no inline suppressions at all', () => {
    const fn = aFunction({
      name: 'Plain',
      accountId: undefined,
      region: undefined,
      provenance: {
        source: 'iac',
        format: 'cloudformation',
        file: 't.yaml',
        line: 1,
        column: 1,
        logicalId: 'Plain',
      },
    });
    const [f] = run({ ...aSnapshot({ functions: [fn] }), source: 'iac' }, [functionRef(fn)]);
    expect([f!.status, f!.muted]).toEqual(['FAIL', undefined]);
  });

  it('does not attach a lapsed exception’s note to a rule ERROR', () => {
    const fn = aFunction({ name: 'odd' });
    const [f] = run(
      aSnapshot({ functions: [fn] }),
      [functionRef(fn)],
      { exceptions: [{ rule: '*', resource: 'odd', reason: 'old', expires: '2025-01-01' }] },
      'odd',
    );
    expect(f!.status).toBe('ERROR');
    expect(f!.message).toBe(
      'Rule SGN-901 failed on odd: broken input; its other resources were still judged.',
    );
    expect(f!.details).toBeUndefined();
  });
});
