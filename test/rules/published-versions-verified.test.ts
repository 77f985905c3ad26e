import { describe, expect, it } from 'vitest';
import {
  type LambdaFunction,
  type LayerRef,
  type PublishedVersion,
  publisherArn,
  type Snapshot,
} from '../../src/model/snapshot.js';
import { publishedVersionsVerified as rule } from '../../src/rules/published-versions-verified.js';
import {
  aFunction,
  aJob,
  aProfile,
  aProtectedSetup,
  aSnapshot,
  coverage,
  jobArn,
  profileVersionArn,
  runRule,
} from '../helpers/builders.js';

describe('SGN-007 published-versions-verified', () => {
  const { fn, csc, profile } = aProtectedSetup({ name: 'checkout' });
  const v = (version: string, signed: boolean, aliases: string[]) => ({
    version,
    arn: `${fn.id}:${version}`,
    aliases,
    layers: [],
    ...(signed ? { signingProfileVersionArn: profileVersionArn('ci_release') } : {}),
  });
  const base = { codeSigningConfigs: [csc], signingProfiles: [profile] };

  it('fails an alias on an old unsigned version and passes one on a signed version', () => {
    const withVersions = {
      ...fn,
      versions: [v('1', false, ['live']), v('2', true, ['canary']), v('3', false, [])],
    };
    const out = runRule(rule, aSnapshot({ ...base, functions: [withVersions] }));
    expect(out.map((o) => [o.resource.name, o.status])).toEqual([
      ['checkout:1', 'FAIL'],
      ['checkout:2', 'PASS'],
    ]);
    expect(out[0]!.message).toMatch(/alias live/);
    const all = runRule(rule, aSnapshot({ ...base, functions: [withVersions] }), { versions: 'all' });
    expect(all).toHaveLength(3);
  });

  it('is not applicable without published versions and UNKNOWN when versions were not collected', () => {
    expect(runRule(rule, aSnapshot({ functions: [aFunction()] }))[0]!.status).toBe('NOT_APPLICABLE');
    const snapshot = aSnapshot({
      functions: [aFunction()],
      coverage: [...coverage('ok', ['functions']), ...coverage('failed', ['versions'])],
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });
});

describe('SGN-007 cases (what a user reads)', () => {
  const { fn, csc, profile } = aProtectedSetup({ name: 'checkout' });
  const SIGNED = profileVersionArn('ci_release');
  const version = (n: string, over: Partial<PublishedVersion> = {}): PublishedVersion => ({
    version: n,
    arn: `${fn.id}:${n}`,
    aliases: [],
    layers: [],
    signingProfileVersionArn: SIGNED,
    ...over,
  });
  const judge = (
    versions: PublishedVersion[],
    policy: Parameters<typeof runRule>[2] = {},
    over: Partial<LambdaFunction> = {},
    snapshot: Partial<Snapshot> = {},
  ) =>
    runRule(
      rule,
      aSnapshot({
        functions: [{ ...fn, versions, ...over }],
        codeSigningConfigs: [csc],
        signingProfiles: [profile],
        ...snapshot,
      }),
      policy,
    );

  it('reports each version as its own resource', () => {
    const [out] = judge([version('4', { aliases: ['live'] })]);
    expect(out!.resource).toEqual({
      type: 'function-version',
      id: `${fn.id}:4`,
      arn: `${fn.id}:4`,
      name: 'checkout:4',
      accountId: fn.accountId,
      region: fn.region,
      provenance: { source: 'aws', arn: `${fn.id}:4`, accountId: fn.accountId, region: fn.region },
    });
  });

  it('passes a signed, trusted version, naming its aliases', () => {
    const [out] = judge([version('4', { aliases: ['live', 'blue'] })]);
    expect(out).toMatchObject({
      status: 'PASS',
      message: 'Version 4 of checkout (alias live, blue) runs signed, trusted code.',
      details: { aliases: ['live', 'blue'], signingProfileVersionArn: SIGNED },
    });
  });

  it('fails an unsigned version, with the aliases that route to it (the repoint plan reads them)', () => {
    const [out] = judge([version('1', { aliases: ['live'], signingProfileVersionArn: undefined })]);
    expect(out).toMatchObject({
      status: 'FAIL',
      message:
        'Version 1 of checkout (alias live) serves unsigned code; publish a version from signed code and move the alias.',
      details: { aliases: ['live'] },
    });
  });

  it('fails a version whose signature is no longer trusted', () => {
    const [out] = judge(
      [version('2', { aliases: ['live'], signingJobArn: jobArn('job-9') })],
      {},
      {},
      { signingJobs: [aJob({ jobId: 'job-9', isRevoked: true })] },
    );
    expect(out).toMatchObject({
      status: 'FAIL',
      message:
        'Version 2 of checkout (alias live) runs code that is no longer trusted: its signature (job job-9) was revoked; publish a re-signed version and move the alias.',
    });
  });

  it('is UNKNOWN for a version it cannot verify, with the reason', () => {
    const [out] = judge(
      [version('2', { aliases: ['live'], lastModified: '2026-09-01T00:00:00.000+0000' })],
      {},
      {},
      {
        signingProfiles: [
          aProfile({ status: 'Revoked', revocationEffectiveFrom: '2026-06-01T00:00:00.000Z' }),
        ],
      },
    );
    expect([out!.status, out!.message]).toEqual([
      'UNKNOWN',
      "Cannot verify version 2 of checkout: signing profile ci_release is revoked from 2026-06-01T00:00:00.000Z and the signature's time could not be read, so it may have been made after that.",
    ]);
  });

  it('judges a version by its own deployment time against a profile revocation', () => {
    const revoked = {
      signingProfiles: [aProfile({ status: 'Revoked', revocationEffectiveFrom: '2026-06-01T00:00:00.000Z' })],
    };
    const before = version('1', { aliases: ['old'], lastModified: '2026-05-01T00:00:00.000+0000' });
    // The function's own later deployment does not make an older version's signature suspect.
    const out = judge([before], {}, { lastModified: '2026-09-01T00:00:00.000+0000' }, revoked);
    expect(out[0]!.status).toBe('PASS');
  });

  it('fails a signed version that runs an unsigned layer, naming the layer', () => {
    const layer = 'arn:aws:lambda:us-east-1:123456789012:layer:utils:3';
    const out = judge([
      version('3', {
        aliases: ['live'],
        layers: [{ arn: layer, signingProfileVersionArn: SIGNED }, { arn: layer.replace(':3', ':4') }],
      }),
      version('5', { aliases: ['canary'], layers: [{ unresolved: 'unknown layer' }] }),
    ]);
    expect(out.map((o) => [o.status, o.message])).toEqual([
      [
        'FAIL',
        `Version 3 of checkout (alias live) uses unsigned layer ${layer.replace(':3', ':4')}; publish a version with signed layers and move the alias.`,
      ],
      [
        'FAIL',
        'Version 5 of checkout (alias canary) uses unsigned layer ?; publish a version with signed layers and move the alias.',
      ],
    ]);
  });

  it('judges only aliased versions by default, every version with versions: all', () => {
    const versions = [
      version('1', { signingProfileVersionArn: undefined }),
      version('2', { aliases: ['live'] }),
    ];
    expect(judge(versions).map((o) => [o.resource.name, o.status])).toEqual([['checkout:2', 'PASS']]);
    expect(judge(versions, { versions: 'all' }).map((o) => [o.resource.name, o.status])).toEqual([
      ['checkout:1', 'FAIL'],
      ['checkout:2', 'PASS'],
    ]);
    expect(judge(versions, { versions: 'all' })[0]!.message).toBe(
      'Version 1 of checkout serves unsigned code; publish a version from signed code and move the alias.',
    );
  });

  it('judges every version when aliases were not collected', () => {
    const versions = [version('1', { signingProfileVersionArn: undefined }), version('2')];
    expect(judge(versions, {}, { aliasesCollected: false }).map((o) => [o.resource.name, o.status])).toEqual([
      ['checkout:1', 'FAIL'],
      ['checkout:2', 'PASS'],
    ]);
    expect(judge(versions, {}, { aliasesCollected: true }).map((o) => o.status)).toEqual(['NOT_APPLICABLE']);
  });

  it('says why nothing was judged', () => {
    expect(judge([version('1')])[0]).toMatchObject({
      status: 'NOT_APPLICABLE',
      resource: { type: 'function', id: fn.id },
      message: 'checkout has no published versions behind an alias.',
    });
    expect(judge([], { versions: 'all' })[0]!.message).toBe('checkout has no published versions.');
  });

  it('is not applicable without versions even where signing data could not be read', () => {
    const failed = coverage('ok').map((c) =>
      c.part === 'functions' || c.part === 'versions' ? c : { ...c, status: 'failed' as const },
    );
    expect(judge([], {}, {}, { coverage: failed })[0]!.status).toBe('NOT_APPLICABLE');
  });

  for (const part of [
    'versions',
    'cscAttachments',
    'codeSigningConfigs',
    'signingProfiles',
    'signingJobs',
  ] as const) {
    it(`never passes or fails a version when ${part} could not be collected`, () => {
      const failed = coverage('ok').map((c) => (c.part === part ? { ...c, status: 'failed' as const } : c));
      const out = judge(
        [
          version('1', { aliases: ['live'] }),
          version('2', { aliases: ['old'], signingProfileVersionArn: undefined }),
        ],
        {},
        {},
        { coverage: failed },
      );
      expect(out.map((o) => o.status)).toEqual(['UNKNOWN', 'UNKNOWN']);
    });
  }

  it('is not applicable to image functions', () => {
    expect(
      judge([version('1', { aliases: ['live'] })], {}, { packageType: 'Image' }).map((o) => o.status),
    ).toEqual(['NOT_APPLICABLE']);
  });
});

describe('SGN-007 and an incomplete function list', () => {
  it('does not call a function without versions not applicable where functions or versions could not be read', () => {
    for (const part of ['functions', 'versions'] as const) {
      const snapshot = aSnapshot({
        functions: [aFunction()],
        coverage: coverage('ok').map((c) => (c.part === part ? { ...c, status: 'failed' as const } : c)),
      });
      expect(runRule(rule, snapshot)[0]!.status, part).toBe('UNKNOWN');
    }
  });
});

describe('SGN-007 signed layers of a version (details and timing)', () => {
  const { fn, csc, profile } = aProtectedSetup({
    name: 'checkout',
    lastModified: '2026-09-01T00:00:00.000+0000',
  });
  const LAYER = 'arn:aws:lambda:us-east-1:123456789012:layer:shared';
  const SIGNED = profileVersionArn('ci_release');
  const withLayers = (layers: LayerRef[], lastModified = '2026-05-01T00:00:00.000+0000') => ({
    ...fn,
    versions: [
      {
        version: '7',
        arn: `${fn.id}:7`,
        aliases: ['live'],
        signingProfileVersionArn: SIGNED,
        lastModified,
        layers,
      },
    ],
  });
  const run = (f: LambdaFunction, over: Partial<Snapshot> = {}) =>
    runRule(
      rule,
      aSnapshot({ functions: [f], codeSigningConfigs: [csc], signingProfiles: [profile], ...over }),
    )[0]!;

  it('lists every untrusted layer with its reason, and each layer verdict in the details', () => {
    const out = run(
      withLayers([
        { arn: `${LAYER}:1`, signingProfileVersionArn: SIGNED, signingJobArn: jobArn('l-1') },
        { arn: `${LAYER}:2`, signingProfileVersionArn: SIGNED, signingJobArn: jobArn('l-2') },
        { arn: `${LAYER}:3`, signingProfileVersionArn: SIGNED, signingJobArn: jobArn('l-3') },
      ]),
      {
        signingJobs: [
          aJob({ jobId: 'l-1', isRevoked: true }),
          aJob({ jobId: 'l-2' }),
          aJob({ jobId: 'l-3', signatureExpiresAt: '2026-01-01T00:00:00.000Z' }),
        ],
      },
    );
    expect(out.message).toBe(
      `Version 7 of checkout (alias live) uses untrusted layer(s): ${LAYER}:1 (its signature (job l-1) was revoked); ${LAYER}:3 (its signature expired on 2026-01-01); publish a version with re-signed layers and move the alias.`,
    );
    expect(out.details).toEqual({
      aliases: ['live'],
      signingProfileVersionArn: SIGNED,
      layers: [
        { layer: `${LAYER}:1`, status: 'fail', reason: 'its signature (job l-1) was revoked' },
        { layer: `${LAYER}:2`, status: 'ok', reason: 'signed by an allowed publisher' },
        { layer: `${LAYER}:3`, status: 'fail', reason: 'its signature expired on 2026-01-01' },
      ],
    });
  });

  it('is UNKNOWN naming every layer it cannot judge, with the verdicts in the details', () => {
    const revoked = aProfile({ status: 'Revoked' });
    const out = run(
      withLayers([
        { arn: `${LAYER}:1`, signingProfileVersionArn: SIGNED },
        { arn: `${LAYER}:2`, signingProfileVersionArn: SIGNED },
      ]),
      { signingProfiles: [revoked] },
    );
    // The version's own signature is judged first and cannot be judged either.
    expect(out.status).toBe('UNKNOWN');
    const layersOnly = run(
      {
        ...withLayers([
          {
            arn: `${LAYER}:1`,
            signingProfileVersionArn: profileVersionArn('ci_release', 'Abcdef1234', '222222222222'),
          },
          {
            arn: `${LAYER}:2`,
            signingProfileVersionArn: profileVersionArn('ci_release', 'Abcdef1234', '222222222222'),
          },
        ]),
      },
      {
        codeSigningConfigs: [
          {
            ...csc,
            allowedPublishers: [
              ...csc.allowedPublishers,
              publisherArn(profileVersionArn('ci_release', 'Abcdef1234', '222222222222')),
            ],
          },
        ],
        accounts: [{ accountId: '123456789012' }, { accountId: '222222222222' }],
      },
    );
    const reason = 'signing profiles of 222222222222/us-east-1 were not collected';
    expect(layersOnly).toMatchObject({
      status: 'UNKNOWN',
      message: `Cannot verify 2 layer(s) of version 7 of checkout: ${LAYER}:1 (${reason}); ${LAYER}:2 (${reason}).`,
      details: {
        layers: [
          { layer: `${LAYER}:1`, status: 'unknown', reason },
          { layer: `${LAYER}:2`, status: 'unknown', reason },
        ],
      },
    });
  });

  it("judges a version's layers by the version's own publication time, not the function's later updates", () => {
    const revoked = aProfile({ status: 'Revoked', revocationEffectiveFrom: '2026-06-01T00:00:00.000Z' });
    // Published in May, before the revocation took effect; the function itself was updated in September.
    const out = run(withLayers([{ arn: `${LAYER}:1`, signingProfileVersionArn: SIGNED }]), {
      signingProfiles: [revoked],
    });
    expect(out.status).toBe('PASS');
    const late = run(
      withLayers([{ arn: `${LAYER}:1`, signingProfileVersionArn: SIGNED }], '2026-07-01T00:00:00.000+0000'),
      {
        signingProfiles: [revoked],
      },
    );
    expect(late.status).toBe('UNKNOWN');
  });
});
