// One rule over a snapshot: a throwing check is one ERROR for its resource, a rule that fails before
// naming resources is one ERROR for all of them, and `requires` makes results on uncollected data UNKNOWN.
import { describe, expect, it } from 'vitest';
import { runRule, unknownForMissingParts } from '../../src/engine/run-rule.js';
import type { ResourceRef } from '../../src/model/finding.js';
import { functionRef } from '../../src/model/refs.js';
import type { LambdaFunction, Snapshot, SnapshotPart } from '../../src/model/snapshot.js';
import { SnapshotIndex } from '../../src/model/snapshot-index.js';
import { defineRule, type Rule, type RuleContext, type RuleOutcome } from '../../src/rules/rule.js';
import { ACCOUNT, aFunction, aSnapshot, coverage, NOW, REGION } from '../helpers/builders.js';

function ctxFor(snapshot: Snapshot): RuleContext {
  return {
    snapshot,
    index: new SnapshotIndex(snapshot),
    policy: {
      trustedSigningProfiles: [],
      trustedAccounts: [],
      versions: 'aliased',
      maxSignatureValidityDays: 1095,
    },
    now: NOW,
  };
}

const meta = {
  id: 'SGN-950',
  slug: 'probe',
  title: 'Probe',
  severity: 'low',
  rationale: 'r',
  remediation: 'r',
  resourceType: 'function',
  sources: ['aws', 'iac'],
} as const;

function probe(requires: SnapshotPart[], check: (fn: LambdaFunction) => RuleOutcome | RuleOutcome[]): Rule {
  return defineRule<LambdaFunction>({
    meta: { ...meta, sources: [...meta.sources], requires },
    targets: (ctx) => ctx.snapshot.functions,
    resourceOf: functionRef,
    check: (_ctx, fn) => check(fn),
  });
}

const withStatus = (part: SnapshotPart, status: 'failed' | 'not-collected') =>
  coverage().map((c) => (c.part === part ? { ...c, status } : c));

