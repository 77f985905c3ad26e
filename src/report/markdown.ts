// Markdown for pull-request comments and CI job summaries: summary tables and the findings to act on.
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

/**
 * Inline text that cannot break out of a table cell or become markup: HTML is entity-escaped (GitHub
 * renders some raw HTML), and the characters that start code spans, emphasis, links, strikethrough or
 * end a cell are backslash-escaped.
 */
export function escapeMarkdown(value: unknown): string {
  return safeText(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~!])/g, '\\$1');
}

export function renderMarkdown(input: ReportInput): string {
  const out: string[] = [];
  const total = countAll(input.findings);
  out.push('# Signet report', '');
  out.push(
    `${escapeMarkdown(scopeLine(input))} · Signet ${escapeMarkdown(input.tool.version)} · collected ${escapeMarkdown(input.collectedAt)}`,
    '',
  );
  out.push(`- ${escapeMarkdown(coverageLine(input))}`);
  if (input.source === 'aws') out.push(`- ${escapeMarkdown(signingProfilesLine(input))}`);
  out.push(
    `- Findings: ${total.total} — **${total.FAIL} failing**, ${total.ERROR} errors, ${total.UNKNOWN} unknown, ${total.NOT_APPLICABLE} not applicable, ${total.PASS} passing, ${total.muted} muted`,
    '',
  );

  out.push('## By rule', '');
  out.push(
    ...countTable(
      ['Rule', 'Title'],
      countByRule(input).map((row) => ({ cells: [row.key, row.label], counts: row.counts })),
    ),
    '',
  );
  for (const group of summaryGroups(input)) {
    out.push(`## By ${group.title}`, '');
    out.push(
      ...countTable(
        [group.title[0]?.toUpperCase() + group.title.slice(1)],
        group.rows.map((row: CountRow) => ({ cells: [row.label], counts: row.counts })),
      ),
      '',
    );
  }

  const worst = worstFindings(input.findings);
  out.push('## Findings', '');
  if (worst.length === 0) {
    out.push('No failing, errored or unknown findings.', '');
  } else {
    out.push('Failing, errored and unknown findings, worst first (PASS and N/A are counted above).', '');
    out.push(
      '| Severity | Status | Rule | Resource | Message | Muted |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const f of worst) {
      out.push(
        `| ${SEVERITY_LABEL[f.severity]} | ${STATUS_LABEL[f.status]} | ${escapeMarkdown(f.ruleId)} | ${escapeMarkdown(locationText(f))} | ${escapeMarkdown(f.message)} | ${f.muted ? escapeMarkdown(`${f.muted.source}: ${f.muted.reason}`) : ''} |`,
      );
    }
    out.push('');
  }

  if (input.collectionErrors.length > 0 || input.parseErrors.length > 0) {
    out.push('## Collection errors', '');
    out.push('| Where | Operation | Error | Message |', '| --- | --- | --- | --- |');
    for (const e of input.collectionErrors) {
      out.push(
        `| ${escapeMarkdown(`${e.accountId}/${e.region}`)} | ${escapeMarkdown(`${e.service}:${e.operation}`)} | ${escapeMarkdown(e.errorCode)} | ${escapeMarkdown(e.message)} |`,
      );
    }
    for (const e of input.parseErrors) {
      const where = `${e.file}${e.line !== undefined ? `:${e.line}` : ''}${e.column !== undefined ? `:${e.column}` : ''}`;
      out.push(`| ${escapeMarkdown(where)} | parse | ParseError | ${escapeMarkdown(e.message)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function countTable(heads: string[], rows: { cells: string[]; counts: CountRow['counts'] }[]): string[] {
  const all = [...heads, 'FAIL', 'ERROR', 'UNKNOWN', 'N/A', 'PASS', 'Muted'];
  const lines = [
    `| ${all.join(' | ')} |`,
    `| ${heads.map(() => '---').join(' | ')} | ${Array(6).fill('---:').join(' | ')} |`,
  ];
  for (const row of rows) {
    const c = row.counts;
    lines.push(
      `| ${row.cells.map(escapeMarkdown).join(' | ')} | ${[c.FAIL, c.ERROR, c.UNKNOWN, c.NOT_APPLICABLE, c.PASS, c.muted].join(' | ')} |`,
    );
  }
  return lines;
}
