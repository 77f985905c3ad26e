// The model's plain values: what the engine, rules, IaC builder and reporters use at run time, without
// zod. The schemas (snapshot.ts, finding.ts, governance.ts) validate files read from disk and re-export
// these; importing them from here keeps zod off `signet iac`'s start-up.
import type { Severity } from './finding.js';
import type { PublisherRef, Snapshot } from './snapshot.js';

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** The parts of a snapshot a rule can require; coverage says which were collected where. */
export const SNAPSHOT_PARTS = [
  'functions',
  'versions',
  'codeSigningConfigs',
  'cscAttachments',
  'tags',
  'layers',
  'signingProfiles',
  'signingJobs',
  /** CloudTrail events in the lookback window (per account-region). */
  'cloudtrail',
  /** IAM authorization details (per account, region `global`). */
  'iam',
  /** The organisation's SCPs and where they attach (per account, region `global`). */
  'organizationPolicies',
] as const;

/** Coverage of IAM and Organizations data is per account, recorded under this region. */
export const GLOBAL_REGION = 'global';

export const SEVERITY_ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export function severityRank(severity: Severity): number {
  return SEVERITY_ORDER.indexOf(severity);
}

export const publisherArn = (arn: string): PublisherRef => ({ kind: 'arn', arn });
export const publisherProfile = (profileId: string): PublisherRef => ({ kind: 'profile', profileId });
export const publisherProfileArnNotVersion = (what: string): PublisherRef => ({
  kind: 'profile-arn-not-version',
  what,
});
export const publisherUnresolved = (reason: string): PublisherRef => ({ kind: 'unresolved', reason });

export function emptySnapshot(source: Snapshot['source'], collectedAt = new Date().toISOString()): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt,
    source,
    accounts: [],
    regions: [],
    functions: [],
    codeSigningConfigs: [],
    signingProfiles: [],
    signingJobs: [],
    layerVersions: [],
    coverage: [],
    collectionErrors: [],
  };
}