describe('runRule', () => {
  const a = aFunction({ name: 'a' });
  const b = aFunction({ name: 'b' });

  it('returns each outcome of each target in order, without the outcome’s own `requires`', () => {
    const rule = probe(['functions'], (fn) => [
      { status: 'PASS', resource: functionRef(fn), message: `${fn.name} 1`, requires: ['functions'] },
      { status: 'FAIL', resource: functionRef(fn), message: `${fn.name} 2`, details: { k: 1 } },
    ]);
    const results = runRule(rule, ctxFor(aSnapshot({ functions: [a, b] })));
    expect(results).toEqual([
      { status: 'PASS', resource: functionRef(a), message: 'a 1' },
      { status: 'FAIL', resource: functionRef(a), message: 'a 2', details: { k: 1 } },
      { status: 'PASS', resource: functionRef(b), message: 'b 1' },
      { status: 'FAIL', resource: functionRef(b), message: 'b 2', details: { k: 1 } },
    ]);
  });

  it('makes PASS, FAIL and NOT_APPLICABLE UNKNOWN when a declared part failed, naming the call', () => {
    const snapshot = aSnapshot({
      functions: [a],
      coverage: withStatus('signingJobs', 'failed'),
      collectionErrors: [
        {
          service: 'signer',
          operation: 'ListSigningJobs',
          accountId: ACCOUNT,
          region: REGION,
          errorCode: 'ThrottlingException',
          message: 'slow down',
          parts: ['signingJobs'],
        },
      ],
    });
    for (const status of ['PASS', 'FAIL', 'NOT_APPLICABLE'] as const) {
      const rule = probe(['functions', 'signingJobs'], (fn) => ({
        status,
        resource: functionRef(fn),
        message: 'x',
      }));
      expect(runRule(rule, ctxFor(snapshot))).toEqual([
        {
          status: 'UNKNOWN',
          resource: functionRef(a),
          message: `Cannot tell: signingJobs could not be collected for ${ACCOUNT}/${REGION} (signer:ListSigningJobs failed with ThrottlingException); fix access and scan again.`,
          details: { missingPart: 'signingJobs' },
        },
      ]);
    }
  });

  it('says "were not collected" for a part that was never asked for, with no cause', () => {
    const rule = probe(['cloudtrail'], (fn) => ({ status: 'PASS', resource: functionRef(fn), message: 'x' }));
    const [result] = runRule(
      rule,
      ctxFor(aSnapshot({ functions: [a], coverage: withStatus('cloudtrail', 'not-collected') })),
    );
    expect(result!.message).toBe(
      `Cannot tell: cloudtrail were not collected for ${ACCOUNT}/${REGION}; fix access and scan again.`,
    );
  });

  it('keeps the rule’s own UNKNOWN (and its message) even when parts are missing', () => {
    const rule = probe(['signingJobs'], (fn) => ({
      status: 'UNKNOWN',
      resource: functionRef(fn),
      message: 'own reason',
    }));
    const [result] = runRule(
      rule,
      ctxFor(aSnapshot({ functions: [a], coverage: withStatus('signingJobs', 'failed') })),
    );
    expect(result).toEqual({ status: 'UNKNOWN', resource: functionRef(a), message: 'own reason' });
  });

  it('checks only the parts an outcome names, and only those the rule declared', () => {
    const snapshot = aSnapshot({ functions: [a], coverage: withStatus('signingJobs', 'failed') });
    const narrowed = probe(['functions', 'signingJobs'], (fn) => ({
      status: 'NOT_APPLICABLE',
      resource: functionRef(fn),
      message: 'image',
      requires: ['functions'],
    }));
    expect(runRule(narrowed, ctxFor(snapshot))[0]!.status).toBe('NOT_APPLICABLE');
    // An outcome cannot widen the declaration: an undeclared part it names is ignored.
    const widened = probe(['functions'], (fn) => ({
      status: 'PASS',
      resource: functionRef(fn),
      message: 'ok',
      requires: ['functions', 'signingJobs'],
    }));
    expect(runRule(widened, ctxFor(snapshot))[0]!.status).toBe('PASS');
    // Without an outcome-level list, every declared part counts.
    const declared = probe(['functions', 'signingJobs'], (fn) => ({
      status: 'PASS',
      resource: functionRef(fn),
      message: 'ok',
    }));
    expect(runRule(declared, ctxFor(snapshot))[0]!.status).toBe('UNKNOWN');
  });

  it('turns a throwing check into an ERROR for that resource only', () => {
    const rule = probe(['functions'], (fn) => {
      if (fn.name === 'a') throw new Error('odd runtime');
      return { status: 'PASS', resource: functionRef(fn), message: 'fine' };
    });
    expect(runRule(rule, ctxFor(aSnapshot({ functions: [a, b] })))).toEqual([
      {
        status: 'ERROR',
        resource: functionRef(a),
        message: 'Rule SGN-950 failed on a: odd runtime; its other resources were still judged.',
      },
      { status: 'PASS', resource: functionRef(b), message: 'fine' },
    ]);
  });

  it('reports what was thrown when it is not an Error', () => {
    const rule = probe(['functions'], () => {
      throw 'a string';
    });
    expect(runRule(rule, ctxFor(aSnapshot({ functions: [a] })))[0]!.message).toBe(
      'Rule SGN-950 failed on a: a string; its other resources were still judged.',
    );
  });

  it('points the ERROR at every resource when even naming the target throws', () => {
    const rule = defineRule<LambdaFunction>({
      meta: { ...meta, sources: [...meta.sources], requires: [] },
      targets: (ctx) => ctx.snapshot.functions,
      resourceOf: () => {
        throw new Error('no name');
      },
      check: () => {
        throw new Error('broken');
      },
    });
    const [live] = runRule(rule, ctxFor(aSnapshot({ functions: [a] })));
    const everything: ResourceRef = {
      type: 'function',
      id: 'SGN-950:*',
      name: '(every resource)',
      provenance: { source: 'aws', arn: '*', accountId: '', region: '' },
    };
    expect(live).toEqual({
      status: 'ERROR',
      resource: everything,
      message: 'Rule SGN-950 failed on (every resource): broken; its other resources were still judged.',
    });
    const [iac] = runRule(rule, ctxFor({ ...aSnapshot({ functions: [a] }), source: 'iac' }));
    expect(iac!.resource.provenance).toEqual({
      source: 'iac',
      format: 'unknown',
      file: '',
      line: 1,
      column: 1,
      logicalId: '*',
    });
  });

  it('turns a rule whose targets throw into one ERROR for every resource', () => {
    const rule = defineRule<LambdaFunction>({
      meta: { ...meta, sources: [...meta.sources], requires: [], resourceType: 'signing-profile' },
      targets: () => {
        throw new TypeError('index missing');
      },
      resourceOf: functionRef,
      check: () => [],
    });
    expect(runRule(rule, ctxFor(aSnapshot({ functions: [a, b] })))).toEqual([
      {
        status: 'ERROR',
        resource: {
          type: 'signing-profile',
          id: 'SGN-950:*',
          name: '(every resource)',
          provenance: { source: 'aws', arn: '*', accountId: '', region: '' },
        },
        message: 'Rule SGN-950 failed before judging any resource: index missing; the other rules still ran.',
      },
    ]);
  });
});

describe('unknownForMissingParts', () => {
  const ref = functionRef(aFunction());

  it('is undefined when every part was collected, or when no part is required', () => {
    const ctx = ctxFor(aSnapshot());
    expect(unknownForMissingParts(ctx, ['functions', 'tags'], ref)).toBeUndefined();
    expect(unknownForMissingParts(ctxFor(aSnapshot({ coverage: [] })), [], ref)).toBeUndefined();
  });

  it('names the first missing part and a resource with no account or region as "?"', () => {
    const ctx = ctxFor(aSnapshot({ coverage: withStatus('tags', 'failed') }));
    const bare: ResourceRef = { ...ref, accountId: undefined, region: undefined };
    expect(unknownForMissingParts(ctx, ['tags'], bare)?.message).toBe(
      'Cannot tell: tags were not collected for ?/?; fix access and scan again.',
    );
    expect(unknownForMissingParts(ctx, ['functions', 'tags', 'layers'], ref)?.details).toEqual({
      missingPart: 'tags',
    });
  });
});
