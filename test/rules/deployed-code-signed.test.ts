import { describe, expect, it } from 'vitest';
import { deployedCodeSigned as rule } from '../../src/rules/deployed-code-signed.js';
import {
  aCsc,
  aFunction,
  aProtectedSetup,
  aSnapshot,
  coverage,
  jobArn,
  profileVersionArn,
  runRule,
} from '../helpers/builders.js';

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

describe('SGN-004 cases (what a user reads)', () => {
  it('passes signed code, naming the profile version and job that signed it', () => {
    const { fn, csc } = aProtectedSetup({ name: 'orders' });
    const [out] = runRule(rule, aSnapshot({ functions: [fn], codeSigningConfigs: [csc] }));
    expect(out).toMatchObject({
      status: 'PASS',
      message: `orders's deployed code is signed by ${profileVersionArn('ci_release')}.`,
      details: { signingProfileVersionArn: profileVersionArn('ci_release'), signingJobArn: jobArn('job-1') },
    });
  });

  it('explains why unsigned code runs: no CSC, a Warn CSC, an Enforce CSC attached later, a CSC not in the scan', () => {
    const warn = aCsc({ suffix: 'w', policy: 'Warn' });
    const enforce = aCsc({ suffix: 'e' });
    const lastModified = '2026-03-01T10:00:00.000+0000';
    const unsigned = (name: string, cscId?: string) =>
      aFunction({
        name,
        lastModified,
        codeSigningConfig: cscId ? { state: 'attached', id: cscId } : { state: 'none' },
      });
    const out = runRule(
      rule,
      aSnapshot({
        functions: [
          unsigned('none'),
          unsigned('warn', warn.id),
          unsigned('enforce', enforce.id),
          unsigned('elsewhere', 'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-gone'),
        ],
        codeSigningConfigs: [warn, enforce],
      }),
    );
    expect(out.map((o) => [o.status, o.message])).toEqual([
      ['FAIL', 'none is running unsigned code (it has no CSC); sign the package and redeploy it.'],
      [
        'FAIL',
        'warn is running unsigned code (its CSC is in Warn, which let the unsigned deployment through or it predates the CSC); sign the package and redeploy it.',
      ],
      [
        'FAIL',
        'enforce is running unsigned code (it was deployed before its Enforce CSC was attached); sign the package and redeploy it.',
      ],
      [
        'FAIL',
        'elsewhere is running unsigned code (its CSC is attached, yet the code predates it); sign the package and redeploy it.',
      ],
    ]);
    expect(out[0]!.details).toEqual({ lastModified });
  });

  it('fails unsigned code even when CSCs could not be read (the signature is on the function itself)', () => {
    const snapshot = aSnapshot({
      functions: [aFunction({ name: 'orders' })],
      coverage: coverage('ok').map((c) =>
        c.part === 'codeSigningConfigs' || c.part === 'signingJobs' ? { ...c, status: 'failed' as const } : c,
      ),
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('FAIL');
  });

  it('is not applicable to an image function, with the reason', () => {
    const [out] = runRule(rule, aSnapshot({ functions: [aFunction({ packageType: 'Image' })] }));
    expect(out!.message).toMatch(/ECR image signing/);
  });
});
