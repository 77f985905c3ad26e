// IAM (query protocol, global): users, roles, customer managed and inline policies, access keys and
// GetAccountAuthorizationDetails, on the accounts' IAM state kept in the core world.
import { AwsError } from '../errors.js';
import type { SandboxRequest } from '../http.js';
import { awsManagedPolicy, newSecret, randomId } from '../identity.js';
import { partitionOfRegion } from '../partition.js';
import {
  formParams,
  memberList,
  QUERY_PROTOCOL_ERRORS,
  queryResponse,
  requireParam,
  tagList,
} from '../query-protocol.js';
import type { HandlerResult, OperationContext, ResolvedOperation, ServiceDefinition } from '../service.js';
import type {
  IamAccountState,
  IamGroup,
  IamManagedPolicy,
  IamRole,
  IamUser,
  PolicyDocument,
  PolicyStatement,
} from '../world.js';

const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const NAME_PATTERN = /^[\w+=,.@-]+$/;
const PATH_PATTERN = /^(\/|\/[\u0021-\u007E]+\/)$/;
// AWS managed policies have fixed creation dates; the sandbox's catalogue does not carry them, so it
// reports AdministratorAccess's (2015-02-06T18:39:46Z) for all of them.
const AWS_MANAGED_CREATED = Date.UTC(2015, 1, 6, 18, 39, 46);

function validation(message: string): AwsError {
  return new AwsError('ValidationError', 400, `1 validation error detected: ${message}`);
}

function noSuchEntity(message: string): AwsError {
  return new AwsError('NoSuchEntity', 404, message);
}

function malformed(message: string): AwsError {
  return new AwsError('MalformedPolicyDocument', 400, message);
}

function lcFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Policy documents travel URL-encoded (RFC 3986) in IAM responses, as AWS returns them. */
function encodeDocument(doc: PolicyDocument): string {
  return encodeURIComponent(JSON.stringify(doc)).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Form params → CloudTrail-style requestParameters (camelCase keys, `X.member.N` → arrays). */
export function formToRequestParameters(params: URLSearchParams): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.');
    let node: Record<string, unknown> | unknown[] = out;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (part === 'member') continue;
      const isIndex = /^\d+$/.test(part);
      const slot: string | number = isIndex ? Number(part) - 1 : lcFirst(part);
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[slot] = value;
        break;
      }
      const nextIsList = parts[i + 1] === 'member';
      if (container[slot] === undefined) container[slot] = nextIsList ? [] : {};
      node = container[slot] as Record<string, unknown> | unknown[];
    }
  }
  return Object.keys(out).length ? out : null;
}

function checkName(value: string, field: string, max: number): void {
  if (value.length > max)
    throw validation(
      `Value '${value}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  if (!NAME_PATTERN.test(value))
    throw validation(
      `Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
    );
}

