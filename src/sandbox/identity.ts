// Who is calling: access keys → principals (IAM users and assumed-role sessions), the policies that
// apply to them, the AWS managed policies the sandbox knows, and the bootstrap of accounts.
import { randomBytes } from 'node:crypto';
import {
  type AccessKeyRecord,
  type AccountRecord,
  type IamManagedPolicy,
  type PolicyDocument,
  partitionOf,
  type World,
} from './world.js';

export interface Principal {
  type: 'IAMUser' | 'AssumedRole';
  accountId: string;
  /** User ARN, or `arn:aws:sts::A:assumed-role/Role/Session`. */
  arn: string;
  /** AIDA… for users, `AROA…:session` for role sessions. */
  principalId: string;
  accessKeyId: string;
  userName?: string;
  roleArn?: string;
  roleName?: string;
  roleId?: string;
  sessionName?: string;
}

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function randomId(prefix: string, length: number, alphabet = ALPHANUM): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

export function newSecret(): string {
  return randomBytes(30).toString('base64').replace(/[+/=]/g, 'x').slice(0, 40);
}

const AWS_MANAGED: Record<string, PolicyDocument> = {
  AdministratorAccess: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  },
  ReadOnlyAccess: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['*:Get*', '*:List*', '*:Describe*', '*:Lookup*', '*:BatchGet*', 'sts:GetCallerIdentity'],
        Resource: '*',
      },
    ],
  },
  SecurityAudit: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['*:Get*', '*:List*', '*:Describe*', '*:Lookup*'], Resource: '*' },
    ],
  },
};

/** AWS managed policies (`arn:aws:iam::aws:policy/NAME`) the sandbox can attach. */
export function awsManagedPolicy(arn: string): IamManagedPolicy | undefined {
  const match = /^arn:aws(?:-cn|-us-gov)?:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  const name = match?.[1];
  if (!name) return undefined;
  const document = AWS_MANAGED[name];
  if (!document) return undefined;
  return {
    policyName: name,
    policyId: `ANPA${name
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .padEnd(17, 'X')
      .slice(0, 17)}`,
    arn,
    path: '/',
    createDate: 0,
    updateDate: 0,
    defaultVersionId: 'v1',
    document,
  };
}

export function managedPolicyDocument(world: World, arn: string): PolicyDocument | undefined {
  const aws = awsManagedPolicy(arn);
  if (aws) return aws.document;
  const accountId = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):policy\//.exec(arn)?.[1];
  if (!accountId) return undefined;
  return world.accounts[accountId]?.iam.policies[arn]?.document;
}

/** The identity-based policy documents that apply to a principal (attached managed + inline). */
export function identityPolicies(world: World, principal: Principal): PolicyDocument[] {
  const account = world.accounts[principal.accountId];
  if (!account) return [];
  const holder =
    principal.type === 'IAMUser'
      ? principal.userName
        ? account.iam.users[principal.userName]
        : undefined
      : principal.roleName
        ? account.iam.roles[principal.roleName]
        : undefined;
  if (!holder) return [];
  const docs: PolicyDocument[] = [];
  for (const arn of holder.attachedPolicies) {
    const doc = managedPolicyDocument(world, arn);
    if (doc) docs.push(doc);
  }
  docs.push(...Object.values(holder.inlinePolicies));
  // A user also has the policies of its groups.
  if (principal.type === 'IAMUser' && 'groups' in holder)
    for (const name of holder.groups ?? []) {
      const group = account.iam.groups?.[name];
      if (!group) continue;
      for (const arn of group.attachedPolicies) {
        const doc = managedPolicyDocument(world, arn);
        if (doc) docs.push(doc);
      }
      docs.push(...Object.values(group.inlinePolicies));
    }
  return docs;
}

/** The principal's permissions boundary document, when it has one. */
export function permissionsBoundary(world: World, principal: Principal): PolicyDocument | undefined {
  const iam = world.accounts[principal.accountId]?.iam;
  const holder =
    principal.type === 'IAMUser'
      ? principal.userName
        ? iam?.users[principal.userName]
        : undefined
      : principal.roleName
        ? iam?.roles[principal.roleName]
        : undefined;
  return holder?.permissionsBoundary ? managedPolicyDocument(world, holder.permissionsBoundary) : undefined;
}

export function principalFromKey(world: World, record: AccessKeyRecord): Principal | undefined {
  const account = world.accounts[record.accountId];
  if (!account) return undefined;
  if (record.roleArn) {
    const roleName = record.roleArn.split('/').pop()!;
    const role = account.iam.roles[roleName];
    if (!role) return undefined;
    return {
      type: 'AssumedRole',
      accountId: record.accountId,
      arn: record.principalArn,
      principalId: `${role.roleId}:${record.sessionName ?? 'session'}`,
      accessKeyId: record.accessKeyId,
      roleArn: role.arn,
      roleName: role.roleName,
      roleId: role.roleId,
      sessionName: record.sessionName,
    };
  }
  const userName = record.principalArn.split('/').pop()!;
  const user = account.iam.users[userName];
  if (!user) return undefined;
  return {
    type: 'IAMUser',
    accountId: record.accountId,
    arn: user.arn,
    principalId: user.userId,
    accessKeyId: record.accessKeyId,
    userName,
  };
}

export function emptyAccount(
  id: string,
  name: string,
  joinedMethod: AccountRecord['joinedMethod'],
  now: number,
): AccountRecord {
  return {
    id,
    name,
    email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@example.com`,
    status: 'ACTIVE',
    joinedMethod,
    joinedAt: now,
    iam: { users: {}, roles: {}, policies: {} },
  };
}

/** Creates an IAM user with the given managed policies and an access key for it. */
export function createUserWithKey(
  world: World,
  accountId: string,
  userName: string,
  policyArns: string[],
  now: number,
  fixedKey?: { accessKeyId: string; secretAccessKey: string },
): AccessKeyRecord {
  const account = world.accounts[accountId];
  if (!account) throw new Error(`no account ${accountId}`);
  const arn = `arn:${partitionOf(world)}:iam::${accountId}:user/${userName}`;
  account.iam.users[userName] = {
    userName,
    userId: randomId('AIDA', 17),
    arn,
    path: '/',
    createDate: now,
    attachedPolicies: [...policyArns],
    inlinePolicies: {},
    tags: {},
  };
  const key: AccessKeyRecord = {
    accessKeyId: fixedKey?.accessKeyId ?? randomId('AKIA', 16),
    secretAccessKey: fixedKey?.secretAccessKey ?? newSecret(),
    principalArn: arn,
    accountId,
    status: 'Active',
  };
  world.accessKeys[key.accessKeyId] = key;
  return key;
}
