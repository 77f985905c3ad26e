// The account-region collector (src/aws/collect/region.ts) against the sandbox: what lands in the snapshot
// (functions, versions and the aliases serving them, layers, CSCs, profiles, jobs), which part each failed
// call leaves incomplete, and the calls it spends (aliases only where a version is suspect, profile details
// only where they matter, signing jobs described only for revoked profiles).
import {
  CreateAliasCommand,
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import {
  AddProfilePermissionCommand,
  CancelSigningProfileCommand,
  PutSigningProfileCommand,
  RevokeSignatureCommand,
  RevokeSigningProfileCommand,
} from '@aws-sdk/client-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAN_CALLS } from '../../src/aws/calls.js';
import { ClientFactory, RateLimiter } from '../../src/aws/clients.js';
import { collectRegion, hasSuspectVersion } from '../../src/aws/collect/region.js';
import { collectSnapshot } from '../../src/aws/collect/scan.js';
import type { LambdaFunction, Snapshot } from '../../src/model/snapshot.js';
import { SnapshotIndex } from '../../src/model/snapshot-index.js';
import type { TrustContext } from '../../src/model/trust.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import {
  createLambdaExecRole,
  createSigningSetup,
  SeedClients,
  setClock,
  signPackage,
} from '../../src/sandbox/seeds/clients.js';
import { createZip } from '../../src/sandbox/zip.js';
import { ACCOUNT, createUserWithKey } from '../helpers/principals.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const DAY = 86_400_000;
const REGION = 'us-east-1';
const BUCKET = 'artifacts';
let t: TestSandbox;
let seed: SeedClients;
const arn = {} as Record<'release' | 'leaked' | 'short' | 'enforce' | 'warn' | 'implicit', string>;
const jobs = {} as Record<'healthy' | 'before' | 'after' | 'revoked' | 'expired' | 'utils', string>;
let agentLayer: string;
let utilsLayer: string;

const code = (name: string, revision = 1) =>
  createZip([{ name: 'index.js', data: `exports.handler = async () => '${name}:${revision}';` }]);

