import { createHash } from 'node:crypto';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CodeSigningConfigNotFoundException,
  CreateAliasCommand,
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteCodeSigningConfigCommand,
  DeleteFunctionCodeSigningConfigCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetCodeSigningConfigCommand,
  GetFunctionCodeSigningConfigCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetPolicyCommand,
  InvalidParameterValueException,
  LambdaClient,
  LambdaServiceException,
  ListAliasesCommand,
  ListCodeSigningConfigsCommand,
  ListFunctionsCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  ListTagsCommand,
  PreconditionFailedException,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  PutFunctionCodeSigningConfigCommand,
  paginateListCodeSigningConfigs,
  paginateListFunctions,
  paginateListFunctionsByCodeSigningConfig,
  paginateListVersionsByFunction,
  ResourceConflictException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateCodeSigningConfigCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_ACCOUNT_ID } from '../../src/sandbox/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { signedFetch } from '../helpers/signed-fetch.js';
import { aRole, aZip } from './lambda-fixtures.js';

const ACCOUNT = MANAGEMENT_ACCOUNT_ID;
const REGION = 'us-east-1';
const PROFILE_VERSION_ARN = `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/TeamProfile/AbCdEf1234`;
const LAST_MODIFIED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

let t: TestSandbox;
let lambda: LambdaClient;
let role: string;
let n = 0;
const fname = (prefix = 'fn') => `${prefix}-${++n}`;

async function aFunction(name = fname(), extra: Record<string, unknown> = {}) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: role,
      Code: { ZipFile: aZip() },
      ...extra,
    }),
  );
}

async function aCsc(policy?: 'Warn' | 'Enforce') {
  const out = await lambda.send(
    new CreateCodeSigningConfigCommand({
      AllowedPublishers: { SigningProfileVersionArns: [PROFILE_VERSION_ARN] },
      ...(policy ? { CodeSigningPolicies: { UntrustedArtifactOnDeployment: policy } } : {}),
    }),
  );
  return out.CodeSigningConfig!;
}

beforeAll(async () => {
  t = await startTestSandbox();
  lambda = t.clients.lambda;
  role = await aRole(t.clients.iam);
});
afterAll(async () => t.close());

