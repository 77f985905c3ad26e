// What reporters receive: findings plus the context a reader needs (what was scanned, what failed).
import type { Finding } from './finding.js';
import type { CollectionError, Snapshot } from './snapshot.js';

export interface RuleInfo {
  id: string;
  slug: string;
  title: string;
  severity: string;
  rationale: string;
  remediation: string;
  helpUri: string;
}

export interface ReportInput {
  tool: { name: 'signet'; version: string };
  generatedAt: string;
  source: Snapshot['source'];
  collectedAt: string;
  accounts: { accountId: string; name?: string }[];
  regions: string[];
  /** Every rule that ran, for SARIF's rule table and docs links. */
  rules: RuleInfo[];
  findings: Finding[];
  collectionErrors: CollectionError[];
  parseErrors: NonNullable<Snapshot['parseErrors']>;
  /** Signing profiles by status across the scanned accounts (live scans). */
  signingProfileCounts: { active: number; canceled: number; revoked: number };
  /** Functions that count for coverage: in-scope Zip functions, and how many are enforced. */
  coverage: {
    inScopeFunctions: number;
    enforced: number;
    warn: number;
    noCsc: number;
    /** In-scope Zip functions whose CSC or policy could not be determined (UNKNOWN/ERROR). */
    unknown?: number;
    notApplicable: number;
    /** Account-regions (or accounts) that could not be read completely (live scans). */
    unreadableAccountRegions?: number;
  };
}
