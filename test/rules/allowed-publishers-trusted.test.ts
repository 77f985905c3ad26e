import { describe, expect, it } from 'vitest';
import type { PublisherRef, SigningProfile } from '../../src/model/snapshot.js';
import {
  publisherArn,
  publisherProfile,
  publisherProfileArnNotVersion,
  publisherUnresolved,
  Snapshot,
} from '../../src/model/snapshot.js';
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

describe('SGN-003 publisher kinds (tagged union)', () => {
  it('fails a template profile ARN given where a version ARN is required, naming the template value', () => {
    const csc = aCsc({ allowedPublishers: [publisherProfileArnNotVersion('Signer.Arn')] });
    const out = runRule(rule, { ...aSnapshot({ codeSigningConfigs: [csc] }), source: 'iac' })[0]!;
    expect([out.status, out.message]).toEqual([
      'FAIL',
      expect.stringMatching(/Signer\.Arn refers to a signing profile ARN/),
    ]);
  });

  it('is UNKNOWN for a publisher that cannot be resolved statically', () => {
    const csc = aCsc({ allowedPublishers: [publisherUnresolved('parameter SignerArn has no default')] });
    const out = runRule(rule, { ...aSnapshot({ codeSigningConfigs: [csc] }), source: 'iac' })[0]!;
    expect([out.status, out.message]).toEqual(['UNKNOWN', expect.stringMatching(/SignerArn has no default/)]);
  });

  it('passes a template reference to an active profile and says when a revoked one took effect', () => {
    const profile = aProfile();
    const ok = aCsc({ allowedPublishers: [publisherProfile(profile.id)] });
    expect(
      runRule(rule, {
        ...aSnapshot({ codeSigningConfigs: [ok], signingProfiles: [profile] }),
        source: 'iac',
      })[0]!.status,
    ).toBe('PASS');
    const revoked = aProfile({ status: 'Revoked', revocationEffectiveFrom: '2026-06-01T00:00:00.000Z' });
    const out = runRule(rule, aSnapshot({ codeSigningConfigs: [aCsc()], signingProfiles: [revoked] }))[0]!;
    expect([out.status, out.message]).toEqual([
      'FAIL',
      expect.stringMatching(/revoked \(effective 2026-06-01T00:00:00.000Z\): it signs nothing new/),
    ]);
  });

  it('reads snapshots saved before publishers were tagged', () => {
    const legacy = Snapshot.parse({
      ...aSnapshot(),
      codeSigningConfigs: [
        {
          ...aCsc(),
          allowedPublishers: [
            { arn: profileVersionArn('ci_release') },
            { unresolved: 'profile-arn-not-version: Signer (Ref)' },
          ],
        },
      ],
    });
    expect(legacy.codeSigningConfigs[0]!.allowedPublishers).toEqual([
      { kind: 'arn', arn: profileVersionArn('ci_release') },
      { kind: 'profile-arn-not-version', what: 'Signer (Ref)' },
    ]);
  });
});

