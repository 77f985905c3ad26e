import { describe, expect, it } from 'vitest';
import { functionHasCodeSigningConfig as rule } from '../../src/rules/function-has-code-signing-config.js';
import { aCsc, aFunction, aSnapshot, coverage, runRule } from '../helpers/builders.js';

describe('SGN-001 function-has-code-signing-config', () => {
  it('passes a function with a CSC and fails one without', () => {
    const csc = aCsc();
    const ok = aFunction({ name: 'ok', codeSigningConfig: { state: 'attached', id: csc.id } });
    const bad = aFunction({ name: 'bad' });
    const out = runRule(rule, aSnapshot({ functions: [ok, bad], codeSigningConfigs: [csc] }));
    expect(out.map((o) => [o.resource.name, o.status])).toEqual([
      ['ok', 'PASS'],
      ['bad', 'FAIL'],
    ]);
    expect(out[1]!.message).toMatch(/no code signing configuration/);
  });

  it('marks container-image functions not applicable, with the reason', () => {
    const out = runRule(rule, aSnapshot({ functions: [aFunction({ packageType: 'Image' })] }));
    expect(out[0]!.status).toBe('NOT_APPLICABLE');
    expect(out[0]!.message).toMatch(/container-image/i);
  });

  it('answers UNKNOWN, never PASS, when attachments could not be collected', () => {
    const snapshot = aSnapshot({
      functions: [aFunction()],
      coverage: [...coverage('ok', ['functions']), ...coverage('failed', ['cscAttachments'])],
      collectionErrors: [
        {
          service: 'lambda',
          operation: 'ListFunctionsByCodeSigningConfig',
          accountId: '123456789012',
          region: 'us-east-1',
          errorCode: 'AccessDeniedException',
          message: 'denied',
          parts: ['cscAttachments'],
        },
      ],
    });
    const out = runRule(rule, snapshot);
    expect(out[0]!.status).toBe('UNKNOWN');
    expect(out[0]!.message).toMatch(/AccessDeniedException/);
  });

  it('answers UNKNOWN for a CSC reference that cannot be resolved', () => {
    const out = runRule(
      rule,
      aSnapshot({
        functions: [
          aFunction({ codeSigningConfig: { state: 'unresolved', reason: 'Fn::ImportValue shared-csc' } }),
        ],
      }),
    );
    expect(out[0]!.status).toBe('UNKNOWN');
    expect(out[0]!.message).toMatch(/ImportValue/);
  });
});
