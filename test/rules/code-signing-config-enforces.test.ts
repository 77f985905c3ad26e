import { describe, expect, it } from 'vitest';
import { codeSigningConfigEnforces as rule } from '../../src/rules/code-signing-config-enforces.js';
import { aCsc, aFunction, aSnapshot, coverage, runRule } from '../helpers/builders.js';

describe('SGN-002 code-signing-config-enforces', () => {
  it('passes Enforce and fails Warn, naming the default when the policy was omitted', () => {
    const enforce = aCsc({ suffix: 'e' });
    const warn = aCsc({ suffix: 'w', policy: 'Warn', policySource: 'default' });
    const out = runRule(
      rule,
      aSnapshot({
        functions: [
          aFunction({ name: 'a', codeSigningConfig: { state: 'attached', id: enforce.id } }),
          aFunction({ name: 'b', codeSigningConfig: { state: 'attached', id: warn.id } }),
        ],
        codeSigningConfigs: [enforce, warn],
      }),
    );
    expect(out.map((o) => o.status)).toEqual(['PASS', 'FAIL']);
    expect(out[1]!.message).toMatch(/defaults to Warn/);
  });

  it('is not applicable without a CSC or for image functions', () => {
    const out = runRule(
      rule,
      aSnapshot({ functions: [aFunction({ name: 'a' }), aFunction({ name: 'i', packageType: 'Image' })] }),
    );
    expect(out.map((o) => o.status)).toEqual(['NOT_APPLICABLE', 'NOT_APPLICABLE']);
  });

  it('is UNKNOWN when CSCs were not collected or the policy is unresolved', () => {
    const csc = aCsc({ policy: { unresolved: 'parameter EnforceMode has no default' } });
    const fn = aFunction({ codeSigningConfig: { state: 'attached', id: csc.id } });
    expect(runRule(rule, aSnapshot({ functions: [fn], codeSigningConfigs: [csc] }))[0]!.status).toBe(
      'UNKNOWN',
    );
    const missing = aSnapshot({
      functions: [fn],
      coverage: [
        ...coverage('ok', ['functions', 'cscAttachments']),
        ...coverage('failed', ['codeSigningConfigs']),
      ],
    });
    expect(runRule(rule, missing)[0]!.status).toBe('UNKNOWN');
  });
});

