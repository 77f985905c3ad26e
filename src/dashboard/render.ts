// The dashboard page, rendered purely from history data: KPI cards, KPI charts over time (inline SVG),
// coverage by account/region, open findings with filters, MTTR by severity and recent alerts. Every
// value comes from AWS and may be hostile: all of it goes through the escaping `html` tag, and the
// page's only style and script are admitted by hash in a strict Content-Security-Policy.
import { createHash } from 'node:crypto';
import type { KpiReport, PeriodKpis } from '../history/kpi.js';
import type { HistoryEvent } from '../history/record.js';
import type { AreaRow, OpenFindingRow, RunRow } from '../history/store.js';
import { SEVERITY_ORDER } from '../model/finding.js';
import { Html, html } from '../report/html.js';

export interface DashboardData {
  file: string;
  runs: readonly RunRow[];
  areas: readonly AreaRow[];
  findings: readonly OpenFindingRow[];
  events: readonly HistoryEvent[];
  kpis: KpiReport;
  generatedAt: string;
}

const STYLE = `
:root{--ok:#2e7d32;--warn:#ef9a00;--bad:#c62828;--fg:#1d2329;--muted:#5f6b76;--line:#dde3e8;--bg:#f7f9fa;--a:#1565c0;--b:#6a1b9a}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:24px}
main{max-width:1200px;margin:0 auto}
h1{margin:0 0 4px;font-size:24px}h2{font-size:18px;margin:28px 0 10px}
.sub{color:var(--muted);margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:170px}
.card b{display:block;font-size:22px}.card small{color:var(--muted)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:12px}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;overflow-x:auto}
.panel h3{margin:0 0 8px;font-size:15px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef2f5;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.sev-critical{color:#6a1b9a;font-weight:600}.sev-high{color:var(--bad);font-weight:600}.sev-medium{color:#b26a00}.sev-low{color:#1565c0}.sev-info{color:var(--muted)}
.st-FAIL{color:var(--bad);font-weight:600}.st-ERROR{color:#8e24aa;font-weight:600}.st-UNKNOWN{color:#b26a00;font-weight:600}
svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
.l-a{stroke:var(--a);fill:none;stroke-width:2}.l-b{stroke:var(--b);fill:none;stroke-width:2;stroke-dasharray:4 3}
.d-a{fill:var(--a)}.d-b{fill:var(--b)}.bar-a{fill:var(--a)}.bar-b{fill:var(--warn)}.grid{stroke:var(--line)}
.key{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;border-radius:2px}.key.a{background:var(--a)}.key.b{background:var(--b)}.key.w{background:var(--warn)}
form#filters{margin-bottom:8px}form#filters label{margin-right:12px;white-space:nowrap}
select,input[type=search]{padding:3px 6px}
.empty{color:var(--muted);font-style:italic}
nav a{margin-right:10px}
`.trim();

// Filters the findings table; the CSP admits this script by hash and nothing else.
const SCRIPT = `
(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr'));
  var shown = document.getElementById('shown');
  function value(name) { return form.querySelector('[name="' + name + '"]').value; }
  function apply() {
    var status = value('status'), severity = value('severity'), account = value('account'), rule = value('rule');
    var q = value('q').toLowerCase();
    var n = 0;
    rows.forEach(function (r) {
      var show = (!status || r.getAttribute('data-status') === status) &&
        (!severity || r.getAttribute('data-severity') === severity) &&
        (!account || r.getAttribute('data-account') === account) &&
        (!rule || r.getAttribute('data-rule') === rule) &&
        (!q || r.textContent.toLowerCase().indexOf(q) !== -1);
      r.hidden = !show;
      if (show) n++;
    });
    shown.textContent = String(n);
  }
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  apply();
})();
`.trim();

