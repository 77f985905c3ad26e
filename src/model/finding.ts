// Findings: what a rule concluded about one resource. Reporters, history and planners read these.
import { z } from 'zod';
import { Provenance } from './snapshot.js';

export const Severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);
export type Severity = z.infer<typeof Severity>;

export { SEVERITY_ORDER, severityRank } from './values.js';

export const Status = z.enum(['PASS', 'FAIL', 'NOT_APPLICABLE', 'UNKNOWN', 'ERROR']);
export type Status = z.infer<typeof Status>;

export const ResourceType = z.enum([
  'function',
  'function-version',
  'code-signing-config',
  'signing-profile',
  'layer-version',
  /** An account and region of a live scan (`global` for account-wide calls such as AssumeRole). */
  'account-region',
  /** An IAM user or role (governance rules SGN-011..013). */
  'iam-principal',
  /** An account (or account-region) as a whole (SGN-013 events, SGN-014). */
  'account',
]);
export type ResourceType = z.infer<typeof ResourceType>;

export const ResourceRef = z.object({
  type: ResourceType,
  /** Stable identity: the ARN when live, `file#logicalId` for IaC. */
  id: z.string(),
  name: z.string(),
  arn: z.string().optional(),
  accountId: z.string().optional(),
  region: z.string().optional(),
  provenance: Provenance,
});
export type ResourceRef = z.infer<typeof ResourceRef>;

export const Finding = z.object({
  /** Deterministic: hash of rule id + resource id, so history can follow a finding. */
  id: z.string(),
  ruleId: z.string(),
  slug: z.string(),
  title: z.string(),
  status: Status,
  severity: Severity,
  resource: ResourceRef,
  /** One sentence: what is wrong (or right) and, when wrong, what to do. */
  message: z.string(),
  remediation: z.string(),
  /** Set when an accepted exception mutes the finding; muted findings are kept, never dropped. */
  muted: z
    .object({ reason: z.string(), expires: z.string().optional(), source: z.enum(['config', 'inline']) })
    .optional(),
  /** Tags of the resource that decided scope/production. */
  production: z.boolean(),
  inScope: z.boolean(),
  /** Optional details for reports (e.g. the offending publisher ARN). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type Finding = z.infer<typeof Finding>;