describe('Lambda functions', () => {
  it('creates a Zip function with HTTP 201 and the configuration AWS returns', async () => {
    const zip = aZip('hello');
    const out = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'hello',
        Runtime: 'python3.12',
        Handler: 'app.handler',
        Role: role,
        Code: { ZipFile: zip },
        Environment: { Variables: { STAGE: 'prod' } },
        Tags: { team: 'payments' },
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out).toMatchObject({
      FunctionName: 'hello',
      FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:hello`,
      Runtime: 'python3.12',
      Handler: 'app.handler',
      Role: role,
      Version: '$LATEST',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      State: 'Active',
      LastUpdateStatus: 'Successful',
      CodeSize: zip.length,
      CodeSha256: createHash('sha256').update(zip).digest('base64'),
      Timeout: 3,
      MemorySize: 128,
      Environment: { Variables: { STAGE: 'prod' } },
    });
    expect(out.LastModified).toMatch(LAST_MODIFIED);
    expect(out.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.SigningProfileVersionArn).toBeUndefined();
    expect(out.Layers).toBeUndefined();
  });

  it('reads a function by name, full ARN and partial ARN, with its code location and tags', async () => {
    for (const name of [
      'hello',
      `arn:aws:lambda:${REGION}:${ACCOUNT}:function:hello`,
      `${ACCOUNT}:function:hello`,
    ]) {
      const out = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
      expect(out.Configuration?.FunctionName).toBe('hello');
      expect(out.Code?.RepositoryType).toBe('S3');
      expect(out.Tags).toEqual({ team: 'payments' });
    }
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello' }));
    expect(config.State).toBe('Active');
  });

  it('answers ResourceNotFoundException 404 for a missing function', async () => {
    const err = await lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    expect((err as Error).message).toBe(
      `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:nope`,
    );
  });

  it('refuses a duplicate name with ResourceConflictException 409', async () => {
    const err = await aFunction('hello').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceConflictException);
    expect((err as ResourceConflictException).$metadata.httpStatusCode).toBe(409);
  });

  it('rejects a package that is not a ZIP archive', async () => {
    const err = await aFunction(fname(), { Code: { ZipFile: new TextEncoder().encode('not a zip') } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidParameterValueException);
    expect((err as Error).message).toBe(
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
  });

  it('requires Runtime and Handler for Zip functions and an existing role', async () => {
    const noRuntime = await lambda
      .send(new CreateFunctionCommand({ FunctionName: fname(), Role: role, Code: { ZipFile: aZip() } }))
      .catch((e: unknown) => e);
    expect(noRuntime).toBeInstanceOf(InvalidParameterValueException);
    const badRole = await aFunction(fname(), { Role: `arn:aws:iam::${ACCOUNT}:role/does-not-exist` }).catch(
      (e: unknown) => e,
    );
    expect(badRole).toBeInstanceOf(InvalidParameterValueException);
    expect((badRole as Error).message).toBe('The role defined for the function cannot be assumed by Lambda.');
  });

  it('answers malformed names with a ValidationException', async () => {
    const err = await lambda
      .send(new GetFunctionCommand({ FunctionName: 'bad name!' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LambdaServiceException);
    expect((err as LambdaServiceException).name).toBe('ValidationException');
    expect((err as LambdaServiceException).$metadata.httpStatusCode).toBe(400);
  });

  it('creates container-image functions without Runtime or code size', async () => {
    const uri = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/app:latest`;
    const out = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'image-fn',
        PackageType: 'Image',
        Role: role,
        Code: { ImageUri: uri },
      }),
    );
    expect(out).toMatchObject({ PackageType: 'Image', CodeSize: 0 });
    expect(out.Runtime).toBeUndefined();
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'image-fn' }));
    expect(got.Code).toMatchObject({ RepositoryType: 'ECR', ImageUri: uri });
  });

  it('updates code and configuration, keeps a RevisionId check, and publishes versions', async () => {
    const name = fname();
    const created = await aFunction(name);
    const stale = await lambda
      .send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: aZip(), RevisionId: 'not-current' }))
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(PreconditionFailedException);
    const zip = aZip();
    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip, RevisionId: created.RevisionId }),
    );
    expect(updated.$metadata.httpStatusCode).toBe(200);
    expect(updated.CodeSha256).toBe(createHash('sha256').update(zip).digest('base64'));
    expect(updated.RevisionId).not.toBe(created.RevisionId);

    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'first' }));
    expect(v1.$metadata.httpStatusCode).toBe(201);
    expect(v1).toMatchObject({ Version: '1', FunctionArn: `${created.FunctionArn}:1`, Description: 'first' });
    // Nothing changed since version 1: AWS returns it again rather than publishing a new one.
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    expect(again.Version).toBe('1');

    const published = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: aZip(), Publish: true }),
    );
    expect(published.Version).toBe('2');
    const cfg = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 512, Description: 'bigger' }),
    );
    expect(cfg).toMatchObject({ MemorySize: 512, Description: 'bigger', Version: '$LATEST' });
    const v1again = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '1' }),
    );
    expect(v1again).toMatchObject({ Version: '1', MemorySize: 128, CodeSha256: updated.CodeSha256 });

    const versions = [];
    for await (const page of paginateListVersionsByFunction(
      { client: lambda, pageSize: 1 },
      { FunctionName: name },
    )) {
      versions.push(...(page.Versions ?? []).map((v) => v.Version));
    }
    expect(versions).toEqual(['$LATEST', '1', '2']);
  });

  it('rejects a PublishVersion whose CodeSha256 does not match $LATEST', async () => {
    const name = fname();
    await aFunction(name);
    await expect(
      lambda.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: 'abc' })),
    ).rejects.toBeInstanceOf(InvalidParameterValueException);
  });

  it('manages aliases and protects versions they point to', async () => {
    const name = fname();
    await aFunction(name);
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    const alias = await lambda.send(
      new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }),
    );
    expect(alias.$metadata.httpStatusCode).toBe(201);
    expect(alias.AliasArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}:live`);
    const dup = await lambda
      .send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }))
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ResourceConflictException);
    const missing = await lambda
      .send(new CreateAliasCommand({ FunctionName: name, Name: 'next', FunctionVersion: '9' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);

    const viaAlias = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${name}:live` }));
    expect(viaAlias.Version).toBe('1');
    const inUse = await lambda
      .send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1' }))
      .catch((e: unknown) => e);
    expect(inUse).toBeInstanceOf(ResourceConflictException);

    const updated = await lambda.send(
      new UpdateAliasCommand({
        FunctionName: name,
        Name: 'live',
        FunctionVersion: '$LATEST',
        Description: 'head',
      }),
    );
    expect(updated).toMatchObject({ FunctionVersion: '$LATEST', Description: 'head' });
    expect(
      (await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }))).FunctionVersion,
    ).toBe('$LATEST');
    expect(
      (await lambda.send(new ListAliasesCommand({ FunctionName: name }))).Aliases?.map((a) => a.Name),
    ).toEqual(['live']);
    const deleted = await lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: 'live' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const gone = await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1' }));
    expect(gone.$metadata.httpStatusCode).toBe(204);
  });

  it('deletes a function with HTTP 204', async () => {
    const name = fname();
    await aFunction(name);
    const latest = await lambda
      .send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '$LATEST' }))
      .catch((e: unknown) => e);
    expect(latest).toBeInstanceOf(InvalidParameterValueException);
    const out = await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: name }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('answers GetPolicy with ResourceNotFoundException when the function has no resource policy', async () => {
    await expect(lambda.send(new GetPolicyCommand({ FunctionName: 'hello' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('ListFunctions', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
    const r = await aRole(sb.clients.iam);
    for (let i = 0; i < 55; i++) {
      await sb.clients.lambda.send(
        new CreateFunctionCommand({
          FunctionName: `f-${String(i).padStart(2, '0')}`,
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: r,
          Code: { ZipFile: aZip() },
          Publish: i < 3,
        }),
      );
    }
  });
  afterAll(async () => sb.close());

  it('returns at most 50 functions per page whatever MaxItems says, with NextMarker', async () => {
    const first = await sb.clients.lambda.send(new ListFunctionsCommand({ MaxItems: 500 }));
    expect(first.Functions).toHaveLength(50);
    expect(first.NextMarker).toBeTruthy();
    // ListFunctions omits the state fields.
    expect(first.Functions?.[0]?.State).toBeUndefined();
    expect(first.Functions?.[0]?.LastUpdateStatus).toBeUndefined();
    expect(first.Functions?.[0]?.FunctionArn).toMatch(/:function:f-00$/);
    const second = await sb.clients.lambda.send(new ListFunctionsCommand({ Marker: first.NextMarker }));
    expect(second.Functions).toHaveLength(5);
    expect(second.NextMarker).toBeUndefined();
  });

  it('pages through every function with the SDK paginator, and FunctionVersion=ALL adds published versions', async () => {
    const names: string[] = [];
    for await (const page of paginateListFunctions({ client: sb.clients.lambda }, {})) {
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName!));
    }
    expect(names).toHaveLength(55);
    const all: string[] = [];
    for await (const page of paginateListFunctions(
      { client: sb.clients.lambda, pageSize: 20 },
      { FunctionVersion: 'ALL' },
    )) {
      all.push(...(page.Functions ?? []).map((f) => f.FunctionArn!.split(':').slice(6).join(':')));
    }
    expect(all).toHaveLength(58);
    expect(all.slice(0, 2)).toEqual(['f-00:$LATEST', 'f-00:1']);
  });
});

describe('code signing configs', () => {
  it('creates a CSC with HTTP 201, a csc- id, and Warn by default', async () => {
    const out = await lambda.send(
      new CreateCodeSigningConfigCommand({
        Description: 'team',
        AllowedPublishers: { SigningProfileVersionArns: [PROFILE_VERSION_ARN] },
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(201);
    const csc = out.CodeSigningConfig!;
    expect(csc.CodeSigningConfigId).toMatch(/^csc-[a-z0-9]{17}$/);
    expect(csc.CodeSigningConfigArn).toBe(
      `arn:aws:lambda:${REGION}:${ACCOUNT}:code-signing-config:${csc.CodeSigningConfigId}`,
    );
    expect(csc.CodeSigningPolicies?.UntrustedArtifactOnDeployment).toBe('Warn');
    expect(csc.LastModified).toMatch(LAST_MODIFIED);
    const got = await lambda.send(
      new GetCodeSigningConfigCommand({ CodeSigningConfigArn: csc.CodeSigningConfigArn }),
    );
    expect(got.CodeSigningConfig).toEqual(csc);
    const updated = await lambda.send(
      new UpdateCodeSigningConfigCommand({
        CodeSigningConfigArn: csc.CodeSigningConfigArn,
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
      }),
    );
    expect(updated.CodeSigningConfig).toMatchObject({
      Description: 'team',
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
      AllowedPublishers: { SigningProfileVersionArns: [PROFILE_VERSION_ARN] },
    });
  });

  it('limits AllowedPublishers to 1..20 profile version ARNs', async () => {
    const many = Array.from(
      { length: 21 },
      (_, i) => `${PROFILE_VERSION_ARN.slice(0, -2)}${String(i).padStart(2, '0')}`,
    );
    const err = await lambda
      .send(new CreateCodeSigningConfigCommand({ AllowedPublishers: { SigningProfileVersionArns: many } }))
      .catch((e: unknown) => e);
    expect((err as LambdaServiceException).name).toBe('ValidationException');
    expect((err as LambdaServiceException).$metadata.httpStatusCode).toBe(400);
  });

  it('attaches, reads and detaches a function CSC; deleting a CSC in use is a conflict', async () => {
    const csc = await aCsc('Warn');
    const name = fname();
    await aFunction(name);
    const none = await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: name }));
    expect(none.CodeSigningConfigArn).toBeUndefined();
    // On the wire the member is absent (not "" or null), as in recorded AWS responses.
    const raw = await signedFetch(`${t.endpoint}/2020-06-30/functions/${name}/code-signing-config`, 'lambda');
    expect(await raw.json()).toEqual({ FunctionName: name });
    const put = await lambda.send(
      new PutFunctionCodeSigningConfigCommand({
        FunctionName: name,
        CodeSigningConfigArn: csc.CodeSigningConfigArn,
      }),
    );
    expect(put).toMatchObject({ FunctionName: name, CodeSigningConfigArn: csc.CodeSigningConfigArn });
    const got = await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: name }));
    expect(got.CodeSigningConfigArn).toBe(csc.CodeSigningConfigArn);

    const byCsc: string[] = [];
    for await (const page of paginateListFunctionsByCodeSigningConfig(
      { client: lambda },
      { CodeSigningConfigArn: csc.CodeSigningConfigArn },
    )) {
      byCsc.push(...(page.FunctionArns ?? []));
    }
    expect(byCsc).toEqual([`arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`]);

    const inUse = await lambda
      .send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: csc.CodeSigningConfigArn }))
      .catch((e: unknown) => e);
    expect(inUse).toBeInstanceOf(ResourceConflictException);
    expect((inUse as ResourceConflictException).$metadata.httpStatusCode).toBe(409);

    const detached = await lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: name }));
    expect(detached.$metadata.httpStatusCode).toBe(204);
    const deleted = await lambda.send(
      new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: csc.CodeSigningConfigArn }),
    );
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expect(
      lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: csc.CodeSigningConfigArn })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers CodeSigningConfigNotFoundException for an unknown CSC on CreateFunction and PutFunctionCodeSigningConfig', async () => {
    const ghost = `arn:aws:lambda:${REGION}:${ACCOUNT}:code-signing-config:csc-0123456789abcdefg`;
    const created = await aFunction(fname(), { CodeSigningConfigArn: ghost }).catch((e: unknown) => e);
    expect(created).toBeInstanceOf(CodeSigningConfigNotFoundException);
    expect((created as CodeSigningConfigNotFoundException).$metadata.httpStatusCode).toBe(404);
    const put = await lambda
      .send(new PutFunctionCodeSigningConfigCommand({ FunctionName: 'hello', CodeSigningConfigArn: ghost }))
      .catch((e: unknown) => e);
    expect(put).toBeInstanceOf(CodeSigningConfigNotFoundException);
  });

  it('refuses a CSC on container-image functions', async () => {
    const csc = await aCsc();
    const err = await lambda
      .send(
        new PutFunctionCodeSigningConfigCommand({
          FunctionName: 'image-fn',
          CodeSigningConfigArn: csc.CodeSigningConfigArn,
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParameterValueException);
  });

  it('pages CSCs with the SDK paginator', async () => {
    const fresh = await startTestSandbox();
    try {
      for (let i = 0; i < 5; i++) {
        await fresh.clients.lambda.send(
          new CreateCodeSigningConfigCommand({
            AllowedPublishers: { SigningProfileVersionArns: [PROFILE_VERSION_ARN] },
          }),
        );
      }
      const ids: string[] = [];
      let pages = 0;
      for await (const page of paginateListCodeSigningConfigs(
        { client: fresh.clients.lambda, pageSize: 2 },
        {},
      )) {
        pages++;
        ids.push(...(page.CodeSigningConfigs ?? []).map((c) => c.CodeSigningConfigId!));
      }
      expect(pages).toBe(3);
      expect(new Set(ids).size).toBe(5);
      const all = await fresh.clients.lambda.send(new ListCodeSigningConfigsCommand({ MaxItems: 10000 }));
      expect(all.CodeSigningConfigs).toHaveLength(5);
    } finally {
      await fresh.close();
    }
  });
});

