// AWS Organizations (awsJson1_1, global): one organization whose management account is the sandbox's
// bootstrap account; accounts created through it get OrganizationAccountAccessRole as AWS sets up.
// Service control policies are stored and attached here and evaluated in ../scp.ts.
import { randomBytes } from 'node:crypto';
import { AwsError } from '../errors.js';
import { emptyAccount, randomId } from '../identity.js';
import { partitionOfRegion } from '../partition.js';
import type { HandlerResult, OperationContext, ResolvedOperation, ServiceDefinition } from '../service.js';
import { slice, type World } from '../world.js';
import {
  awsJsonResponse,
  decodeToken,
  encodeToken,
  JsonInput,
  renderJsonError,
  targetOperation,
  unrecognizedJsonClient,
} from './aws-json.js';

const TARGET_PREFIX = 'AWSOrganizationsV20161128';
/** The sandbox's management account (`MANAGEMENT_ACCOUNT_ID` in server.ts; not imported to avoid a cycle). */
const MANAGEMENT = '111111111111';
const FULL_AWS_ACCESS_ID = 'p-FullAWSAccess';
const SCP = 'SERVICE_CONTROL_POLICY';
const POLICY_TYPES = [SCP, 'TAG_POLICY', 'BACKUP_POLICY', 'AISERVICES_OPT_OUT_POLICY'];

interface OrgPolicy {
  id: string;
  arn: string;
  name: string;
  description: string;
  type: string;
  awsManaged: boolean;
  content: string;
}

interface CreateAccountStatusRecord {
  Id: string;
  AccountName: string;
  State: 'SUCCEEDED' | 'FAILED';
  RequestedTimestamp: number;
  CompletedTimestamp: number;
  AccountId?: string;
  FailureReason?: string;
}

export interface OrganizationsSlice {
  organization?: {
    id: string;
    arn: string;
    featureSet: 'ALL' | 'CONSOLIDATED_BILLING';
    managementAccountId: string;
    rootId: string;
    rootArn: string;
    /** Policy types enabled on the root. */
    enabledPolicyTypes: string[];
  };
  /** Member accounts (management included) → parent id. */
  members: Record<string, { parentId: string; joinedAt: number; joinedMethod: 'INVITED' | 'CREATED' }>;
  createAccountStatuses: Record<string, CreateAccountStatusRecord>;
  policies: Record<string, OrgPolicy>;
  /** policy id → target ids (root, OU or account), in attachment order. */
  attachments: Record<string, string[]>;
}

