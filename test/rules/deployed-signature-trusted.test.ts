import { describe, expect, it } from 'vitest';
import { publisherArn } from '../../src/model/snapshot.js';
import { deployedSignatureTrusted as rule } from '../../src/rules/deployed-signature-trusted.js';
import {
  aCsc,
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
      aSnapshot({
        ...base,
        signingProfiles: [
          aProfile({ status: 'Revoked', revocationEffectiveFrom: '2026-06-01T00:00:00.000Z' }),
        ],
        signingJobs: [aJob({ createdAt: '2026-07-01T00:00:00.000Z' })],
      }),
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

describe('SGN-005 and profile revocation (signatures before the effective time stay valid)', () => {
  const EFFECTIVE = '2026-06-01T00:00:00.000Z';
  const revoked = aProfile({ status: 'Revoked', revocationEffectiveFrom: EFFECTIVE });
  const judge = (over: { createdAt?: string; lastModified?: string; profile?: typeof revoked }) => {
    const { fn, csc } = aProtectedSetup(over.lastModified ? { lastModified: over.lastModified } : {});
    return runRule(
      rule,
      aSnapshot({
        functions: [fn],
        codeSigningConfigs: [csc],
        signingProfiles: [over.profile ?? revoked],
        signingJobs: over.createdAt ? [aJob({ createdAt: over.createdAt })] : [],
      }),
    )[0]!;
  };

  it('passes a signature made before the revocation took effect', () => {
    expect(judge({ createdAt: '2026-05-31T23:59:59.000Z' }).status).toBe('PASS');
  });

  it('fails a signature made at or after the revocation took effect', () => {
    expect(judge({ createdAt: EFFECTIVE }).status).toBe('FAIL');
    const after = judge({ createdAt: '2026-06-02T00:00:00.000Z' });
    expect([after.status, after.message]).toEqual(['FAIL', expect.stringMatching(/after signing profile/)]);
  });

  it('uses the deployment time as an upper bound when the job time is not known', () => {
    expect(judge({ lastModified: '2026-05-01T10:00:00.000+0000' }).status).toBe('PASS');
    const later = judge({ lastModified: '2026-07-01T10:00:00.000+0000' });
    expect([later.status, later.message]).toEqual([
      'UNKNOWN',
      expect.stringMatching(/may have been made after/),
    ]);
  });

  it('is UNKNOWN when the revocation time could not be read', () => {
    const noTime = aProfile({ status: 'Revoked' });
    expect(judge({ createdAt: '2026-01-01T00:00:00.000Z', profile: noTime }).status).toBe('UNKNOWN');
  });
});

describe('SGN-005 in every partition', () => {
  for (const [partition, region] of [
    ['aws', 'us-east-1'],
    ['aws-cn', 'cn-north-1'],
    ['aws-us-gov', 'us-gov-west-1'],
  ] as const) {
    it(`${partition}: a revoked job fails and a good one passes`, () => {
      const account = '123456789012';
      const profileArn = `arn:${partition}:signer:${region}:${account}:/signing-profiles/ci_release/Abcdef1234`;
      const job = `arn:${partition}:signer:${region}:${account}:/signing-jobs/job-1`;
      const fnArn = `arn:${partition}:lambda:${region}:${account}:function:fn`;
      const cscArn = `arn:${partition}:lambda:${region}:${account}:code-signing-config:csc-a0000000000000000`;
      const where = { accountId: account, region };
      const snapshot = (isRevoked: boolean) =>
        aSnapshot({
          partition,
          regions: [region],
          coverage: coverage().map((c) => ({ ...c, region })),
          functions: [
            aFunction({
              id: fnArn,
              ...where,
              provenance: { source: 'aws', arn: fnArn, ...where },
              codeSigningConfig: { state: 'attached', id: cscArn },
              signingProfileVersionArn: profileArn,
              signingJobArn: job,
            }),
          ],
          codeSigningConfigs: [
            aCsc({ id: cscArn, arn: cscArn, ...where, allowedPublishers: [publisherArn(profileArn)] }),
          ],
          signingProfiles: [
            aProfile({
              id: profileArn,
              arn: profileArn.replace(/\/Abcdef1234$/, ''),
              profileVersionArn: profileArn,
              ...where,
            }),
          ],
          signingJobs: [aJob({ jobArn: job, ...where, isRevoked })],
        });
      expect(runRule(rule, snapshot(true))[0]!.status).toBe('FAIL');
      expect(runRule(rule, snapshot(false))[0]!.status).toBe('PASS');
    });
  }
});

describe('SGN-005 cases (what a user reads)', () => {
  const setup = () => {
    const { fn, csc, profile } = aProtectedSetup({ name: 'orders' });
    return { functions: [fn], codeSigningConfigs: [csc], signingProfiles: [profile], signingJobs: [aJob()] };
  };
  const details = {
    signingProfileVersionArn: profileVersionArn('ci_release'),
    signingJobArn: 'arn:aws:signer:us-east-1:123456789012:/signing-jobs/job-1',
  };

  it('passes a trusted signature, naming what signed it', () => {
    expect(runRule(rule, aSnapshot(setup()))[0]).toMatchObject({
      status: 'PASS',
      message: "orders's code signature is still trusted.",
      details,
    });
  });

  it('fails a revoked signature with the reason and what to do', () => {
    const [out] = runRule(rule, aSnapshot({ ...setup(), signingJobs: [aJob({ isRevoked: true })] }));
    expect(out).toMatchObject({
      status: 'FAIL',
      message:
        "orders's running code is no longer trusted: its signature (job job-1) was revoked; re-sign with an allowed, active profile and redeploy.",
      details,
    });
  });

  it('fails a signature that expires exactly now, and passes one that expires later', () => {
    const at = (signatureExpiresAt: string) =>
      runRule(rule, aSnapshot({ ...setup(), signingJobs: [aJob({ signatureExpiresAt })] }))[0]!;
    expect(at('2026-11-28T12:00:00.000Z').message).toContain('its signature expired on 2026-11-28');
    expect(at('2026-11-28T12:00:01.000Z').status).toBe('PASS');
  });

  it('is UNKNOWN with the reason when the revocation time is not known', () => {
    const [out] = runRule(
      rule,
      aSnapshot({ ...setup(), signingProfiles: [aProfile({ status: 'Revoked' })], signingJobs: [] }),
    );
    expect(out).toMatchObject({
      status: 'UNKNOWN',
      message:
        "Cannot verify orders's code signature: signing profile ci_release is revoked but its revocation time could not be read, so whether this signature predates it is unknown.",
      details,
    });
  });

  it('sends unsigned code to SGN-004, even where signing data could not be read', () => {
    const snapshot = aSnapshot({
      functions: [aFunction({ name: 'orders' })],
      coverage: coverage('ok').map((c) => (c.part === 'functions' ? c : { ...c, status: 'failed' as const })),
    });
    expect(runRule(rule, snapshot)[0]).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: "orders's code is not signed (see SGN-004).",
    });
  });

  it('keeps an image function not applicable', () => {
    const [out] = runRule(rule, aSnapshot({ functions: [aFunction({ packageType: 'Image' })] }));
    expect([out!.status, out!.message]).toEqual([
      'NOT_APPLICABLE',
      expect.stringMatching(/ECR image signing/),
    ]);
  });

  it('trusts the signature of a function without a CSC when its profile is active', () => {
    const { fn, profile } = aProtectedSetup();
    const bare = { ...fn, codeSigningConfig: { state: 'none' as const } };
    expect(runRule(rule, aSnapshot({ functions: [bare], signingProfiles: [profile] }))[0]!.status).toBe(
      'PASS',
    );
  });

  it('fails a signature by an old version of the allowed profile', () => {
    const { fn, csc, profile } = aProtectedSetup();
    const old = profileVersionArn('ci_release', 'Old0000001');
    const out = runRule(
      rule,
      aSnapshot({
        functions: [{ ...fn, signingProfileVersionArn: old }],
        codeSigningConfigs: [{ ...csc, allowedPublishers: [publisherArn(old)] }],
        signingProfiles: [profile],
      }),
    )[0]!;
    expect([out.status, out.message]).toEqual([
      'FAIL',
      expect.stringContaining('is not the current version'),
    ]);
  });

  for (const part of ['cscAttachments', 'codeSigningConfigs', 'signingProfiles', 'signingJobs'] as const) {
    it(`never passes when ${part} could not be collected`, () => {
      const snapshot = aSnapshot({
        ...setup(),
        coverage: coverage('ok').map((c) => (c.part === part ? { ...c, status: 'failed' as const } : c)),
      });
      expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
    });
  }
});

