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

describe('SGN-001 cases (what a user reads)', () => {
  const csc = aCsc();

  it('names the attached CSC on a pass', () => {
    const [out] = runRule(
      rule,
      aSnapshot({
        functions: [aFunction({ name: 'checkout', codeSigningConfig: { state: 'attached', id: csc.id } })],
        codeSigningConfigs: [csc],
      }),
    );
    expect(out).toMatchObject({
      status: 'PASS',
      message: `checkout has code signing configuration ${csc.id}.`,
      details: { codeSigningConfig: csc.id },
    });
  });

  it('fails a function without a CSC, pointing at the property to set', () => {
    const [out] = runRule(rule, aSnapshot({ functions: [aFunction({ name: 'orders' })] }));
    expect(out).toMatchObject({
      status: 'FAIL',
      message:
        'orders has no code signing configuration, so any package deploys; attach a CSC in Enforce mode.',
      details: { property: 'CodeSigningConfigArn' },
    });
  });

  it('fails a template function whose CSC is empty by a parameter default, and says how to give the real value', () => {
    const fn = aFunction({
      name: 'orders',
      codeSigningConfig: { state: 'none', note: 'the default of parameter CscArn' },
    });
    const [out] = runRule(rule, { ...aSnapshot({ functions: [fn] }), source: 'iac' });
    expect(out).toMatchObject({
      status: 'FAIL',
      message:
        'orders has no code signing configuration when deployed with the default of parameter CscArn, so any package deploys; if the pipeline passes a CSC, give its value (signet iac --param/--param-file), otherwise attach a CSC in Enforce mode.',
    });
  });

  it('is UNKNOWN for an unresolvable CSC, naming the ARN it refers to when there is one', () => {
    const withArn = aFunction({
      name: 'a',
      codeSigningConfig: {
        state: 'unresolved',
        reason: 'it is defined in another stack',
        arn: 'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-shared',
      },
    });
    const without = aFunction({
      name: 'b',
      codeSigningConfig: { state: 'unresolved', reason: 'Fn::ImportValue shared-csc' },
    });
    const out = runRule(rule, aSnapshot({ functions: [withArn, without] }));
    expect(out.map((o) => o.status)).toEqual(['UNKNOWN', 'UNKNOWN']);
    expect(out[0]!.message).toBe(
      'a refers to a code signing configuration Signet cannot resolve (it is defined in another stack); scan the stack that defines it or the live account.',
    );
    expect(out[0]!.details).toEqual({
      property: 'CodeSigningConfigArn',
      codeSigningConfigArn: 'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-shared',
    });
    expect(out[1]!.details).toEqual({ property: 'CodeSigningConfigArn' });
  });

  it('is UNKNOWN, never FAIL, when functions themselves could not be listed', () => {
    const snapshot = aSnapshot({
      functions: [aFunction()],
      coverage: [...coverage('ok', ['cscAttachments']), ...coverage('failed', ['functions'])],
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });

  it('keeps an image function not applicable even when CSC attachments could not be read', () => {
    const snapshot = aSnapshot({
      functions: [aFunction({ name: 'img', packageType: 'Image' })],
      coverage: [...coverage('ok', ['functions']), ...coverage('failed', ['cscAttachments'])],
    });
    const [out] = runRule(rule, snapshot);
    expect(out).toMatchObject({
      status: 'NOT_APPLICABLE',
      message:
        'Container-image functions do not support Lambda code signing; verify images with ECR image signing instead.',
    });
  });

  it('judges each function on its own', () => {
    const out = runRule(
      rule,
      aSnapshot({
        functions: [
          aFunction({ name: 'a' }),
          aFunction({ name: 'b', codeSigningConfig: { state: 'attached', id: csc.id } }),
          aFunction({ name: 'c', packageType: 'Image' }),
          aFunction({ name: 'd' }),
        ],
        codeSigningConfigs: [csc],
      }),
    );
    expect(out.map((o) => [o.resource.name, o.status])).toEqual([
      ['a', 'FAIL'],
      ['b', 'PASS'],
      ['c', 'NOT_APPLICABLE'],
      ['d', 'FAIL'],
    ]);
  });
});

describe('SGN-001 and an incomplete function list', () => {
  it('does not call even an image function not applicable where the function list could not be read', () => {
    // The N/A rests on the function's own record; when listing failed part-way that record is what could
    // not be trusted to be complete, so the result stays UNKNOWN like every other in the region.
    const snapshot = aSnapshot({
      functions: [aFunction({ packageType: 'Image' })],
      coverage: coverage('ok').map((c) => (c.part === 'functions' ? { ...c, status: 'failed' as const } : c)),
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });
});
