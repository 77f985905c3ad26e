// The deploy-time validation matrix (spec §1.3): Warn/Enforce × signed-by-allowed / unsigned /
// untrusted / expired / revoked profile / revoked job / tampered, for function code and for layers.
import { paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import {
  CodeVerificationFailedException,
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  GetLayerVersionCommand,
  InvalidCodeSignatureException,
  InvalidParameterValueException,
  ListFunctionsCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  PutFunctionCodeSigningConfigCommand,
  UpdateCodeSigningConfigCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  DescribeSigningJobCommand,
  PutSigningProfileCommand,
  RevokeSignatureCommand,
  RevokeSigningProfileCommand,
  StartSigningJobCommand,
} from '@aws-sdk/client-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_ACCOUNT_ID } from '../../src/sandbox/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { aRole, aZip } from './lambda-fixtures.js';

const ACCOUNT = MANAGEMENT_ACCOUNT_ID;
const REGION = 'us-east-1';
const BUCKET = 'signing-source';
const DAY = 24 * 60 * 60 * 1000;

type Kind = 'allowed' | 'unsigned' | 'untrusted' | 'expired' | 'revokedProfile' | 'revokedJob' | 'tampered';
const KINDS: Kind[] = [
  'allowed',
  'unsigned',
  'untrusted',
  'expired',
  'revokedProfile',
  'revokedJob',
  'tampered',
];

interface Signed {
  bytes: Uint8Array;
  profileVersionArn: string;
  jobArn: string;
}

let t: TestSandbox;
let role: string;
const profiles: Record<string, string> = {};
const artifacts = {} as Record<Kind, Uint8Array>;
const signedBy = {} as Partial<Record<Kind, Signed>>;
const layers = {} as Record<Kind, string>;
const cscs = {} as Record<'Warn' | 'Enforce', string>;
let counter = 0;

async function profile(name: string, validityDays?: number): Promise<string> {
  const out = await t.clients.signer.send(
    new PutSigningProfileCommand({
      profileName: name,
      platformId: 'AWSLambda-SHA384-ECDSA',
      ...(validityDays ? { signatureValidityPeriod: { value: validityDays, type: 'DAYS' } } : {}),
    }),
  );
  profiles[name] = out.profileVersionArn!;
  return out.profileVersionArn!;
}

async function sign(profileName: string): Promise<Signed & { jobId: string; key: string; version?: string }> {
  const key = `unsigned/${++counter}.zip`;
  const put = await t.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: aZip() }));
  const job = await t.clients.signer.send(
    new StartSigningJobCommand({
      profileName,
      source: { s3: { bucketName: BUCKET, key, version: put.VersionId } },
      destination: { s3: { bucketName: BUCKET, prefix: 'signed/' } },
    }),
  );
  const described = await t.clients.signer.send(new DescribeSigningJobCommand({ jobId: job.jobId }));
  expect(described.status).toBe('Succeeded');
  const signedKey = described.signedObject!.s3!.key!;
  const object = await t.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: signedKey }));
  return {
    bytes: await object.Body!.transformToByteArray(),
    profileVersionArn: profiles[profileName]!,
    jobArn: `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-jobs/${job.jobId}`,
    jobId: job.jobId!,
    key: signedKey,
    ...(object.VersionId ? { version: object.VersionId } : {}),
  };
}