describe('layers', () => {
  it('publishes layer versions with HTTP 201 and reads them by name and by ARN', async () => {
    const zip = aZip('layer');
    const v1 = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'shared',
        Content: { ZipFile: zip },
        CompatibleRuntimes: ['nodejs22.x'],
        Description: 'v1',
      }),
    );
    expect(v1.$metadata.httpStatusCode).toBe(201);
    expect(v1).toMatchObject({
      LayerArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:shared`,
      LayerVersionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:shared:1`,
      Version: 1,
      Content: { CodeSize: zip.length, CodeSha256: createHash('sha256').update(zip).digest('base64') },
    });
    expect(v1.Content?.SigningProfileVersionArn).toBeUndefined();
    await lambda.send(new PublishLayerVersionCommand({ LayerName: 'shared', Content: { ZipFile: aZip() } }));

    const got = await lambda.send(new GetLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 }));
    expect(got.Description).toBe('v1');
    const byArn = await lambda.send(new GetLayerVersionByArnCommand({ Arn: v1.LayerVersionArn }));
    expect(byArn.Version).toBe(1);
    const missing = await lambda
      .send(new GetLayerVersionCommand({ LayerName: 'shared', VersionNumber: 9 }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);

    const versions = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'shared' }));
    expect(versions.LayerVersions?.map((v) => v.Version)).toEqual([2, 1]);
    const layers = await lambda.send(new ListLayersCommand({}));
    expect(layers.Layers?.find((l) => l.LayerName === 'shared')?.LatestMatchingVersion?.Version).toBe(2);
    const node = await lambda.send(new ListLayersCommand({ CompatibleRuntime: 'nodejs22.x' }));
    expect(node.Layers?.find((l) => l.LayerName === 'shared')?.LatestMatchingVersion?.Version).toBe(1);
  });

  it('attaches layers through UpdateFunctionConfiguration with their Arn and CodeSize', async () => {
    const name = fname();
    await aFunction(name);
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:shared:1`;
    const out = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: name, Layers: [arn] }),
    );
    expect(out.Layers).toEqual([{ Arn: arn, CodeSize: expect.any(Number) }]);
    const missing = await lambda
      .send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Layers: [`${arn.slice(0, -1)}7`] }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InvalidParameterValueException);
    const tooMany = await lambda
      .send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: name,
          Layers: Array.from({ length: 6 }, () => arn),
        }),
      )
      .catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(InvalidParameterValueException);
  });
});

describe('tags', () => {
  it('tags and untags functions and CSCs with HTTP 204, and the Tagging API lists them', async () => {
    const name = fname();
    const fn = await aFunction(name);
    const csc = await aCsc();
    const tagged = await lambda.send(
      new TagResourceCommand({ Resource: fn.FunctionArn, Tags: { env: 'prod', owner: 'a' } }),
    );
    expect(tagged.$metadata.httpStatusCode).toBe(204);
    await lambda.send(new TagResourceCommand({ Resource: csc.CodeSigningConfigArn, Tags: { env: 'prod' } }));
    const untagged = await lambda.send(
      new UntagResourceCommand({ Resource: fn.FunctionArn, TagKeys: ['owner'] }),
    );
    expect(untagged.$metadata.httpStatusCode).toBe(204);
    expect((await lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn }))).Tags).toEqual({
      env: 'prod',
    });
    expect((await lambda.send(new ListTagsCommand({ Resource: csc.CodeSigningConfigArn }))).Tags).toEqual({
      env: 'prod',
    });

    const resources = await t.clients.tagging.send(
      new GetResourcesCommand({ ResourceTypeFilters: ['lambda:function', 'lambda:code-signing-config'] }),
    );
    const arns = resources.ResourceTagMappingList?.map((r) => r.ResourceARN) ?? [];
    expect(arns).toContain(fn.FunctionArn);
    expect(arns).toContain(csc.CodeSigningConfigArn);
    // A function that never had tags is not listed.
    const plain = await aFunction();
    const again = await t.clients.tagging.send(
      new GetResourcesCommand({ ResourceTypeFilters: ['lambda:function'] }),
    );
    expect(again.ResourceTagMappingList?.map((r) => r.ResourceARN)).not.toContain(plain.FunctionArn);
  });

  it('answers ResourceNotFoundException for tags of a missing function', async () => {
    await expect(
      lambda.send(new ListTagsCommand({ Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:ghost` })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('CloudTrail recording', () => {
  it('records Lambda calls with internal event names, without package bytes, and failures with their error code', async () => {
    const name = fname('trail');
    await aFunction(name);
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: aZip() }));
    await lambda.send(new GetFunctionCommand({ FunctionName: `${name}-missing` })).catch(() => undefined);
    const events = await t.clients.cloudtrail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'lambda.amazonaws.com' }],
      }),
    );
    const records = (events.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!));
    const create = records.find(
      (r) => r.eventName === 'CreateFunction20150331' && r.requestParameters?.functionName === name,
    );
    expect(create).toBeDefined();
    expect(create.responseElements.functionArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`);
    expect(JSON.stringify(create.requestParameters)).not.toMatch(/zipFile/i);
    const update = records.find(
      (r) => r.eventName === 'UpdateFunctionCode20150331v2' && r.requestParameters?.functionName === name,
    );
    expect(update).toBeDefined();
    expect(JSON.stringify(update.requestParameters)).not.toMatch(/zipFile/i);
    const failed = records.find(
      (r) => r.eventName === 'GetFunction20150331v2' && r.errorCode === 'ResourceNotFoundException',
    );
    expect(failed?.errorMessage).toContain(`${name}-missing`);
  });
});

describe('authentication', () => {
  it('answers an unknown access key with UnrecognizedClientException 403', async () => {
    const stranger = new LambdaClient({
      endpoint: t.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'AKIANOTKNOWN00000000', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const err = await stranger.send(new ListFunctionsCommand({})).catch((e: unknown) => e);
    expect((err as LambdaServiceException).name).toBe('UnrecognizedClientException');
    expect((err as LambdaServiceException).$metadata.httpStatusCode).toBe(403);
    stranger.destroy();
  });
});

describe('state persistence', () => {
  it('keeps functions, versions, CSCs and layers across a restart with --state', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const stateFile = join(mkdtempSync(join(tmpdir(), 'signet-lambda-')), 'state.json');
    const first = await startTestSandbox({ stateFile });
    const r = await aRole(first.clients.iam);
    const csc = await first.clients.lambda.send(
      new CreateCodeSigningConfigCommand({
        AllowedPublishers: { SigningProfileVersionArns: [PROFILE_VERSION_ARN] },
      }),
    );
    const cscArn = csc.CodeSigningConfig!.CodeSigningConfigArn!;
    const layer = await first.clients.lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'kept', Content: { ZipFile: aZip() } }),
    );
    const created = await first.clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'kept',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: r,
        Code: { ZipFile: aZip() },
        CodeSigningConfigArn: cscArn,
        Layers: [layer.LayerVersionArn!],
        Publish: true,
      }),
    );
    await first.close();

    const second = await startTestSandbox({ stateFile });
    try {
      const got = await second.clients.lambda.send(
        new GetFunctionCommand({ FunctionName: 'kept', Qualifier: '1' }),
      );
      expect(got.Configuration).toMatchObject({ CodeSha256: created.CodeSha256, Version: '1' });
      expect(got.Configuration?.Layers?.[0]?.Arn).toBe(layer.LayerVersionArn);
      const attached = await second.clients.lambda.send(
        new GetFunctionCodeSigningConfigCommand({ FunctionName: 'kept' }),
      );
      expect(attached.CodeSigningConfigArn).toBe(cscArn);
      // The stored layer content is still there to validate a new deployment against.
      const updated = await second.clients.lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: 'kept', Layers: [layer.LayerVersionArn!] }),
      );
      expect(updated.Layers?.[0]?.CodeSize).toBe(layer.Content?.CodeSize);
    } finally {
      await second.close();
    }
  });
});