function readPath(params: URLSearchParams): string {
  const path = params.get('Path') ?? '/';
  if (path.length > 512 || !PATH_PATTERN.test(path))
    throw validation(
      `Value '${path}' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)`,
    );
  return path;
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

type PolicyKind = 'identity' | 'trust';

/**
 * Parses and checks a policy document the way IAM's validator does for the cases the sandbox knows
 * (JSON, Statement, Effect, Action, Resource/Principal placement, size). Messages are AWS's.
 */
export function parsePolicyDocument(text: string, kind: PolicyKind, maxLength: number): PolicyDocument {
  let raw = text;
  // Some clients send documents URL-encoded, as IAM returns them; IAM accepts both.
  if (/^\s*%7B/i.test(raw)) {
    try {
      raw = decodeURIComponent(raw);
    } catch {
      throw malformed('This policy contains invalid Json');
    }
  }
  if (raw.replace(/\s/g, '').length > maxLength) {
    throw new AwsError('LimitExceeded', 409, `Cannot exceed quota for PolicySize: ${maxLength}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw malformed('Syntax errors in policy.');
  const doc = parsed as Record<string, unknown>;
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17')
    throw malformed('The policy failed legacy parsing');
  if (doc.Statement === undefined || doc.Statement === null) throw malformed('Syntax errors in policy.');
  const statements = asList(doc.Statement as unknown);
  if (statements.length === 0) throw malformed('Syntax errors in policy.');
  for (const s of statements) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw malformed('Syntax errors in policy.');
    const st = s as Partial<PolicyStatement> & Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformed('Syntax errors in policy.');
    if (st.Action === undefined && st.NotAction === undefined)
      throw malformed('Policy statement must contain actions.');
    if (kind === 'identity') {
      if (st.Principal !== undefined || st.NotPrincipal !== undefined)
        throw malformed('Policy document should not specify a principal.');
      if (st.Resource === undefined && st.NotResource === undefined)
        throw malformed('Policy statement must contain resources.');
    } else {
      if (st.Resource !== undefined || st.NotResource !== undefined)
        throw malformed('Has prohibited field Resource');
      if (st.Principal === undefined && st.NotPrincipal === undefined)
        throw malformed('Missing required field Principal');
    }
  }
  return doc as unknown as PolicyDocument;
}

function tagsXml(tags: Record<string, string>): { Key: string; Value: string }[] | undefined {
  const list = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return list.length ? list : undefined;
}

function userXml(user: IamUser): Record<string, unknown> {
  return {
    Path: user.path,
    UserName: user.userName,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: iso(user.createDate),
    Tags: tagsXml(user.tags),
  };
}

function roleXml(role: IamRole, withTags = true): Record<string, unknown> {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: iso(role.createDate),
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: withTags ? tagsXml(role.tags) : undefined,
  };
}

function isAwsManagedArn(arn: string): boolean {
  return /^arn:aws(?:-cn|-us-gov)?:iam::aws:policy\//.test(arn);
}

function attachmentCount(iam: IamAccountState, arn: string): number {
  let count = 0;
  for (const holder of [
    ...Object.values(iam.users),
    ...Object.values(iam.roles),
    ...Object.values(iam.groups ?? {}),
  ])
    if (holder.attachedPolicies.includes(arn)) count += 1;
  return count;
}

function policyXml(policy: IamManagedPolicy, iam: IamAccountState): Record<string, unknown> {
  const created = policy.createDate || AWS_MANAGED_CREATED;
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: attachmentCount(iam, policy.arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: iso(created),
    UpdateDate: iso(policy.updateDate || created),
  };
}

function accountIam(ctx: OperationContext): IamAccountState {
  const account = ctx.world.accounts[ctx.caller.accountId];
  if (!account) throw new Error(`sandbox bug: caller account ${ctx.caller.accountId} has no record`);
  return account.iam;
}

function findUser(iam: IamAccountState, name: string): IamUser {
  const user = iam.users[name];
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

function findGroup(iam: IamAccountState, name: string): IamGroup {
  const group = iam.groups?.[name];
  if (!group) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return group;
}

function groupXml(group: IamGroup): Record<string, unknown> {
  return {
    Path: group.path,
    GroupName: group.groupName,
    GroupId: group.groupId,
    Arn: group.arn,
    CreateDate: iso(group.createDate),
  };
}

function boundaryXml(arn: string | undefined): Record<string, unknown> | undefined {
  return arn
    ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn }
    : undefined;
}

function findRole(iam: IamAccountState, name: string): IamRole {
  const role = iam.roles[name];
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

function sameNameExists(names: string[], name: string): boolean {
  // IAM names are unique case-insensitively.
  const lower = name.toLowerCase();
  return names.some((n) => n.toLowerCase() === lower);
}

function checkPolicyArn(arn: string): void {
  if (!/^arn:aws(?:-cn|-us-gov)?:iam::(aws|\d{12}):policy\/(.+\/)?[\w+=,.@-]+$/.test(arn))
    throw new AwsError('InvalidInput', 400, `ARN ${arn} is not valid.`);
}

/** A policy the caller's account may attach: an AWS managed one, or one of its own. */
function attachablePolicy(ctx: OperationContext, arn: string): IamManagedPolicy {
  checkPolicyArn(arn);
  const policy = awsManagedPolicy(arn) ?? accountIam(ctx).policies[arn];
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

function readPaging(params: URLSearchParams, max: number): { offset: number; maxItems: number } {
  const rawMax = params.get('MaxItems');
  let maxItems = 100;
  if (rawMax !== null) {
    maxItems = Number(rawMax);
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > max)
      throw validation(
        `Value '${rawMax}' at 'maxItems' failed to satisfy constraint: Member must have value ${maxItems < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`,
      );
  }
  const marker = params.get('Marker');
  let offset = 0;
  if (marker !== null) {
    const decoded = /^m([0-9]+)$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
    if (!decoded)
      throw validation(`Value '${marker}' at 'marker' failed to satisfy constraint: Invalid marker`);
    offset = Number(decoded[1]);
  }
  return { offset, maxItems };
}

function page<T>(items: T[], offset: number, maxItems: number): { items: T[]; marker?: string } {
  const slice = items.slice(offset, offset + maxItems);
  const next = offset + slice.length;
  return next < items.length
    ? { items: slice, marker: Buffer.from(`m${next}`, 'utf8').toString('base64url') }
    : { items: slice };
}

type Handler = (
  ctx: OperationContext,
  params: URLSearchParams,
  req: SandboxRequest,
) => Omit<HandlerResult, 'response'> & { result: unknown };

interface OperationSpec {
  readOnly: boolean;
  handler: Handler;
}

const OPERATIONS: Record<string, OperationSpec> = {
  CreateUser: {
    readOnly: false,
    handler: (ctx, params) => {
      const userName = requireParam(params, 'UserName');
      checkName(userName, 'userName', 64);
      const path = readPath(params);
      const accountId = ctx.caller.accountId;
      const arn = `arn:${partitionOfRegion(ctx.region)}:iam::${accountId}:user${path}${userName}`;
      ctx.authorize(arn);
      const iam = accountIam(ctx);
      if (sameNameExists(Object.keys(iam.users), userName))
        throw new AwsError('EntityAlreadyExists', 409, `User with name ${userName} already exists.`);
      const user: IamUser = {
        userName,
        userId: randomId('AIDA', 17),
        arn,
        path,
        createDate: ctx.now(),
        attachedPolicies: [],
        inlinePolicies: {},
        tags: tagList(params),
      };
      iam.users[userName] = user;
      const xml = userXml(user);
      return {
        result: { User: xml },
        responseElements: { user: { ...xml, createDate: xml.CreateDate } },
        resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: userName }],
      };
    },
  },
  GetUser: {
    readOnly: true,
    handler: (ctx, params) => {
      const requested = params.get('UserName');
      // Without UserName, GetUser describes the calling IAM user.
      const userName = requested ?? ctx.caller.userName;
      if (!userName) throw validation(`Must specify userName when calling with non-User credentials`);
      const iam = accountIam(ctx);
      ctx.authorize(
        iam.users[userName]?.arn ??
          `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:user/${userName}`,
      );
      const user = findUser(iam, userName);
      return {
        result: { User: userXml(user) },
        resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: userName }],
      };
    },
  },
  CreateRole: {
    readOnly: false,
    handler: (ctx, params) => {
      const roleName = requireParam(params, 'RoleName');
      checkName(roleName, 'roleName', 64);
      const trustText = requireParam(params, 'AssumeRolePolicyDocument');
      const path = readPath(params);
      const rawDuration = params.get('MaxSessionDuration');
      const maxSessionDuration = rawDuration === null ? 3600 : Number(rawDuration);
      if (!Number.isInteger(maxSessionDuration) || maxSessionDuration < 3600 || maxSessionDuration > 43200)
        throw validation(
          `Value '${rawDuration}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value ${maxSessionDuration < 3600 ? 'greater than or equal to 3600' : 'less than or equal to 43200'}`,
        );
      const description = params.get('Description') ?? undefined;
      if (description !== undefined && description.length > 1000)
        throw validation(
          `Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000`,
        );
      const accountId = ctx.caller.accountId;
      const arn = `arn:${partitionOfRegion(ctx.region)}:iam::${accountId}:role${path}${roleName}`;
      ctx.authorize(arn);
      const trust = parsePolicyDocument(trustText, 'trust', 2048);
      const iam = accountIam(ctx);
      if (sameNameExists(Object.keys(iam.roles), roleName))
        throw new AwsError('EntityAlreadyExists', 409, `Role with name ${roleName} already exists.`);
      const role: IamRole = {
        roleName,
        roleId: randomId('AROA', 17),
        arn,
        path,
        createDate: ctx.now(),
        assumeRolePolicyDocument: trust,
        ...(description !== undefined ? { description } : {}),
        maxSessionDuration,
        attachedPolicies: [],
        inlinePolicies: {},
        tags: tagList(params),
      };
      iam.roles[roleName] = role;
      const xml = roleXml(role);
      return {
        result: { Role: xml },
        responseElements: {
          role: { path, roleName, roleId: role.roleId, arn, createDate: xml.CreateDate },
        },
        resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: roleName }],
      };
    },
  },
  GetRole: {
    readOnly: true,
    handler: (ctx, params) => {
      const roleName = requireParam(params, 'RoleName');
      const iam = accountIam(ctx);
      ctx.authorize(
        iam.roles[roleName]?.arn ??
          `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:role/${roleName}`,
      );
      const role = findRole(iam, roleName);
      return {
        result: { Role: { ...roleXml(role), RoleLastUsed: {} } },
        resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: roleName }],
      };
    },
  },
  ListRoles: {
    readOnly: true,
    handler: (ctx, params) => {
      ctx.authorize('*');
      const prefix = params.get('PathPrefix') ?? '/';
      const { offset, maxItems } = readPaging(params, 1000);
      const roles = Object.values(accountIam(ctx).roles)
        .filter((r) => r.path.startsWith(prefix))
        .sort((a, b) => a.roleName.localeCompare(b.roleName));
      const p = page(roles, offset, maxItems);
      return {
        // ListRoles does not return tags (AWS: "use ListRoleTags").
        result: {
          Roles: p.items.map((r) => roleXml(r, false)),
          IsTruncated: p.marker !== undefined,
          Marker: p.marker,
        },
      };
    },
  },
  CreatePolicy: {
    readOnly: false,
    handler: (ctx, params) => {
      const policyName = requireParam(params, 'PolicyName');
      checkName(policyName, 'policyName', 128);
      const text = requireParam(params, 'PolicyDocument');
      const path = readPath(params);
      const description = params.get('Description') ?? undefined;
      const accountId = ctx.caller.accountId;
      const arn = `arn:${partitionOfRegion(ctx.region)}:iam::${accountId}:policy${path}${policyName}`;
      ctx.authorize(arn);
      const document = parsePolicyDocument(text, 'identity', 6144);
      const iam = accountIam(ctx);
      if (
        sameNameExists(
          Object.values(iam.policies).map((p) => p.policyName),
          policyName,
        )
      )
        throw new AwsError(
          'EntityAlreadyExists',
          409,
          `A policy called ${policyName} already exists. Duplicate names are not allowed.`,
        );
      const now = ctx.now();
      const policy: IamManagedPolicy = {
        policyName,
        policyId: randomId('ANPA', 17),
        arn,
        path,
        ...(description !== undefined ? { description } : {}),
        createDate: now,
        updateDate: now,
        defaultVersionId: 'v1',
        document,
      };
      iam.policies[arn] = policy;
      const xml = policyXml(policy, iam);
      const tags = tagsXml(tagList(params));
      return {
        result: { Policy: { ...xml, Description: undefined, Tags: tags } },
        responseElements: { policy: { policyName, policyId: policy.policyId, arn, path } },
        resources: [{ ResourceType: 'AWS::IAM::Policy', ResourceName: arn }],
      };
    },
  },
  GetPolicy: {
    readOnly: true,
    handler: (ctx, params) => {
      const arn = requireParam(params, 'PolicyArn');
      ctx.authorize(arn);
      const policy = attachablePolicy(ctx, arn);
      return {
        result: { Policy: policyXml(policy, accountIam(ctx)) },
        resources: [{ ResourceType: 'AWS::IAM::Policy', ResourceName: arn }],
      };
    },
  },
  GetPolicyVersion: {
    readOnly: true,
    handler: (ctx, params) => {
      const arn = requireParam(params, 'PolicyArn');
      const versionId = requireParam(params, 'VersionId');
      if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(versionId))
        throw validation(
          `Value '${versionId}' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?`,
        );
      ctx.authorize(arn);
      const policy = attachablePolicy(ctx, arn);
      // The sandbox keeps one version per policy (no CreatePolicyVersion).
      if (versionId !== policy.defaultVersionId)
        throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
      return {
        result: {
          PolicyVersion: {
            Document: encodeDocument(policy.document),
            VersionId: versionId,
            IsDefaultVersion: true,
            CreateDate: iso(policy.updateDate || AWS_MANAGED_CREATED),
          },
        },
        resources: [{ ResourceType: 'AWS::IAM::Policy', ResourceName: arn }],
      };
    },
  },
  AttachUserPolicy: {
    readOnly: false,
    handler: (ctx, params) => {
      const userName = requireParam(params, 'UserName');
      const policyArn = requireParam(params, 'PolicyArn');
      checkPolicyArn(policyArn);
      const iam = accountIam(ctx);
      ctx.authorize(
        iam.users[userName]?.arn ??
          `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:user/${userName}`,
        {
          'iam:PolicyARN': policyArn,
        },
      );
      const user = findUser(iam, userName);
      attachablePolicy(ctx, policyArn);
      if (!user.attachedPolicies.includes(policyArn)) user.attachedPolicies.push(policyArn);
      return {
        result: undefined,
        resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: userName }],
      };
    },
  },
  AttachRolePolicy: {
    readOnly: false,
    handler: (ctx, params) => {
      const roleName = requireParam(params, 'RoleName');
      const policyArn = requireParam(params, 'PolicyArn');
      checkPolicyArn(policyArn);
      const iam = accountIam(ctx);
      ctx.authorize(
        iam.roles[roleName]?.arn ??
          `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:role/${roleName}`,
        {
          'iam:PolicyARN': policyArn,
        },
      );
      const role = findRole(iam, roleName);
      attachablePolicy(ctx, policyArn);
      if (!role.attachedPolicies.includes(policyArn)) role.attachedPolicies.push(policyArn);
      return {
        result: undefined,
        resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: roleName }],
      };
    },
  },
  PutUserPolicy: {
    readOnly: false,
    handler: (ctx, params) => {
      const userName = requireParam(params, 'UserName');
      const policyName = requireParam(params, 'PolicyName');
      checkName(policyName, 'policyName', 128);
      const text = requireParam(params, 'PolicyDocument');
      const iam = accountIam(ctx);
      ctx.authorize(
        iam.users[userName]?.arn ??
          `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:user/${userName}`,
      );
      const user = findUser(iam, userName);
      // Inline user policies share a 2,048-character quota (AWS IAM quotas page).
      user.inlinePolicies[policyName] = parsePolicyDocument(text, 'identity', 2048);
      return {
        result: undefined,
        resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: userName }],
      };
    },
  },
  PutRolePolicy: {
    readOnly: false,
    handler: (ctx, params) => {
      const roleName = requireParam(params, 'RoleName');
      const policyName = requireParam(params, 'PolicyName');
      checkName(policyName, 'policyName', 128);
      const text = requireParam(params, 'PolicyDocument');
      const iam = accountIam(ctx);
      ctx.authorize(
        iam.roles[roleName]?.arn ??
          `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:role/${roleName}`,
      );
      const role = findRole(iam, roleName);
      // Inline role policies share a 10,240-character quota (AWS IAM quotas page).
      role.inlinePolicies[policyName] = parsePolicyDocument(text, 'identity', 10240);
      return {
        result: undefined,
        resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: roleName }],
      };
    },
  },
  CreateGroup: {
    readOnly: false,
    handler: (ctx, params) => {
      const groupName = requireParam(params, 'GroupName');
      checkName(groupName, 'groupName', 128);
      const path = readPath(params);
      const arn = `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:group${path}${groupName}`;
      ctx.authorize(arn);
      const iam = accountIam(ctx);
      iam.groups ??= {};
      if (sameNameExists(Object.keys(iam.groups), groupName))
        throw new AwsError('EntityAlreadyExists', 409, `Group with name ${groupName} already exists.`);
      const group: IamGroup = {
        groupName,
        groupId: randomId('AGPA', 17),
        arn,
        path,
        createDate: ctx.now(),
        attachedPolicies: [],
        inlinePolicies: {},
      };
      iam.groups[groupName] = group;
      const xml = groupXml(group);
      return {
        result: { Group: xml },
        responseElements: { group: xml },
        resources: [{ ResourceType: 'AWS::IAM::Group', ResourceName: groupName }],
      };
    },
  },
  AddUserToGroup: {
    readOnly: false,
    handler: (ctx, params) => {
      const groupName = requireParam(params, 'GroupName');
      const userName = requireParam(params, 'UserName');
      const iam = accountIam(ctx);
      ctx.authorize(
        iam.groups?.[groupName]?.arn ??
          `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:group/${groupName}`,
      );
      findGroup(iam, groupName);
      const user = findUser(iam, userName);
      user.groups ??= [];
      if (!user.groups.includes(groupName)) user.groups.push(groupName);
      return {
        result: undefined,
        resources: [{ ResourceType: 'AWS::IAM::Group', ResourceName: groupName }],
      };
    },
  },
  AttachGroupPolicy: {
    readOnly: false,
    handler: (ctx, params) => {
      const groupName = requireParam(params, 'GroupName');
      const policyArn = requireParam(params, 'PolicyArn');
      checkPolicyArn(policyArn);
      const iam = accountIam(ctx);
      ctx.authorize(
        iam.groups?.[groupName]?.arn ??
          `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:group/${groupName}`,
        {
          'iam:PolicyARN': policyArn,
        },
      );
      const group = findGroup(iam, groupName);
      attachablePolicy(ctx, policyArn);
      if (!group.attachedPolicies.includes(policyArn)) group.attachedPolicies.push(policyArn);
      return {
        result: undefined,
        resources: [{ ResourceType: 'AWS::IAM::Group', ResourceName: groupName }],
      };
    },
  },
  PutGroupPolicy: {
    readOnly: false,
    handler: (ctx, params) => {
      const groupName = requireParam(params, 'GroupName');
      const policyName = requireParam(params, 'PolicyName');
      checkName(policyName, 'policyName', 128);
      const text = requireParam(params, 'PolicyDocument');
      const iam = accountIam(ctx);
      ctx.authorize(
        iam.groups?.[groupName]?.arn ??
          `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:group/${groupName}`,
      );
      const group = findGroup(iam, groupName);
      // Inline group policies share a 5,120-character quota (AWS IAM quotas page).
      group.inlinePolicies[policyName] = parsePolicyDocument(text, 'identity', 5120);
      return {
        result: undefined,
        resources: [{ ResourceType: 'AWS::IAM::Group', ResourceName: groupName }],
      };
    },
  },
  PutUserPermissionsBoundary: {
    readOnly: false,
    handler: (ctx, params) => {
      const userName = requireParam(params, 'UserName');
      const policyArn = requireParam(params, 'PermissionsBoundary');
      checkPolicyArn(policyArn);
      const iam = accountIam(ctx);
      ctx.authorize(
        iam.users[userName]?.arn ??
          `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:user/${userName}`,
        {
          'iam:PermissionsBoundary': policyArn,
        },
      );
      const user = findUser(iam, userName);
      attachablePolicy(ctx, policyArn);
      user.permissionsBoundary = policyArn;
      return {
        result: undefined,
        resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: userName }],
      };
    },
  },
  PutRolePermissionsBoundary: {
    readOnly: false,
    handler: (ctx, params) => {
      const roleName = requireParam(params, 'RoleName');
      const policyArn = requireParam(params, 'PermissionsBoundary');
      checkPolicyArn(policyArn);
      const iam = accountIam(ctx);
      ctx.authorize(
        iam.roles[roleName]?.arn ??
          `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:role/${roleName}`,
        {
          'iam:PermissionsBoundary': policyArn,
        },
      );
      const role = findRole(iam, roleName);
      attachablePolicy(ctx, policyArn);
      role.permissionsBoundary = policyArn;
      return {
        result: undefined,
        resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: roleName }],
      };
    },
  },
  CreateAccessKey: {
    readOnly: false,
    handler: (ctx, params) => {
      const userName = params.get('UserName') ?? ctx.caller.userName;
      if (!userName) throw validation('Must specify userName when calling with non-User credentials');
      const iam = accountIam(ctx);
      ctx.authorize(
        iam.users[userName]?.arn ??
          `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:user/${userName}`,
      );
      const user = findUser(iam, userName);
      const existing = Object.values(ctx.world.accessKeys).filter(
        (k) => k.principalArn === user.arn && !k.roleArn,
      );
      if (existing.length >= 2)
        throw new AwsError('LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');
      const accessKeyId = randomId('AKIA', 16);
      const secretAccessKey = newSecret();
      ctx.world.accessKeys[accessKeyId] = {
        accessKeyId,
        secretAccessKey,
        principalArn: user.arn,
        accountId: ctx.caller.accountId,
        status: 'Active',
      };
      const createDate = iso(ctx.now());
      return {
        result: {
          AccessKey: {
            UserName: userName,
            AccessKeyId: accessKeyId,
            Status: 'Active',
            SecretAccessKey: secretAccessKey,
            CreateDate: createDate,
          },
        },
        // CloudTrail never records the secret.
        responseElements: { accessKey: { userName, accessKeyId, status: 'Active', createDate } },
        resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: userName }],
      };
    },
  },
  GetAccountAuthorizationDetails: {
    readOnly: true,
    handler: (ctx, params) => {
      const filters = memberList(params, 'Filter');
      const allowed = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];
      for (const f of filters)
        if (!allowed.includes(f))
          throw validation(
            `Value '[${filters.join(', ')}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${allowed.join(', ')}]]`,
          );
      const wants = (kind: string) => filters.length === 0 || filters.includes(kind);
      const { offset, maxItems } = readPaging(params, 1000);
      ctx.authorize('*');
      const iam = accountIam(ctx);
      type Item = { kind: 'user' | 'group' | 'role' | 'policy'; value: Record<string, unknown> };
      const items: Item[] = [];
      const attached = (arns: string[]) =>
        arns.map((arn) => ({
          PolicyName:
            awsManagedPolicy(arn)?.policyName ?? iam.policies[arn]?.policyName ?? arn.split('/').pop(),
          PolicyArn: arn,
        }));
      const inline = (policies: Record<string, PolicyDocument>) =>
        Object.entries(policies).map(([PolicyName, doc]) => ({
          PolicyName,
          PolicyDocument: encodeDocument(doc),
        }));
      const byName = <T>(rec: Record<string, T>) =>
        Object.keys(rec)
          .sort()
          .map((k) => rec[k]!);
      if (wants('User'))
        for (const u of byName(iam.users))
          items.push({
            kind: 'user',
            value: {
              Path: u.path,
              UserName: u.userName,
              UserId: u.userId,
              Arn: u.arn,
              CreateDate: iso(u.createDate),
              UserPolicyList: inline(u.inlinePolicies),
              GroupList: [...(u.groups ?? [])],
              AttachedManagedPolicies: attached(u.attachedPolicies),
              PermissionsBoundary: boundaryXml(u.permissionsBoundary),
              Tags: tagsXml(u.tags),
            },
          });
      if (wants('Group'))
        for (const g of byName(iam.groups ?? {}))
          items.push({
            kind: 'group',
            value: {
              ...groupXml(g),
              GroupPolicyList: inline(g.inlinePolicies),
              AttachedManagedPolicies: attached(g.attachedPolicies),
            },
          });
      if (wants('Role'))
        for (const r of byName(iam.roles))
          items.push({
            kind: 'role',
            value: {
              Path: r.path,
              RoleName: r.roleName,
              RoleId: r.roleId,
              Arn: r.arn,
              CreateDate: iso(r.createDate),
              AssumeRolePolicyDocument: encodeDocument(r.assumeRolePolicyDocument),
              InstanceProfileList: [],
              RolePolicyList: inline(r.inlinePolicies),
              AttachedManagedPolicies: attached(r.attachedPolicies),
              PermissionsBoundary: boundaryXml(r.permissionsBoundary),
              Tags: tagsXml(r.tags),
              RoleLastUsed: {},
            },
          });
      const policies: IamManagedPolicy[] = [];
      if (wants('LocalManagedPolicy')) policies.push(...byName(iam.policies));
      if (wants('AWSManagedPolicy')) {
        // Only AWS managed policies attached to an entity of the account are listed, as AWS does in
        // practice (the full AWS catalogue would be ~1,000 policies).
        const arns = new Set<string>();
        for (const h of [
          ...Object.values(iam.users),
          ...Object.values(iam.roles),
          ...Object.values(iam.groups ?? {}),
        ])
          for (const arn of [
            ...h.attachedPolicies,
            ...('permissionsBoundary' in h && h.permissionsBoundary ? [h.permissionsBoundary] : []),
          ])
            if (isAwsManagedArn(arn)) arns.add(arn);
        for (const arn of [...arns].sort()) {
          const p = awsManagedPolicy(arn);
          if (p) policies.push(p);
        }
      }
      for (const p of policies) {
        const base = policyXml(p, iam);
        items.push({
          kind: 'policy',
          value: {
            ...base,
            PolicyVersionList: [
              {
                Document: encodeDocument(p.document),
                VersionId: p.defaultVersionId,
                IsDefaultVersion: true,
                CreateDate: base.UpdateDate,
              },
            ],
          },
        });
      }
      const p = page(items, offset, maxItems);
      const of = (kind: Item['kind']) => p.items.filter((i) => i.kind === kind).map((i) => i.value);
      return {
        result: {
          UserDetailList: of('user'),
          GroupDetailList: of('group'),
          RoleDetailList: of('role'),
          Policies: of('policy'),
          IsTruncated: p.marker !== undefined,
          Marker: p.marker,
        },
      };
    },
  },
};

export function iamService(): ServiceDefinition {
  return {
    signingName: 'iam',
    eventSource: 'iam.amazonaws.com',
    protocol: 'query',
    defaultBucket: 'iam:all',
    ...QUERY_PROTOCOL_ERRORS,
    resolve(req): ResolvedOperation {
      const params = formParams(req);
      const action = params.get('Action');
      if (action === null || action === '') throw new AwsError('MissingAction', 400, 'Missing Action');
      const spec = Object.hasOwn(OPERATIONS, action) ? OPERATIONS[action] : undefined;
      if (!spec)
        throw new AwsError('InvalidAction', 400, `Could not find operation ${action} for version 2010-05-08`);
      return {
        name: action,
        action: `iam:${action}`,
        readOnly: spec.readOnly,
        handler: (ctx) => {
          const { result, ...rest } = spec.handler(ctx, params, req);
          return {
            response: queryResponse(action, XMLNS, result, req.requestId),
            requestParameters: formToRequestParameters(params),
            ...(spec.readOnly
              ? { responseElements: null }
              : { responseElements: rest.responseElements ?? null }),
            ...(rest.resources ? { resources: rest.resources } : {}),
          };
        },
      };
    },
  };
}
