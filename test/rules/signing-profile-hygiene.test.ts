import { describe, expect, it } from 'vitest';
import { signingProfileHygiene as rule } from '../../src/rules/signing-profile-hygiene.js';
import { aProfile, aSnapshot, coverage, runRule } from '../helpers/builders.js';

describe('SGN-008 signing-profile-hygiene', () => {
  it('passes a short-lived, unshared profile', () => {
    expect(runRule(rule, aSnapshot({ signingProfiles: [aProfile()] }))[0]!.status).toBe('PASS');
  });

  it('fails long validity and permissions for untrusted accounts', () => {
    const long = runRule(
      rule,
      aSnapshot({ signingProfiles: [aProfile({ signatureValidity: undefined })] }),
    )[0]!;
    expect([long.status, long.message]).toEqual(['FAIL', expect.stringMatching(/135 months/)]);
    const shared = aProfile({
      permissions: [{ statementId: 'x', principal: '999999999999', action: 'signer:StartSigningJob' }],
    });
    expect(runRule(rule, aSnapshot({ signingProfiles: [shared] }))[0]!.message).toMatch(/999999999999/);
    expect(
      runRule(rule, aSnapshot({ signingProfiles: [shared] }), { trustedAccounts: ['999999999999'] })[0]!
        .status,
    ).toBe('PASS');
  });

  it('is not applicable to cancelled or revoked profiles and UNKNOWN when profiles failed to collect', () => {
    expect(runRule(rule, aSnapshot({ signingProfiles: [aProfile({ status: 'Canceled' })] }))[0]!.status).toBe(
      'NOT_APPLICABLE',
    );
    expect(
      runRule(
        rule,
        aSnapshot({ signingProfiles: [aProfile()], coverage: coverage('failed', ['signingProfiles']) }),
      )[0]!.status,
    ).toBe('UNKNOWN');
  });
});
