// A cancelled signing profile (CancelSigningProfile) signs nothing new, but Lambda keeps accepting what it
// signed: its deploy-time checks are integrity, expiry, allowed publisher and revocation. So the running
// code it signed stays trusted (SGN-005 PASS) while a CSC that still lists it fails (SGN-003); a revoked
// job or an expired signature still FAILs whatever the profile's state.
import { describe, expect, it } from 'vitest';
import { allowedPublishersTrusted } from '../../src/rules/allowed-publishers-trusted.js';
import { deployedSignatureTrusted } from '../../src/rules/deployed-signature-trusted.js';
import { aJob, aProfile, aProtectedSetup, aSnapshot, runRule } from '../helpers/builders.js';

describe('a cancelled signing profile', () => {
  const { fn, csc } = aProtectedSetup({ name: 'orders' });
  const cancelled = aProfile({ status: 'Canceled' });
  const snapshot = (job = aJob({ jobId: 'job-1' })) =>
    aSnapshot({
      functions: [fn],
      codeSigningConfigs: [csc],
      signingProfiles: [cancelled],
      signingJobs: [job],
    });

  it('keeps the code it signed trusted (Lambda accepts it), SGN-005 PASS', () => {
    const [out] = runRule(deployedSignatureTrusted, snapshot());
    expect([out!.status, out!.message]).toEqual(['PASS', "orders's code signature is still trusted."]);
  });

  it('is no longer a publisher a CSC should allow, SGN-003 FAIL', () => {
    const [out] = runRule(allowedPublishersTrusted, snapshot());
    expect(out!.status).toBe('FAIL');
    expect(out!.message).toMatch(/ci_release is cancelled/);
  });

  it('does not rescue a revoked job or an expired signature', () => {
    const revoked = runRule(
      deployedSignatureTrusted,
      snapshot(aJob({ jobId: 'job-1', isRevoked: true })),
    )[0]!;
    expect([revoked.status, revoked.message]).toEqual([
      'FAIL',
      expect.stringMatching(/its signature \(job job-1\) was revoked/),
    ]);
    const expired = runRule(
      deployedSignatureTrusted,
      snapshot(aJob({ jobId: 'job-1', signatureExpiresAt: '2026-01-01T00:00:00.000Z' })),
    )[0]!;
    expect([expired.status, expired.message]).toEqual([
      'FAIL',
      expect.stringMatching(/expired on 2026-01-01/),
    ]);
  });

  it('does not rescue code whose profile version the CSC no longer allows', () => {
    const narrowed = { ...csc, allowedPublishers: [] };
    const [out] = runRule(
      deployedSignatureTrusted,
      aSnapshot({
        functions: [fn],
        codeSigningConfigs: [narrowed],
        signingProfiles: [cancelled],
        signingJobs: [aJob({ jobId: 'job-1' })],
      }),
    );
    expect([out!.status, out!.message]).toEqual(['FAIL', expect.stringMatching(/CSC does not allow/)]);
  });
});