function hash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The page's own policy (meta tag): nothing loads, only this page's style and script run. */
const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${hash(STYLE)}`,
  `script-src ${hash(SCRIPT)}`,
  "img-src 'none'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The server's header adds what a meta tag cannot carry. */
export const DASHBOARD_CSP = `${PAGE_CSP}; frame-ancestors 'none'`;

const W = 560;
const H = 200;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** A line chart of up to two series over labelled points; null values break the line. */
function lineChart(
  title: string,
  labels: string[],
  series: { name: string; cls: 'a' | 'b'; values: (number | null)[] }[],
  max: number,
  unit: string,
): Html {
  const n = labels.length;
  const x = (i: number) =>
    PAD.left + (n <= 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const y = (v: number) => PAD.top + (1 - v / (max || 1)) * (H - PAD.top - PAD.bottom);
  const grid = [0, 0.5, 1].map(
    (f) =>
      html`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(max * f)}" y2="${y(max * f)}"/><text x="4" y="${y(max * f) + 4}">${fmt(max * f)}${unit}</text>`,
  );
  const paths = series.map((s) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    const dots = s.values.map((v, i) =>
      v === null
        ? ''
        : html`<circle class="d-${s.cls}" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5"><title>${labels[i]}: ${fmt(v)}${unit}</title></circle>`,
    );
    return html`<path class="l-${s.cls}" d="${d}"/>${dots}`;
  });
  const step = Math.max(1, Math.ceil(n / 6));
  const ticks = labels.map((l, i) =>
    i % step === 0 || i === n - 1
      ? html`<text x="${x(i)}" y="${H - 8}" text-anchor="middle">${l}</text>`
      : '',
  );
  return html`<div class="panel chart" data-points="${series.reduce((k, s) => k + s.values.filter((v) => v !== null).length, 0)}"><h3>${title}</h3><svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${title}">${grid}${paths}${ticks}</svg><div>${series.map((s) => html`<span class="key ${s.cls}"></span>${s.name}`)}</div></div>`;
}

function barChart(
  title: string,
  labels: string[],
  series: { name: string; cls: 'a' | 'b'; values: number[] }[],
  unit = '',
): Html {
  const n = labels.length;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const slot = (W - PAD.left - PAD.right) / Math.max(1, n);
  const bw = (slot * 0.7) / series.length;
  const y = (v: number) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
  const bars = series.flatMap((s, si) =>
    s.values.map(
      (v, i) =>
        html`<rect class="bar-${s.cls}" x="${(PAD.left + i * slot + slot * 0.15 + si * bw).toFixed(1)}" y="${y(v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(H - PAD.bottom - y(v)).toFixed(1)}"><title>${labels[i]}: ${fmt(v)}${unit} ${s.name}</title></rect>`,
    ),
  );
  const grid = [0, 0.5, 1].map(
    (f) =>
      html`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(max * f)}" y2="${y(max * f)}"/><text x="4" y="${y(max * f) + 4}">${fmt(max * f)}</text>`,
  );
  const ticks = labels.map(
    (l, i) => html`<text x="${PAD.left + i * slot + slot / 2}" y="${H - 8}" text-anchor="middle">${l}</text>`,
  );
  const keys = series.map((s) => html`<span class="key ${s.cls === 'a' ? 'a' : 'w'}"></span>${s.name}`);
  return html`<div class="panel chart" data-points="${series.reduce((k, s) => k + s.values.length, 0)}"><h3>${title}</h3><svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${title}">${grid}${bars}${ticks}</svg><div>${keys}</div></div>`;
}

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? 'n/a' : `${v}%`;
}

function card(label: string, value: string, note: string): Html {
  return html`<div class="card"><small>${label}</small><b>${value}</b><small>${note}</small></div>`;
}

function shortLabel(p: PeriodKpis): string {
  return p.period.label.length > 10 ? p.period.label.slice(5, 10) : p.period.label;
}

