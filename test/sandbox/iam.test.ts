import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  EntityAlreadyExistsException,
  GetAccountAuthorizationDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  LimitExceededException,
  ListRolesCommand,
  ListUsersCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  paginateGetAccountAuthorizationDetails,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_CREDENTIALS, MANAGEMENT_ACCOUNT_ID } from '../../src/sandbox/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
let iam: IAMClient;
const logs: string[] = [];
beforeAll(async () => {
  t = await startTestSandbox({ log: (m) => logs.push(m) });
  iam = t.clients.iam;
});
afterAll(async () => t.close());

const trust = (principal: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
  });
const allowAll = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'lambda:List*', Resource: '*' }],
});

describe('IAM users', () => {
  it('creates and reads a user with an AIDA id and a parsed CreateDate', async () => {
    const before = Date.now() - 2000;
    const out = await iam.send(
      new CreateUserCommand({ UserName: 'alice', Path: '/humans/', Tags: [{ Key: 'team', Value: 'ops' }] }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.User?.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(out.User?.Arn).toBe(`arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:user/humans/alice`);
    expect(out.User?.CreateDate).toBeInstanceOf(Date);
    expect(out.User!.CreateDate!.getTime()).toBeGreaterThan(before);
    expect(out.User?.Tags).toEqual([{ Key: 'team', Value: 'ops' }]);
    const got = await iam.send(new GetUserCommand({ UserName: 'alice' }));
    expect(got.User?.UserId).toBe(out.User?.UserId);
    expect(got.User?.Path).toBe('/humans/');
  });

  it('GetUser without a name describes the caller', async () => {
    const got = await iam.send(new GetUserCommand({}));
    expect(got.User?.UserName).toBe('admin');
  });

  it('rejects a duplicate user (case-insensitively) with EntityAlreadyExists 409', async () => {
    const err = await iam.send(new CreateUserCommand({ UserName: 'ALICE' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EntityAlreadyExistsException);
    expect(err).toMatchObject({
      $metadata: { httpStatusCode: 409 },
      message: 'User with name ALICE already exists.',
    });
  });

  it('answers NoSuchEntity 404 for an unknown user', async () => {
    const err = await iam.send(new GetUserCommand({ UserName: 'nobody' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoSuchEntityException);
    expect(err).toMatchObject({
      $metadata: { httpStatusCode: 404 },
      message: 'The user with name nobody cannot be found.',
    });
  });

  it('rejects an invalid user name with ValidationError', async () => {
    await expect(iam.send(new CreateUserCommand({ UserName: 'bad name!' }))).rejects.toMatchObject({
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('creates access keys that authenticate as the user, at most two per user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'keyed' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'keyed' }));
    expect(key.AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.AccessKey?.Status).toBe('Active');
    expect(key.AccessKey?.CreateDate).toBeInstanceOf(Date);
    const sts = new STSClient({
      endpoint: t.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: key.AccessKey!.AccessKeyId!,
        secretAccessKey: key.AccessKey!.SecretAccessKey!,
      },
    });
    const who = await sts.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:user/keyed`);
    sts.destroy();
    await iam.send(new CreateAccessKeyCommand({ UserName: 'keyed' }));
    // The SDK retries LimitExceeded as throttling; one attempt keeps the test fast.
    const once = new IAMClient({
      endpoint: t.endpoint,
      region: 'us-east-1',
      credentials: BOOTSTRAP_CREDENTIALS,
      maxAttempts: 1,
    });
    const err = await once.send(new CreateAccessKeyCommand({ UserName: 'keyed' })).catch((e: unknown) => e);
    once.destroy();
    expect(err).toBeInstanceOf(LimitExceededException);
    expect(err).toMatchObject({
      $metadata: { httpStatusCode: 409 },
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
    });
  });
});

describe('IAM roles and policies', () => {
  it('creates a role and returns its trust policy URL-encoded, with MaxSessionDuration', async () => {
    const doc = trust(`arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:root`);
    const out = await iam.send(
      new CreateRoleCommand({
        RoleName: 'deployer',
        AssumeRolePolicyDocument: doc,
        MaxSessionDuration: 7200,
        Description: 'CI deploys',
      }),
    );
    expect(out.Role?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(out.Role?.MaxSessionDuration).toBe(7200);
    expect(out.Role?.AssumeRolePolicyDocument).toMatch(/^%7B/);
    expect(JSON.parse(decodeURIComponent(out.Role!.AssumeRolePolicyDocument!))).toEqual(JSON.parse(doc));
    const got = await iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
    expect(got.Role?.Arn).toBe(`arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/deployer`);
    expect(got.Role?.Description).toBe('CI deploys');
    expect(got.Role?.CreateDate).toBeInstanceOf(Date);
  });

  it('rejects a role whose trust policy is not a policy', async () => {
    for (const bad of [
      '{not json',
      '{"Version":"2012-10-17"}',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }),
    ]) {
      const err = await iam
        .send(new CreateRoleCommand({ RoleName: 'broken', AssumeRolePolicyDocument: bad }))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MalformedPolicyDocumentException);
      expect(err).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    }
    await expect(iam.send(new GetRoleCommand({ RoleName: 'broken' }))).rejects.toBeInstanceOf(
      NoSuchEntityException,
    );
  });

  it('rejects MaxSessionDuration out of range with ValidationError', async () => {
    await expect(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'toolong',
          AssumeRolePolicyDocument: trust('*'),
          MaxSessionDuration: 60,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('lists roles with the SDK paginator', async () => {
    for (let i = 0; i < 5; i++)
      await iam.send(new CreateRoleCommand({ RoleName: `paged-${i}`, AssumeRolePolicyDocument: trust('*') }));
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListRoles({ client: iam, pageSize: 2 }, {})) {
      pages += 1;
      for (const role of page.Roles ?? []) names.push(role.RoleName!);
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(names.filter((n) => n.startsWith('paged-'))).toEqual([
      'paged-0',
      'paged-1',
      'paged-2',
      'paged-3',
      'paged-4',
    ]);
    expect(new Set(names).size).toBe(names.length);
    const first = await iam.send(new ListRolesCommand({ MaxItems: 1 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeTruthy();
  });

  it('creates a managed policy and reads it and its default version', async () => {
    const created = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'lister', PolicyDocument: allowAll, Description: 'lists' }),
    );
    const arn = created.Policy!.Arn!;
    expect(arn).toBe(`arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:policy/lister`);
    expect(created.Policy?.PolicyId).toMatch(/^ANPA/);
    expect(created.Policy?.DefaultVersionId).toBe('v1');
    const got = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(got.Policy?.AttachmentCount).toBe(0);
    expect(got.Policy?.IsAttachable).toBe(true);
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect(version.PolicyVersion?.IsDefaultVersion).toBe(true);
    expect(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!))).toEqual(JSON.parse(allowAll));
    await expect(
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    const dup = await iam
      .send(new CreatePolicyCommand({ PolicyName: 'lister', PolicyDocument: allowAll }))
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(EntityAlreadyExistsException);
  });

  it('rejects identity policies with a Principal, no Statement or invalid JSON', async () => {
    const docs = [
      '{"Version":"2012-10-17"}',
      'nope',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }),
      JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*' }] }),
    ];
    for (const PolicyDocument of docs) {
      const err = await iam
        .send(new CreatePolicyCommand({ PolicyName: 'bad', PolicyDocument }))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MalformedPolicyDocumentException);
    }
    const err = await iam
      .send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'x', PolicyDocument: 'nope' }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'This policy contains invalid Json',
    });
  });

  it('attaches managed policies and puts inline ones; unknown policies are NoSuchEntity', async () => {
    const arn = `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:policy/lister`;
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'deployer',
        PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'deployer',
        PolicyName: 'inline-deploy',
        PolicyDocument: allowAll,
      }),
    );
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'inline-user', PolicyDocument: allowAll }),
    );
    const got = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(got.Policy?.AttachmentCount).toBe(1);
    const missing = await iam
      .send(
        new AttachRolePolicyCommand({
          RoleName: 'deployer',
          PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy',
        }),
      )
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NoSuchEntityException);
    expect(missing).toMatchObject({
      message: 'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.',
    });
    await expect(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'ghost', PolicyArn: arn })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    await expect(
      iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'not-an-arn' })),
    ).rejects.toMatchObject({ name: 'InvalidInputException', $metadata: { httpStatusCode: 400 } });
  });

  it('GetAccountAuthorizationDetails returns users, roles with trust documents, inline and attached policies', async () => {
    const out = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    expect(out.IsTruncated).toBe(false);
    const alice = out.UserDetailList?.find((u) => u.UserName === 'alice');
    expect(alice?.AttachedManagedPolicies).toEqual([
      { PolicyName: 'lister', PolicyArn: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:policy/lister` },
    ]);
    expect(alice?.UserPolicyList?.map((p) => p.PolicyName)).toEqual(['inline-user']);
    expect(JSON.parse(decodeURIComponent(alice!.UserPolicyList![0]!.PolicyDocument!))).toEqual(
      JSON.parse(allowAll),
    );
    expect(alice?.CreateDate).toBeInstanceOf(Date);
    const admin = out.UserDetailList?.find((u) => u.UserName === 'admin');
    expect(admin?.AttachedManagedPolicies?.[0]?.PolicyArn).toBe(
      'arn:aws:iam::aws:policy/AdministratorAccess',
    );
    const deployer = out.RoleDetailList?.find((r) => r.RoleName === 'deployer');
    expect(decodeURIComponent(deployer!.AssumeRolePolicyDocument!)).toContain('sts:AssumeRole');
    expect(deployer?.RolePolicyList?.[0]?.PolicyName).toBe('inline-deploy');
    expect(deployer?.AttachedManagedPolicies?.[0]?.PolicyName).toBe('ReadOnlyAccess');
    const lister = out.Policies?.find((p) => p.PolicyName === 'lister');
    expect(lister?.AttachmentCount).toBe(1);
    expect(lister?.PolicyVersionList?.[0]?.IsDefaultVersion).toBe(true);
    expect(JSON.parse(decodeURIComponent(lister!.PolicyVersionList![0]!.Document!))).toEqual(
      JSON.parse(allowAll),
    );
    // Attached AWS managed policies are listed with their documents.
    const adminPolicy = out.Policies?.find((p) => p.PolicyName === 'AdministratorAccess');
    expect(decodeURIComponent(adminPolicy!.PolicyVersionList![0]!.Document!)).toContain('"Action":"*"');
  });

  it('GetAccountAuthorizationDetails honours Filter and pages with MaxItems/Marker', async () => {
    const rolesOnly = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    expect(rolesOnly.UserDetailList ?? []).toEqual([]);
    expect(rolesOnly.Policies ?? []).toEqual([]);
    expect(rolesOnly.RoleDetailList?.length).toBe(6);
    const local = await iam.send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ['LocalManagedPolicy'] }),
    );
    expect(local.Policies?.map((p) => p.PolicyName)).toEqual(['lister']);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 2 }, {})) {
      pages += 1;
      for (const u of page.UserDetailList ?? []) seen.push(`user:${u.UserName}`);
      for (const r of page.RoleDetailList ?? []) seen.push(`role:${r.RoleName}`);
      for (const p of page.Policies ?? []) seen.push(`policy:${p.PolicyName}`);
    }
    const all = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    const total =
      (all.UserDetailList?.length ?? 0) + (all.RoleDetailList?.length ?? 0) + (all.Policies?.length ?? 0);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 2));
    await expect(
      iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Bogus' as 'User'] })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('denies a user whose policies lack the action, with AccessDenied 403', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'limited' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'limited',
        PolicyName: 'only-get-user',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }],
        }),
      }),
    );
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'limited' }));
    const limited = new IAMClient({
      endpoint: t.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: key.AccessKey!.AccessKeyId!,
        secretAccessKey: key.AccessKey!.SecretAccessKey!,
      },
    });
    const me = await limited.send(new GetUserCommand({}));
    expect(me.User?.UserName).toBe('limited');
    const err = await limited.send(new CreateUserCommand({ UserName: 'escalate' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect((err as Error).message).toContain('iam:CreateUser');
    limited.destroy();
    await expect(iam.send(new GetUserCommand({ UserName: 'escalate' }))).rejects.toBeInstanceOf(
      NoSuchEntityException,
    );
  });
});

describe('IAM protocol edges', () => {
  it('answers an operation the sandbox does not implement with InvalidAction and logs it', async () => {
    const err = await iam.send(new ListUsersCommand({})).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'InvalidAction',
      $metadata: { httpStatusCode: 400 },
      message: 'Could not find operation ListUsers for version 2010-05-08',
    });
    expect(logs.some((l) => l.includes('unsupported operation iam'))).toBe(true);
  });

  it('answers a request without parameters with a validation error', async () => {
    await expect(iam.send(new CreateRoleCommand({} as never))).rejects.toMatchObject({
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
