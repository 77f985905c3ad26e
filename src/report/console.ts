// The terminal report: summary tables, coverage, signing profiles, collection errors, worst findings.
import type { Finding, Severity, Status } from '../model/finding.js';
import type { ReportInput } from '../model/report.js';
import {
  type CountRow,
  countAll,
  countByRule,
  coverageLine,
  locationText,
  SEVERITY_LABEL,
  STATUS_LABEL,
  safeText,
  scopeLine,
  signingProfilesLine,
  summaryGroups,
  worstFindings,
} from './shared.js';

export interface ConsoleOptions {
  /** ANSI colour; the CLI turns it on only when stdout is a TTY (and NO_COLOR is unset). */
  color?: boolean;
  /** How many of the worst findings to list (default 20). */
  maxFindings?: number;
}

export const DEFAULT_MAX_FINDINGS = 20;

type Style = 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'cyan' | 'magenta' | 'gray';

const SGR: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
};

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: 'magenta',
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'gray',
};

const STATUS_STYLE: Record<Status, Style> = {
  FAIL: 'red',
  ERROR: 'magenta',
  UNKNOWN: 'yellow',
  NOT_APPLICABLE: 'gray',
  PASS: 'green',
};

export function renderConsole(input: ReportInput, options: ConsoleOptions = {}): string {
  // Every value is passed through safeText before styling, so the only escape sequences in the output
  // are the ones added here, and only when colour was asked for.
  const paint = (style: Style, text: string): string =>
    options.color ? `\u001b[${SGR[style][0]}m${text}\u001b[${SGR[style][1]}m` : text;
  const maxFindings = Math.max(0, options.maxFindings ?? DEFAULT_MAX_FINDINGS);
  const lines: string[] = [];

  lines.push(
    paint('bold', `Signet ${safeText(input.tool.version)}`) +
      ` — ${scopeLine(input)} · collected ${safeText(input.collectedAt)}`,
  );
  lines.push('');
  lines.push(safeText(coverageLine(input)));
  if (input.source === 'aws') lines.push(signingProfilesLine(input));

  const total = countAll(input.findings);
  lines.push(
    `Findings: ${total.total} — ${paint('red', `${total.FAIL} failing`)}, ${total.ERROR} errors, ${total.UNKNOWN} unknown, ${total.NOT_APPLICABLE} not applicable, ${total.PASS} passing, ${total.muted} muted`,
  );

  const byRule = countByRule(input).map((row) => ({
    ...row,
    label: `${row.key}  ${row.label}`,
  }));
  lines.push('', ...countTable('rule', byRule, paint));
  for (const group of summaryGroups(input)) {
    lines.push('', ...countTable(group.title, group.rows, paint));
  }

  const problems = [
    ...input.collectionErrors.map(
      (e) =>
        `${safeText(e.service)}:${safeText(e.operation)} ${safeText(e.accountId)} ${safeText(e.region)} ${safeText(e.errorCode)}: ${safeText(e.message)}${e.parts.length ? ` (incomplete: ${e.parts.map(safeText).join(', ')})` : ''}`,
    ),
    ...input.parseErrors.map(
      (e) =>
        `${safeText(e.file)}${e.line !== undefined ? `:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : ''} could not be parsed: ${safeText(e.message)}`,
    ),
  ];
  if (problems.length > 0) {
    lines.push('', paint('bold', paint('yellow', `Collection errors (${problems.length})`)));
    for (const problem of problems) lines.push(`  ${problem}`);
  }

  const worst = worstFindings(input.findings);
  lines.push('');
  if (worst.length === 0) {
    lines.push(paint('green', 'No failing, errored or unknown findings.'));
  } else {
    const shown = worst.slice(0, maxFindings);
    lines.push(
      paint(
        'bold',
        shown.length < worst.length
          ? `Worst findings (${shown.length} of ${worst.length})`
          : `Worst findings (${worst.length})`,
      ),
    );
    const sevWidth = Math.max(...shown.map((f) => SEVERITY_LABEL[f.severity].length), 0);
    const statusWidth = Math.max(...shown.map((f) => statusText(f).length), 0);
    for (const finding of shown) {
      const severity = paint(
        SEVERITY_STYLE[finding.severity],
        SEVERITY_LABEL[finding.severity].padEnd(sevWidth),
      );
      const status = paint(
        finding.muted ? 'gray' : STATUS_STYLE[finding.status],
        statusText(finding).padEnd(statusWidth),
      );
      lines.push(`  ${severity}  ${status}  ${safeText(finding.ruleId)}  ${safeText(locationText(finding))}`);
      lines.push(
        `      ${safeText(finding.message)}${finding.muted ? paint('dim', ` [muted: ${safeText(finding.muted.reason)}]`) : ''}`,
      );
    }
    if (shown.length < worst.length) {
      lines.push(
        paint(
          'dim',
          `  … ${worst.length - shown.length} more; use --format json, csv or html for all findings.`,
        ),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function statusText(finding: Finding): string {
  return finding.muted ? `${STATUS_LABEL[finding.status]} (muted)` : STATUS_LABEL[finding.status];
}

const COUNT_COLUMNS: {
  key: 'FAIL' | 'ERROR' | 'UNKNOWN' | 'NOT_APPLICABLE' | 'PASS' | 'muted';
  head: string;
}[] = [
  { key: 'FAIL', head: 'FAIL' },
  { key: 'ERROR', head: 'ERROR' },
  { key: 'UNKNOWN', head: 'UNKNOWN' },
  { key: 'NOT_APPLICABLE', head: 'N/A' },
  { key: 'PASS', head: 'PASS' },
  { key: 'muted', head: 'MUTED' },
];

function countTable(
  title: string,
  rows: CountRow[],
  paint: (style: Style, text: string) => string,
): string[] {
  const labels = rows.map((row) => truncate(safeText(row.label), MAX_LABEL));
  const firstHead = `By ${title}`;
  const labelWidth = Math.max(firstHead.length, ...labels.map((l) => l.length));
  const widths = COUNT_COLUMNS.map((c) =>
    Math.max(c.head.length, ...rows.map((r) => String(r.counts[c.key]).length)),
  );
  const out = [
    paint(
      'bold',
      `${firstHead.padEnd(labelWidth)}  ${COUNT_COLUMNS.map((c, i) => c.head.padStart(widths[i] ?? 0)).join('  ')}`,
    ),
  ];
  if (rows.length === 0) out.push(paint('dim', '  (no findings)'));
  rows.forEach((row, r) => {
    const cells = COUNT_COLUMNS.map((c, i) => {
      const text = String(row.counts[c.key]).padStart(widths[i] ?? 0);
      return c.key === 'FAIL' && row.counts.FAIL > 0 ? paint('red', text) : text;
    });
    out.push(`${(labels[r] ?? '').padEnd(labelWidth)}  ${cells.join('  ')}`);
  });
  return out;
}

// Rule titles are full sentences; the table stays readable in an 120-column terminal.
const MAX_LABEL = 64;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
