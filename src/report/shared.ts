// What several reporters share: neutralising untrusted text, ordering findings, counting them by rule,
// account, region or file, per-account coverage, and turning relative docs links into absolute URLs.
import type { Finding, Severity, Status } from '../model/finding.js';
import type { ReportInput, RuleInfo } from '../model/report.js';
import { severityRank } from '../model/values.js';

// Rule docs ship in the repository as `docs/rules/<slug>.md`. Reports link to them only when the
// caller says where the repository's docs are served (`--docs-url`): Signet never invents a URL.

// ESC-introduced sequences (CSI, OSC, DCS/SOS/PM/APC strings, two-byte escapes) and their 8-bit C1 forms.
// Strings end at BEL or ST; an unterminated one is dropped to the end so it cannot swallow our own output.
const ESCAPE_SEQUENCES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;
// C0/C1 controls, DEL, and Unicode bidi/format controls that can reorder or hide what a terminal shows.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * One line of plain text from an untrusted value (resource names, tags, messages from AWS or files):
 * escape sequences removed, whitespace controls turned into spaces, other controls dropped.
 */
export function safeText(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  // Most values (ids, ARNs, names) hold none of the characters below: skip the replacements for them.
  if (!NEEDS_SAFE_TEXT.test(text)) return text;
  return text
    .replace(ESCAPE_SEQUENCES, '')
    .replace(/[\t\n\r\v\f\u2028\u2029]+/g, ' ')
    .replace(CONTROL_CHARACTERS, '');
}

// Every character safeText changes is a control character (escape sequences start with one); escapeXml
// also changes surrogates, U+FFFE/U+FFFF and markup. Values holding none are returned as they are.
const NEEDS_SAFE_TEXT = new RegExp(CONTROL_CHARACTERS.source);
const NEEDS_XML_ESCAPE = new RegExp(
  `${CONTROL_CHARACTERS.source.slice(0, -1)}\\uD800-\\uDFFF\\uFFFE\\uFFFF&<>"']`,
);

/** Text for HTML and XML bodies and attribute values (always quoted with `"`). */
export function escapeXml(value: unknown): string {
  if (typeof value === 'string' && !NEEDS_XML_ESCAPE.test(value)) return value;
  return (
    safeText(value)
      // Lone surrogates and U+FFFE/U+FFFF are not XML characters; a parser would reject the whole file.
      .replace(/[\uD800-\uDFFF\uFFFE\uFFFF]/gu, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;')
  );
}

export const STATUS_ORDER: readonly Status[] = ['FAIL', 'ERROR', 'UNKNOWN', 'NOT_APPLICABLE', 'PASS'];

/** FAIL, ERROR and UNKNOWN need someone's attention; PASS and NOT_APPLICABLE do not. */
export function needsAttention(finding: Finding): boolean {
  return finding.status === 'FAIL' || finding.status === 'ERROR' || finding.status === 'UNKNOWN';
}

/** Worst first: unmuted before muted, then severity, then status, then rule and resource for stability. */
export function compareWorstFirst(a: Finding, b: Finding): number {
  return (
    Number(Boolean(a.muted)) - Number(Boolean(b.muted)) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.resource.id, b.resource.id) ||
    compareText(a.id, b.id)
  );
}

export function worstFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter(needsAttention).sort(compareWorstFirst);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Counts per group. A muted finding counts as muted only, so FAIL means "failing and not accepted" and
 * the columns add up to the total.
 */
export interface StatusCounts {
  FAIL: number;
  ERROR: number;
  UNKNOWN: number;
  NOT_APPLICABLE: number;
  PASS: number;
  muted: number;
  total: number;
}

export function emptyCounts(): StatusCounts {
  return { FAIL: 0, ERROR: 0, UNKNOWN: 0, NOT_APPLICABLE: 0, PASS: 0, muted: 0, total: 0 };
}

export function addToCounts(counts: StatusCounts, finding: Finding): void {
  if (finding.muted) counts.muted += 1;
  else counts[finding.status] += 1;
  counts.total += 1;
}

export function countAll(findings: readonly Finding[]): StatusCounts {
  const counts = emptyCounts();
  for (const finding of findings) addToCounts(counts, finding);
  return counts;
}

