import { describe, expect, it } from 'vitest';
import { deployedSignatureTrusted as rule } from '../../src/rules/deployed-signature-trusted.js';
import {
  aFunction,
  aJob,
  aProfile,
  aProtectedSetup,
  aSnapshot,
  coverage,
  profileVersionArn,
  runRule,
} from '../helpers/builders.js';

describe('SGN-005 deployed-signature-trusted', () => {
  it('passes a signature by an allowed, active profile', () => {
    const { fn, csc, profile } = aProtectedSetup();
    expect(
      runRule(rule, aSnapshot({ functions: [fn], codeSigningConfigs: [csc], signingProfiles: [profile] }))[0]!
        .status,
    ).toBe('PASS');
  });

  it('fails a revoked job, an expired signature, a revoked profile and a publisher the CSC does not allow', () => {
    const { fn, csc, profile } = aProtectedSetup();
    const base = { functions: [fn], codeSigningConfigs: [csc], signingProfiles: [profile] };
    const revokedJob = runRule(rule, aSnapshot({ ...base, signingJobs: [aJob({ isRevoked: true })] }))[0]!;
    expect([revokedJob.status, revokedJob.message]).toEqual(['FAIL', expect.stringMatching(/revoked/)]);
    const expired = runRule(
      rule,
      aSnapshot({ ...base, signingJobs: [aJob({ signatureExpiresAt: '2026-10-01T00:00:00.000Z' })] }),
    )[0]!;
    expect([expired.status, expired.message]).toEqual(['FAIL', expect.stringMatching(/expired/)]);
    const revokedProfile = runRule(
      rule,
      aSnapshot({ ...base, signingProfiles: [aProfile({ status: 'Revoked' })] }),
    )[0]!;
    expect(revokedProfile.status).toBe('FAIL');
    const other = { ...fn, signingProfileVersionArn: profileVersionArn('team_sandbox') };
    const untrusted = runRule(rule, aSnapshot({ ...base, functions: [other] }))[0]!;
    expect([untrusted.status, untrusted.message]).toEqual(['FAIL', expect.stringMatching(/does not allow/)]);
  });

  it('is not applicable to unsigned code (SGN-004 reports it) and UNKNOWN without job data', () => {
    expect(runRule(rule, aSnapshot({ functions: [aFunction()] }))[0]!.status).toBe('NOT_APPLICABLE');
    const { fn, csc, profile } = aProtectedSetup();
    const snapshot = aSnapshot({
      functions: [fn],
      codeSigningConfigs: [csc],
      signingProfiles: [profile],
      coverage: [
        ...coverage('ok', ['functions', 'cscAttachments', 'codeSigningConfigs', 'signingProfiles']),
        ...coverage('failed', ['signingJobs']),
      ],
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });
});