describe('SGN-002 cases (what a user reads)', () => {
  const judge = (csc: ReturnType<typeof aCsc>, source: 'aws' | 'iac' = 'aws') => {
    const fn = aFunction({ name: 'orders', codeSigningConfig: { state: 'attached', id: csc.id } });
    return runRule(rule, { ...aSnapshot({ functions: [fn], codeSigningConfigs: [csc] }), source })[0]!;
  };

  it('passes an Enforce CSC, naming it', () => {
    const csc = aCsc();
    expect(judge(csc)).toMatchObject({
      status: 'PASS',
      message: `orders's CSC ${csc.id} enforces.`,
      details: { property: 'CodeSigningPolicies', codeSigningConfig: csc.id },
    });
  });

  it('passes an Enforce that comes from a parameter default, and says so', () => {
    const noted = aCsc({ policySource: 'parameter-default', policyNote: 'parameter SigningMode' });
    expect(judge(noted).message).toBe(
      `orders's CSC ${noted.id} enforces (resolved from a parameter default: parameter SigningMode).`,
    );
    const bare = aCsc({ policySource: 'parameter-default' });
    expect(judge(bare).message).toBe(`orders's CSC ${bare.id} enforces (resolved from a parameter default).`);
  });

  it('fails an explicit Warn, a Warn by default and a Warn from a parameter default, each said differently', () => {
    const explicit = aCsc({ policy: 'Warn' });
    expect(judge(explicit)).toMatchObject({
      status: 'FAIL',
      message: `orders's CSC ${explicit.id} is set to Warn, so unsigned or untrusted code still deploys; switch it to Enforce.`,
    });
    const byDefault = aCsc({ policy: 'Warn', policySource: 'default' });
    expect(judge(byDefault).message).toBe(
      `orders's CSC ${byDefault.id} defaults to Warn (no policy set), so unsigned or untrusted code still deploys; switch it to Enforce.`,
    );
    const param = aCsc({ policy: 'Warn', policySource: 'parameter-default', policyNote: 'var.mode' });
    expect(judge(param)).toMatchObject({
      status: 'FAIL',
      message: `orders's CSC ${param.id} is set to Warn (resolved from a parameter default: var.mode), so unsigned or untrusted code still deploys; switch it to Enforce.`,
    });
  });

  it('points a template finding at the CSC policy, or at the CSC when the policy is omitted', () => {
    const iac = (properties?: Record<string, { line: number; column: number }>) =>
      aCsc({
        policy: 'Warn',
        policySource: properties ? 'explicit' : 'default',
        provenance: {
          source: 'iac',
          format: 'cloudformation',
          file: 'template.yaml',
          line: 10,
          column: 3,
          logicalId: 'Csc',
          ...(properties ? { properties } : {}),
        },
      });
    const withPolicy = iac({ CodeSigningPolicies: { line: 14, column: 7 } });
    expect(judge(withPolicy, 'iac').details).toEqual({
      property: 'CodeSigningPolicies',
      codeSigningConfig: withPolicy.id,
      location: { file: 'template.yaml', line: 14, column: 7 },
    });
    expect(judge(iac(), 'iac').details).toMatchObject({
      location: { file: 'template.yaml', line: 10, column: 3 },
    });
    expect(judge(aCsc({ policy: 'Warn' })).details).not.toHaveProperty('location');
  });

  it('is UNKNOWN, with the reason, when the policy cannot be resolved statically', () => {
    const csc = aCsc({ policy: { unresolved: 'parameter EnforceMode has no default' } });
    expect(judge(csc, 'iac')).toMatchObject({
      status: 'UNKNOWN',
      message:
        "Cannot tell whether orders's CSC enforces: its policy cannot be resolved statically (parameter EnforceMode has no default).",
      details: { property: 'CodeSigningPolicies', codeSigningConfig: csc.id },
    });
  });

  it('is UNKNOWN when the attached CSC is missing from the scan or cannot be resolved', () => {
    const ghost = 'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-ghost';
    const missing = aFunction({ name: 'a', codeSigningConfig: { state: 'attached', id: ghost } });
    const unresolved = aFunction({
      name: 'b',
      codeSigningConfig: { state: 'unresolved', reason: 'Fn::ImportValue shared-csc' },
    });
    const out = runRule(rule, aSnapshot({ functions: [missing, unresolved] }));
    expect(out.map((o) => [o.status, o.message])).toEqual([
      ['UNKNOWN', `Cannot tell whether a's CSC enforces: CSC ${ghost} was not found.`],
      ['UNKNOWN', "Cannot tell whether b's CSC enforces: Fn::ImportValue shared-csc."],
    ]);
  });

  it('sends a function without a CSC to SGN-001', () => {
    const [out] = runRule(rule, aSnapshot({ functions: [aFunction({ name: 'orders' })] }));
    expect([out!.status, out!.message]).toEqual([
      'NOT_APPLICABLE',
      'orders has no code signing configuration (see SGN-001).',
    ]);
  });

  for (const part of ['functions', 'cscAttachments', 'codeSigningConfigs'] as const) {
    it(`never passes or fails when ${part} could not be collected`, () => {
      const csc = aCsc({ policy: 'Warn' });
      const fn = aFunction({ codeSigningConfig: { state: 'attached', id: csc.id } });
      const snapshot = aSnapshot({
        functions: [fn],
        codeSigningConfigs: [csc],
        coverage: coverage('ok').map((c) => (c.part === part ? { ...c, status: 'failed' as const } : c)),
      });
      expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
    });
  }

  it('keeps an image function not applicable whatever could not be collected', () => {
    const snapshot = aSnapshot({
      functions: [aFunction({ packageType: 'Image' })],
      coverage: coverage('ok').map((c) =>
        c.part === 'codeSigningConfigs' || c.part === 'cscAttachments'
          ? { ...c, status: 'failed' as const }
          : c,
      ),
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('NOT_APPLICABLE');
  });
});