export interface CountRow {
  key: string;
  label: string;
  counts: StatusCounts;
}

export function countBy(findings: readonly Finding[], keyOf: (f: Finding) => string): CountRow[] {
  const rows = new Map<string, CountRow>();
  for (const finding of findings) {
    const key = keyOf(finding);
    let row = rows.get(key);
    if (!row) {
      row = { key, label: key, counts: emptyCounts() };
      rows.set(key, row);
    }
    addToCounts(row.counts, finding);
  }
  return [...rows.values()].sort((a, b) => compareText(a.key, b.key));
}

/** By rule, in rule-table order, including rules that ran and produced nothing. */
export function countByRule(input: ReportInput): (CountRow & { rule?: RuleInfo })[] {
  const rows = new Map<string, CountRow & { rule?: RuleInfo }>();
  for (const rule of input.rules)
    rows.set(rule.id, { key: rule.id, label: rule.title, counts: emptyCounts(), rule });
  for (const finding of input.findings) {
    let row = rows.get(finding.ruleId);
    if (!row) {
      row = { key: finding.ruleId, label: finding.title, counts: emptyCounts() };
      rows.set(finding.ruleId, row);
    }
    addToCounts(row.counts, finding);
  }
  return [...rows.values()];
}

export const NO_ACCOUNT = '(no account)';
export const NO_REGION = '(no region)';

export function accountOf(finding: Finding): string {
  const p = finding.resource.provenance;
  return finding.resource.accountId ?? (p.source === 'aws' ? p.accountId : NO_ACCOUNT);
}

export function regionOf(finding: Finding): string {
  const p = finding.resource.provenance;
  return finding.resource.region ?? (p.source === 'aws' ? p.region : NO_REGION);
}

export function fileOf(finding: Finding): string {
  const p = finding.resource.provenance;
  return p.source === 'iac' ? p.file : NO_ACCOUNT;
}

export function accountLabel(input: ReportInput, accountId: string): string {
  const name = input.accounts.find((a) => a.accountId === accountId)?.name;
  return name ? `${accountId} (${name})` : accountId;
}

/**
 * The groupings a summary shows: accounts and regions for live scans; for templates, which have
 * neither, files.
 */
export function summaryGroups(input: ReportInput): { title: string; rows: CountRow[] }[] {
  if (input.source === 'iac') return [{ title: 'file', rows: countBy(input.findings, fileOf) }];
  const accounts = countBy(input.findings, accountOf).map((row) => ({
    ...row,
    label: accountLabel(input, row.key),
  }));
  return [
    { title: 'account', rows: accounts },
    { title: 'region', rows: countBy(input.findings, regionOf) },
  ];
}

/**
 * Per-group coverage, derived from the two rules that decide it (the report input only carries the
 * totals): SGN-001 says whether a function has a CSC, SGN-002 whether that CSC enforces.
 */
export const COVERAGE_RULES = { hasCsc: 'SGN-001', enforces: 'SGN-002' } as const;

export interface CoverageCounts {
  enforced: number;
  warn: number;
  noCsc: number;
  unknown: number;
  total: number;
}

