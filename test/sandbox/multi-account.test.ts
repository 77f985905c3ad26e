import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  GetRoleCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  AccessDeniedException,
  CreateAccountCommand,
  CreateOrganizationCommand,
  ListAccountsCommand,
} from '@aws-sdk/client-organizations';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_ACCOUNT_ID } from '../../src/sandbox/index.js';
import { type ClientSet, clientsFor, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
let memberId: string;
let member: ClientSet;
const extra: ClientSet[] = [];

function track(set: ClientSet): ClientSet {
  extra.push(set);
  return set;
}

beforeAll(async () => {
  t = await startTestSandbox();
  await t.clients.organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const created = await t.clients.organizations.send(
    new CreateAccountCommand({ Email: 'workloads@example.org', AccountName: 'workloads' }),
  );
  memberId = created.CreateAccountStatus!.AccountId!;
});
afterAll(async () => {
  for (const set of extra) for (const c of Object.values(set)) c.destroy();
  await t.close();
});

describe('multi-account', () => {
  it('assumes OrganizationAccountAccessRole in a created account with the management admin', async () => {
    const out = await t.clients.sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${memberId}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'admin-hop',
      }),
    );
    expect(out.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${memberId}:assumed-role/OrganizationAccountAccessRole/admin-hop`,
    );
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA/);
    expect(c.Expiration).toBeInstanceOf(Date);
    member = track(
      clientsFor(t.endpoint, {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      }),
    );
    const who = await member.sts.send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe(memberId);
    expect(who.Arn).toBe(`arn:aws:sts::${memberId}:assumed-role/OrganizationAccountAccessRole/admin-hop`);
    // The role is an administrator of the member account and acts in that account's IAM.
    const role = await member.iam.send(new GetRoleCommand({ RoleName: 'OrganizationAccountAccessRole' }));
    expect(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).toContain(
      `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:root`,
    );
    await member.iam.send(new CreateUserCommand({ UserName: 'member-dev' }));
    const details = await member.iam.send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'Role'] }),
    );
    expect(details.UserDetailList?.map((u) => u.Arn)).toEqual([`arn:aws:iam::${memberId}:user/member-dev`]);
    expect(details.RoleDetailList?.[0]?.AttachedManagedPolicies).toEqual([
      { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    ]);
    const mgmt = await t.clients.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User'] }));
    expect(mgmt.UserDetailList?.map((u) => u.UserName)).not.toContain('member-dev');
  });

  it('records the member account calls in the member account trail only', async () => {
    const mine = await member.cloudtrail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }],
      }),
    );
    expect(mine.Events?.map((e) => e.Username)).toEqual(['admin-hop']);
    const record = JSON.parse(mine.Events![0]!.CloudTrailEvent!) as {
      recipientAccountId: string;
      userIdentity: { type: string };
    };
    expect(record.recipientAccountId).toBe(memberId);
    expect(record.userIdentity.type).toBe('AssumedRole');
    const mgmt = await t.clients.cloudtrail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'admin-hop' }],
      }),
    );
    expect(mgmt.Events?.some((e) => e.EventName === 'CreateUser')).toBe(false);
  });

  it('denies AssumeRole when the trust policy does not allow the caller', async () => {
    await member.iam.send(
      new CreateRoleCommand({
        RoleName: 'ci-only',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/ci` },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    const err = await t.clients.sts
      .send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${memberId}:role/ci-only`, RoleSessionName: 'nope' }),
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });

  it('denies a user whose policy lacks the action, in every service', async () => {
    await t.clients.iam.send(new CreateUserCommand({ UserName: 'narrow' }));
    await t.clients.iam.send(
      new PutUserPolicyCommand({
        UserName: 'narrow',
        PolicyName: 'tags-only',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'tag:GetResources', Resource: '*' }],
        }),
      }),
    );
    const key = (await t.clients.iam.send(new CreateAccessKeyCommand({ UserName: 'narrow' }))).AccessKey!;
    const narrow = track(
      clientsFor(t.endpoint, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }),
    );
    const tags = await narrow.tagging.send(new GetResourcesCommand({}));
    expect(tags.$metadata.httpStatusCode).toBe(200);
    const orgErr = await narrow.organizations.send(new ListAccountsCommand({})).catch((e: unknown) => e);
    expect(orgErr).toBeInstanceOf(AccessDeniedException);
    expect(orgErr).toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect((orgErr as Error).message).toContain('organizations:ListAccounts');
    await expect(narrow.cloudtrail.send(new LookupEventsCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    await expect(narrow.iam.send(new CreateUserCommand({ UserName: 'x' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      narrow.sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${memberId}:role/OrganizationAccountAccessRole`,
          RoleSessionName: 'narrow-hop',
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
