// JUnit XML for CI test views: a testsuite per rule, a testcase per resource.
import type { Finding } from '../model/finding.js';
import type { ReportInput } from '../model/report.js';
import { compareText, escapeXml, iacPosition, locationText } from './shared.js';

interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

type Outcome = 'pass' | 'failure' | 'error' | 'skipped';

/**
 * Muted findings are skipped with their reason: CI treats failures as a broken build, and an accepted
 * exception must not break it.
 */
export function junitOutcome(finding: Finding): Outcome {
  if (finding.status === 'PASS') return 'pass';
  if (finding.muted) return 'skipped';
  if (finding.status === 'FAIL') return 'failure';
  if (finding.status === 'ERROR') return 'error';
  return 'skipped';
}

export function renderJunit(input: ReportInput): string {
  return [...renderJunitChunks(input)].join('');
}

/**
 * The same text one test case at a time. The totals on <testsuites> come first in the file, so a first
 * pass counts outcomes and the second prints each suite's cases.
 */
export function* renderJunitChunks(input: ReportInput): Generator<string> {
  const suites = new Map<string, { name: string; findings: Finding[] }>();
  for (const rule of input.rules) suites.set(rule.id, { name: `${rule.id} ${rule.slug}`, findings: [] });
  for (const finding of input.findings) {
    let suite = suites.get(finding.ruleId);
    if (!suite) {
      suite = { name: `${finding.ruleId} ${finding.slug}`, findings: [] };
      suites.set(finding.ruleId, suite);
    }
    suite.findings.push(finding);
  }

  const total: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const counted = [...suites].map(([ruleId, suite]) => {
    const counts: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const finding of suite.findings) addOutcome(counts, junitOutcome(finding));
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.errors += counts.errors;
    total.skipped += counts.skipped;
    return { ruleId, suite, counts };
  });
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="signet" ${countAttributes(total)}>\n`;
  for (const { ruleId, suite, counts } of counted) {
    yield `  <testsuite name="${escapeXml(suite.name)}" ${countAttributes(counts)} timestamp="${escapeXml(input.generatedAt)}">\n`;
    suite.findings.sort((a, b) => compareText(a.resource.id, b.resource.id));
    for (const finding of suite.findings) yield `${testcase(ruleId, finding, junitOutcome(finding))}\n`;
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}

function addOutcome(counts: SuiteCounts, outcome: Outcome): void {
  counts.tests += 1;
  if (outcome === 'failure') counts.failures += 1;
  else if (outcome === 'error') counts.errors += 1;
  else if (outcome === 'skipped') counts.skipped += 1;
}

function countAttributes(c: SuiteCounts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;
}

function testcase(ruleId: string, finding: Finding, outcome: Outcome): string {
  const p = finding.resource.provenance;
  const where =
    p.source === 'iac'
      ? ` file="${escapeXml(iacPosition(finding)!.file)}" line="${iacPosition(finding)!.line}"`
      : '';
  const open = `    <testcase classname="${escapeXml(`${ruleId}.${finding.slug}`)}" name="${escapeXml(locationText(finding))}"${where}`;
  const detail = `${finding.message}\nResource: ${locationText(finding)}\nSeverity: ${finding.severity}\nRemediation: ${finding.remediation}`;
  switch (outcome) {
    case 'pass':
      return `${open}/>`;
    case 'failure':
      return `${open}>\n      <failure message="${escapeXml(finding.message)}" type="${escapeXml(finding.severity)}">${escapeXmlBlock(detail)}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error message="${escapeXml(finding.message)}" type="ERROR">${escapeXmlBlock(detail)}</error>\n    </testcase>`;
    case 'skipped': {
      const message = finding.muted
        ? `muted (${finding.muted.source}): ${finding.muted.reason}`
        : `${finding.status}: ${finding.message}`;
      return `${open}>\n      <skipped message="${escapeXml(message)}"/>\n    </testcase>`;
    }
  }
}

/** Element text keeps its line breaks (escapeXml flattens them for attributes). */
function escapeXmlBlock(text: string): string {
  return text.split('\n').map(escapeXml).join('\n');
}
