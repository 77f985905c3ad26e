// Governance data in a live snapshot: CloudTrail management events that change Lambda code, signing or
// code signing configs (SGN-009/010/013), each account's IAM authorization details (SGN-011/012/013)
// and the organisation's service control policies (SGN-011/014).
import { z } from 'zod';

/** Who made a call, as CloudTrail's `userIdentity` records it. */
export const TrailActor = z.object({
  /** IAMUser, AssumedRole, Root, AWSService, FederatedUser, … */
  type: z.string(),
  /** The caller ARN (user ARN or assumed-role session ARN). */
  arn: z.string().optional(),
  /** The role behind an assumed-role session (`sessionContext.sessionIssuer.arn`). */
  roleArn: z.string().optional(),
  accountId: z.string().optional(),
  userName: z.string().optional(),
  /** AWS service that called on the principal's behalf (`invokedBy`). */
  invokedBy: z.string().optional(),
});
export type TrailActor = z.infer<typeof TrailActor>;

export const TrailEvent = z.object({
  eventId: z.string(),
  eventName: z.string(),
  eventSource: z.string(),
  eventTime: z.string(),
  accountId: z.string(),
  region: z.string(),
  actor: TrailActor,
  sourceIPAddress: z.string().optional(),
  userAgent: z.string().optional(),
  errorCode: z.string().optional(),
  requestParameters: z.record(z.string(), z.unknown()).nullable(),
  responseElements: z.record(z.string(), z.unknown()).nullable(),
});
export type TrailEvent = z.infer<typeof TrailEvent>;

export const InlinePolicy = z.object({ name: z.string(), document: z.string() });

const Principal = z.object({
  arn: z.string(),
  name: z.string(),
  attachedPolicies: z.array(z.string()),
  inlinePolicies: z.array(InlinePolicy),
  /** Managed policy ARN used as permissions boundary. */
  permissionsBoundary: z.string().optional(),
});

export const IamUserDetail = Principal.extend({ groups: z.array(z.string()) });
export const IamRoleDetail = Principal.extend({ trustPolicy: z.string().optional() });
export const IamGroupDetail = Principal.omit({ permissionsBoundary: true });

export const IamAccountDetails = z.object({
  accountId: z.string(),
  users: z.array(IamUserDetail),
  groups: z.array(IamGroupDetail),
  roles: z.array(IamRoleDetail),
  /** Managed policies (customer and AWS) used in the account: ARN → default version document. */
  policies: z.array(z.object({ arn: z.string(), name: z.string(), document: z.string() })),
});
export type IamAccountDetails = z.infer<typeof IamAccountDetails>;

export const OrganizationPolicies = z.object({
  /** False when the scanned accounts are not in an organisation (no SCP applies). */
  inOrganization: z.boolean().optional(),
  managementAccountId: z.string(),
  /** Account → the targets whose SCPs apply to it: root, each OU down the tree, then the account. */
  accountPaths: z.record(z.string(), z.array(z.string())),
  policies: z.array(
    z.object({ id: z.string(), name: z.string(), arn: z.string().optional(), content: z.string() }),
  ),
  /** Target (root, OU or account id) → attached SCP ids. */
  attachments: z.record(z.string(), z.array(z.string())),
});
export type OrganizationPolicies = z.infer<typeof OrganizationPolicies>;

export const Governance = z.object({
  /** CloudTrail window the events cover. */
  window: z.object({ start: z.string(), end: z.string() }).optional(),
  trailEvents: z.array(TrailEvent),
  iam: z.array(IamAccountDetails),
  organization: OrganizationPolicies.optional(),
});
export type Governance = z.infer<typeof Governance>;

/** Coverage of IAM and Organizations data is per account, recorded under this region. */
export { GLOBAL_REGION } from './values.js';