beforeAll(async () => {
  t = await startTestSandbox();
  role = await aRole(t.clients.iam);
  await t.clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await t.clients.s3.send(
    new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  const allowed = await profile('TeamRelease');
  const untrusted = await profile('SomeoneElse');
  const shortLived = await profile('ShortLived', 1);
  const toRevoke = await profile('Compromised');

  const good = await sign('TeamRelease');
  signedBy.allowed = good;
  signedBy.untrusted = await sign('SomeoneElse');
  signedBy.expired = await sign('ShortLived');
  signedBy.revokedProfile = await sign('Compromised');
  const revokedJob = await sign('TeamRelease');
  signedBy.revokedJob = revokedJob;
  await t.clients.signer.send(
    new RevokeSignatureCommand({ jobId: revokedJob.jobId, reason: 'leaked build' }),
  );
  // Revocation from a past instant invalidates the signatures made after it.
  await t.clients.signer.send(
    new RevokeSigningProfileCommand({
      profileName: 'Compromised',
      profileVersion: toRevoke.split('/').pop(),
      reason: 'key compromised',
      effectiveTime: new Date(Date.now() - 60_000),
    }),
  );
  // Change one byte inside the entry's data: the archive stays a ZIP but no longer matches its signature.
  const tampered = Uint8Array.from(good.bytes);
  tampered[40] = tampered[40]! ^ 0xff;

  for (const kind of KINDS) {
    artifacts[kind] = kind === 'unsigned' ? aZip() : kind === 'tampered' ? tampered : signedBy[kind]!.bytes;
  }
  for (const kind of KINDS) {
    const out = await t.clients.lambda.send(
      new PublishLayerVersionCommand({ LayerName: `layer-${kind}`, Content: { ZipFile: artifacts[kind] } }),
    );
    layers[kind] = out.LayerVersionArn!;
  }
  for (const policy of ['Warn', 'Enforce'] as const) {
    const out = await t.clients.lambda.send(
      new CreateCodeSigningConfigCommand({
        AllowedPublishers: { SigningProfileVersionArns: [allowed, shortLived, toRevoke] },
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: policy },
      }),
    );
    cscs[policy] = out.CodeSigningConfig!.CodeSigningConfigArn!;
  }
  void untrusted;
  // Let the one-day signature expire.
  const res = await fetch(`${t.endpoint}/_sandbox/clock`, {
    method: 'POST',
    body: JSON.stringify({ advanceMs: 2 * DAY }),
  });
  expect(res.status).toBe(200);
});
afterAll(async () => t?.close());

const REASONS: Record<Exclude<Kind, 'allowed' | 'tampered'>, string> = {
  unsigned: 'Unsigned',
  untrusted: 'UntrustedPublisher',
  expired: 'Expired',
  revokedProfile: 'Revoked',
  revokedJob: 'Revoked',
};

type Path =
  | 'CreateFunction code'
  | 'UpdateFunctionCode'
  | 'CreateFunction layer'
  | 'UpdateFunctionConfiguration layer';
const PATHS: Path[] = [
  'CreateFunction code',
  'UpdateFunctionCode',
  'CreateFunction layer',
  'UpdateFunctionConfiguration layer',
];

type Deployed = FunctionConfiguration & { $metadata: { httpStatusCode?: number } };

async function deploy(path: Path, policy: 'Warn' | 'Enforce', kind: Kind, name: string): Promise<Deployed> {
  const lambda = t.clients.lambda;
  const base = {
    FunctionName: name,
    Runtime: 'nodejs22.x' as const,
    Handler: 'index.handler',
    Role: role,
    CodeSigningConfigArn: cscs[policy],
  };
  switch (path) {
    case 'CreateFunction code':
      return lambda.send(new CreateFunctionCommand({ ...base, Code: { ZipFile: artifacts[kind] } }));
    case 'CreateFunction layer':
      return lambda.send(
        new CreateFunctionCommand({ ...base, Code: { ZipFile: artifacts.allowed }, Layers: [layers[kind]] }),
      );
    case 'UpdateFunctionCode':
      await lambda.send(new CreateFunctionCommand({ ...base, Code: { ZipFile: artifacts.allowed } }));
      return lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: artifacts[kind] }));
    case 'UpdateFunctionConfiguration layer':
      await lambda.send(new CreateFunctionCommand({ ...base, Code: { ZipFile: artifacts.allowed } }));
      return lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: name, Layers: [layers[kind]] }),
      );
  }
}

function eventNameOf(path: Path): string {
  if (path === 'UpdateFunctionCode') return 'UpdateFunctionCode20150331v2';
  if (path === 'UpdateFunctionConfiguration layer') return 'UpdateFunctionConfiguration20150331v2';
  return 'CreateFunction20150331';
}

async function trailRecord(name: string, eventName: string): Promise<Record<string, unknown> | undefined> {
  const pages = paginateLookupEvents(
    { client: t.clients.cloudtrail },
    { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] },
  );
  for await (const page of pages) {
    const found = (page.Events ?? [])
      .map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>)
      .find((r) => (r.requestParameters as { functionName?: string } | null)?.functionName === name);
    if (found) return found;
  }
  return undefined;
}

function metric(name: string): number {
  const lambda = t.sandbox.world.services.lambda as {
    regions: Record<string, Record<string, { signatureValidationErrors: Record<string, number> }>>;
  };
  return lambda.regions[ACCOUNT]?.[REGION]?.signatureValidationErrors[name] ?? 0;
}

