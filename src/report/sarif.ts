// SARIF 2.1.0 (OASIS): one run, the rules that ran, one result per finding, precise regions for IaC.
import type { Finding, Severity } from '../model/finding.js';
import type { ReportInput, RuleInfo } from '../model/report.js';
import { JsonArrayStream, jsonChunks } from './json-stream.js';
import { absoluteUrl, iacPosition, safeText } from './shared.js';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
/** Where relative artifact URIs are rooted: the directory the scan was run from. */
export const SARIF_SRCROOT = '%SRCROOT%';
/** partialFingerprints key; the `/v1` suffix lets the fingerprint's meaning change without collisions. */
export const SARIF_FINGERPRINT_KEY = 'signetFindingId/v1';

export interface SarifOptions {
  /**
   * `problems` leaves out PASS and NOT_APPLICABLE results: GitHub code scanning ignores `kind` and would
   * open an alert for every pass. Default `all`, as the spec intends.
   */
  results?: 'all' | 'problems';
  /** Absolute base URL the rules' relative docs links are resolved against. */
  docsBaseUrl?: string;
}

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';
export type SarifKind = 'fail' | 'pass' | 'notApplicable' | 'review';

export function sarifLevel(severity: Severity | string): Exclude<SarifLevel, 'none'> {
  if (severity === 'critical' || severity === 'high') return 'error';
  if (severity === 'medium') return 'warning';
  return 'note';
}

export function sarifKind(status: Finding['status']): SarifKind {
  switch (status) {
    case 'FAIL':
      return 'fail';
    case 'PASS':
      return 'pass';
    case 'NOT_APPLICABLE':
      return 'notApplicable';
    default:
      return 'review';
  }
}

// GitHub code scanning ranks security alerts by this (rule property, CVSS-like 0.0–10.0).
const SECURITY_SEVERITY: Record<string, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

export function renderSarif(input: ReportInput, options: SarifOptions = {}): string {
  return [...renderSarifChunks(input, options)].join('');
}

/** The same text in pieces: one result is built and printed at a time, never the whole results array. */
export function* renderSarifChunks(input: ReportInput, options: SarifOptions = {}): Generator<string> {
  yield* jsonChunks(
    sarifLog(input, options, (findings, toResult) => new JsonArrayStream(lazyMap(findings, toResult))),
  );
  yield '\n';
}

export function buildSarif(input: ReportInput, options: SarifOptions = {}): Record<string, unknown> {
  return sarifLog(input, options, (findings, toResult) => findings.map(toResult));
}

function* lazyMap<T, U>(items: Iterable<T>, fn: (item: T) => U): Generator<U> {
  for (const item of items) yield fn(item);
}

function* problemsOnly(findings: readonly Finding[]): Generator<Finding> {
  for (const f of findings) if (f.status !== 'PASS' && f.status !== 'NOT_APPLICABLE') yield f;
}

function sarifLog(
  input: ReportInput,
  options: SarifOptions,
  results: (findings: readonly Finding[], toResult: (finding: Finding) => Record<string, unknown>) => unknown,
): Record<string, unknown> {
  const docsBase = options.docsBaseUrl;
  const rules: RuleInfo[] = [...input.rules];
  const known = new Set(rules.map((r) => r.id));
  // A finding whose rule is missing from the table still needs a valid ruleIndex.
  for (const finding of input.findings) {
    if (!known.has(finding.ruleId)) {
      known.add(finding.ruleId);
      rules.push({
        id: finding.ruleId,
        slug: finding.slug,
        title: finding.title,
        severity: finding.severity,
        rationale: finding.title,
        remediation: finding.remediation,
        helpUri: `docs/rules/${finding.slug}.md`,
      });
    }
  }
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  const findings = options.results === 'problems' ? [...problemsOnly(input.findings)] : input.findings;

  const notifications = [
    ...input.collectionErrors.map((e) => ({
      level: 'warning',
      message: {
        text: safeText(
          `${e.service}:${e.operation} failed in ${e.accountId}/${e.region} (${e.errorCode}): ${e.message}${e.parts.length ? `; incomplete: ${e.parts.join(', ')}` : ''}`,
        ),
      },
      descriptor: { id: safeText(e.errorCode) || 'collection-error' },
      properties: {
        service: e.service,
        operation: e.operation,
        accountId: e.accountId,
        region: e.region,
        parts: e.parts,
      },
    })),
    ...input.parseErrors.map((e) => ({
      level: 'error',
      message: { text: safeText(`${e.file} could not be parsed: ${e.message}`) },
      descriptor: { id: 'parse-error' },
      locations: [{ physicalLocation: physicalLocation(e.file, e.line, e.column) }],
    })),
  ];

  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'signet',
            version: input.tool.version,
            semanticVersion: input.tool.version,
            ...(docsBase ? { informationUri: docsBase } : {}),
            rules: rules.map((rule) => reportingDescriptor(rule, docsBase)),
          },
        },
        invocations: [
          {
            // Collection and parse errors leave parts of the scan incomplete but do not stop it.
            executionSuccessful: true,
            ...(input.generatedAt ? { endTimeUtc: input.generatedAt } : {}),
            toolExecutionNotifications: notifications,
          },
        ],
        results: results(findings, (finding) => result(finding, ruleIndex.get(finding.ruleId) ?? 0)),
        properties: {
          source: input.source,
          collectedAt: input.collectedAt,
          coverage: input.coverage,
          ...(input.source === 'aws' ? { signingProfileCounts: input.signingProfileCounts } : {}),
        },
      },
    ],
  };
}

