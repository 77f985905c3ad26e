// Renders a KpiReport as console text, JSON, CSV (one row per period and scope) or Markdown.
import { SEVERITY_ORDER } from '../model/finding.js';
import { csvCell } from '../report/csv.js';
import { escapeMarkdown } from '../report/markdown.js';
import { safeText } from '../report/shared.js';
import type { KpiReport, KpiTrend, PeriodKpis } from './kpi.js';

export const KPI_FORMATS = ['console', 'json', 'csv', 'markdown'] as const;
export type KpiFormat = (typeof KPI_FORMATS)[number];

function pct(value: number | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : `${value}%`;
}

function num(value: number | null | undefined, unit = ''): string {
  return value === null || value === undefined ? 'n/a' : `${value}${unit}`;
}

function signed(value: number | null, unit = ''): string {
  if (value === null) return 'n/a';
  return `${value > 0 ? '+' : ''}${value}${unit}`;
}

function enforcementText(p: PeriodKpis, which: 'production' | 'inScope'): string {
  const e = p.enforcement;
  if (!e) return 'no scan';
  const r = e[which];
  return `${pct(r.percent)} (${r.enforced}/${r.total})${e.complete ? '' : ' incomplete'}`;
}

const HEADERS = [
  'period',
  'prod in Enforce',
  'in-scope in Enforce',
  'blocked',
  'warned',
  'MTTR',
  'open FAILs',
  'profiles active/revoked',
];

function rowOf(p: PeriodKpis): string[] {
  return [
    p.period.label,
    enforcementText(p, 'production'),
    enforcementText(p, 'inScope'),
    String(p.blockedAttempts),
    String(p.warnedDeployments),
    p.mttr.meanHours === null ? 'n/a' : `${p.mttr.meanHours} h (${p.mttr.resolved})`,
    `${p.mttr.open.open}${p.mttr.open.oldestDays !== null ? ` (oldest ${p.mttr.open.oldestDays} d)` : ''}`,
    p.profiles ? `${p.profiles.active}/${p.profiles.revoked}` : 'no scan',
  ];
}

