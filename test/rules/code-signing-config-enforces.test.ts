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