beforeAll(async () => {
  t = await startTestSandbox();
  seed = new SeedClients(t.endpoint, { ...BOOTSTRAP_CREDENTIALS }, REGION);
  const role = await createLambdaExecRole(seed);
  arn.release = (await createSigningSetup(seed, BUCKET, 'release')).profileVersionArn;
  const profile = async (profileName: string, days: number, tags?: Record<string, string>) =>
    (
      await seed.signer.send(
        new PutSigningProfileCommand({
          profileName,
          platformId: 'AWSLambda-SHA384-ECDSA',
          signatureValidityPeriod: { value: days, type: 'DAYS' },
          ...(tags ? { tags } : {}),
        }),
      )
    ).profileVersionArn!;
  arn.leaked = await profile('leaked', 365);
  arn.short = await profile('short', 1, { owner: 'platform' });
  await profile('retired', 30);
  await seed.signer.send(new CancelSigningProfileCommand({ profileName: 'retired' }));
  await seed.signer.send(
    new AddProfilePermissionCommand({
      profileName: 'release',
      action: 'signer:StartSigningJob',
      principal: '999999999999',
      statementId: 'contractor',
    }),
  );
  const csc = async (policy?: 'Warn' | 'Enforce', description?: string) =>
    (
      await seed.lambda.send(
        new CreateCodeSigningConfigCommand({
          AllowedPublishers: { SigningProfileVersionArns: [arn.release, arn.leaked, arn.short] },
          ...(policy ? { CodeSigningPolicies: { UntrustedArtifactOnDeployment: policy } } : {}),
          ...(description ? { Description: description } : {}),
        }),
      )
    ).CodeSigningConfig!.CodeSigningConfigArn!;
  arn.enforce = await csc('Enforce', 'prod enforce');
  arn.warn = await csc('Warn');
  arn.implicit = await csc();

  const signed = async (name: string, profileName: string) => {
    const out = await signPackage(seed, BUCKET, `${name}.zip`, code(name), profileName);
    return { S3Bucket: BUCKET, S3Key: out.key, jobId: out.jobId };
  };
  const create = async (
    name: string,
    c: { ZipFile: Buffer } | { S3Bucket: string; S3Key: string },
    extra: Record<string, unknown> = {},
  ) =>
    seed.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: c,
        ...extra,
      }),
    );
  const s3 = (x: { S3Bucket: string; S3Key: string }) => ({ S3Bucket: x.S3Bucket, S3Key: x.S3Key });

  // 30 days ago: a one-day signature (long expired) and a signature by `leaked` well before its revocation.
  await setClock(t.endpoint, -30 * DAY);
  const expired = await signed('expired', 'short');
  jobs.expired = expired.jobId;
  await create('expired', s3(expired), { CodeSigningConfigArn: arn.warn });
  await setClock(t.endpoint, -10 * DAY);
  const before = await signed('before-revoke', 'leaked');
  jobs.before = before.jobId;
  await create('before-revoke', s3(before), { CodeSigningConfigArn: arn.enforce });
  await seed.lambda.send(new PublishVersionCommand({ FunctionName: 'before-revoke' }));
  await setClock(t.endpoint, -2 * DAY);
  const after = await signed('after-revoke', 'leaked');
  jobs.after = after.jobId;
  await create('after-revoke', s3(after), { CodeSigningConfigArn: arn.warn });
  await seed.lambda.send(new PublishVersionCommand({ FunctionName: 'after-revoke' }));
  await seed.lambda.send(
    new CreateAliasCommand({ FunctionName: 'after-revoke', Name: 'live', FunctionVersion: '1' }),
  );
  await setClock(t.endpoint, 0);
  await seed.signer.send(
    new RevokeSigningProfileCommand({
      profileName: 'leaked',
      profileVersion: arn.leaked.split('/').pop()!,
      reason: 'key exposure',
      effectiveTime: new Date(Date.now() - 5 * DAY),
    }),
  );

  // Now: a verified fleet member, unsigned legacy code with weighted routing, a revoked signature, layers.
  const healthy = await signed('healthy', 'release');
  jobs.healthy = healthy.jobId;
  await create('healthy', s3(healthy), { CodeSigningConfigArn: arn.enforce, Tags: { env: 'prod' } });
  await seed.lambda.send(new PublishVersionCommand({ FunctionName: 'healthy' }));
  await seed.lambda.send(
    new CreateAliasCommand({ FunctionName: 'healthy', Name: 'live', FunctionVersion: '1' }),
  );

  await create('legacy', { ZipFile: code('legacy') }, { Tags: { env: 'prod', team: 'shop' } });
  await seed.lambda.send(new PublishVersionCommand({ FunctionName: 'legacy' }));
  await seed.lambda.send(
    new UpdateFunctionCodeCommand({ FunctionName: 'legacy', ZipFile: code('legacy', 2) }),
  );
  await seed.lambda.send(new PublishVersionCommand({ FunctionName: 'legacy' }));
  await seed.lambda.send(
    new CreateAliasCommand({
      FunctionName: 'legacy',
      Name: 'live',
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
    }),
  );
  await seed.lambda.send(
    new CreateAliasCommand({ FunctionName: 'legacy', Name: 'beta', FunctionVersion: '2' }),
  );
  await seed.lambda.send(
    new CreateAliasCommand({ FunctionName: 'legacy', Name: 'edge', FunctionVersion: '$LATEST' }),
  );

  const revoked = await signed('job-revoked', 'release');
  jobs.revoked = revoked.jobId;
  await create('job-revoked', s3(revoked), { CodeSigningConfigArn: arn.enforce });
  await seed.lambda.send(new PublishVersionCommand({ FunctionName: 'job-revoked' }));
  await seed.signer.send(new RevokeSignatureCommand({ jobId: revoked.jobId, reason: 'bad build host' }));
  // A signature of the revoked profile that was also revoked on its own: listed already, with its time.
  await seed.signer.send(new RevokeSignatureCommand({ jobId: after.jobId, reason: 'made after the leak' }));

  agentLayer = (
    await seed.lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'agent',
        Content: { ZipFile: createZip([{ name: 'nodejs/agent.js', data: '1' }]) },
      }),
    )
  ).LayerVersionArn!;
  const utils = await signPackage(
    seed,
    BUCKET,
    'utils.zip',
    createZip([{ name: 'nodejs/utils.js', data: '2' }]),
    'release',
  );
  jobs.utils = utils.jobId;
  utilsLayer = (
    await seed.lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'utils', Content: { S3Bucket: BUCKET, S3Key: utils.key } }),
    )
  ).LayerVersionArn!;
  const layered = await signed('layered', 'release');
  await create('layered', s3(layered), { Layers: [agentLayer, utilsLayer] });
  await seed.lambda.send(new PublishVersionCommand({ FunctionName: 'layered' }));
  await seed.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'image',
      PackageType: 'Image',
      Code: { ImageUri: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/image:1` },
      Role: role,
    }),
  );
}, 120_000);
afterAll(async () => {
  seed?.destroy();
  await t?.close();
});

const jobArn = (id: string) => `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-jobs/${id}`;
const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/** Calls the sandbox received, by operation, since the last reset. */
function callsByOperation(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of t.sandbox.callStats()) out[s.operation] = (out[s.operation] ?? 0) + s.count;
  return out;
}

async function scan(): Promise<Snapshot> {
  t.sandbox.resetCallStats();
  return collectSnapshot({
    endpoint: t.endpoint,
    credentials: { ...BOOTSTRAP_CREDENTIALS },
    homeRegion: REGION,
    regions: [REGION],
    governance: { cloudtrail: false },
    rateScale: 50,
  });
}

const fn = (s: Snapshot, name: string) => s.functions.find((f) => f.name === name)!;

describe('functions, versions and aliases', () => {
  it('lists every function once, sorted, with package type, runtime, code, CSC, tags and provenance', async () => {
    const s = await scan();
    expect(s.collectionErrors).toEqual([]);
    expect(s.functions.map((f) => f.name)).toEqual(
      [
        'after-revoke',
        'before-revoke',
        'expired',
        'healthy',
        'image',
        'job-revoked',
        'layered',
        'legacy',
      ].sort(),
    );
    const healthy = fn(s, 'healthy');
    expect(healthy).toMatchObject({
      id: fnArn('healthy'),
      accountId: ACCOUNT,
      region: REGION,
      packageType: 'Zip',
      runtime: 'nodejs22.x',
      codeSigningConfig: { state: 'attached', id: arn.enforce },
      tags: { env: 'prod' },
      signingProfileVersionArn: arn.release,
      signingJobArn: jobArn(jobs.healthy),
      codeSha256: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      lastModified: expect.any(String),
      layers: [],
      provenance: { source: 'aws', arn: fnArn('healthy'), accountId: ACCOUNT, region: REGION },
    });
    expect(fn(s, 'legacy')).toMatchObject({
      codeSigningConfig: { state: 'none' },
      tags: { env: 'prod', team: 'shop' },
    });
    expect(fn(s, 'legacy').signingProfileVersionArn).toBeUndefined();
    expect(fn(s, 'legacy').signingJobArn).toBeUndefined();
    expect(fn(s, 'expired').codeSigningConfig).toEqual({ state: 'attached', id: arn.warn });
    expect(fn(s, 'image')).toMatchObject({ packageType: 'Image', tags: {} });
    expect(fn(s, 'image').runtime).toBeUndefined();
  });

  it('keeps each published version with its own code state, never $LATEST as a version', async () => {
    const s = await scan();
    const legacy = fn(s, 'legacy');
    expect(legacy.versions.map((v) => [v.version, v.arn])).toEqual([
      ['1', `${fnArn('legacy')}:1`],
      ['2', `${fnArn('legacy')}:2`],
    ]);
    expect(legacy.versions[0]!.codeSha256).not.toBe(legacy.versions[1]!.codeSha256);
    expect(legacy.versions[1]!.codeSha256).toBe(legacy.codeSha256);
    const before = fn(s, 'before-revoke').versions;
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({
      signingProfileVersionArn: arn.leaked,
      signingJobArn: jobArn(jobs.before),
      lastModified: expect.any(String),
      layers: [],
    });
    expect(fn(s, 'layered').versions[0]!.layers.map((l) => l.arn)).toEqual([agentLayer, utilsLayer]);
    expect(fn(s, 'image').versions).toEqual([]);
  });

  it('reads the aliases of functions with an unverified version, weighted routing included', async () => {
    const s = await scan();
    const legacy = fn(s, 'legacy');
    expect(legacy.aliasesCollected).toBe(true);
    expect(legacy.aliases).toEqual({ live: '1', beta: '2', edge: '$LATEST' });
    expect(legacy.versions.map((v) => [v.version, [...v.aliases].sort()])).toEqual([
      ['1', ['live']],
      ['2', ['beta', 'live (weighted)']],
    ]);
    // Signed after the profile's revocation took effect, and a revoked signature: both suspect.
    expect(fn(s, 'after-revoke')).toMatchObject({ aliasesCollected: true, aliases: { live: '1' } });
    expect(fn(s, 'after-revoke').versions[0]!.aliases).toEqual(['live']);
    expect(fn(s, 'job-revoked')).toMatchObject({ aliasesCollected: true, aliases: {} });
    // A version whose layer is unsigned is suspect even though its own code is signed.
    expect(fn(s, 'layered').aliasesCollected).toBe(true);
  });

  it('skips ListAliases where every version is verified — signed before its profile was revoked included', async () => {
    const s = await scan();
    expect(fn(s, 'healthy')).toMatchObject({ aliasesCollected: false, aliases: {} });
    expect(fn(s, 'healthy').versions[0]!.aliases).toEqual([]);
    expect(fn(s, 'before-revoke').aliasesCollected).toBe(false);
    // No versions: nothing to ask, and nothing claimed either way.
    expect(fn(s, 'image').aliasesCollected).toBeUndefined();
    expect(fn(s, 'expired').aliasesCollected).toBeUndefined();
    // One ListAliases per suspect function (legacy, after-revoke, job-revoked, layered), none per healthy one.
    expect(callsByOperation().ListAliases).toBe(4);
    expect(callsByOperation().GetFunctionCodeSigningConfig).toBeUndefined();
    expect(callsByOperation().ListFunctions).toBe(1);
  });
});

describe('layers, code signing configs, profiles and jobs', () => {
  it('records each layer version once, with its name, version, owner and signature', async () => {
    const s = await scan();
    expect(s.layerVersions.map((l) => l.layerName).sort()).toEqual(['agent', 'utils']);
    expect(s.layerVersions.find((l) => l.layerName === 'utils')).toEqual({
      id: utilsLayer,
      arn: utilsLayer,
      layerName: 'utils',
      version: '1',
      accountId: ACCOUNT,
      region: REGION,
      signingProfileVersionArn: arn.release,
      signingJobArn: jobArn(jobs.utils),
      provenance: { source: 'aws', arn: utilsLayer, accountId: ACCOUNT, region: REGION },
    });
    const agent = s.layerVersions.find((l) => l.layerName === 'agent')!;
    expect(agent.signingProfileVersionArn).toBeUndefined();
    expect(agent.signingJobArn).toBeUndefined();
    expect(fn(s, 'layered').layers).toEqual([
      { arn: agentLayer },
      { arn: utilsLayer, signingProfileVersionArn: arn.release, signingJobArn: jobArn(jobs.utils) },
    ]);
  });

  it('reads each CSC: policy and whether it was explicit, allowed publishers, description', async () => {
    const s = await scan();
    expect(s.codeSigningConfigs.map((c) => c.id)).toEqual([arn.enforce, arn.warn, arn.implicit].sort());
    const byId = (id: string) => s.codeSigningConfigs.find((c) => c.id === id)!;
    expect(byId(arn.enforce)).toEqual({
      id: arn.enforce,
      arn: arn.enforce,
      accountId: ACCOUNT,
      region: REGION,
      description: 'prod enforce',
      policy: 'Enforce',
      policySource: 'explicit',
      allowedPublishers: [arn.release, arn.leaked, arn.short].map((a) => ({ kind: 'arn', arn: a })),
      provenance: { source: 'aws', arn: arn.enforce, accountId: ACCOUNT, region: REGION },
    });
    expect([byId(arn.warn).policy, byId(arn.warn).policySource]).toEqual(['Warn', 'explicit']);
    // Lambda answers with its default (Warn) when the CSC was created without a policy.
    expect(byId(arn.implicit).policy).toBe('Warn');
    expect(byId(arn.warn).description).toBeUndefined();
  });

  it('reads profiles of every status; revocation time for revoked ones, permissions for active ones only', async () => {
    const s = await scan();
    const byName = (name: string) => s.signingProfiles.find((p) => p.name === name)!;
    expect(s.signingProfiles.map((p) => [p.name, p.status]).sort()).toEqual([
      ['leaked', 'Revoked'],
      ['release', 'Active'],
      ['retired', 'Canceled'],
      ['short', 'Active'],
    ]);
    expect(byName('release')).toMatchObject({
      id: arn.release,
      profileVersionArn: arn.release,
      arn: arn.release.split('/').slice(0, -1).join('/'),
      profileVersion: arn.release.split('/').pop(),
      platformId: 'AWSLambda-SHA384-ECDSA',
      signatureValidity: { value: 12, type: 'MONTHS' },
      permissions: [
        { statementId: 'contractor', principal: '999999999999', action: 'signer:StartSigningJob' },
      ],
      accountId: ACCOUNT,
      region: REGION,
      provenance: {
        source: 'aws',
        arn: arn.release.split('/').slice(0, -1).join('/'),
        accountId: ACCOUNT,
        region: REGION,
      },
    });
    expect(byName('short').permissions).toEqual([]);
    expect(byName('short').tags).toEqual({ owner: 'platform' });
    expect(byName('short').signatureValidity).toEqual({ value: 1, type: 'DAYS' });
    expect(byName('release').tags).toBeUndefined();
    const leaked = byName('leaked');
    expect(Date.parse(leaked.revocationEffectiveFrom!)).toBeLessThan(Date.now() - 4 * DAY);
    expect(leaked.permissions).toBeUndefined();
    expect(byName('retired').permissions).toBeUndefined();
    expect(byName('release').revocationEffectiveFrom).toBeUndefined();
    const calls = callsByOperation();
    expect(calls.GetSigningProfile).toBe(1);
    expect(calls.ListProfilePermissions).toBe(2);
  });

  it('lists revoked and expired jobs, and describes only the jobs of a revoked profile it still needs', async () => {
    const s = await scan();
    const job = (id: string) => s.signingJobs.find((j) => j.jobId === id);
    expect(job(jobs.revoked)).toMatchObject({
      jobArn: jobArn(jobs.revoked),
      accountId: ACCOUNT,
      region: REGION,
      profileName: 'release',
      profileVersion: arn.release.split('/').pop(),
      isRevoked: true,
      status: 'Succeeded',
      createdAt: expect.any(String),
    });
    expect(job(jobs.expired)).toMatchObject({ isRevoked: false, profileName: 'short' });
    expect(Date.parse(job(jobs.expired)!.signatureExpiresAt!)).toBeLessThan(Date.now());
    // Signed by the revoked profile: its signing time decides trust, so a job not listed already is
    // described once; one listed (revoked on its own) already has its time and is not described again.
    expect(job(jobs.after)).toMatchObject({
      profileName: 'leaked',
      isRevoked: true,
      createdAt: expect.any(String),
    });
    for (const id of [jobs.before]) {
      expect(job(id)).toMatchObject({
        jobArn: jobArn(id),
        profileName: 'leaked',
        profileVersion: arn.leaked.split('/').pop(),
        status: 'Succeeded',
        isRevoked: false,
        createdAt: expect.any(String),
        signatureExpiresAt: expect.any(String),
        requestedBy: expect.stringContaining('admin'),
      });
    }
    expect(Date.parse(job(jobs.before)!.createdAt!)).toBeLessThan(Date.parse(job(jobs.after)!.createdAt!));
    // Healthy jobs are neither listed nor described.
    expect(job(jobs.healthy)).toBeUndefined();
    expect(job(jobs.utils)).toBeUndefined();
    expect(callsByOperation().DescribeSigningJob).toBe(1);
  });
});

describe('coverage when a call fails', () => {
  const ALL_PARTS = [
    'functions',
    'versions',
    'codeSigningConfigs',
    'cscAttachments',
    'tags',
    'layers',
    'signingProfiles',
    'signingJobs',
  ];

  let users = 0;
  async function collectWithout(action: string) {
    users += 1;
    const credentials = await createUserWithKey(t.clients, `auditor-${users}`, [
      { Effect: 'Allow', NotAction: action, Resource: '*' },
    ]);
    const factory = new ClientFactory({
      endpoint: t.endpoint,
      declared: SCAN_CALLS,
      limiter: new RateLimiter(50),
    });
    try {
      return await collectRegion(
        factory,
        { accountId: ACCOUNT, region: REGION, credentials, partition: 'aws' },
        new Date(),
      );
    } finally {
      factory.destroy();
    }
  }

  it.each([
    ['lambda:ListCodeSigningConfigs', 'ListCodeSigningConfigs', ['codeSigningConfigs', 'cscAttachments']],
    ['lambda:ListFunctionsByCodeSigningConfig', 'ListFunctionsByCodeSigningConfig', ['cscAttachments']],
    ['lambda:ListFunctions', 'ListFunctions', ['functions', 'versions', 'layers']],
    ['lambda:ListAliases', 'ListAliases', ['versions']],
    ['tag:GetResources', 'GetResources', ['tags']],
    ['signer:ListSigningProfiles', 'ListSigningProfiles', ['signingProfiles']],
    ['signer:GetSigningProfile', 'GetSigningProfile', ['signingProfiles']],
    ['signer:ListProfilePermissions', 'ListProfilePermissions', ['signingProfiles']],
    ['signer:ListSigningJobs', 'ListSigningJobs', ['signingJobs']],
    ['signer:DescribeSigningJob', 'DescribeSigningJob', ['signingJobs']],
  ])('without %s: %s fails and only %j are incomplete', async (action, operation, parts) => {
    const result = await collectWithout(action);
    expect(result.coverage).toEqual(
      ALL_PARTS.map((part) => ({
        accountId: ACCOUNT,
        region: REGION,
        part,
        status: parts.includes(part) ? 'failed' : 'ok',
      })),
    );
    expect(result.collectionErrors.length).toBeGreaterThan(0);
    for (const error of result.collectionErrors)
      expect(error).toEqual({
        service: action.startsWith('tag:') ? 'tagging' : action.split(':')[0],
        operation,
        accountId: ACCOUNT,
        region: REGION,
        errorCode: expect.stringMatching(/AccessDenied/),
        // AWS's own one-line message, not prefixed with the error code.
        message: expect.stringMatching(new RegExp(`^User: [^\n]*${action}`)),
        parts,
      });
  });

  it('a failed profile listing leaves no profile; failed permissions leave none claimed', async () => {
    expect((await collectWithout('signer:ListSigningProfiles')).signingProfiles).toEqual([]);
    const perms = await collectWithout('signer:ListProfilePermissions');
    expect(perms.signingProfiles.find((p) => p.name === 'release')!.permissions).toEqual([]);
  });

  it('reports functions seen, not their published versions', async () => {
    const factory = new ClientFactory({
      endpoint: t.endpoint,
      declared: SCAN_CALLS,
      limiter: new RateLimiter(50),
    });
    const seen: number[] = [];
    try {
      const result = await collectRegion(
        factory,
        { accountId: ACCOUNT, region: REGION, credentials: BOOTSTRAP_CREDENTIALS, partition: 'aws' },
        new Date(),
        { functionsSeen: (n) => seen.push(n) },
      );
      expect(result.functions).toHaveLength(8);
      expect(seen.reduce((a, b) => a + b, 0)).toBe(8);
    } finally {
      factory.destroy();
    }
  });

  it('a failed CSC listing leaves no CSC and no attachment, never a guess', async () => {
    const result = await collectWithout('lambda:ListCodeSigningConfigs');
    expect(result.codeSigningConfigs).toEqual([]);
    expect(result.functions.every((f) => f.codeSigningConfig.state === 'none')).toBe(true);
    expect(result.functions.length).toBe(8);
  });

  it('a failed tag read leaves functions untagged, everything else intact', async () => {
    const result = await collectWithout('tag:GetResources');
    expect(result.functions.find((f) => f.name === 'healthy')!.tags).toEqual({});
    expect(result.functions.find((f) => f.name === 'healthy')!.codeSigningConfig.state).toBe('attached');
  });

  it('without signing jobs even verified versions are suspect: their aliases are read (fail closed)', async () => {
    const result = await collectWithout('signer:ListSigningJobs');
    const healthy = result.functions.find((f) => f.name === 'healthy')!;
    expect(healthy).toMatchObject({ aliasesCollected: true, aliases: { live: '1' } });
    expect(healthy.versions[0]!.aliases).toEqual(['live']);
  });

  it('without the revoked profile’s details its signatures are suspect too', async () => {
    const result = await collectWithout('signer:GetSigningProfile');
    expect(result.signingProfiles.find((p) => p.name === 'leaked')!.revocationEffectiveFrom).toBeUndefined();
    expect(result.functions.find((f) => f.name === 'before-revoke')!.aliasesCollected).toBe(true);
  });

  it('a failed DescribeSigningJob leaves the job out and its versions suspect', async () => {
    const result = await collectWithout('signer:DescribeSigningJob');
    expect(result.signingJobs.some((j) => j.jobId === jobs.before)).toBe(false);
    expect(result.functions.find((f) => f.name === 'before-revoke')!.aliasesCollected).toBe(true);
  });

  it('a failed ListAliases keeps the versions but claims no alias', async () => {
    const result = await collectWithout('lambda:ListAliases');
    const legacy = result.functions.find((f) => f.name === 'legacy')!;
    expect(legacy.versions).toHaveLength(2);
    expect(legacy.aliases).toEqual({});
  });
});

describe('hasSuspectVersion (the alias short-cut) uses the rules’ trust judgement', () => {
  let snapshot: Snapshot;
  let ctx: TrustContext;
  const judge = (f: LambdaFunction) => hasSuspectVersion(ctx, f);

  beforeAll(async () => {
    snapshot = await scan();
    ctx = {
      snapshot,
      index: new SnapshotIndex(snapshot),
      policy: { trustedAccounts: [], trustedSigningProfiles: [] },
      now: new Date(),
    };
  });

  it('calls a function with verified versions healthy, and any unsigned or untrusted one suspect', () => {
    const healthy = fn(snapshot, 'healthy');
    expect(judge(healthy)).toBe(false);
    expect(judge(fn(snapshot, 'legacy'))).toBe(true);
    expect(judge(fn(snapshot, 'job-revoked'))).toBe(true);
    expect(judge(fn(snapshot, 'after-revoke'))).toBe(true);
    expect(judge(fn(snapshot, 'before-revoke'))).toBe(false);
    expect(judge({ ...healthy, versions: [] })).toBe(false);
    const v = healthy.versions[0]!;
    expect(judge({ ...healthy, versions: [v, { ...v, signingProfileVersionArn: undefined }] })).toBe(true);
    expect(judge({ ...healthy, versions: [{ ...v, signingJobArn: jobArn(jobs.revoked) }] })).toBe(true);
  });

  it('judges each version’s layers, with the version’s deployment time as the signing bound', () => {
    const healthy = fn(snapshot, 'healthy');
    const v = healthy.versions[0]!;
    const signedLayer = {
      arn: utilsLayer,
      signingProfileVersionArn: arn.release,
      signingJobArn: jobArn(jobs.utils),
    };
    expect(judge({ ...healthy, versions: [{ ...v, layers: [signedLayer] }] })).toBe(false);
    expect(judge({ ...healthy, versions: [{ ...v, layers: [signedLayer, { arn: agentLayer }] }] })).toBe(
      true,
    );
    // A layer signed by the revoked profile with no job to date it: only the version's deployment time
    // (before the revocation) can vouch for it.
    const leakedLayer = { arn: agentLayer, signingProfileVersionArn: arn.leaked };
    const old = new Date(Date.now() - 20 * DAY).toISOString();
    const recent = new Date(Date.now() - DAY).toISOString();
    expect(judge({ ...healthy, versions: [{ ...v, lastModified: old, layers: [leakedLayer] }] })).toBe(false);
    expect(judge({ ...healthy, versions: [{ ...v, lastModified: recent, layers: [leakedLayer] }] })).toBe(
      true,
    );
    // The same bound for the version's own code.
    const own = { ...v, signingProfileVersionArn: arn.leaked, signingJobArn: undefined };
    expect(
      judge({ ...healthy, codeSigningConfig: { state: 'none' }, versions: [{ ...own, lastModified: old }] }),
    ).toBe(false);
    expect(
      judge({
        ...healthy,
        codeSigningConfig: { state: 'none' },
        versions: [{ ...own, lastModified: recent }],
      }),
    ).toBe(true);
  });
});