describe('SGN-003 cases (what a user reads)', () => {
  const CSC_NAME = 'csc-a0000000000000000';
  const judge = (
    allowedPublishers: ReturnType<typeof publisherArn>[],
    over: { profiles?: ReturnType<typeof aProfile>[]; source?: 'aws' | 'iac' } = {},
    policy: Parameters<typeof runRule>[2] = {},
  ) =>
    runRule(
      rule,
      {
        ...aSnapshot({
          codeSigningConfigs: [aCsc({ allowedPublishers })],
          signingProfiles: over.profiles ?? [aProfile()],
        }),
        source: over.source ?? 'aws',
      },
      policy,
    )[0]!;
  const GOOD = profileVersionArn('ci_release');
  const FOREIGN = profileVersionArn('vendor', 'Zzzzzz9999', '999999999999');

  it('passes, listing the publishers it judged', () => {
    expect(judge([publisherArn(GOOD)])).toMatchObject({
      status: 'PASS',
      message: `CSC ${CSC_NAME} allows only active, trusted signing profile versions.`,
      details: { property: 'AllowedPublishers', publishers: [GOOD] },
    });
  });

  it('fails a CSC that allows nothing, saying what to add', () => {
    expect(judge([])).toMatchObject({
      status: 'FAIL',
      message: `CSC ${CSC_NAME} allows no publisher; add your signing profile version ARN.`,
      details: { property: 'AllowedPublishers', publishers: [] },
    });
  });

  it('names every untrusted publisher, not only the first, and not the trusted ones', () => {
    const ghost = profileVersionArn('ghost');
    const out = judge([publisherArn(ghost), publisherArn(GOOD), publisherArn(FOREIGN)]);
    expect(out.status).toBe('FAIL');
    expect(out.message).toBe(
      `CSC ${CSC_NAME} allows untrusted publishers: signing profile version '${ghost}' does not exist; '${FOREIGN}' belongs to account 999999999999, which is neither scanned nor trusted (add it to trust.accounts if it is your signing account); replace them with active profile versions you control.`,
    );
    expect(out.details).toEqual({ property: 'AllowedPublishers', publishers: [ghost, GOOD, FOREIGN] });
  });

  it('fails when one publisher is untrusted even if another cannot be verified', () => {
    const out = judge(
      [
        publisherUnresolved('parameter SignerArn has no default'),
        publisherProfileArnNotVersion('Signer.Arn'),
      ],
      { source: 'iac' },
    );
    expect(out.status).toBe('FAIL');
    expect(out.message).toContain('Signer.Arn refers to a signing profile ARN');
    expect(out.message).not.toContain('SignerArn has no default');
  });

  it('is UNKNOWN, with each reason, when the rest are trusted but some cannot be verified', () => {
    const profile = aProfile();
    const out = judge(
      [
        publisherProfile(profile.id),
        publisherUnresolved('parameter A has no default'),
        publisherUnresolved('Fn::ImportValue signer'),
      ],
      { source: 'iac' },
    );
    expect(out).toMatchObject({
      status: 'UNKNOWN',
      message: `Cannot verify every publisher of CSC ${CSC_NAME}: publisher cannot be resolved statically: parameter A has no default; publisher cannot be resolved statically: Fn::ImportValue signer.`,
      details: {
        publishers: [profile.name, 'parameter A has no default', 'Fn::ImportValue signer'],
      },
    });
  });

  it('fails an old version of a scanned profile, naming the current one', () => {
    const old = profileVersionArn('ci_release', 'Old0000001');
    expect(judge([publisherArn(old)]).message).toContain(
      `'${old}' is not the current version of profile ci_release (current: Abcdef1234)`,
    );
  });

  it('restricts even scanned profiles to trust.signingProfiles when it is set', () => {
    const allowList = { trustedSigningProfiles: ['arn:aws:signer:*:*:/signing-profiles/release_*'] };
    const out = judge([publisherArn(GOOD)], {}, allowList);
    expect([out.status, out.message]).toEqual([
      'FAIL',
      expect.stringContaining('signing profile ci_release is not in trust.signingProfiles'),
    ]);
    const listed = { trustedSigningProfiles: ['arn:aws:signer:*:*:/signing-profiles/ci_*'] };
    expect(judge([publisherArn(GOOD)], {}, listed).status).toBe('PASS');
  });

  it('trusts a foreign profile named (by pattern) in trust.signingProfiles, and no other foreign one', () => {
    const policy = {
      trustedSigningProfiles: ['arn:aws:signer:us-east-1:999999999999:/signing-profiles/vendor/*'],
    };
    expect(judge([publisherArn(FOREIGN)], {}, policy).status).toBe('PASS');
    const other = profileVersionArn('intruder', 'Zzzzzz9999', '999999999999');
    expect(judge([publisherArn(other)], {}, policy).status).toBe('FAIL');
  });

  it('fails cancelled and revoked profiles referenced from a template, and a reference to no profile', () => {
    // Spelt as for live profiles ("cancelled"), not as the API's status value.
    for (const [status, said] of [
      ['Canceled', 'cancelled'],
      ['Revoked', 'revoked'],
    ] as const) {
      const profile = aProfile({ status });
      const out = judge([publisherProfile(profile.id)], { profiles: [profile], source: 'iac' });
      expect([out.status, out.message]).toEqual([
        'FAIL',
        expect.stringContaining(`signing profile ci_release is ${said};`),
      ]);
    }
    const out = judge([publisherProfile('MissingSigner')], { profiles: [], source: 'iac' });
    expect([out.status, out.message]).toEqual([
      'FAIL',
      expect.stringContaining('signing profile MissingSigner is not defined'),
    ]);
  });

  it('is UNKNOWN for a template profile whose status is not visible, and for a foreign ARN in a template', () => {
    const profile = aProfile({ status: 'Unknown' });
    const unknownProfile = judge([publisherProfile(profile.id)], { profiles: [profile], source: 'iac' });
    expect(unknownProfile.status).toBe('UNKNOWN');
    const foreign = judge([publisherArn(GOOD)], { source: 'iac' });
    expect([foreign.status, foreign.message]).toEqual([
      'UNKNOWN',
      expect.stringContaining('is defined outside these files'),
    ]);
  });

  it('is UNKNOWN, not FAIL, for a publisher of a region whose signing profiles could not be read', () => {
    const snapshot = aSnapshot({
      codeSigningConfigs: [aCsc({ region: 'us-east-1' })],
      signingProfiles: [],
      coverage: coverage('ok').concat(
        coverage('failed', ['signingProfiles']).map((c) => ({ ...c, region: 'eu-west-1' })),
      ),
    });
    const eu = profileVersionArn('ci_release', 'Abcdef1234', '123456789012', 'eu-west-1');
    snapshot.codeSigningConfigs[0]!.allowedPublishers = [publisherArn(eu)];
    const out = runRule(rule, snapshot)[0]!;
    expect([out.status, out.message]).toEqual([
      'UNKNOWN',
      expect.stringContaining('signing profiles of 123456789012/eu-west-1 were not collected'),
    ]);
  });

  it('is UNKNOWN when the CSCs themselves could not be collected', () => {
    const snapshot = aSnapshot({
      codeSigningConfigs: [aCsc()],
      signingProfiles: [aProfile()],
      coverage: coverage('ok').map((c) =>
        c.part === 'codeSigningConfigs' ? { ...c, status: 'failed' as const } : c,
      ),
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });
});

describe('SGN-003 and the trust judgement behind it', () => {
  const judge = (
    allowedPublishers: PublisherRef[],
    over: { profiles?: SigningProfile[]; source?: 'aws' | 'iac' } = {},
    policy: Parameters<typeof runRule>[2] = {},
  ) =>
    runRule(
      rule,
      {
        ...aSnapshot({
          codeSigningConfigs: [aCsc({ allowedPublishers })],
          signingProfiles: over.profiles ?? [aProfile()],
        }),
        source: over.source ?? 'aws',
      },
      policy,
    )[0]!;

  it('fails an entry that is not a signing profile ARN at all', () => {
    const out = judge([publisherArn('not-an-arn')]);
    expect([out.status, out.message]).toEqual([
      'FAIL',
      expect.stringContaining("'not-an-arn' is not a signing profile version ARN"),
    ]);
  });

  it('names the template value of a profile ARN given instead of a version ARN', () => {
    const out = judge([publisherProfileArnNotVersion('Signer.Arn')], { source: 'iac' });
    expect(out.details).toEqual({ property: 'AllowedPublishers', publishers: ['Signer.Arn'] });
  });

  it('says a template profile of unknown status cannot be checked', () => {
    const profile = aProfile({ status: 'Unknown' });
    expect(judge([publisherProfile(profile.id)], { profiles: [profile], source: 'iac' }).message).toBe(
      `Cannot verify every publisher of CSC csc-a0000000000000000: signing profile ci_release is not defined in these files, so its status cannot be checked.`,
    );
  });

  it('does not mistake a same-named profile of another region or account for an older version', () => {
    for (const other of [{ region: 'eu-west-1' }, { accountId: '210987654321' }]) {
      const elsewhere = aProfile({ ...other, profileVersion: 'Other00001' });
      const ghost = profileVersionArn('ci_release', 'Ghost00001');
      const out = judge([publisherArn(ghost)], { profiles: [elsewhere] });
      expect(out.message, JSON.stringify(other)).toContain(
        `signing profile version '${ghost}' does not exist`,
      );
    }
  });

  it('says a revoked profile signs nothing new even when its revocation time is not known', () => {
    const out = judge([publisherArn(profileVersionArn('ci_release'))], {
      profiles: [aProfile({ status: 'Revoked' })],
    });
    expect(out.message).toContain(
      'signing profile ci_release is revoked: it signs nothing new, and Lambda rejects signatures it made from that time on',
    );
  });

  it('trusts a scanned profile that matches any one of several trust.signingProfiles patterns', () => {
    const policy = {
      trustedSigningProfiles: [
        'arn:aws:signer:*:*:/signing-profiles/release_*',
        'arn:aws:signer:*:*:/signing-profiles/ci_*',
      ],
    };
    expect(judge([publisherArn(profileVersionArn('ci_release'))], {}, policy).status).toBe('PASS');
  });
});
