// The typed, versioned Snapshot every rule reads: filled by live collectors (src/aws/collect) or by IaC
// adapters (src/iac). The zod schemas are the single source of the types and validate saved snapshots.
import { z } from 'zod';
import { Governance } from './governance.js';
import { Timestamp } from './timestamp.js';

import { SNAPSHOT_PARTS, SNAPSHOT_SCHEMA_VERSION } from './values.js';

export {
  emptySnapshot,
  publisherArn,
  publisherProfile,
  publisherProfileArnNotVersion,
  publisherUnresolved,
  SNAPSHOT_SCHEMA_VERSION,
} from './values.js';

export const AwsProvenance = z.object({
  source: z.literal('aws'),
  arn: z.string(),
  accountId: z.string(),
  region: z.string(),
});

export const IacProvenance = z.object({
  source: z.literal('iac'),
  /** Template format: cloudformation, sam, cdk, terraform, terraform-plan, serverless. */
  format: z.string(),
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  /** Logical id (CloudFormation) or resource address (Terraform). */
  logicalId: z.string(),
  /** Positions of notable properties (e.g. `CodeSigningPolicies`), for precise SARIF regions. */
  properties: z.record(z.string(), z.object({ line: z.number().int(), column: z.number().int() })).optional(),
  /** Inline suppressions found next to the resource (CloudFormation Metadata, comments); reason is mandatory. */
  suppressions: z.array(z.object({ ruleId: z.string(), reason: z.string() })).optional(),
});

export const Provenance = z.discriminatedUnion('source', [AwsProvenance, IacProvenance]);
export type Provenance = z.infer<typeof Provenance>;

/** A value the IaC adapter could not resolve statically; rules answer UNKNOWN with the reason. */
export const Unresolved = z.object({ unresolved: z.string() });
export type Unresolved = z.infer<typeof Unresolved>;

export const LayerRef = z.object({
  /** Layer version ARN, or the id of a LayerVersion in this snapshot (IaC). */
  arn: z.string().optional(),
  layerId: z.string().optional(),
  unresolved: z.string().optional(),
  signingProfileVersionArn: z.string().optional(),
  signingJobArn: z.string().optional(),
});
export type LayerRef = z.infer<typeof LayerRef>;

/** How a function refers to its code signing config. */
export const CscAttachment = z.discriminatedUnion('state', [
  /** `note`: the assumption that made it none in a template (e.g. a parameter's default). */
  z.object({ state: z.literal('none'), note: z.string().optional() }),
  /** `id` is the CodeSigningConfig's id in this snapshot (its ARN when live). */
  z.object({ state: z.literal('attached'), id: z.string() }),
  /** Attached to something this snapshot cannot see or resolve (imported value, ARN from elsewhere). */
  z.object({ state: z.literal('unresolved'), reason: z.string(), arn: z.string().optional() }),
]);
export type CscAttachment = z.infer<typeof CscAttachment>;

export const CodeState = z.object({
  codeSha256: z.string().optional(),
  lastModified: Timestamp.optional(),
  signingProfileVersionArn: z.string().optional(),
  signingJobArn: z.string().optional(),
  layers: z.array(LayerRef),
});
export type CodeState = z.infer<typeof CodeState>;

export const PublishedVersion = CodeState.extend({
  version: z.string(),
  arn: z.string(),
  /** Aliases that route traffic to this version. */
  aliases: z.array(z.string()),
});
export type PublishedVersion = z.infer<typeof PublishedVersion>;

export const LambdaFunction = CodeState.extend({
  /** Unqualified function ARN (live) or template address (IaC). */
  id: z.string(),
  name: z.string(),
  accountId: z.string().optional(),
  region: z.string().optional(),
  packageType: z.enum(['Zip', 'Image', 'Unknown']),
  runtime: z.string().optional(),
  codeSigningConfig: CscAttachment,
  tags: z.record(z.string(), z.string()),
  /** Published versions (live scans with versions collected). */
  versions: z.array(PublishedVersion),
  /** Alias name → version, including aliases to $LATEST. */
  aliases: z.record(z.string(), z.string()),
  /**
   * False when the collector skipped ListAliases because every published version looked verified
   * (signed, job not revoked or expired, profile active, layers signed): rules then judge every version.
   */
  aliasesCollected: z.boolean().optional(),
  provenance: Provenance,
});
export type LambdaFunction = z.infer<typeof LambdaFunction>;

/**
 * One entry of a CSC's allowed publishers: what AWS expects (a signing profile *version* ARN), a reference
 * to a SigningProfile of this snapshot (IaC), a profile ARN given where a version ARN is required (IaC: a
 * mistake that never matches a signature), or a value that cannot be resolved statically.
 */
const PublisherRefUnion = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('arn'), arn: z.string() }),
  z.object({ kind: z.literal('profile'), profileId: z.string() }),
  /** `what` names the offending template value (e.g. `Profile.Arn`). */
  z.object({ kind: z.literal('profile-arn-not-version'), what: z.string() }),
  z.object({ kind: z.literal('unresolved'), reason: z.string() }),
]);

