import { describe, expect, it } from 'vitest';
import type { SigningProfile } from '../../src/model/snapshot.js';
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

describe('SGN-008 cases (what a user reads)', () => {
  const judge = (over: Partial<SigningProfile>, policy: Parameters<typeof runRule>[2] = {}) =>
    runRule(rule, aSnapshot({ signingProfiles: [aProfile(over)] }), policy)[0]!;
  const permission = (principal: string, statementId = 's1') => ({
    statementId,
    principal,
    action: 'signer:StartSigningJob',
  });

  it('passes, recording the validity in days and the permissions', () => {
    const own = [permission('123456789012')];
    expect(judge({ permissions: own })).toMatchObject({
      status: 'PASS',
      message: 'Signing profile ci_release has a short validity and no untrusted permissions.',
      details: { status: 'Active', validityDays: 360, permissions: own },
    });
    // A profile read without a permissions list is not shared with anyone.
    const unshared = judge({ permissions: undefined });
    expect([unshared.status, unshared.details]).toEqual([
      'PASS',
      { status: 'Active', validityDays: 360, permissions: [] },
    ]);
  });

  it('converts days, months and years, and accepts a validity exactly at the policy', () => {
    const at = (value: number, type: 'DAYS' | 'MONTHS' | 'YEARS') =>
      judge({ signatureValidity: { value, type } });
    expect([at(1095, 'DAYS').status, at(1096, 'DAYS').status]).toEqual(['PASS', 'FAIL']);
    expect([at(36, 'MONTHS').status, at(37, 'MONTHS').status]).toEqual(['PASS', 'FAIL']);
    expect([at(3, 'YEARS').status, at(4, 'YEARS').status]).toEqual(['PASS', 'FAIL']);
    expect(at(3, 'YEARS').details).toMatchObject({ validityDays: 1095 });
    expect(at(37, 'MONTHS').message).toBe(
      'Signing profile ci_release: signatures stay valid 37 months, more than the 1095-day policy; tighten it.',
    );
  });

  it('reads the policy limit from the config', () => {
    expect(judge({}, { maxSignatureValidityDays: 359 }).message).toBe(
      'Signing profile ci_release: signatures stay valid 12 months, more than the 359-day policy; tighten it.',
    );
    expect(judge({}, { maxSignatureValidityDays: 360 }).status).toBe('PASS');
  });

  it("uses AWS's default of 135 months when the profile names no validity", () => {
    const out = judge({ signatureValidity: undefined }, { maxSignatureValidityDays: 5000 });
    expect([out.status, out.details]).toEqual(['PASS', expect.objectContaining({ validityDays: 4050 })]);
    expect(judge({ signatureValidity: undefined }).message).toBe(
      'Signing profile ci_release: signatures stay valid 135 months (the default), more than the 1095-day policy; tighten it.',
    );
  });

  it('fails permissions for everyone, for services and for other accounts, by account id or ARN', () => {
    for (const principal of ['*', 'signer.amazonaws.com', '999999999999', 'arn:aws:iam::999999999999:root']) {
      const out = judge({ permissions: [permission(principal)] });
      expect([out.status, out.message], principal).toEqual([
        'FAIL',
        `Signing profile ci_release: permission s1 lets ${principal} signer:StartSigningJob; tighten it.`,
      ]);
    }
  });

  it('trusts its own account and configured accounts, by account id or ARN', () => {
    for (const principal of [
      '123456789012',
      'arn:aws:iam::123456789012:role/ci',
      'arn:aws:iam::555555555555:root',
    ]) {
      expect(
        judge({ permissions: [permission(principal)] }, { trustedAccounts: ['555555555555'] }).status,
        principal,
      ).toBe('PASS');
    }
  });

  it('does not take an account id out of a longer number', () => {
    for (const principal of ['9123456789012', '1234567890129']) {
      expect(judge({ permissions: [permission(principal)] }).status, principal).toBe('FAIL');
    }
  });

  it('in a template (account not known) trusts only the configured accounts', () => {
    const template = (policy: Parameters<typeof runRule>[2]) =>
      runRule(
        rule,
        {
          ...aSnapshot({
            signingProfiles: [aProfile({ accountId: undefined, permissions: [permission('123456789012')] })],
          }),
          source: 'iac',
        },
        policy,
      )[0]!.status;
    expect(template({})).toBe('FAIL');
    expect(template({ trustedAccounts: ['123456789012'] })).toBe('PASS');
  });

  it('lists every problem in one finding', () => {
    const out = judge({
      signatureValidity: { value: 10, type: 'YEARS' },
      permissions: [permission('999999999999', 'a'), permission('123456789012', 'b'), permission('*', 'c')],
    });
    expect(out.message).toBe(
      'Signing profile ci_release: signatures stay valid 10 years, more than the 1095-day policy; permission a lets 999999999999 signer:StartSigningJob; permission c lets * signer:StartSigningJob; tighten it.',
    );
  });

  it('says a cancelled or revoked profile can no longer sign', () => {
    expect(judge({ status: 'Canceled' })).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'Signing profile ci_release is cancelled and can no longer sign.',
      details: { status: 'Canceled' },
    });
    expect(judge({ status: 'Revoked', signatureValidity: { value: 10, type: 'YEARS' } })).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'Signing profile ci_release is revoked and can no longer sign.',
      details: { status: 'Revoked' },
    });
  });

  it('is UNKNOWN for a profile defined outside what was scanned', () => {
    expect(judge({ status: 'Unknown', signatureValidity: { value: 10, type: 'YEARS' } })).toMatchObject({
      status: 'UNKNOWN',
      message:
        'Cannot check signing profile ci_release: it is defined outside what was scanned (or its status is not known), so its validity and permissions are not visible.',
    });
  });
});