function table(rows: string[][]): string {
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function trendLines(trend: KpiTrend | null): string[] {
  if (!trend) return [];
  return [
    `Trend vs previous period: production in Enforce ${signed(trend.productionEnforcedPoints, ' pts')}, in-scope ${signed(trend.inScopeEnforcedPoints, ' pts')}, blocked attempts ${signed(trend.blockedAttempts)}, MTTR ${signed(trend.mttrHours, ' h')}, open FAILs ${signed(trend.openFindings)}, revoked profiles ${signed(trend.revokedProfiles)}`,
  ];
}

function severityLine(p: PeriodKpis): string {
  const parts = SEVERITY_ORDER.slice()
    .reverse()
    .filter((s) => p.mttr.bySeverity[s].resolved > 0 || p.mttr.open.bySeverity[s].open > 0)
    .map(
      (s) =>
        `${s}: MTTR ${num(p.mttr.bySeverity[s].meanHours, ' h')} (${p.mttr.bySeverity[s].resolved} fixed), ${p.mttr.open.bySeverity[s].open} open${p.mttr.open.bySeverity[s].oldestDays !== null ? `, oldest ${p.mttr.open.bySeverity[s].oldestDays} d` : ''}`,
    );
  return parts.length
    ? `By severity (current period): ${parts.join('; ')}`
    : 'By severity (current period): no FAIL opened or fixed';
}

export function renderKpiConsole(report: KpiReport): string {
  const out: string[] = [];
  out.push(
    `Signet KPIs — ${report.history.runs} run(s)${report.history.firstRun ? ` from ${report.history.firstRun.slice(0, 10)} to ${report.history.lastRun!.slice(0, 10)}` : ''}, ${report.history.events} alert event(s); period ${report.period}`,
  );
  out.push('');
  out.push(...table(report.overall.map(rowOf)).split('\n'));
  out.push('');
  const current = report.overall.at(-1);
  if (current) out.push(severityLine(current));
  out.push(...trendLines(report.trend));
  for (const account of report.accounts) {
    out.push('');
    out.push(`Account ${account.accountId}`);
    out.push(...table(account.periods.map(rowOf)).split('\n'));
  }
  out.push('');
  out.push(
    'MTTR: time from the first scan that saw an unmuted FAIL to the first scan that saw it PASS (scan granularity). Blocked/warned: CloudTrail events recorded by `signet watch --history`.',
  );
  return `${out.map(safeText).join('\n')}\n`;
}

export function renderKpiJson(report: KpiReport): string {
  return `${JSON.stringify({ kpiSchemaVersion: 1, ...report }, null, 2)}\n`;
}

const CSV_HEADERS = [
  'scope',
  'period',
  'start',
  'end',
  'scan_as_of',
  'scan_complete',
  'production_total',
  'production_enforced',
  'production_enforced_percent',
  'in_scope_total',
  'in_scope_enforced',
  'in_scope_enforced_percent',
  'warn',
  'no_csc',
  'blocked_attempts',
  'warned_deployments',
  'mttr_hours',
  'remediated',
  'open_fails',
  'oldest_open_days',
  'profiles_active',
  'profiles_canceled',
  'profiles_revoked',
];

function csvRow(scope: string, p: PeriodKpis): string {
  const e = p.enforcement;
  return [
    scope,
    p.period.label,
    p.period.start,
    p.period.end,
    e?.asOf ?? '',
    e ? (e.complete ? 'yes' : 'no') : '',
    e?.production.total ?? '',
    e?.production.enforced ?? '',
    e?.production.percent ?? '',
    e?.inScope.total ?? '',
    e?.inScope.enforced ?? '',
    e?.inScope.percent ?? '',
    e?.warn ?? '',
    e?.noCsc ?? '',
    p.blockedAttempts,
    p.warnedDeployments,
    p.mttr.meanHours ?? '',
    p.mttr.resolved,
    p.mttr.open.open,
    p.mttr.open.oldestDays ?? '',
    p.profiles?.active ?? '',
    p.profiles?.canceled ?? '',
    p.profiles?.revoked ?? '',
  ]
    .map(csvCell)
    .join(',');
}

export function renderKpiCsv(report: KpiReport): string {
  const rows = [CSV_HEADERS.join(',')];
  for (const p of report.overall) rows.push(csvRow('overall', p));
  for (const a of report.accounts) for (const p of a.periods) rows.push(csvRow(a.accountId, p));
  return `${rows.join('\r\n')}\r\n`;
}

function mdTable(periods: readonly PeriodKpis[]): string[] {
  return [
    `| ${HEADERS.join(' | ')} |`,
    `| ${HEADERS.map(() => '---').join(' | ')} |`,
    ...periods.map((p) => `| ${rowOf(p).map(escapeMarkdown).join(' | ')} |`),
  ];
}

export function renderKpiMarkdown(report: KpiReport): string {
  const out = [
    '# Signet KPIs',
    '',
    `${report.history.runs} run(s)${report.history.firstRun ? ` from ${report.history.firstRun.slice(0, 10)} to ${report.history.lastRun!.slice(0, 10)}` : ''}, ${report.history.events} alert event(s); period \`${escapeMarkdown(report.period)}\`.`,
    '',
    '## Overall',
    '',
    ...mdTable(report.overall),
    '',
  ];
  const current = report.overall.at(-1);
  if (current) out.push(escapeMarkdown(severityLine(current)), '');
  for (const line of trendLines(report.trend)) out.push(escapeMarkdown(line), '');
  for (const account of report.accounts) {
    out.push(`## Account ${escapeMarkdown(account.accountId)}`, '', ...mdTable(account.periods), '');
  }
  return `${out.join('\n')}`;
}

export function renderKpis(format: KpiFormat, report: KpiReport): string {
  switch (format) {
    case 'console':
      return renderKpiConsole(report);
    case 'json':
      return renderKpiJson(report);
    case 'csv':
      return renderKpiCsv(report);
    case 'markdown':
      return renderKpiMarkdown(report);
  }
}