describe('SGN-005 and an incomplete function list', () => {
  it('does not call unsigned code not applicable where the function list could not be read', () => {
    const snapshot = aSnapshot({
      functions: [aFunction()],
      coverage: coverage('ok').map((c) => (c.part === 'functions' ? { ...c, status: 'failed' as const } : c)),
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });
});

describe('SGN-005 and publishers trusted by configuration', () => {
  const VENDOR = '999999999999';
  const vendorProfile = profileVersionArn('vendor', 'Zzzzzz9999', VENDOR);
  const vendorJob = `arn:aws:signer:us-east-1:${VENDOR}:/signing-jobs/v-1`;
  const snapshot = () => {
    const { fn, csc } = aProtectedSetup({
      signingProfileVersionArn: vendorProfile,
      signingJobArn: vendorJob,
    });
    return aSnapshot({
      functions: [fn],
      codeSigningConfigs: [{ ...csc, allowedPublishers: [publisherArn(vendorProfile)] }],
    });
  };

  it("trusts a signature by a configured signing account's profile, whose jobs Signet cannot see", () => {
    expect(runRule(rule, snapshot(), { trustedAccounts: [VENDOR] })[0]!.status).toBe('PASS');
    expect(
      runRule(rule, snapshot(), {
        trustedSigningProfiles: [`arn:aws:signer:us-east-1:${VENDOR}:/signing-profiles/vendor/*`],
      })[0]!.status,
    ).toBe('PASS');
  });

  it('fails the same signature when that account is not trusted', () => {
    const out = runRule(rule, snapshot())[0]!;
    expect([out.status, out.message]).toEqual([
      'FAIL',
      expect.stringContaining('neither scanned nor trusted'),
    ]);
  });
});

describe('SGN-005 and where the signing job lives', () => {
  it('is UNKNOWN when the job was signed in a region whose signing jobs could not be read', () => {
    // The function's own account-region was read completely; the job lives in another region.
    const { fn, csc, profile } = aProtectedSetup({
      name: 'orders',
      signingJobArn: 'arn:aws:signer:eu-west-1:123456789012:/signing-jobs/far-1',
    });
    const snapshot = aSnapshot({
      functions: [fn],
      codeSigningConfigs: [csc],
      signingProfiles: [profile],
      coverage: [
        ...coverage('ok'),
        { accountId: '123456789012', region: 'eu-west-1', part: 'signingJobs', status: 'failed' },
      ],
    });
    expect(runRule(rule, snapshot)[0]).toMatchObject({
      status: 'UNKNOWN',
      message:
        "Cannot verify orders's code signature: signing jobs of 123456789012/eu-west-1 were not collected, so revocation and expiry cannot be checked.",
    });
  });

  it('counts code deployed at the very instant a revocation took effect as possibly signed after it', () => {
    const { fn, csc } = aProtectedSetup({ lastModified: '2026-06-01T00:00:00.000+0000' });
    const revoked = aProfile({ status: 'Revoked', revocationEffectiveFrom: '2026-06-01T00:00:00.000Z' });
    const out = runRule(
      rule,
      aSnapshot({ functions: [fn], codeSigningConfigs: [csc], signingProfiles: [revoked] }),
    )[0]!;
    expect(out.status).toBe('UNKNOWN');
  });
});