function reportingDescriptor(rule: RuleInfo, docsBase: string | undefined): Record<string, unknown> {
  const helpUri = absoluteUrl(rule.helpUri, docsBase);
  const securitySeverity = SECURITY_SEVERITY[rule.severity];
  return {
    id: rule.id,
    name: rule.slug,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale || rule.title },
    ...(helpUri ? { helpUri } : {}),
    help: {
      text: `${rule.remediation}${helpUri ? ` See ${helpUri}` : ''}`,
      markdown: `${rule.remediation}${helpUri ? `\n\n[${rule.id} documentation](${helpUri})` : ''}`,
    },
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      tags: ['security', 'aws', 'lambda', 'code-signing'],
      precision: 'high',
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
    },
  };
}

function result(finding: Finding, ruleIndex: number): Record<string, unknown> {
  const kind = sarifKind(finding.status);
  const provenance = finding.resource.provenance;
  let locations: Record<string, unknown>[];
  if (provenance.source === 'iac') {
    const at = iacPosition(finding)!;
    locations = [
      {
        physicalLocation: physicalLocation(at.file, at.line, at.column),
        logicalLocations: [
          { name: provenance.logicalId, fullyQualifiedName: provenance.logicalId, kind: 'resource' },
        ],
      },
    ];
  } else {
    locations = [
      {
        logicalLocations: [
          { name: finding.resource.name, fullyQualifiedName: provenance.arn, kind: 'resource' },
        ],
      },
    ];
  }
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    kind,
    // SARIF: a result whose kind is not "fail" carries level "none".
    level: kind === 'fail' ? sarifLevel(finding.severity) : 'none',
    message: { text: safeText(finding.message) },
    locations,
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: finding.id },
    ...(finding.muted
      ? {
          suppressions: [
            {
              kind: finding.muted.source === 'inline' ? 'inSource' : 'external',
              status: 'accepted',
              justification: finding.muted.reason,
              ...(finding.muted.expires ? { properties: { expires: finding.muted.expires } } : {}),
            },
          ],
        }
      : {}),
    properties: {
      status: finding.status,
      severity: finding.severity,
      resourceType: finding.resource.type,
      resourceId: finding.resource.id,
      production: finding.production,
      inScope: finding.inScope,
    },
  };
}

function physicalLocation(file: string, line?: number, column?: number): Record<string, unknown> {
  // SARIF lines and columns are 1-based; an adapter's 0 means "unknown", which is better left out.
  const region: Record<string, number> = {};
  if (line !== undefined && line >= 1) {
    region.startLine = line;
    if (column !== undefined && column >= 1) region.startColumn = column;
  }
  return {
    artifactLocation: artifactLocation(file),
    ...(Object.keys(region).length ? { region } : {}),
  };
}

/** A relative, forward-slash, percent-encoded URI under %SRCROOT%; absolute paths become file: URIs. */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const slashed = file.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:\//.exec(slashed);
  if (drive || slashed.startsWith('/')) {
    const path = drive ? `/${slashed}` : slashed;
    return { uri: `file://${encodePath(path, true)}` };
  }
  const relative = slashed.replace(/^(?:\.\/)+/, '');
  return { uri: encodePath(relative, false), uriBaseId: SARIF_SRCROOT };
}

function encodePath(path: string, keepDriveColon: boolean): string {
  return path
    .split('/')
    .map((segment, i) =>
      keepDriveColon && i === 1 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment),
    )
    .join('/');
}