/** Snapshots saved before publisher refs were a tagged union carried `{arn}` / `{profileId}` / `{unresolved}`. */
function upgradeLegacyPublisher(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || 'kind' in value) return value;
  const v = value as { arn?: unknown; profileId?: unknown; unresolved?: unknown };
  if (typeof v.arn === 'string') return { kind: 'arn', arn: v.arn };
  if (typeof v.profileId === 'string') return { kind: 'profile', profileId: v.profileId };
  if (typeof v.unresolved === 'string') {
    const legacyMarker = 'profile-arn-not-version:';
    return v.unresolved.startsWith(legacyMarker)
      ? { kind: 'profile-arn-not-version', what: v.unresolved.slice(legacyMarker.length).trim() }
      : { kind: 'unresolved', reason: v.unresolved };
  }
  return value;
}

export const PublisherRef = z.preprocess(upgradeLegacyPublisher, PublisherRefUnion);
export type PublisherRef = z.infer<typeof PublisherRefUnion>;

export const CodeSigningConfig = z.object({
  id: z.string(),
  arn: z.string().optional(),
  accountId: z.string().optional(),
  region: z.string().optional(),
  description: z.string().optional(),
  /** `Warn` when the template or API leaves it out (AWS's default). */
  policy: z.union([z.enum(['Warn', 'Enforce']), Unresolved]),
  /** Why the policy has its value: explicit, AWS default, or a parameter/variable default (IaC). */
  policySource: z.enum(['explicit', 'default', 'parameter-default']),
  policyNote: z.string().optional(),
  allowedPublishers: z.array(PublisherRef),
  provenance: Provenance,
});
export type CodeSigningConfig = z.infer<typeof CodeSigningConfig>;

export const SigningProfile = z.object({
  id: z.string(),
  name: z.string(),
  arn: z.string().optional(),
  accountId: z.string().optional(),
  region: z.string().optional(),
  profileVersion: z.string().optional(),
  profileVersionArn: z.string().optional(),
  platformId: z.string().optional(),
  status: z.enum(['Active', 'Canceled', 'Revoked', 'Unknown']),
  /** ISO time from which signatures are revoked. */
  revocationEffectiveFrom: Timestamp.optional(),
  signatureValidity: z.object({ value: z.number(), type: z.enum(['DAYS', 'MONTHS', 'YEARS']) }).optional(),
  /** Cross-account permissions (AddProfilePermission). */
  permissions: z
    .array(z.object({ statementId: z.string(), principal: z.string(), action: z.string() }))
    .optional(),
  tags: z.record(z.string(), z.string()).optional(),
  provenance: Provenance,
});
export type SigningProfile = z.infer<typeof SigningProfile>;

export const SigningJob = z.object({
  jobId: z.string(),
  jobArn: z.string(),
  accountId: z.string(),
  region: z.string(),
  profileName: z.string().optional(),
  profileVersion: z.string().optional(),
  status: z.string().optional(),
  isRevoked: z.boolean(),
  createdAt: Timestamp.optional(),
  signatureExpiresAt: Timestamp.optional(),
  requestedBy: z.string().optional(),
});
export type SigningJob = z.infer<typeof SigningJob>;

export const LayerVersion = z.object({
  id: z.string(),
  arn: z.string().optional(),
  layerName: z.string(),
  version: z.string().optional(),
  accountId: z.string().optional(),
  region: z.string().optional(),
  signingProfileVersionArn: z.string().optional(),
  signingJobArn: z.string().optional(),
  provenance: Provenance,
});
export type LayerVersion = z.infer<typeof LayerVersion>;

/** The parts of a snapshot a rule can require; coverage says which were collected where. */
export const SnapshotPart = z.enum(SNAPSHOT_PARTS);
export type SnapshotPart = z.infer<typeof SnapshotPart>;

export const Coverage = z.object({
  accountId: z.string(),
  region: z.string(),
  part: SnapshotPart,
  status: z.enum(['ok', 'failed', 'not-collected']),
});
export type Coverage = z.infer<typeof Coverage>;

export const CollectionError = z.object({
  service: z.string(),
  operation: z.string(),
  accountId: z.string(),
  region: z.string(),
  errorCode: z.string(),
  message: z.string(),
  /** The parts this failure leaves incomplete. */
  parts: z.array(SnapshotPart),
});
export type CollectionError = z.infer<typeof CollectionError>;

export const Snapshot = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  collectedAt: Timestamp,
  source: z.enum(['aws', 'iac']),
  /** AWS partition of the scanned accounts (`aws`, `aws-cn`, `aws-us-gov`), from the caller identity. */
  partition: z.string().optional(),
  accounts: z.array(z.object({ accountId: z.string(), name: z.string().optional() })),
  regions: z.array(z.string()),
  functions: z.array(LambdaFunction),
  codeSigningConfigs: z.array(CodeSigningConfig),
  signingProfiles: z.array(SigningProfile),
  signingJobs: z.array(SigningJob),
  layerVersions: z.array(LayerVersion),
  coverage: z.array(Coverage),
  collectionErrors: z.array(CollectionError),
  /** Live scans: CloudTrail, IAM and Organizations data for the governance rules (SGN-009..014). */
  governance: Governance.optional(),
  /** IaC only: files that could not be parsed. */
  parseErrors: z
    .array(
      z.object({
        file: z.string(),
        line: z.number().int().optional(),
        column: z.number().int().optional(),
        message: z.string(),
      }),
    )
    .optional(),
});
export type Snapshot = z.infer<typeof Snapshot>;
