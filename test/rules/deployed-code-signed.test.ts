import { describe, expect, it } from 'vitest';
import { deployedCodeSigned as rule } from '../../src/rules/deployed-code-signed.js';
import { aFunction, aProtectedSetup, aSnapshot, coverage, runRule } from '../helpers/builders.js';

describe('SGN-004 deployed-code-signed', () => {
  it('passes signed code and fails unsigned code, even behind a CSC attached later', () => {
    const { fn, csc } = aProtectedSetup({ name: 'signed' });
    const late = aFunction({ name: 'late', codeSigningConfig: { state: 'attached', id: csc.id } });
    const out = runRule(rule, aSnapshot({ functions: [fn, late], codeSigningConfigs: [csc] }));
    expect(out.map((o) => o.status)).toEqual(['PASS', 'FAIL']);
    expect(out[1]!.message).toMatch(/deployed before its Enforce CSC was attached/);
  });

  it('is not applicable to image functions and UNKNOWN without function data', () => {
    expect(runRule(rule, aSnapshot({ functions: [aFunction({ packageType: 'Image' })] }))[0]!.status).toBe(
      'NOT_APPLICABLE',
    );
    expect(
      runRule(rule, aSnapshot({ functions: [aFunction()], coverage: coverage('failed', ['functions']) }))[0]!
        .status,
    ).toBe('UNKNOWN');
  });
});
