// AWS Security Finding Format for Security Hub BatchImportFindings (the CLI batches by 100 per call).
import type { Finding, Severity, Status } from '../model/finding.js';
import type { ReportInput } from '../model/report.js';
import { absoluteUrl, safeText } from './shared.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
export const ASFF_TYPES = ['Software and Configuration Checks/AWS Security Best Practices'];

export interface AsffOptions {
  /** Absolute base URL the rules' relative docs links are resolved against. */
  docsBaseUrl?: string;
}

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

const COMPLIANCE_STATUS: Record<Status, string> = {
  PASS: 'PASSED',
  FAIL: 'FAILED',
  UNKNOWN: 'NOT_AVAILABLE',
  NOT_APPLICABLE: 'NOT_AVAILABLE',
  ERROR: 'WARNING',
};

// Security Hub rejects a finding whose fields exceed these lengths.
const MAX_TITLE = 256;
const MAX_DESCRIPTION = 1024;
const MAX_RECOMMENDATION = 512;

interface LiveTarget {
  arn: string;
  accountId: string;
  region: string;
}

/** Security Hub findings need an account and a region; template findings have neither. */
function liveTarget(finding: Finding): LiveTarget | undefined {
  const p = finding.resource.provenance;
  if (p.source !== 'aws') return undefined;
  const accountId = finding.resource.accountId ?? p.accountId;
  const region = finding.resource.region ?? p.region;
  const arn = finding.resource.arn ?? p.arn;
  if (!accountId || !region || !arn) return undefined;
  return { arn, accountId, region };
}

/** How many findings the ASFF output leaves out (IaC findings), so the CLI can say so on stderr. */
export function asffSkippedCount(input: ReportInput): number {
  return input.findings.filter((f) => !liveTarget(f)).length;
}

export function renderAsff(input: ReportInput, options: AsffOptions = {}): string {
  return `${JSON.stringify(buildAsff(input, options), null, 2)}\n`;
}

export function buildAsff(input: ReportInput, options: AsffOptions = {}): Record<string, unknown>[] {
  const docsBase = options.docsBaseUrl;
  const helpUrls = new Map(input.rules.map((r) => [r.id, absoluteUrl(r.helpUri, docsBase)]));
  const out: Record<string, unknown>[] = [];
  for (const finding of input.findings) {
    const target = liveTarget(finding);
    if (!target) continue;
    const partition = target.arn.split(':')[1] || 'aws';
    const severity = { Label: SEVERITY_LABEL[finding.severity], Original: finding.severity };
    const url = helpUrls.get(finding.ruleId) ?? absoluteUrl(`docs/rules/${finding.slug}.md`, docsBase);
    out.push({
      SchemaVersion: ASFF_SCHEMA_VERSION,
      Id: finding.id,
      ProductArn: `arn:${partition}:securityhub:${target.region}:${target.accountId}:product/${target.accountId}/default`,
      GeneratorId: finding.ruleId,
      AwsAccountId: target.accountId,
      Types: ASFF_TYPES,
      // The scan observed the state at collectedAt; UpdatedAt moves forward each run so Security Hub
      // accepts the re-import as an update of the same finding Id.
      CreatedAt: input.collectedAt,
      UpdatedAt: input.generatedAt,
      Severity: severity,
      FindingProviderFields: { Severity: severity, Types: ASFF_TYPES },
      Title: clip(`${finding.ruleId} ${finding.title}`, MAX_TITLE),
      Description: clip(finding.message, MAX_DESCRIPTION),
      Remediation: {
        Recommendation: { Text: clip(finding.remediation, MAX_RECOMMENDATION), ...(url ? { Url: url } : {}) },
      },
      ProductFields: {
        'signet/RuleId': finding.ruleId,
        'signet/RuleSlug': finding.slug,
        'signet/Status': finding.status,
        'signet/Production': String(finding.production),
        'signet/InScope': String(finding.inScope),
        ...(finding.muted ? { 'signet/MutedReason': clip(finding.muted.reason, MAX_DESCRIPTION) } : {}),
      },
      Resources: [
        {
          Type:
            finding.resource.type === 'function' || finding.resource.type === 'function-version'
              ? 'AwsLambdaFunction'
              : 'Other',
          Id: target.arn,
          Partition: partition,
          Region: target.region,
        },
      ],
      Compliance: { Status: COMPLIANCE_STATUS[finding.status] },
      Workflow: { Status: finding.muted ? 'SUPPRESSED' : 'NEW' },
      RecordState: 'ACTIVE',
    });
  }
  return out;
}

function clip(text: string, max: number): string {
  const clean = safeText(text);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
