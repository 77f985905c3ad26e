import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DescribePolicyCommand,
  ListAccountsCommand,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, describe, expect, it } from 'vitest';
import { type ClientSet, clientsFor, startTestSandbox } from '../helpers/sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'signet-state-'));
const stateFile = join(dir, 'world.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function destroy(set: ClientSet): void {
  for (const c of Object.values(set)) c.destroy();
}

describe('state persistence', () => {
  it('keeps accounts, roles, policies, keys and CloudTrail events across a restart', async () => {
    const first = await startTestSandbox({ stateFile });
    const { organizations, iam, sts } = first.clients;
    await organizations.send(new CreateOrganizationCommand({}));
    const account = await organizations.send(
      new CreateAccountCommand({ Email: 'kept@example.org', AccountName: 'kept' }),
    );
    const accountId = account.CreateAccountStatus!.AccountId!;
    const scp = await organizations.send(
      new CreatePolicyCommand({
        Name: 'kept-scp',
        Description: 'kept',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}',
      }),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'kept-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    await iam.send(new CreateUserCommand({ UserName: 'kept-user' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'kept-user' }))).AccessKey!;
    const session = (
      await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
          RoleSessionName: 'kept',
        }),
      )
    ).Credentials!;
    const roleId = (await iam.send(new GetRoleCommand({ RoleName: 'kept-role' }))).Role!.RoleId;
    await first.close();

    const second = await startTestSandbox({ stateFile });
    const accounts = await second.clients.organizations.send(new ListAccountsCommand({}));
    expect(accounts.Accounts?.map((a) => a.Name)).toEqual(['management', 'kept']);
    const policy = await second.clients.organizations.send(
      new DescribePolicyCommand({ PolicyId: scp.Policy!.PolicySummary!.Id! }),
    );
    expect(policy.Policy?.PolicySummary?.Name).toBe('kept-scp');
    expect((await second.clients.iam.send(new GetRoleCommand({ RoleName: 'kept-role' }))).Role?.RoleId).toBe(
      roleId,
    );
    const user = clientsFor(second.endpoint, {
      accessKeyId: key.AccessKeyId!,
      secretAccessKey: key.SecretAccessKey!,
    });
    expect((await user.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      'arn:aws:iam::111111111111:user/kept-user',
    );
    const member = clientsFor(second.endpoint, {
      accessKeyId: session.AccessKeyId!,
      secretAccessKey: session.SecretAccessKey!,
      sessionToken: session.SessionToken!,
    });
    expect((await member.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(accountId);
    const events = await second.clients.cloudtrail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateRole' }],
      }),
    );
    expect(events.Events?.map((e) => e.Resources?.[0]?.ResourceName)).toEqual(['kept-role']);
    const created = await second.clients.cloudtrail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateAccount' }],
      }),
    );
    expect(created.Events).toHaveLength(1);
    destroy(user);
    destroy(member);
    await second.close();
  });
});
