// CSV: one row per finding (RFC 4180), safe to open in a spreadsheet.
import type { Finding } from '../model/finding.js';
import type { ReportInput } from '../model/report.js';

const COLUMNS: { head: string; value: (f: Finding) => unknown }[] = [
  { head: 'finding_id', value: (f) => f.id },
  { head: 'rule_id', value: (f) => f.ruleId },
  { head: 'rule', value: (f) => f.slug },
  { head: 'status', value: (f) => f.status },
  { head: 'severity', value: (f) => f.severity },
  { head: 'muted', value: (f) => (f.muted ? 'yes' : 'no') },
  { head: 'muted_reason', value: (f) => f.muted?.reason },
  { head: 'muted_source', value: (f) => f.muted?.source },
  { head: 'muted_expires', value: (f) => f.muted?.expires },
  { head: 'resource_type', value: (f) => f.resource.type },
  { head: 'resource_name', value: (f) => f.resource.name },
  { head: 'resource_id', value: (f) => f.resource.id },
  {
    head: 'arn',
    value: (f) => f.resource.arn ?? (f.resource.provenance.source === 'aws' ? f.resource.provenance.arn : ''),
  },
  {
    head: 'account_id',
    value: (f) =>
      f.resource.accountId ?? (f.resource.provenance.source === 'aws' ? f.resource.provenance.accountId : ''),
  },
  {
    head: 'region',
    value: (f) =>
      f.resource.region ?? (f.resource.provenance.source === 'aws' ? f.resource.provenance.region : ''),
  },
  { head: 'file', value: (f) => (f.resource.provenance.source === 'iac' ? f.resource.provenance.file : '') },
  { head: 'line', value: (f) => (f.resource.provenance.source === 'iac' ? f.resource.provenance.line : '') },
  {
    head: 'column',
    value: (f) => (f.resource.provenance.source === 'iac' ? f.resource.provenance.column : ''),
  },
  {
    head: 'logical_id',
    value: (f) => (f.resource.provenance.source === 'iac' ? f.resource.provenance.logicalId : ''),
  },
  { head: 'production', value: (f) => f.production },
  { head: 'in_scope', value: (f) => f.inScope },
  { head: 'title', value: (f) => f.title },
  { head: 'message', value: (f) => f.message },
  { head: 'remediation', value: (f) => f.remediation },
];

export const CSV_COLUMNS: readonly string[] = COLUMNS.map((c) => c.head);

export function renderCsv(input: ReportInput): string {
  return [...renderCsvChunks(input)].join('');
}

/** The same text one record at a time. RFC 4180: CRLF after every record, the last one included. */
export function* renderCsvChunks(input: ReportInput): Generator<string> {
  yield `${CSV_COLUMNS.map(csvCell).join(',')}\r\n`;
  for (const f of input.findings) yield `${COLUMNS.map((c) => csvCell(c.value(f))).join(',')}\r\n`;
}

// Spreadsheets evaluate a cell that starts with one of these as a formula (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised against formula injection, then quoted when RFC 4180 requires it. */
export function csvCell(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value);
  // Leading spaces or line feeds do not stop some spreadsheets from evaluating what follows.
  if (FORMULA_START.test(text) || FORMULA_START.test(text.replace(/^[ \n]+/, ''))) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
