import { describe, expect, it } from 'vitest';
import {
  type LambdaFunction,
  type LayerRef,
  type LayerVersion,
  publisherProfile,
  type Snapshot,
} from '../../src/model/snapshot.js';
import { layersSignedByAllowedPublisher as rule } from '../../src/rules/layers-signed-by-allowed-publisher.js';
import {
  aJob,
  aProfile,
  aProtectedSetup,
  aSnapshot,
  coverage,
  profileVersionArn,
  runRule,
} from '../helpers/builders.js';

const LAYER = 'arn:aws:lambda:us-east-1:123456789012:layer:utils:3';

describe('SGN-006 layers-signed-by-allowed-publisher', () => {
  it('passes layers signed by an allowed profile and fails unsigned or untrusted ones', () => {
    const { fn, csc, profile } = aProtectedSetup();
    const base = { codeSigningConfigs: [csc], signingProfiles: [profile] };
    const good = {
      ...fn,
      layers: [{ arn: LAYER, signingProfileVersionArn: profileVersionArn('ci_release') }],
    };
    expect(runRule(rule, aSnapshot({ ...base, functions: [good] }))[0]!.status).toBe('PASS');
    const unsigned = { ...fn, layers: [{ arn: LAYER }] };
    const out = runRule(rule, aSnapshot({ ...base, functions: [unsigned] }))[0]!;
    expect([out.status, out.message]).toEqual(['FAIL', expect.stringMatching(/not signed/)]);
    const untrusted = {
      ...fn,
      layers: [{ arn: LAYER, signingProfileVersionArn: profileVersionArn('team_sandbox') }],
    };
    expect(runRule(rule, aSnapshot({ ...base, functions: [untrusted] }))[0]!.status).toBe('FAIL');
  });

  it('is not applicable without layers and UNKNOWN without CSC data', () => {
    const { fn, csc } = aProtectedSetup();
    expect(runRule(rule, aSnapshot({ functions: [fn], codeSigningConfigs: [csc] }))[0]!.status).toBe(
      'NOT_APPLICABLE',
    );
    const withLayer = { ...fn, layers: [{ arn: LAYER }] };
    const snapshot = aSnapshot({
      functions: [withLayer],
      coverage: [
        ...coverage('ok', ['functions', 'cscAttachments']),
        ...coverage('failed', ['codeSigningConfigs']),
      ],
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });

  it('says once that a template function without a CSC fails (SGN-001) instead of adding an UNKNOWN', () => {
    const { fn } = aProtectedSetup();
    const template = aSnapshot({
      source: 'iac',
      functions: [{ ...fn, codeSigningConfig: { state: 'none' }, layers: [{ arn: LAYER }] }],
    });
    const out = runRule(rule, template)[0]!;
    expect(out.status).toBe('NOT_APPLICABLE');
    expect(out.message).toContain('see SGN-001');
    // With a CSC attached, the same unverifiable layer stays UNKNOWN.
    const { csc } = aProtectedSetup();
    const attached = aSnapshot({
      source: 'iac',
      functions: [{ ...fn, layers: [{ arn: LAYER }] }],
      codeSigningConfigs: [csc],
    });
    expect(runRule(rule, attached)[0]!.status).toBe('UNKNOWN');
  });
});

describe('SGN-006 and what its results rest on', () => {
  it('judges template layers without signing jobs (none exist in templates) instead of answering UNKNOWN', () => {
    const { fn, csc, profile } = aProtectedSetup();
    const layered = {
      ...fn,
      layers: [{ arn: LAYER, signingProfileVersionArn: profileVersionArn('ci_release') }],
    };
    const snapshot = {
      ...aSnapshot({ functions: [layered], codeSigningConfigs: [csc], signingProfiles: [profile] }),
      source: 'iac' as const,
    };
    // IaC snapshots never have signing jobs; the layer carries no job, so the result does not need them.
    expect(runRule(rule, snapshot, { trustedAccounts: ['123456789012'] })[0]!.status).toBe('PASS');
  });

  it('is UNKNOWN for a layer signed by a job when the signing jobs of its region failed', () => {
    const { fn, csc, profile } = aProtectedSetup();
    const layered = {
      ...fn,
      layers: [
        {
          arn: LAYER,
          signingProfileVersionArn: profileVersionArn('ci_release'),
          signingJobArn: 'arn:aws:signer:us-east-1:123456789012:/signing-jobs/layer-job',
        },
      ],
    };
    const snapshot = aSnapshot({
      functions: [layered],
      codeSigningConfigs: [csc],
      signingProfiles: [profile],
      coverage: [
        ...coverage('ok', ['functions', 'cscAttachments', 'codeSigningConfigs', 'signingProfiles']),
        ...coverage('failed', ['signingJobs']),
      ],
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });

  it('fails a layer signed after its profile revocation took effect and passes one signed before', () => {
    const { fn, csc } = aProtectedSetup({ lastModified: '2026-09-01T00:00:00.000+0000' });
    const revoked = aProfile({ status: 'Revoked', revocationEffectiveFrom: '2026-06-01T00:00:00.000Z' });
    const job = 'arn:aws:signer:us-east-1:123456789012:/signing-jobs/layer-job';
    const layered = {
      ...fn,
      layers: [{ arn: LAYER, signingProfileVersionArn: profileVersionArn('ci_release'), signingJobArn: job }],
    };
    const at = (createdAt: string) =>
      runRule(
        rule,
        aSnapshot({
          functions: [layered],
          codeSigningConfigs: [csc],
          signingProfiles: [revoked],
          signingJobs: [aJob({ jobId: 'layer-job', createdAt })],
        }),
      )[0]!.status;
    expect(at('2026-05-01T00:00:00.000Z')).toBe('PASS');
    expect(at('2026-07-01T00:00:00.000Z')).toBe('FAIL');
  });
});

describe('SGN-006 cases (what a user reads)', () => {
  const SIGNED = profileVersionArn('ci_release');
  const LAYER2 = 'arn:aws:lambda:us-east-1:123456789012:layer:vendor:1';
  const JOB = 'arn:aws:signer:us-east-1:123456789012:/signing-jobs/job-1';
  const setup = (layers: LayerRef[], over: Partial<Snapshot> = {}) => {
    const { fn, csc, profile } = aProtectedSetup({ name: 'orders' });
    return aSnapshot({
      functions: [{ ...fn, layers }],
      codeSigningConfigs: [csc],
      signingProfiles: [profile],
      signingJobs: [aJob()],
      ...over,
    });
  };

  it('passes, listing each layer and why it is trusted', () => {
    const [out] = runRule(
      rule,
      setup([{ arn: LAYER, signingProfileVersionArn: SIGNED, signingJobArn: JOB }]),
    );
    expect(out).toMatchObject({
      status: 'PASS',
      message: 'Every layer of orders is signed by an allowed publisher.',
      details: {
        property: 'Layers',
        layers: [{ layer: LAYER, status: 'ok', reason: 'signed by an allowed publisher' }],
      },
    });
  });

  it('fails naming each bad layer with its reason, and counts them', () => {
    const [out] = runRule(
      rule,
      setup(
        [
          { arn: LAYER },
          { arn: LAYER2, signingProfileVersionArn: SIGNED },
          {
            arn: 'arn:aws:lambda:us-east-1:123456789012:layer:x:1',
            signingProfileVersionArn: SIGNED,
            signingJobArn: JOB,
          },
        ],
        { signingJobs: [aJob({ isRevoked: true })] },
      ),
    );
    expect(out!.status).toBe('FAIL');
    expect(out!.message).toBe(
      `orders runs 2 untrusted layer(s): ${LAYER} (layer is not signed); arn:aws:lambda:us-east-1:123456789012:layer:x:1 (its signature (job job-1) was revoked); publish signed layer versions and update the function.`,
    );
    expect(out!.details).toEqual({
      property: 'Layers',
      layers: [
        { layer: LAYER, status: 'fail', reason: 'layer is not signed' },
        { layer: LAYER2, status: 'ok', reason: 'signed by an allowed publisher' },
        {
          layer: 'arn:aws:lambda:us-east-1:123456789012:layer:x:1',
          status: 'fail',
          reason: 'its signature (job job-1) was revoked',
        },
      ],
    });
  });

  it('fails an unsigned layer even where signing jobs could not be read', () => {
    const snapshot = setup([{ arn: LAYER }], {
      coverage: coverage('ok').map((c) =>
        c.part === 'signingJobs' ? { ...c, status: 'failed' as const } : c,
      ),
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('FAIL');
  });

  it('passes a layer signed without a job record even where signing jobs could not be read', () => {
    const snapshot = setup([{ arn: LAYER, signingProfileVersionArn: SIGNED }], {
      coverage: coverage('ok').map((c) =>
        c.part === 'signingJobs' ? { ...c, status: 'failed' as const } : c,
      ),
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('PASS');
  });

  for (const part of ['cscAttachments', 'codeSigningConfigs', 'signingProfiles'] as const) {
    it(`never passes or fails a layer when ${part} could not be collected`, () => {
      const failed = coverage('ok').map((c) => (c.part === part ? { ...c, status: 'failed' as const } : c));
      expect(
        runRule(rule, setup([{ arn: LAYER, signingProfileVersionArn: SIGNED }], { coverage: failed }))[0]!
          .status,
      ).toBe('UNKNOWN');
      expect(runRule(rule, setup([{ arn: LAYER }], { coverage: failed }))[0]!.status).toBe('UNKNOWN');
    });
  }

  it('is UNKNOWN naming the layers it cannot verify when the others are trusted', () => {
    const [out] = runRule(
      rule,
      setup(
        [
          { arn: LAYER, signingProfileVersionArn: SIGNED },
          { unresolved: 'parameter LayerArn has no default' },
        ],
        {
          source: 'iac',
        },
      ),
      { trustedAccounts: ['123456789012'] },
    );
    expect(out).toMatchObject({
      status: 'UNKNOWN',
      message:
        'Cannot verify 1 layer(s) of orders: parameter LayerArn has no default (layer cannot be resolved statically (parameter LayerArn has no default)).',
    });
  });

  it('fails an untrusted layer even when another cannot be verified', () => {
    const [out] = runRule(
      rule,
      setup([
        { unresolved: 'Fn::ImportValue shared-layer' },
        { arn: LAYER2, signingProfileVersionArn: profileVersionArn('other') },
      ]),
    );
    expect(out!.status).toBe('FAIL');
    expect(out!.message).toMatch(
      /^orders runs 1 untrusted layer\(s\): arn:aws:lambda:us-east-1:123456789012:layer:vendor:1 \(/,
    );
  });

  it('says in templates that an unsigned-looking layer is decided at packaging time', () => {
    const [out] = runRule(rule, setup([{ arn: LAYER }], { source: 'iac' }));
    expect(out).toMatchObject({
      status: 'UNKNOWN',
      details: {
        layers: [
          {
            layer: LAYER,
            status: 'unknown',
            reason: 'whether the layer package is signed is decided when it is packaged, not in the template',
          },
        ],
      },
    });
  });

  it('judges a template layer by the signing of the layer version the template defines', () => {
    const defined: LayerVersion = {
      id: 'UtilsLayer',
      layerName: 'utils',
      signingProfileVersionArn: SIGNED,
      provenance: {
        source: 'iac',
        format: 'cloudformation',
        file: 't.yaml',
        line: 3,
        column: 3,
        logicalId: 'UtilsLayer',
      },
    };
    const snapshot = setup([{ layerId: 'UtilsLayer' }], { source: 'iac', layerVersions: [defined] });
    const [out] = runRule(rule, snapshot, { trustedAccounts: ['123456789012'] });
    expect(out).toMatchObject({
      status: 'PASS',
      details: { layers: [{ layer: 'UtilsLayer', status: 'ok', reason: 'signed by an allowed publisher' }] },
    });
    const untrusted = { ...defined, signingProfileVersionArn: profileVersionArn('other') };
    expect(
      runRule(rule, { ...snapshot, layerVersions: [untrusted] }, { trustedAccounts: ['123456789012'] })[0]!
        .status,
    ).toBe('FAIL');
  });

  it('says why a template function without a CSC is not judged yet, counting its layers', () => {
    const { fn } = aProtectedSetup({ name: 'orders' });
    const snapshot = aSnapshot({
      source: 'iac',
      functions: [{ ...fn, codeSigningConfig: { state: 'none' }, layers: [{ arn: LAYER }, { arn: LAYER2 }] }],
    });
    expect(runRule(rule, snapshot)[0]!.message).toBe(
      'orders has no code signing configuration (see SGN-001), so no publisher is allowed yet; its 2 layer(s) are judged once a CSC is attached.',
    );
  });

  it('still fails a live function without a CSC whose layer is unsigned', () => {
    const { fn } = aProtectedSetup({ name: 'orders' });
    const snapshot = aSnapshot({
      functions: [{ ...fn, codeSigningConfig: { state: 'none' }, layers: [{ arn: LAYER }] }],
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('FAIL');
  });

  it('is not applicable without layers, even where CSCs could not be read, and to image functions', () => {
    const snapshot = setup([], {
      coverage: coverage('ok').map((c) =>
        c.part === 'codeSigningConfigs' ? { ...c, status: 'failed' as const } : c,
      ),
    });
    expect(runRule(rule, snapshot)[0]).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'orders uses no layers.',
    });
    const image = setup([{ arn: LAYER }]);
    image.functions[0]!.packageType = 'Image';
    expect(runRule(rule, image)[0]!.status).toBe('NOT_APPLICABLE');
  });
});

describe('SGN-006 edge cases', () => {
  const SIGNED = profileVersionArn('ci_release');
  const JOB = 'arn:aws:signer:us-east-1:123456789012:/signing-jobs/job-1';
  const withLayers = (
    layers: LayerRef[],
    over: Partial<Snapshot> = {},
    fnOver: Partial<LambdaFunction> = {},
  ) => {
    const { fn, csc, profile } = aProtectedSetup({ name: 'orders', ...fnOver });
    return aSnapshot({
      functions: [{ ...fn, layers }],
      codeSigningConfigs: [csc],
      signingProfiles: [profile],
      signingJobs: [aJob()],
      ...over,
    });
  };
  const jobsFailed = coverage('ok').map((c) =>
    c.part === 'signingJobs' ? { ...c, status: 'failed' as const } : c,
  );

  it('is UNKNOWN, not FAIL, for a live layer whose signature cannot be judged', () => {
    const [out] = runRule(
      rule,
      withLayers([{ arn: LAYER, signingProfileVersionArn: SIGNED }], {
        signingProfiles: [aProfile({ status: 'Revoked' })],
      }),
    );
    expect(out).toMatchObject({
      status: 'UNKNOWN',
      details: {
        layers: [
          {
            layer: LAYER,
            status: 'unknown',
            reason: expect.stringContaining('revocation time could not be read'),
          },
        ],
      },
    });
  });

  it('rests on signing jobs as soon as one layer was judged by its job', () => {
    // The job record is there but the job list of the region is incomplete: a revocation could be missing.
    const snapshot = withLayers(
      [
        { arn: LAYER, signingProfileVersionArn: SIGNED, signingJobArn: JOB },
        { arn: `${LAYER}0`, signingProfileVersionArn: SIGNED },
      ],
      { coverage: jobsFailed },
    );
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });

  it('judges a layer whose ARN is known even if a template left part of it unresolved', () => {
    const [out] = runRule(
      rule,
      withLayers([{ arn: LAYER, unresolved: 'version from a parameter', signingProfileVersionArn: SIGNED }]),
    );
    expect(out!.status).toBe('PASS');
  });

  it('names a layer it knows nothing about as "layer" and does not trust it', () => {
    const [out] = runRule(rule, withLayers([{}]));
    expect([out!.status, out!.message]).toEqual([
      'FAIL',
      'orders runs 1 untrusted layer(s): layer (layer is not signed); publish signed layer versions and update the function.',
    ]);
  });

  it('passes a live function without a CSC whose layers are signed by an active profile of the account', () => {
    const [out] = runRule(
      rule,
      withLayers(
        [{ arn: LAYER, signingProfileVersionArn: SIGNED, signingJobArn: JOB }],
        {},
        {
          codeSigningConfig: { state: 'none' },
        },
      ),
    );
    expect(out!.status).toBe('PASS');
  });
});

describe('SGN-006 and incomplete data', () => {
  it('does not call a function without layers not applicable where the function list could not be read', () => {
    const { fn } = aProtectedSetup();
    const snapshot = aSnapshot({
      functions: [fn],
      coverage: coverage('ok').map((c) => (c.part === 'functions' ? { ...c, status: 'failed' as const } : c)),
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });

  it('names every layer it cannot verify', () => {
    const { fn, csc } = aProtectedSetup({ name: 'orders' });
    const snapshot = aSnapshot({
      source: 'iac',
      functions: [{ ...fn, layers: [{ unresolved: 'parameter A' }, { unresolved: 'parameter B' }] }],
      codeSigningConfigs: [csc],
    });
    expect(runRule(rule, snapshot)[0]!.message).toBe(
      'Cannot verify 2 layer(s) of orders: parameter A (layer cannot be resolved statically (parameter A)); parameter B (layer cannot be resolved statically (parameter B)).',
    );
  });
});

describe('SGN-006 in templates that reference their signing profile', () => {
  it('passes a layer signed by the profile version the CSC allows by reference', () => {
    const profile = aProfile({ status: 'Active' });
    const { fn, csc } = aProtectedSetup({ name: 'orders' });
    const snapshot = aSnapshot({
      source: 'iac',
      functions: [{ ...fn, layers: [{ arn: LAYER, signingProfileVersionArn: profile.profileVersionArn }] }],
      codeSigningConfigs: [{ ...csc, allowedPublishers: [publisherProfile(profile.id)] }],
      signingProfiles: [profile],
    });
    expect(runRule(rule, snapshot, { trustedAccounts: ['123456789012'] })[0]!.status).toBe('PASS');
    const other = {
      ...snapshot,
      codeSigningConfigs: [{ ...csc, allowedPublishers: [publisherProfile('Other')] }],
    };
    expect(runRule(rule, other, { trustedAccounts: ['123456789012'] })[0]!.status).toBe('FAIL');
  });
});
