// Test helper: IAM users and roles in the sandbox with their own credentials, so CloudTrail records
// calls under different principals (IAMUser, AssumedRole sessions).
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { ClientSet, Credentials } from './sandbox.js';

export const ACCOUNT = '111111111111';

export function policyDocument(statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export async function createUserWithKey(
  clients: ClientSet,
  userName: string,
  statements: Record<string, unknown>[] = [],
): Promise<Credentials> {
  await clients.iam.send(new CreateUserCommand({ UserName: userName }));
  if (statements.length)
    await clients.iam.send(
      new PutUserPolicyCommand({
        UserName: userName,
        PolicyName: 'inline',
        PolicyDocument: policyDocument(statements),
      }),
    );
  const key = await clients.iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
}

/** A role trusted by its own account, with one managed policy granting `statements`. */
export async function createRole(
  clients: ClientSet,
  roleName: string,
  statements: Record<string, unknown>[],
  account = ACCOUNT,
): Promise<string> {
  const role = await clients.iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: policyDocument([
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
      ]),
    }),
  );
  const policy = await clients.iam.send(
    new CreatePolicyCommand({ PolicyName: `${roleName}-policy`, PolicyDocument: policyDocument(statements) }),
  );
  await clients.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.Policy!.Arn! }));
  return role.Role!.Arn!;
}

export async function assumeRole(
  clients: ClientSet,
  roleArn: string,
  sessionName: string,
): Promise<Credentials> {
  const out = await clients.sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}