export function renderDashboard(data: DashboardData): string {
  const { kpis } = data;
  const current = kpis.overall.at(-1);
  const latest = data.runs.at(-1);
  const areasByRun = new Map<number, AreaRow[]>();
  for (const a of data.areas) {
    const list = areasByRun.get(a.runId) ?? [];
    list.push(a);
    areasByRun.set(a.runId, list);
  }
  // Per-run enforcement over time (the last 120 runs keep the chart readable).
  const runs = data.runs.slice(-120);
  const percentOf = (run: RunRow, total: (a: AreaRow) => number, part: (a: AreaRow) => number) => {
    const areas = areasByRun.get(run.id) ?? [];
    const t = areas.reduce((n, a) => n + total(a), 0);
    return t === 0 ? null : Math.round((areas.reduce((n, a) => n + part(a), 0) / t) * 1000) / 10;
  };
  const enforcementChart = lineChart(
    'Functions in Enforce, per scan',
    runs.map((r) => r.collectedAt.slice(5, 10)),
    [
      {
        name: 'production',
        cls: 'a',
        values: runs.map((r) =>
          percentOf(
            r,
            (a) => a.prodInScope,
            (a) => a.prodEnforced,
          ),
        ),
      },
      {
        name: 'in scope',
        cls: 'b',
        values: runs.map((r) =>
          percentOf(
            r,
            (a) => a.inScope,
            (a) => a.enforced,
          ),
        ),
      },
    ],
    100,
    '%',
  );
  const labels = kpis.overall.map(shortLabel);
  const blockedChart = barChart('Unsigned deployment attempts, per period', labels, [
    { name: 'blocked', cls: 'a', values: kpis.overall.map((p) => p.blockedAttempts) },
    { name: 'warned (ran unverified)', cls: 'b', values: kpis.overall.map((p) => p.warnedDeployments) },
  ]);
  const mttrChart = barChart(
    'Mean time to remediate (hours), per period',
    labels,
    [{ name: 'MTTR', cls: 'a', values: kpis.overall.map((p) => p.mttr.meanHours ?? 0) }],
    ' h',
  );
  const openChart = barChart('Open FAILs at period end', labels, [
    { name: 'open', cls: 'a', values: kpis.overall.map((p) => p.mttr.open.open) },
  ]);

  const latestAreas = latest ? (areasByRun.get(latest.id) ?? []) : [];
  const coverageRows = latestAreas.map((a) => {
    const p = a.inScope === 0 ? null : Math.round((a.enforced / a.inScope) * 1000) / 10;
    return html`<tr><td><code>${a.accountId || '(none)'}</code></td><td>${a.region || '(none)'}</td><td class="n">${a.inScope}</td><td class="n">${a.enforced}</td><td class="n">${a.warn}</td><td class="n">${a.noCsc}</td><td class="n">${a.unknownCsc}</td><td class="n">${pct(p)}</td><td class="n">${a.prodEnforced}/${a.prodInScope}</td></tr>`;
  });

  const open = data.findings.filter((f) => f.status !== 'PASS' && f.status !== 'NOT_APPLICABLE');
  const uniq = (values: string[]) => [...new Set(values)].sort();
  const options = (name: string, label: string, values: string[]) =>
    html`<label>${label} <select name="${name}"><option value="">all</option>${values.map((v) => html`<option value="${v}">${v}</option>`)}</select></label>`;
  const findingRows = open.map(
    (f) =>
      html`<tr data-status="${f.status}" data-severity="${f.severity}" data-account="${f.accountId}" data-rule="${f.ruleId}"><td class="st-${f.status}">${f.status}${f.muted ? ' (muted)' : ''}</td><td class="sev-${f.severity}">${f.severity}</td><td>${f.ruleId}</td><td>${f.resourceName}</td><td><code>${f.accountId}</code> ${f.region}</td><td class="n">${f.openedAt ? f.openedAt.slice(0, 10) : ''}</td><td>${f.message}</td></tr>`,
  );
  const mttrRows = current
    ? SEVERITY_ORDER.slice()
        .reverse()
        .map(
          (s) =>
            html`<tr><td class="sev-${s}">${s}</td><td class="n">${current.mttr.bySeverity[s].resolved}</td><td class="n">${current.mttr.bySeverity[s].meanHours ?? 'n/a'}</td><td class="n">${current.mttr.open.bySeverity[s].open}</td><td class="n">${current.mttr.open.bySeverity[s].oldestDays ?? ''}</td></tr>`,
        )
    : [];
  const alertRows = data.events
    .slice(0, 50)
    .map(
      (e) =>
        html`<tr><td>${e.eventTime.replace('T', ' ').slice(0, 19)}</td><td>${e.kind}</td><td>${e.resource}</td><td><code>${e.accountId}</code> ${e.region}</td><td><code>${e.principal}</code></td><td>${e.errorCode ?? ''}</td><td><code>${e.eventId}</code></td></tr>`,
    );
  const e = current?.enforcement;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<title>Signet dashboard</title><style>${new Html(STYLE)}</style></head>
<body><main>
<h1>Signet — code signing KPIs</h1>
<p class="sub">History <code>${data.file}</code>: ${data.runs.length} scan(s)${latest ? html`, latest collected ${latest.collectedAt}${latest.complete ? '' : html` <b class="st-UNKNOWN">(incomplete: some data could not be read)</b>`}` : ''}; ${data.events.length} alert event(s). Period: ${kpis.period}. Generated ${data.generatedAt}.</p>
<nav>Period: <a href="?period=30d">30 days</a><a href="?period=7d">7 days</a><a href="?period=month">calendar month</a></nav>
<h2>Now</h2>
<div class="cards" id="cards">
${card('Production functions in Enforce', pct(e?.production.percent), e ? `${e.production.enforced} of ${e.production.total}` : 'no scan this period')}
${card('In-scope functions in Enforce', pct(e?.inScope.percent), e ? `${e.inScope.enforced} of ${e.inScope.total}` : 'no scan this period')}
${card('Blocked deployment attempts', String(current?.blockedAttempts ?? 0), `${current?.warnedDeployments ?? 0} ran unverified under Warn`)}
${card('Mean time to remediate', current?.mttr.meanHours === null || current === undefined ? 'n/a' : `${current.mttr.meanHours} h`, `${current?.mttr.resolved ?? 0} fixed this period`)}
${card('Open FAILs', String(current?.mttr.open.open ?? 0), current?.mttr.open.oldestDays !== null && current?.mttr.open.oldestDays !== undefined ? `oldest ${current.mttr.open.oldestDays} days` : 'none open')}
${card('Signing profiles', current?.profiles ? `${current.profiles.active} active` : 'n/a', current?.profiles ? `${current.profiles.revoked} revoked, ${current.profiles.canceled} cancelled` : '')}
</div>
<h2>Over time</h2>
<div class="charts">${enforcementChart}${blockedChart}${mttrChart}${openChart}</div>
<h2>Coverage by account and region (latest scan)</h2>
<div class="panel">${
    coverageRows.length
      ? html`<table id="coverage"><thead><tr><th>Account</th><th>Region</th><th class="n">In scope</th><th class="n">Enforce</th><th class="n">Warn</th><th class="n">No CSC</th><th class="n">Unknown</th><th class="n">% Enforce</th><th class="n">Prod enforced</th></tr></thead><tbody>${coverageRows}</tbody></table>`
      : html`<p class="empty">No scan recorded.</p>`
  }</div>
<h2>Open findings (latest scan)</h2>
<div class="panel">
<form id="filters">${options('status', 'Status', uniq(open.map((f) => f.status)))}${options(
    'severity',
    'Severity',
    SEVERITY_ORDER.slice()
      .reverse()
      .filter((s) => open.some((f) => f.severity === s)),
  )}${options('account', 'Account', uniq(open.map((f) => f.accountId)))}${options('rule', 'Rule', uniq(open.map((f) => f.ruleId)))}<label>Search <input type="search" name="q"></label> <span><b id="shown">${open.length}</b> of ${open.length} shown</span></form>
<table id="findings"><thead><tr><th>Status</th><th>Severity</th><th>Rule</th><th>Resource</th><th>Where</th><th class="n">Failing since</th><th>Message</th></tr></thead><tbody>${findingRows}</tbody></table>
</div>
<h2>Mean time to remediate by severity (current period)</h2>
<div class="panel"><table id="mttr"><thead><tr><th>Severity</th><th class="n">Fixed</th><th class="n">MTTR (h)</th><th class="n">Open</th><th class="n">Oldest open (days)</th></tr></thead><tbody>${mttrRows}</tbody></table></div>
<h2>Recent alerts</h2>
<div class="panel">${
    alertRows.length
      ? html`<table id="alerts"><thead><tr><th>When (UTC)</th><th>What</th><th>Resource</th><th>Where</th><th>Who</th><th>Error</th><th>Event id</th></tr></thead><tbody>${alertRows}</tbody></table>`
      : html`<p class="empty">No alert events recorded (run <code>signet watch --history ${data.file}</code>).</p>`
  }</div>
</main><script>${new Html(SCRIPT)}</script></body></html>
`;
  return page.value;
}