export function organizationsSlice(world: World): OrganizationsSlice {
  return slice<OrganizationsSlice>(world, 'organizations', () => ({
    members: {},
    createAccountStatuses: {},
    policies: {},
    attachments: {},
  }));
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

function invalidInput(reason: string, message: string): AwsError {
  return new AwsError('InvalidInputException', 400, message, { fields: { Reason: reason } });
}

function required(input: JsonInput, name: string): string {
  const value = input.string(name);
  if (value === undefined || value === '')
    throw invalidInput('INPUT_REQUIRED', `You must specify a value for ${name}.`);
  return value;
}

function notInUse(): AwsError {
  return new AwsError(
    'AWSOrganizationsNotInUseException',
    400,
    'Your account is not a member of an organization.',
  );
}

function accessDenied(): AwsError {
  return new AwsError('AccessDeniedException', 403, "You don't have permissions to access this resource.");
}

type Org = NonNullable<OrganizationsSlice['organization']>;

/** The caller's organization; AWSOrganizationsNotInUseException when the caller is in none. */
function memberOrg(ctx: OperationContext): { org: Org; state: OrganizationsSlice } {
  const state = organizationsSlice(ctx.world);
  const org = state.organization;
  if (!org || !state.members[ctx.caller.accountId]) throw notInUse();
  return { org, state };
}

/** Management-account-only operations: member accounts get AccessDeniedException, as AWS answers. */
function managementOrg(ctx: OperationContext): { org: Org; state: OrganizationsSlice } {
  const found = memberOrg(ctx);
  if (ctx.caller.accountId !== found.org.managementAccountId) throw accessDenied();
  return found;
}

/** The organisation's partition, from its ARN. */
function partition(org: Org): string {
  return org.arn.split(':')[1]!;
}

function accountArn(org: Org, accountId: string): string {
  return `arn:${partition(org)}:organizations::${org.managementAccountId}:account/${org.id}/${accountId}`;
}

function policyArn(org: Org, policy: { id: string; type: string; awsManaged: boolean }): string {
  return policy.awsManaged
    ? `arn:${partition(org)}:organizations::aws:policy/${policy.type.toLowerCase()}/${policy.id}`
    : `arn:${partition(org)}:organizations::${org.managementAccountId}:policy/${org.id}/${policy.type.toLowerCase()}/${policy.id}`;
}

function accountJson(ctx: OperationContext, org: Org, state: OrganizationsSlice, id: string) {
  const account = ctx.world.accounts[id];
  const member = state.members[id]!;
  return {
    Id: id,
    Arn: accountArn(org, id),
    Email: account?.email ?? '',
    Name: account?.name ?? id,
    Status: account?.status ?? 'ACTIVE',
    State: account?.status ?? 'ACTIVE',
    JoinedMethod: member.joinedMethod,
    JoinedTimestamp: member.joinedAt / 1000,
  };
}

function rootJson(org: Org) {
  return {
    Id: org.rootId,
    Arn: org.rootArn,
    Name: 'Root',
    PolicyTypes: org.enabledPolicyTypes.map((Type) => ({ Type, Status: 'ENABLED' })),
  };
}

function organizationJson(ctx: OperationContext, org: Org) {
  return {
    Id: org.id,
    Arn: org.arn,
    FeatureSet: org.featureSet,
    MasterAccountArn: accountArn(org, org.managementAccountId),
    MasterAccountId: org.managementAccountId,
    MasterAccountEmail: ctx.world.accounts[org.managementAccountId]?.email ?? '',
    // Deprecated member; AWS keeps returning the SCP type here for ALL-features organizations.
    AvailablePolicyTypes: org.featureSet === 'ALL' ? [{ Type: SCP, Status: 'ENABLED' }] : [],
  };
}

function policySummary(policy: OrgPolicy) {
  return {
    Id: policy.id,
    Arn: policy.arn,
    Name: policy.name,
    Description: policy.description,
    Type: policy.type,
    AwsManaged: policy.awsManaged,
  };
}

function findPolicy(state: OrganizationsSlice, id: string): OrgPolicy {
  if (!/^p-[0-9a-zA-Z_]{8,128}$/.test(id))
    throw invalidInput('INVALID_PATTERN', 'You provided a value that does not match the required pattern.');
  const policy = state.policies[id];
  if (!policy)
    throw new AwsError(
      'PolicyNotFoundException',
      400,
      "We can't find a policy with the PolicyId that you specified.",
    );
  return policy;
}

type Target = {
  TargetId: string;
  Arn: string;
  Name: string;
  Type: 'ROOT' | 'ACCOUNT' | 'ORGANIZATIONAL_UNIT';
};

function findTarget(ctx: OperationContext, org: Org, state: OrganizationsSlice, id: string): Target {
  if (!/^(r-[0-9a-z]{4,32}|\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/.test(id))
    throw invalidInput('INVALID_PATTERN', 'You provided a value that does not match the required pattern.');
  if (id === org.rootId) return { TargetId: id, Arn: org.rootArn, Name: 'Root', Type: 'ROOT' };
  if (state.members[id])
    return {
      TargetId: id,
      Arn: accountArn(org, id),
      Name: ctx.world.accounts[id]?.name ?? id,
      Type: 'ACCOUNT',
    };
  throw new AwsError(
    'TargetNotFoundException',
    400,
    "We can't find a root, OU, account, or policy with the TargetId that you specified.",
  );
}

function checkPolicyFilter(filter: string): void {
  if (!POLICY_TYPES.includes(filter) && !/^[A-Z_]+$/.test(filter))
    throw invalidInput('INVALID_ENUM', 'You specified an invalid value.');
  if (!POLICY_TYPES.includes(filter))
    throw invalidInput('INVALID_ENUM_POLICY_TYPE', 'You specified an invalid policy type.');
}

/** Pages `items` by `MaxResults` (1..20, AWS's model range) and an opaque `NextToken` bound to `scope`. */
function paginate<T>(input: JsonInput, items: T[], scope: string): { page: T[]; NextToken?: string } {
  const max = input.integer('MaxResults') ?? 20;
  if (max < 1)
    throw invalidInput('MIN_VALUE_EXCEEDED', 'You provided a value that is lower than the minimum allowed.');
  if (max > 20)
    throw invalidInput('MAX_VALUE_EXCEEDED', 'You provided a value that exceeds the maximum allowed.');
  let offset = 0;
  const token = input.string('NextToken');
  if (token !== undefined) {
    const decoded = decodeToken(token);
    if (!decoded || decoded.s !== scope || typeof decoded.o !== 'number' || decoded.o < 0)
      throw invalidInput('INVALID_PAGINATION_TOKEN', 'The provided pagination token is not valid.');
    offset = decoded.o;
  }
  const page = items.slice(offset, offset + max);
  const next = offset + page.length;
  return next < items.length ? { page, NextToken: encodeToken({ s: scope, o: next }) } : { page };
}

function newAccountId(world: World): string {
  for (;;) {
    const digits = [...randomBytes(12)].map((b) => String(b % 10)).join('');
    if (digits[0] !== '0' && !world.accounts[digits]) return digits;
  }
}

type Handler = (
  ctx: OperationContext,
  input: JsonInput,
) => Omit<HandlerResult, 'response'> & { result: unknown };

interface OperationSpec {
  readOnly: boolean;
  handler: Handler;
}

const OPERATIONS: Record<string, OperationSpec> = {
  CreateOrganization: {
    readOnly: false,
    handler: (ctx, input) => {
      const featureSet = input.string('FeatureSet') ?? 'ALL';
      if (featureSet !== 'ALL' && featureSet !== 'CONSOLIDATED_BILLING')
        throw invalidInput('INVALID_ENUM', 'You specified an invalid value.');
      ctx.authorize('*');
      const state = organizationsSlice(ctx.world);
      if (state.organization && state.members[ctx.caller.accountId])
        throw new AwsError(
          'AlreadyInOrganizationException',
          409,
          'The provided account is already a member of an organization.',
        );
      // The sandbox has one organization, managed by its bootstrap account (sandbox restriction).
      if (ctx.caller.accountId !== MANAGEMENT || state.organization) throw accessDenied();
      const orgId = `o-${randomId('', 10, LOWER)}`;
      const rootId = `r-${randomId('', 4, LOWER)}`;
      const org: Org = {
        id: orgId,
        arn: `arn:${partitionOfRegion(ctx.region)}:organizations::${MANAGEMENT}:organization/${orgId}`,
        featureSet,
        managementAccountId: MANAGEMENT,
        rootId,
        rootArn: `arn:${partitionOfRegion(ctx.region)}:organizations::${MANAGEMENT}:root/${orgId}/${rootId}`,
        enabledPolicyTypes: featureSet === 'ALL' ? [SCP] : [],
      };
      state.organization = org;
      const management = ctx.world.accounts[MANAGEMENT];
      state.members[MANAGEMENT] = {
        parentId: rootId,
        joinedAt: ctx.now(),
        joinedMethod: management?.joinedMethod ?? 'INVITED',
      };
      const full: OrgPolicy = {
        id: FULL_AWS_ACCESS_ID,
        arn: '',
        name: 'FullAWSAccess',
        description: 'Allows access to every operation',
        type: SCP,
        awsManaged: true,
        content: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      };
      full.arn = policyArn(org, full);
      state.policies[full.id] = full;
      // AWS attaches FullAWSAccess to the root and to every account (and OU) while SCPs are enabled.
      if (featureSet === 'ALL') state.attachments[full.id] = [rootId, MANAGEMENT];
      const organization = organizationJson(ctx, org);
      return { result: { Organization: organization }, responseElements: { organization } };
    },
  },
  DescribeOrganization: {
    readOnly: true,
    handler: (ctx) => {
      ctx.authorize('*');
      const { org } = memberOrg(ctx);
      return { result: { Organization: organizationJson(ctx, org) } };
    },
  },
  CreateAccount: {
    readOnly: false,
    handler: (ctx, input) => {
      const email = required(input, 'Email');
      const accountName = required(input, 'AccountName');
      const roleName = input.string('RoleName') ?? 'OrganizationAccountAccessRole';
      if (!/^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 64)
        throw invalidInput(
          'INVALID_EMAIL_ADDRESS_TARGET',
          'You provided a value that does not match the required pattern.',
        );
      if (accountName.length > 50)
        throw invalidInput('MAX_LENGTH_EXCEEDED', 'You provided a value that exceeds the maximum length.');
      if (!/^[\w+=,.@-]{1,64}$/.test(roleName))
        throw invalidInput(
          'INVALID_PATTERN',
          'You provided a value that does not match the required pattern.',
        );
      const tags: Record<string, string> = {};
      for (const tag of input.objectList('Tags') ?? [])
        tags[required(tag, 'Key')] = tag.string('Value') ?? '';
      ctx.authorize('*');
      const { org, state } = managementOrg(ctx);
      const now = ctx.now();
      const requestId = `car-${randomId('', 32, LOWER)}`;
      const status: CreateAccountStatusRecord = {
        Id: requestId,
        AccountName: accountName,
        State: 'SUCCEEDED',
        RequestedTimestamp: now / 1000,
        CompletedTimestamp: now / 1000,
      };
      const emailTaken = Object.values(ctx.world.accounts).some(
        (a) => a.email.toLowerCase() === email.toLowerCase(),
      );
      if (emailTaken) {
        // AWS accepts the request and fails it asynchronously; the sandbox completes it at once.
        status.State = 'FAILED';
        status.FailureReason = 'EMAIL_ALREADY_EXISTS';
      } else {
        const accountId = newAccountId(ctx.world);
        const account = emptyAccount(accountId, accountName, 'CREATED', now);
        account.email = email;
        ctx.world.accounts[accountId] = account;
        state.members[accountId] = { parentId: org.rootId, joinedAt: now, joinedMethod: 'CREATED' };
        // AWS attaches FullAWSAccess to every account that joins an organization with SCPs enabled.
        if (org.enabledPolicyTypes.includes(SCP)) {
          const full = state.attachments[FULL_AWS_ACCESS_ID] ?? [];
          if (!full.includes(accountId)) full.push(accountId);
          state.attachments[FULL_AWS_ACCESS_ID] = full;
        }
        // AWS creates this role trusting the management account, with AdministratorAccess.
        account.iam.roles[roleName] = {
          roleName,
          roleId: randomId('AROA', 17),
          arn: `arn:${partition(org)}:iam::${accountId}:role/${roleName}`,
          path: '/',
          createDate: now,
          assumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:${partition(org)}:iam::${org.managementAccountId}:root` },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          maxSessionDuration: 3600,
          attachedPolicies: [`arn:${partition(org)}:iam::aws:policy/AdministratorAccess`],
          inlinePolicies: {},
          tags: {},
        };
        status.AccountId = accountId;
      }
      state.createAccountStatuses[requestId] = status;
      return {
        result: { CreateAccountStatus: status },
        // CloudTrail records the request without the e-mail address.
        requestParameters: { accountName, roleName },
        responseElements: { createAccountStatus: { id: requestId, state: status.State, accountName } },
      };
    },
  },
  DescribeCreateAccountStatus: {
    readOnly: true,
    handler: (ctx, input) => {
      const id = required(input, 'CreateAccountRequestId');
      if (!/^car-[a-z0-9]{8,32}$/.test(id))
        throw invalidInput(
          'INVALID_PATTERN',
          'You provided a value that does not match the required pattern.',
        );
      ctx.authorize('*');
      const { state } = managementOrg(ctx);
      const status = state.createAccountStatuses[id];
      if (!status)
        throw new AwsError(
          'CreateAccountStatusNotFoundException',
          400,
          "We can't find an create account request with the CreateAccountRequestId that you specified.",
        );
      return { result: { CreateAccountStatus: status } };
    },
  },
  ListAccounts: {
    readOnly: true,
    handler: (ctx, input) => {
      ctx.authorize('*');
      const { org, state } = managementOrg(ctx);
      const ids = Object.keys(state.members).sort(
        (a, b) => state.members[a]!.joinedAt - state.members[b]!.joinedAt || a.localeCompare(b),
      );
      const { page, NextToken } = paginate(input, ids, 'ListAccounts');
      return { result: { Accounts: page.map((id) => accountJson(ctx, org, state, id)), NextToken } };
    },
  },
  ListAccountsForParent: {
    readOnly: true,
    handler: (ctx, input) => {
      const parentId = required(input, 'ParentId');
      if (!/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/.test(parentId))
        throw invalidInput(
          'INVALID_PATTERN',
          'You provided a value that does not match the required pattern.',
        );
      ctx.authorize('*');
      const { org, state } = managementOrg(ctx);
      if (parentId !== org.rootId)
        throw new AwsError(
          'ParentNotFoundException',
          400,
          "We can't find a root or OU with the ParentId that you specified.",
        );
      const ids = Object.keys(state.members)
        .filter((id) => state.members[id]!.parentId === parentId)
        .sort((a, b) => state.members[a]!.joinedAt - state.members[b]!.joinedAt || a.localeCompare(b));
      const { page, NextToken } = paginate(input, ids, `ListAccountsForParent:${parentId}`);
      return { result: { Accounts: page.map((id) => accountJson(ctx, org, state, id)), NextToken } };
    },
  },
  ListRoots: {
    readOnly: true,
    handler: (ctx, input) => {
      ctx.authorize('*');
      const { org } = managementOrg(ctx);
      const { page, NextToken } = paginate(input, [rootJson(org)], 'ListRoots');
      return { result: { Roots: page, NextToken } };
    },
  },
  ListOrganizationalUnitsForParent: {
    readOnly: true,
    handler: (ctx, input) => {
      const parentId = required(input, 'ParentId');
      if (!/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/.test(parentId))
        throw invalidInput(
          'INVALID_PATTERN',
          'You provided a value that does not match the required pattern.',
        );
      ctx.authorize('*');
      const { org } = managementOrg(ctx);
      if (parentId !== org.rootId)
        throw new AwsError(
          'ParentNotFoundException',
          400,
          "We can't find a root or OU with the ParentId that you specified.",
        );
      // The sandbox's organisation is flat (every account under the root): the root has no OUs.
      const { page, NextToken } = paginate(
        input,
        [] as unknown[],
        `ListOrganizationalUnitsForParent:${parentId}`,
      );
      return { result: { OrganizationalUnits: page, NextToken } };
    },
  },
  CreatePolicy: {
    readOnly: false,
    handler: (ctx, input) => {
      const content = required(input, 'Content');
      const description = input.string('Description');
      if (description === undefined)
        throw invalidInput('INPUT_REQUIRED', 'You must specify a value for Description.');
      const name = required(input, 'Name');
      const type = required(input, 'Type');
      checkPolicyFilter(type);
      if (name.length > 128)
        throw invalidInput('MAX_LENGTH_EXCEEDED', 'You provided a value that exceeds the maximum length.');
      ctx.authorize('*');
      const { org, state } = managementOrg(ctx);
      if (!org.enabledPolicyTypes.includes(type))
        throw new AwsError(
          'PolicyTypeNotEnabledException',
          400,
          'This operation can be performed only for enabled policy types.',
        );
      // SCPs are at most 5,120 characters (Organizations quotas).
      if (content.length > 5120)
        throw new AwsError(
          'ConstraintViolationException',
          409,
          'The provided policy document exceeds the maximum size.',
          {
            fields: { Reason: 'POLICY_CONTENT_LIMIT_EXCEEDED' },
          },
        );
      let parsed: unknown;
      try {
        parsed = JSON.parse(content);
      } catch {
        parsed = undefined;
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !('Statement' in parsed))
        throw new AwsError(
          'MalformedPolicyDocumentException',
          400,
          "The provided policy document doesn't meet the requirements of the specified policy type.",
        );
      if (Object.values(state.policies).some((p) => p.type === type && p.name === name))
        throw new AwsError('DuplicatePolicyException', 409, 'A policy with the same name already exists.');
      const id = `p-${randomId('', 8, LOWER)}`;
      const policy: OrgPolicy = { id, arn: '', name, description, type, awsManaged: false, content };
      policy.arn = policyArn(org, policy);
      state.policies[id] = policy;
      const out = { PolicySummary: policySummary(policy), Content: content };
      return {
        result: { Policy: out },
        responseElements: { policy: { policySummary: policySummary(policy) } },
      };
    },
  },
  DescribePolicy: {
    readOnly: true,
    handler: (ctx, input) => {
      const id = required(input, 'PolicyId');
      ctx.authorize('*');
      const { state } = managementOrg(ctx);
      const policy = findPolicy(state, id);
      return { result: { Policy: { PolicySummary: policySummary(policy), Content: policy.content } } };
    },
  },
  ListPolicies: {
    readOnly: true,
    handler: (ctx, input) => {
      const filter = required(input, 'Filter');
      checkPolicyFilter(filter);
      ctx.authorize('*');
      const { state } = managementOrg(ctx);
      const policies = Object.values(state.policies)
        .filter((p) => p.type === filter)
        .sort((a, b) => Number(b.awsManaged) - Number(a.awsManaged) || a.name.localeCompare(b.name));
      const { page, NextToken } = paginate(input, policies, `ListPolicies:${filter}`);
      return { result: { Policies: page.map(policySummary), NextToken } };
    },
  },
  AttachPolicy: {
    readOnly: false,
    handler: (ctx, input) => {
      const policyId = required(input, 'PolicyId');
      const targetId = required(input, 'TargetId');
      ctx.authorize('*');
      const { org, state } = managementOrg(ctx);
      const policy = findPolicy(state, policyId);
      findTarget(ctx, org, state, targetId);
      if (!org.enabledPolicyTypes.includes(policy.type))
        throw new AwsError(
          'PolicyTypeNotEnabledException',
          400,
          'This operation can be performed only for enabled policy types.',
        );
      const targets = state.attachments[policyId] ?? [];
      state.attachments[policyId] = targets;
      if (targets.includes(targetId))
        throw new AwsError(
          'DuplicatePolicyAttachmentException',
          400,
          'This policy is already attached to the target.',
        );
      targets.push(targetId);
      return { result: undefined, responseElements: null };
    },
  },
  ListTargetsForPolicy: {
    readOnly: true,
    handler: (ctx, input) => {
      const policyId = required(input, 'PolicyId');
      ctx.authorize('*');
      const { org, state } = managementOrg(ctx);
      findPolicy(state, policyId);
      const targets = (state.attachments[policyId] ?? []).map((id) => findTarget(ctx, org, state, id));
      const { page, NextToken } = paginate(input, targets, `ListTargetsForPolicy:${policyId}`);
      return { result: { Targets: page, NextToken } };
    },
  },
  ListPoliciesForTarget: {
    readOnly: true,
    handler: (ctx, input) => {
      const targetId = required(input, 'TargetId');
      const filter = required(input, 'Filter');
      checkPolicyFilter(filter);
      ctx.authorize('*');
      const { org, state } = managementOrg(ctx);
      findTarget(ctx, org, state, targetId);
      const policies = Object.values(state.policies).filter(
        (p) => p.type === filter && (state.attachments[p.id] ?? []).includes(targetId),
      );
      const { page, NextToken } = paginate(input, policies, `ListPoliciesForTarget:${targetId}:${filter}`);
      return { result: { Policies: page.map(policySummary), NextToken } };
    },
  },
};

export function organizationsService(): ServiceDefinition {
  return {
    signingName: 'organizations',
    eventSource: 'organizations.amazonaws.com',
    protocol: 'awsJson1_1',
    defaultBucket: 'organizations:all',
    renderError: (error, req) => renderJsonError(error, req.requestId),
    throttleError: (retryAfter) =>
      new AwsError(
        'TooManyRequestsException',
        429,
        'You have sent too many requests in too short a period of time. The quota helps protect against denial-of-service attacks. Try again later.',
        {
          fields: { Type: 'TooManyRequests' },
          headers: { 'retry-after': String(retryAfter) },
        },
      ),
    accessDenied: (message) => new AwsError('AccessDeniedException', 403, message),
    unrecognizedClient: unrecognizedJsonClient,
    resolve(req): ResolvedOperation {
      const op = targetOperation(req, TARGET_PREFIX);
      const spec = Object.hasOwn(OPERATIONS, op) ? OPERATIONS[op] : undefined;
      if (!spec) throw new AwsError('UnknownOperationException', 400, `Unknown operation ${op}`);
      const input = JsonInput.parse(req);
      return {
        name: op,
        action: `organizations:${op}`,
        readOnly: spec.readOnly,
        handler: (ctx) => {
          const { result, ...rest } = spec.handler(ctx, input);
          return {
            response: awsJsonResponse(result ?? {}),
            requestParameters:
              rest.requestParameters !== undefined
                ? rest.requestParameters
                : Object.keys(input.raw).length
                  ? lcKeys(input.raw)
                  : null,
            responseElements: spec.readOnly ? null : (rest.responseElements ?? null),
          };
        },
      };
    },
  };
}

/** CloudTrail records awsJson request parameters with camelCase member names. */
function lcKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]),
  );
}
