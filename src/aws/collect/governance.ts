// Governance collectors (SGN-009..014), bulk-first and within quotas:
// - CloudTrail LookupEvents per account-region, one EventName per query (the filter AWS allows),
//   50 per page, the lookback window, paced at 2 requests/s per account-region;
// - IAM GetAccountAuthorizationDetails once per account (every user, group, role and managed policy);
// - Organizations SCPs once per organisation (policies, their targets and the OU tree).
import { type CloudTrailClient, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { type IAMClient, paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  type OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListPolicies,
  paginateListRoots,
  paginateListTargetsForPolicy,
} from '@aws-sdk/client-organizations';
import {
  GLOBAL_REGION,
  type IamAccountDetails,
  type OrganizationPolicies,
  type TrailActor,
  type TrailEvent,
} from '../../model/governance.js';
import type { CollectionError, Coverage, SnapshotPart } from '../../model/snapshot.js';
import type { ClientFactory, Credentials } from '../clients.js';
import { collectionErrorOf } from '../errors.js';

/**
 * Management events the governance rules read. LookupEvents matches EventName exactly and Lambda records
 * versioned internal names (spec §4), so each known variant is queried (Lambda's and Signer's events alike:
 * the name alone selects them).
 */
export const TRAIL_EVENT_NAMES: readonly string[] = [
  'CreateFunction20150331',
  'UpdateFunctionCode20150331v2',
  'UpdateFunctionCode20150331',
  'UpdateFunctionConfiguration20150331v2',
  'UpdateFunctionConfiguration20150331',
  'PublishLayerVersion20181031',
  'PutFunctionCodeSigningConfig',
  'DeleteFunctionCodeSigningConfig',
  'UpdateCodeSigningConfig',
  'DeleteCodeSigningConfig',
  'StartSigningJob',
];

interface Target {
  accountId: string;
  region: string;
  credentials: Credentials;
}

export interface PartResult<T> {
  value?: T;
  coverage: Coverage[];
  collectionErrors: CollectionError[];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** CloudTrail's `userIdentity` → who did it (assumed-role sessions keep the role ARN). */
export function actorOf(userIdentity: unknown): TrailActor {
  const u = record(userIdentity) ?? {};
  const issuer = record(record(u.sessionContext)?.sessionIssuer);
  const type = str(u.type) ?? 'Unknown';
  const arn = str(u.arn);
  const roleArn = type === 'AssumedRole' ? str(issuer?.arn) : undefined;
  const userName = str(u.userName) ?? (type === 'AssumedRole' ? arn?.split('/').pop() : undefined);
  return {
    type,
    ...(arn ? { arn } : {}),
    ...(roleArn ? { roleArn } : {}),
    ...(str(u.accountId) ? { accountId: str(u.accountId) } : {}),
    ...(userName ? { userName } : {}),
    ...(str(u.invokedBy) ? { invokedBy: str(u.invokedBy) } : {}),
  };
}

/** One LookupEvents result → a TrailEvent (undefined when CloudTrailEvent is not readable JSON). */
export function trailEventOf(
  raw: {
    EventId?: string;
    EventName?: string;
    EventSource?: string;
    EventTime?: Date;
    CloudTrailEvent?: string;
  },
  accountId: string,
  region: string,
): TrailEvent | undefined {
  let detail: Record<string, unknown> = {};
  try {
    detail = record(JSON.parse(raw.CloudTrailEvent ?? '{}')) ?? {};
  } catch {
    return undefined;
  }
  const eventId = raw.EventId ?? str(detail.eventID);
  const eventName = raw.EventName ?? str(detail.eventName);
  if (!eventId || !eventName) return undefined;
  return {
    eventId,
    eventName,
    eventSource: raw.EventSource ?? str(detail.eventSource) ?? '',
    eventTime: raw.EventTime?.toISOString() ?? str(detail.eventTime) ?? '',
    accountId: str(detail.recipientAccountId) ?? accountId,
    region: str(detail.awsRegion) ?? region,
    actor: actorOf(detail.userIdentity),
    ...(str(detail.sourceIPAddress) ? { sourceIPAddress: str(detail.sourceIPAddress) } : {}),
    ...(str(detail.userAgent) ? { userAgent: str(detail.userAgent) } : {}),
    ...(str(detail.errorCode) ? { errorCode: str(detail.errorCode) } : {}),
    requestParameters: record(detail.requestParameters),
    responseElements: record(detail.responseElements),
  };
}

function coverage(accountId: string, region: string, part: SnapshotPart, ok: boolean): Coverage {
  return { accountId, region, part, status: ok ? 'ok' : 'failed' };
}

/** The governance events of one account-region in the window. */
export async function collectTrail(
  factory: ClientFactory,
  target: Target,
  window: { start: Date; end: Date },
): Promise<PartResult<TrailEvent[]>> {
  const client: CloudTrailClient = factory.cloudtrail(target);
  const events: TrailEvent[] = [];
  const errors: CollectionError[] = [];
  // Sequential: the 2 requests/s quota is the bottleneck, and an early failure (AccessDenied) stops the rest.
  for (const name of TRAIL_EVENT_NAMES) {
    try {
      for await (const page of paginateLookupEvents(
        { client, pageSize: 50 },
        {
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }],
          StartTime: window.start,
          EndTime: window.end,
          MaxResults: 50,
        },
      )) {
        for (const raw of page.Events ?? []) {
          const event = trailEventOf(raw, target.accountId, target.region);
          if (event) events.push(event);
        }
      }
    } catch (err) {
      errors.push({
        service: 'cloudtrail',
        operation: 'LookupEvents',
        accountId: target.accountId,
        region: target.region,
        ...collectionErrorOf(err),
        parts: ['cloudtrail'],
      });
      break;
    }
  }
  return {
    ...(errors.length ? {} : { value: events }),
    coverage: [coverage(target.accountId, target.region, 'cloudtrail', errors.length === 0)],
    collectionErrors: errors,
  };
}

