import { describe, expect, it } from 'vitest';
import { publisherArn } from '../../src/model/snapshot.js';
import { allowedPublishersTrusted as rule } from '../../src/rules/allowed-publishers-trusted.js';
import { aCsc, aProfile, aSnapshot, coverage, profileVersionArn, runRule } from '../helpers/builders.js';

describe('SGN-003 allowed-publishers-trusted', () => {
  it('passes a CSC that allows only an active profile version', () => {
    const out = runRule(rule, aSnapshot({ codeSigningConfigs: [aCsc()], signingProfiles: [aProfile()] }));
    expect(out[0]!.status).toBe('PASS');
  });

  it('fails revoked, cancelled, unknown, profile-not-version and foreign publishers', () => {
    const revoked = aProfile({
      name: 'old',
      status: 'Revoked',
      profileVersionArn: profileVersionArn('old'),
      id: profileVersionArn('old'),
    });
    const cases = [
      [profileVersionArn('old'), /revoked/],
      [profileVersionArn('ghost'), /does not exist/],
      ['arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci_release', /not a profile \*version\* ARN/],
      [profileVersionArn('vendor', 'Zzzzzz9999', '999999999999'), /neither scanned nor trusted/],
    ] as const;
    for (const [arn, message] of cases) {
      const out = runRule(
        rule,
        aSnapshot({
          codeSigningConfigs: [aCsc({ allowedPublishers: [publisherArn(arn)] })],
          signingProfiles: [aProfile(), revoked],
        }),
      );
      expect(out[0]!.status, arn).toBe('FAIL');
      expect(out[0]!.message).toMatch(message);
    }
    const cancelled = aProfile({ status: 'Canceled' });
    expect(
      runRule(rule, aSnapshot({ codeSigningConfigs: [aCsc()], signingProfiles: [cancelled] }))[0]!.message,
    ).toMatch(/cancelled/);
  });

  it('trusts a foreign account when the config says so', () => {
    const arn = profileVersionArn('vendor', 'Zzzzzz9999', '999999999999');
    const out = runRule(
      rule,
      aSnapshot({ codeSigningConfigs: [aCsc({ allowedPublishers: [publisherArn(arn)] })] }),
      {
        trustedAccounts: ['999999999999'],
      },
    );
    expect(out[0]!.status).toBe('PASS');
  });

  it('is UNKNOWN when signing profiles could not be collected', () => {
    const snapshot = aSnapshot({
      codeSigningConfigs: [aCsc()],
      coverage: [...coverage('ok', ['codeSigningConfigs']), ...coverage('failed', ['signingProfiles'])],
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });

  it('is not applicable to nothing: a CSC with no publishers fails', () => {
    expect(
      runRule(rule, aSnapshot({ codeSigningConfigs: [aCsc({ allowedPublishers: [] })] }))[0]!.status,
    ).toBe('FAIL');
    expect(runRule(rule, aSnapshot({}))).toEqual([]);
  });
});