export function coverageBy(
  findings: readonly Finding[],
  keyOf: (f: Finding) => string,
): Map<string, CoverageCounts> {
  const byFunction = new Map<string, { key: string; hasCsc?: Status; enforces?: Status }>();
  for (const finding of findings) {
    if (finding.resource.type !== 'function' || !finding.inScope) continue;
    const which =
      finding.ruleId === COVERAGE_RULES.hasCsc
        ? 'hasCsc'
        : finding.ruleId === COVERAGE_RULES.enforces
          ? 'enforces'
          : undefined;
    if (!which) continue;
    const entry = byFunction.get(finding.resource.id) ?? { key: keyOf(finding) };
    entry[which] = finding.status;
    byFunction.set(finding.resource.id, entry);
  }
  const out = new Map<string, CoverageCounts>();
  for (const entry of byFunction.values()) {
    // Image functions cannot be signed; they are outside coverage, as in the report's totals.
    if (entry.hasCsc === 'NOT_APPLICABLE') continue;
    const counts = out.get(entry.key) ?? { enforced: 0, warn: 0, noCsc: 0, unknown: 0, total: 0 };
    if (entry.hasCsc === 'FAIL') counts.noCsc += 1;
    else if (entry.enforces === 'PASS') counts.enforced += 1;
    else if (entry.enforces === 'FAIL') counts.warn += 1;
    else counts.unknown += 1;
    counts.total += 1;
    out.set(entry.key, counts);
  }
  return new Map([...out.entries()].sort((a, b) => compareText(a[0], b[0])));
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((part / whole) * 100).toFixed(1)}%`;
}

export function coverageLine(input: ReportInput): string {
  const c = input.coverage;
  const unreadable = c.unreadableAccountRegions ?? 0;
  const unreadableText = `${unreadable} account-region${unreadable === 1 ? '' : 's'} could not be read completely`;
  if (c.inScopeFunctions === 0) {
    if (unreadable > 0) return `Coverage: unknown — ${unreadableText}`;
    return `Coverage: no in-scope Zip functions${c.notApplicable ? ` (${c.notApplicable} container-image functions not applicable)` : ''}`;
  }
  const unknown = c.unknown ?? Math.max(0, c.inScopeFunctions - c.enforced - c.warn - c.noCsc);
  const parts = [
    `${c.enforced} of ${c.inScopeFunctions} in-scope functions enforced (${percent(c.enforced, c.inScopeFunctions)})`,
    `${c.warn} warn only`,
    `${c.noCsc} without a CSC`,
  ];
  if (unknown) parts.push(`${unknown} undetermined`);
  if (c.notApplicable) parts.push(`${c.notApplicable} container-image functions not applicable`);
  if (unreadable > 0) parts.push(unreadableText);
  return `Coverage: ${parts.join(' · ')}`;
}

export function signingProfilesLine(input: ReportInput): string {
  const p = input.signingProfileCounts;
  return `Signing profiles: ${p.active} active · ${p.canceled} cancelled · ${p.revoked} revoked`;
}

/** Where a finding points, for humans: the ARN when live, `file:line:column (logicalId)` for IaC. */
export function locationText(finding: Finding): string {
  const p = finding.resource.provenance;
  if (p.source === 'aws') return p.arn;
  const at = iacPosition(finding)!;
  return `${at.file}:${at.line}:${at.column} (${p.logicalId})`;
}

/** The offending property's position when the rule named one the adapter located. */
export function propertyPosition(finding: Finding): { line: number; column: number } | undefined {
  const p = finding.resource.provenance;
  const property = finding.details?.property;
  if (p.source !== 'iac' || typeof property !== 'string') return undefined;
  return p.properties?.[property];
}

/**
 * Where an IaC finding should be annotated: a rule may point at the line to change in another resource
 * (`details.location`, e.g. SGN-002's CSC policy), else the offending property, else the resource.
 */
export function iacPosition(finding: Finding): { file: string; line: number; column: number } | undefined {
  const p = finding.resource.provenance;
  if (p.source !== 'iac') return undefined;
  const at = finding.details?.location as { file?: unknown; line?: unknown; column?: unknown } | undefined;
  if (at && typeof at.file === 'string' && typeof at.line === 'number' && typeof at.column === 'number') {
    return { file: at.file, line: at.line, column: at.column };
  }
  const position = propertyPosition(finding) ?? { line: p.line, column: p.column };
  return { file: p.file, ...position };
}

/** An absolute http(s) URL for a rule's docs, or undefined when none can be made safely. */
export function absoluteUrl(uri: string | undefined, base: string | undefined): string | undefined {
  if (!uri) return undefined;
  if (!base && !/^https?:\/\//.test(uri)) return undefined;
  try {
    const url = new URL(uri, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFO',
};

export const STATUS_LABEL: Record<Status, string> = {
  FAIL: 'FAIL',
  ERROR: 'ERROR',
  UNKNOWN: 'UNKNOWN',
  NOT_APPLICABLE: 'N/A',
  PASS: 'PASS',
};

export function scopeLine(input: ReportInput): string {
  if (input.source === 'iac') {
    const files = new Set(input.findings.map(fileOf));
    return `IaC scan of ${files.size} file${files.size === 1 ? '' : 's'}`;
  }
  return `Live scan of ${input.accounts.length} account${input.accounts.length === 1 ? '' : 's'}, ${input.regions.length} region${input.regions.length === 1 ? '' : 's'}`;
}
