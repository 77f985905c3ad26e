// SGN-007 judges the layers of a published version like its own code: a signed layer whose signature is no
// longer trusted (revoked job, a profile the CSC does not allow, expired) makes the version FAIL; a layer
// whose signing job could not be collected makes it UNKNOWN; trusted layers PASS.
import { describe, expect, it } from 'vitest';
import { type LayerRef, publisherArn } from '../../src/model/snapshot.js';
import { publishedVersionsVerified as rule } from '../../src/rules/published-versions-verified.js';
import {
  ACCOUNT,
  aJob,
  aProfile,
  aProtectedSetup,
  aSnapshot,
  coverage,
  jobArn,
  profileVersionArn,
  REGION,
  runRule,
} from '../helpers/builders.js';

const LAYER = `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:shared`;

describe('SGN-007 layers of published versions', () => {
  const { fn, csc, profile } = aProtectedSetup({ name: 'checkout' });
  const layer = (n: number, over: Partial<LayerRef> = {}): LayerRef => ({
    arn: `${LAYER}:${n}`,
    signingProfileVersionArn: profileVersionArn('ci_release'),
    signingJobArn: jobArn(`layer-job-${n}`),
    ...over,
  });
  const withLayers = (...layers: LayerRef[]) => ({
    ...fn,
    versions: [
      {
        version: '7',
        arn: `${fn.id}:7`,
        aliases: ['live'],
        signingProfileVersionArn: profileVersionArn('ci_release'),
        signingJobArn: jobArn('job-1'),
        lastModified: '2026-11-20T10:00:00.000+0000',
        layers,
      },
    ],
  });
  const jobs = [aJob({ jobId: 'job-1' }), aJob({ jobId: 'layer-job-1' }), aJob({ jobId: 'layer-job-2' })];
  const run = (functions: ReturnType<typeof withLayers>[], over = {}) =>
    runRule(
      rule,
      aSnapshot({
        codeSigningConfigs: [csc],
        signingProfiles: [profile],
        signingJobs: jobs,
        functions,
        ...over,
      }),
    );

  it('passes a version whose signed layers are all trusted', () => {
    const [out] = run([withLayers(layer(1), layer(2))]);
    expect([out!.status, out!.message]).toEqual([
      'PASS',
      'Version 7 of checkout (alias live) runs signed, trusted code.',
    ]);
  });

  it('fails a version running a layer whose signing job was revoked, naming the layer and why', () => {
    const revoked = jobs.map((j) => (j.jobId === 'layer-job-2' ? { ...j, isRevoked: true } : j));
    const [out] = run([withLayers(layer(1), layer(2))], { signingJobs: revoked });
    expect(out!.status).toBe('FAIL');
    expect(out!.message).toMatch(
      new RegExp(
        `^Version 7 of checkout \\(alias live\\) uses untrusted layer\\(s\\): ${LAYER}:2 \\(.*revoked`,
      ),
    );
    expect(out!.message).not.toContain(`${LAYER}:1 (`);
  });

  it('fails a version running a layer signed by a profile its CSC does not allow', () => {
    const vendor = aProfile({
      name: 'vendor',
      id: profileVersionArn('vendor'),
      arn: `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/vendor`,
      profileVersionArn: profileVersionArn('vendor'),
    });
    const [out] = run([withLayers(layer(1, { signingProfileVersionArn: profileVersionArn('vendor') }))], {
      signingProfiles: [profile, vendor],
    });
    expect(out!.status).toBe('FAIL');
    expect(out!.message).toContain(`uses untrusted layer(s): ${LAYER}:1 (`);
  });

  it('keeps the unsigned-layer verdict for a layer without a signature', () => {
    const [out] = run([withLayers(layer(1), layer(2, { signingProfileVersionArn: undefined }))]);
    expect([out!.status, out!.message]).toEqual([
      'FAIL',
      `Version 7 of checkout (alias live) uses unsigned layer ${LAYER}:2; publish a version with signed layers and move the alias.`,
    ]);
  });

  it('is UNKNOWN, not PASS, when the layer publisher’s signing profiles could not be read', () => {
    // A shared layer signed in another scanned account whose signing profiles failed to collect; the
    // function's own account-region was read completely.
    const other = '222222222222';
    const sharedProfile = profileVersionArn('platform', 'Zyxwvu9876', other);
    const allowing = { ...csc, allowedPublishers: [...csc.allowedPublishers, publisherArn(sharedProfile)] };
    const [out] = run(
      [withLayers(layer(1, { signingProfileVersionArn: sharedProfile, signingJobArn: undefined }))],
      {
        codeSigningConfigs: [allowing],
        accounts: [{ accountId: ACCOUNT }, { accountId: other }],
        coverage: [
          ...coverage('ok'),
          ...coverage('ok').map(
            (c) =>
              ({ ...c, accountId: other, status: c.part === 'signingProfiles' ? 'failed' : 'ok' }) as const,
          ),
        ],
      },
    );
    expect(out!.status).toBe('UNKNOWN');
    expect(out!.message).toMatch(
      /^Cannot verify 1 layer\(s\) of version 7 of checkout: .*signing profiles of 222222222222\/us-east-1 were not collected/,
    );
  });
});