function decode(document: string | undefined): string {
  if (!document) return '{}';
  try {
    return /^\s*%7B/i.test(document) ? decodeURIComponent(document) : document;
  } catch {
    return document;
  }
}

/** Every user, group, role and managed policy of one account (GetAccountAuthorizationDetails). */
export async function collectIam(
  factory: ClientFactory,
  target: Target,
): Promise<PartResult<IamAccountDetails>> {
  const client: IAMClient = factory.iam(target);
  const out: IamAccountDetails = {
    accountId: target.accountId,
    users: [],
    groups: [],
    roles: [],
    policies: [],
  };
  try {
    for await (const page of paginateGetAccountAuthorizationDetails(
      { client },
      { Filter: ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'], MaxItems: 1000 },
    )) {
      for (const u of page.UserDetailList ?? [])
        out.users.push({
          arn: u.Arn ?? '',
          name: u.UserName ?? '',
          groups: u.GroupList ?? [],
          attachedPolicies: (u.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? ''),
          inlinePolicies: (u.UserPolicyList ?? []).map((p) => ({
            name: p.PolicyName ?? '',
            document: decode(p.PolicyDocument),
          })),
          ...(u.PermissionsBoundary?.PermissionsBoundaryArn
            ? { permissionsBoundary: u.PermissionsBoundary.PermissionsBoundaryArn }
            : {}),
        });
      for (const g of page.GroupDetailList ?? [])
        out.groups.push({
          arn: g.Arn ?? '',
          name: g.GroupName ?? '',
          attachedPolicies: (g.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? ''),
          inlinePolicies: (g.GroupPolicyList ?? []).map((p) => ({
            name: p.PolicyName ?? '',
            document: decode(p.PolicyDocument),
          })),
        });
      for (const r of page.RoleDetailList ?? [])
        out.roles.push({
          arn: r.Arn ?? '',
          name: r.RoleName ?? '',
          attachedPolicies: (r.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? ''),
          inlinePolicies: (r.RolePolicyList ?? []).map((p) => ({
            name: p.PolicyName ?? '',
            document: decode(p.PolicyDocument),
          })),
          ...(r.PermissionsBoundary?.PermissionsBoundaryArn
            ? { permissionsBoundary: r.PermissionsBoundary.PermissionsBoundaryArn }
            : {}),
          ...(r.AssumeRolePolicyDocument ? { trustPolicy: decode(r.AssumeRolePolicyDocument) } : {}),
        });
      for (const p of page.Policies ?? []) {
        const version =
          (p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion) ?? p.PolicyVersionList?.[0];
        out.policies.push({
          arn: p.Arn ?? '',
          name: p.PolicyName ?? '',
          document: decode(version?.Document),
        });
      }
    }
  } catch (err) {
    return {
      coverage: [coverage(target.accountId, GLOBAL_REGION, 'iam', false)],
      collectionErrors: [
        {
          service: 'iam',
          operation: 'GetAccountAuthorizationDetails',
          accountId: target.accountId,
          region: GLOBAL_REGION,
          ...collectionErrorOf(err),
          parts: ['iam'],
        },
      ],
    };
  }
  return {
    value: out,
    coverage: [coverage(target.accountId, GLOBAL_REGION, 'iam', true)],
    collectionErrors: [],
  };
}

/**
 * The organisation's SCPs, where they attach, and each account's path from the root (once per
 * organisation, with the caller's credentials: the management account or a delegated administrator).
 */
export async function collectOrganization(
  factory: ClientFactory,
  target: Target,
  accountIds: readonly string[],
): Promise<PartResult<OrganizationPolicies>> {
  const client: OrganizationsClient = factory.organizations(target);
  let operation = 'DescribeOrganization';
  try {
    const described = await client.send(new DescribeOrganizationCommand({}));
    const org: OrganizationPolicies = {
      managementAccountId: described.Organization?.MasterAccountId ?? '',
      accountPaths: {},
      policies: [],
      attachments: {},
    };
    operation = 'ListRoots';
    const walk = async (parentId: string, path: string[]): Promise<void> => {
      operation = 'ListAccountsForParent';
      for await (const page of paginateListAccountsForParent({ client }, { ParentId: parentId }))
        for (const a of page.Accounts ?? []) if (a.Id) org.accountPaths[a.Id] = [...path, a.Id];
      operation = 'ListOrganizationalUnitsForParent';
      const children: string[] = [];
      for await (const page of paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId }))
        for (const ou of page.OrganizationalUnits ?? []) if (ou.Id) children.push(ou.Id);
      for (const child of children) await walk(child, [...path, child]);
    };
    for await (const page of paginateListRoots({ client }, {}))
      for (const root of page.Roots ?? []) if (root.Id) await walk(root.Id, [root.Id]);
    operation = 'ListPolicies';
    const summaries: { Id?: string; Name?: string; Arn?: string }[] = [];
    for await (const page of paginateListPolicies({ client }, { Filter: 'SERVICE_CONTROL_POLICY' }))
      summaries.push(...(page.Policies ?? []));
    for (const summary of summaries) {
      if (!summary.Id) continue;
      operation = 'DescribePolicy';
      const policy = await client.send(new DescribePolicyCommand({ PolicyId: summary.Id }));
      org.policies.push({
        id: summary.Id,
        name: summary.Name ?? summary.Id,
        ...(summary.Arn ? { arn: summary.Arn } : {}),
        content: policy.Policy?.Content ?? '{}',
      });
      operation = 'ListTargetsForPolicy';
      for await (const page of paginateListTargetsForPolicy({ client }, { PolicyId: summary.Id }))
        for (const t of page.Targets ?? [])
          if (t.TargetId) org.attachments[t.TargetId] = [...(org.attachments[t.TargetId] ?? []), summary.Id];
    }
    return {
      value: org,
      coverage: accountIds.map((a) => coverage(a, GLOBAL_REGION, 'organizationPolicies', true)),
      collectionErrors: [],
    };
  } catch (err) {
    // Not in an organisation: no SCP applies to the account (a fact, not a failure).
    if ((err as { name?: string }).name === 'AWSOrganizationsNotInUseException')
      return {
        value: {
          managementAccountId: '',
          accountPaths: {},
          policies: [],
          attachments: {},
          inOrganization: false,
        },
        coverage: accountIds.map((a) => coverage(a, GLOBAL_REGION, 'organizationPolicies', true)),
        collectionErrors: [],
      };
    return {
      coverage: accountIds.map((a) => coverage(a, GLOBAL_REGION, 'organizationPolicies', false)),
      collectionErrors: accountIds.map((accountId) => ({
        service: 'organizations',
        operation,
        accountId,
        region: GLOBAL_REGION,
        ...collectionErrorOf(err),
        parts: ['organizationPolicies' as const],
      })),
    };
  }
}