describe('deploy-time validation matrix', () => {
  let n = 0;
  for (const path of PATHS) {
    const isLayer = path.endsWith('layer');
    for (const policy of ['Warn', 'Enforce'] as const) {
      for (const kind of KINDS) {
        const blocks = kind === 'tampered' || (policy === 'Enforce' && kind !== 'allowed');
        it(`${path} · ${policy} · ${kind} → ${blocks ? 'blocked' : 'deployed'}`, async () => {
          const name = `m-${++n}`;
          const artifactArn = isLayer ? layers[kind] : `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
          const result = await deploy(path, policy, kind, name).catch((e: unknown) => e);
          if (kind === 'tampered') {
            // Integrity failures block even under Warn.
            expect(result).toBeInstanceOf(InvalidCodeSignatureException);
            expect((result as InvalidCodeSignatureException).$metadata.httpStatusCode).toBe(400);
            expect((result as Error).message).toContain(artifactArn);
            expect(metric(name)).toBe(1);
            return;
          }
          if (blocks) {
            expect(result).toBeInstanceOf(CodeVerificationFailedException);
            expect((result as CodeVerificationFailedException).$metadata.httpStatusCode).toBe(400);
            expect((result as Error).message).toBe(
              `Lambda cannot deploy the function. The function or layer might be signed using a signature that the client is not configured to accept. Check the provided signature for ${artifactArn}.`,
            );
            const failed = await trailRecord(name, eventNameOf(path));
            expect(failed?.errorCode).toBe('CodeVerificationFailedException');
            expect(JSON.stringify(failed?.requestParameters)).not.toMatch(/zipFile/i);
            expect(metric(name)).toBe(1);
            return;
          }
          const config = result as Deployed;
          expect(config.$metadata.httpStatusCode).toBe(path.startsWith('Create') ? 201 : 200);
          const signed = signedBy[kind];
          if (isLayer) {
            expect(config.Layers?.[0]?.Arn).toBe(layers[kind]);
            expect(config.Layers?.[0]?.SigningProfileVersionArn).toBe(signed?.profileVersionArn);
            expect(config.Layers?.[0]?.SigningJobArn).toBe(signed?.jobArn);
            expect(config.SigningProfileVersionArn).toBe(signedBy.allowed!.profileVersionArn);
          } else {
            // A signature that verifies is recorded even when Warn lets an untrusted one through.
            expect(config.SigningProfileVersionArn).toBe(signed?.profileVersionArn);
            expect(config.SigningJobArn).toBe(signed?.jobArn);
          }
          const record = await trailRecord(name, eventNameOf(path));
          const validation = (
            record?.additionalEventData as { codeSigningValidation?: Record<string, unknown> }
          )?.codeSigningValidation;
          if (kind === 'allowed') {
            expect(validation).toMatchObject({ policy, outcome: 'Passed', reasons: [] });
            expect(metric(name)).toBe(0);
          } else {
            expect(validation).toMatchObject({
              policy: 'Warn',
              outcome: 'Failed',
              reasons: [{ artifact: artifactArn, reason: REASONS[kind] }],
            });
            expect(metric(name)).toBe(1);
          }
        });
      }
    }
  }
});

describe('what validation never does', () => {
  it('records signing fields of signed code on a function without a CSC, and no check blocks it', async () => {
    const out = await t.clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'no-csc',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: { ZipFile: artifacts.untrusted },
        Layers: [layers.tampered],
      }),
    );
    expect(out.SigningProfileVersionArn).toBe(signedBy.untrusted!.profileVersionArn);
    expect(out.Layers?.[0]?.SigningProfileVersionArn).toBeUndefined();
  });

  it('records a layer’s signing ARNs at publication without validating it', async () => {
    const got = await t.clients.lambda.send(
      new GetLayerVersionCommand({ LayerName: 'layer-allowed', VersionNumber: 1 }),
    );
    expect(got.Content).toMatchObject({
      SigningProfileVersionArn: signedBy.allowed!.profileVersionArn,
      SigningJobArn: signedBy.allowed!.jobArn,
    });
    const tampered = await t.clients.lambda.send(
      new GetLayerVersionCommand({ LayerName: 'layer-tampered', VersionNumber: 1 }),
    );
    expect(tampered.Content?.SigningProfileVersionArn).toBeUndefined();
  });

  it('never re-checks deployed code when a CSC is attached, switched to Enforce, or a signature is revoked', async () => {
    const lambda = t.clients.lambda;
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'legacy',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: { ZipFile: artifacts.unsigned },
      }),
    );
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'legacy' }));
    const csc = await lambda.send(
      new CreateCodeSigningConfigCommand({
        AllowedPublishers: { SigningProfileVersionArns: [signedBy.allowed!.profileVersionArn] },
      }),
    );
    const cscArn = csc.CodeSigningConfig!.CodeSigningConfigArn!;
    await lambda.send(
      new PutFunctionCodeSigningConfigCommand({ FunctionName: 'legacy', CodeSigningConfigArn: cscArn }),
    );
    await lambda.send(
      new UpdateCodeSigningConfigCommand({
        CodeSigningConfigArn: cscArn,
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
      }),
    );
    // Unchanged, still served, and a configuration change that deploys nothing passes.
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'legacy' }));
    expect(latest.CodeSha256).toBe(created.CodeSha256);
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'legacy', MemorySize: 256 }),
    );
    expect(updated.MemorySize).toBe(256);
    const version = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'legacy', Qualifier: v1.Version }),
    );
    expect(version.SigningProfileVersionArn).toBeUndefined();
    // The next unsigned deployment is blocked.
    await expect(
      lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'legacy', ZipFile: artifacts.unsigned })),
    ).rejects.toBeInstanceOf(CodeVerificationFailedException);
    // ListFunctions carries the signing fields of what is deployed (revoked or not).
    const revoked = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'revoked-after',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: { ZipFile: artifacts.revokedJob },
      }),
    );
    const list = await lambda.send(new ListFunctionsCommand({}));
    const listed = list.Functions?.find((f) => f.FunctionName === 'revoked-after');
    expect(listed?.SigningJobArn).toBe(revoked.SigningJobArn);
  });

  it('publishes versions that snapshot the code, its signing fields and layers', async () => {
    const lambda = t.clients.lambda;
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'snap',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: { ZipFile: artifacts.allowed },
        Layers: [layers.allowed],
      }),
    );
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'snap' }));
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'snap', ZipFile: artifacts.unsigned }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'snap', Layers: [] }));
    const old = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'snap', Qualifier: v1.Version }),
    );
    expect(old.SigningProfileVersionArn).toBe(signedBy.allowed!.profileVersionArn);
    expect(old.Layers?.[0]?.SigningJobArn).toBe(signedBy.allowed!.jobArn);
    const head = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'snap' }));
    expect(head.SigningProfileVersionArn).toBeUndefined();
    expect(head.Layers).toBeUndefined();
  });

  it('deploys signed code from S3 (bucket, key, version) and validates it like an upload', async () => {
    const lambda = t.clients.lambda;
    const fresh = await sign('TeamRelease');
    const out = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'from-s3',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        CodeSigningConfigArn: cscs.Enforce,
        Code: {
          S3Bucket: BUCKET,
          S3Key: fresh.key,
          ...(fresh.version ? { S3ObjectVersion: fresh.version } : {}),
        },
      }),
    );
    expect(out.SigningJobArn).toBe(fresh.jobArn);
    const missing = await lambda
      .send(new UpdateFunctionCodeCommand({ FunctionName: 'from-s3', S3Bucket: BUCKET, S3Key: 'nope.zip' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InvalidParameterValueException);
    expect((missing as Error).message).toContain('NoSuchKey');
  });

  it('rejects a bucket in another region', async () => {
    const west = new (await import('@aws-sdk/client-s3')).S3Client({
      endpoint: t.endpoint,
      region: 'us-west-2',
      credentials: {
        accessKeyId: 'AKIASANDBOXADMIN0001',
        secretAccessKey: 'sandbox/secret/admin/0000000000000000000',
      },
      forcePathStyle: true,
    });
    try {
      await west.send(
        new CreateBucketCommand({
          Bucket: 'west-bucket',
          CreateBucketConfiguration: { LocationConstraint: 'us-west-2' },
        }),
      );
      await west.send(new PutObjectCommand({ Bucket: 'west-bucket', Key: 'a.zip', Body: aZip() }));
      const err = await t.clients.lambda
        .send(
          new CreateFunctionCommand({
            FunctionName: 'cross-region',
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Role: role,
            Code: { S3Bucket: 'west-bucket', S3Key: 'a.zip' },
          }),
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidParameterValueException);
      expect((err as Error).message).toContain('PermanentRedirect');
    } finally {
      west.destroy();
    }
  });

  it('refuses a CSC on a container-image function at creation', async () => {
    const err = await t.clients.lambda
      .send(
        new CreateFunctionCommand({
          FunctionName: 'image-csc',
          PackageType: 'Image',
          Role: role,
          Code: { ImageUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/app:1` },
          CodeSigningConfigArn: cscs.Enforce,
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParameterValueException);
  });
});
