// `signet init`: write a commented starter signet.config.yaml (never overwrites without --force).
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';

export const STARTER_CONFIG = `# Signet configuration. Every section is optional; delete what you do not need.
version: 1

# Which Lambda functions must be protected by code signing. Without "include" every function is in
# scope. A selector matches when all of its criteria match; tags match case-insensitively and a list
# of values means "any of".
scope:
  # include:
  #   - tags: { data-classification: [confidential, restricted] }
  #   - accounts: ["123456789012"]
  exclude: []
  # exclude:
  #   - names: ["sandbox-*"]

# Functions that count as production get higher severities.
production:
  - tags: { env: [prod, production, prd] }
  - tags: { environment: [prod, production, prd] }

# Signing profiles trusted besides the scanned accounts' own active profiles, e.g. a central signing
# account or a vendor's published layer profile version.
trust:
  accounts: []
  signingProfiles: []
  # signingProfiles:
  #   - "arn:aws:signer:us-east-1:123456789012:/signing-profiles/ADOTLambdaLayerSigningProfile/*"

rules:
  # SGN-007 checks published versions behind aliases ("aliased") or every published version ("all").
  versions: aliased
  # SGN-008: longest acceptable signature validity.
  maxSignatureValidityDays: 1095

# Your CI/CD pipeline's principals, for the governance rules (SGN-009..013). Patterns are IAM role or
# user ARNs with * wildcards; an assumed-role session matches its role's ARN whatever the session name.
# Without this section those rules answer UNKNOWN ("configure pipeline").
# pipeline:
#   deployers: ["arn:aws:iam::*:role/ci-deploy-*"]    # may change Lambda code and layers (SGN-009, SGN-013)
#   signers:   ["arn:aws:iam::*:role/ci-sign-*"]      # may start signing jobs (SGN-010, SGN-012)
#   admins:    ["arn:aws:iam::*:role/platform-admin"] # may manage CSCs and signing profiles (SGN-012, SGN-013)

# CloudTrail window the governance rules look back over (LookupEvents keeps 90 days): 30d, 4w, 72h.
# "signet scan --no-cloudtrail" skips CloudTrail (2 requests/s per account-region) entirely.
lookback: 30d

# Override a rule's severity (critical, high, medium, low, info).
severity: {}
#  SGN-008: medium

# Accepted exceptions mute findings without hiding them. A reason is required; expired exceptions stop
# muting on their date.
exceptions: []
#  - rule: SGN-002
#    resource: "arn:aws:lambda:*:*:function:legacy-*"
#    reason: "Vendor deploys unsigned builds until Q1; tracked in SEC-123"
#    expires: 2027-03-31
`;

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('write a commented starter signet.config.yaml')
    .option('--file <path>', 'where to write it', 'signet.config.yaml')
    .option('--force', 'overwrite an existing file')
    .action((opts: { file: string; force?: boolean }) => {
      if (existsSync(opts.file) && !opts.force) {
        throw new UsageError(
          `${opts.file} already exists; pass --force to overwrite it or --file for another path`,
        );
      }
      writeFileAtomic(opts.file, STARTER_CONFIG);
      process.stdout.write(`wrote ${opts.file}\n`);
    });
}
