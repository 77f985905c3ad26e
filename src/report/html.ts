// One self-contained HTML file: coverage charts (inline SVG), findings with filters, collection errors.
// Everything shown comes from AWS or files and may be hostile, so every interpolation is escaped by the
// `html` tag below, and a Content-Security-Policy allows only this file's own style and script (by hash).
import { createHash } from 'node:crypto';
import type { Finding } from '../model/finding.js';
import type { ReportInput } from '../model/report.js';
import {
  absoluteUrl,
  accountLabel,
  accountOf,
  type CountRow,
  type CoverageCounts,
  compareWorstFirst,
  countAll,
  countByRule,
  coverageBy,
  coverageLine,
  escapeXml,
  fileOf,
  locationText,
  percent,
  regionOf,
  SEVERITY_LABEL,
  STATUS_LABEL,
  scopeLine,
  signingProfilesLine,
  summaryGroups,
} from './shared.js';

export interface HtmlOptions {
  /** Absolute base URL the rules' relative docs links are resolved against. */
  docsBaseUrl?: string;
}

/** Markup that is already safe; anything else interpolated into `html` is escaped. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += fragment(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

function fragment(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(fragment).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeXml(value);
}

const STYLE = `
:root{--ok:#2e7d32;--warn:#ef9a00;--bad:#c62828;--unk:#8d8d8d;--err:#8e24aa;--fg:#1d2329;--muted:#5f6b76;--line:#dde3e8;--bg:#f7f9fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:24px}
main{max-width:1200px;margin:0 auto}
h1{margin:0 0 4px;font-size:24px}h2{font-size:18px;margin:28px 0 10px}
.sub{color:var(--muted);margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:150px}
.card b{display:block;font-size:22px}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px;margin-bottom:12px;overflow-x:auto}
.row{display:flex;flex-wrap:wrap;gap:24px;align-items:center}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef2f5;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.msg{max-width:480px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
.sev,.st{font-weight:600;white-space:nowrap}
.sev-critical{color:#6a1b9a}.sev-high{color:var(--bad)}.sev-medium{color:#b26a00}.sev-low{color:#1565c0}.sev-info{color:var(--muted)}
.st-FAIL{color:var(--bad)}.st-ERROR{color:var(--err)}.st-UNKNOWN{color:#b26a00}.st-PASS{color:var(--ok)}.st-NOT_APPLICABLE{color:var(--muted)}
tr.is-muted td{color:var(--muted)}
.legend{list-style:none;padding:0;margin:0}.legend li{margin:4px 0}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
.f-ok{fill:var(--ok)}.f-warn{fill:var(--warn)}.f-bad{fill:var(--bad)}.f-unk{fill:var(--unk)}
.s-ok{stroke:var(--ok)}.s-warn{stroke:var(--warn)}.s-bad{stroke:var(--bad)}.s-unk{stroke:var(--unk)}.s-track{stroke:var(--line)}
.sw.ok{background:var(--ok)}.sw.warn{background:var(--warn)}.sw.bad{background:var(--bad)}.sw.unk{background:var(--unk)}
svg text{font:12px system-ui,sans-serif;fill:var(--fg)}svg .big{font-size:8px;font-weight:700}svg .small{font-size:3.2px;fill:var(--muted)}
fieldset{border:1px solid var(--line);border-radius:6px;margin:0 12px 8px 0;display:inline-block}
label{margin-right:10px;white-space:nowrap}
#filters input[type=search]{padding:4px 6px;min-width:240px}
`.trim();

// Filters rows by status, severity, muted and text. It is the only script; the CSP admits it by hash.
const SCRIPT = `
(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr'));
  var shown = document.getElementById('shown');
  function checked(name) {
    var set = {};
    Array.prototype.forEach.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { set[i.value] = true; });
    return set;
  }
  function apply() {
    var statuses = checked('status'), severities = checked('severity');
    var withMuted = form.querySelector('input[name="muted"]').checked;
    var q = form.querySelector('input[name="q"]').value.toLowerCase();
    var n = 0;
    rows.forEach(function (r) {
      var show = statuses[r.getAttribute('data-status')] && severities[r.getAttribute('data-severity')] &&
        (withMuted || r.getAttribute('data-muted') !== 'true') && (!q || r.textContent.toLowerCase().indexOf(q) !== -1);
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

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The policy the report's meta tag carries: nothing may load, only this file's style and script run. */
export const HTML_CSP = [
  "default-src 'none'",
  `style-src ${cspHash(STYLE)}`,
  `script-src ${cspHash(SCRIPT)}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function renderHtml(input: ReportInput, options: HtmlOptions = {}): string {
  const docsBase = options.docsBaseUrl;
  const total = countAll(input.findings);
  const iac = input.source === 'iac';
  const c = input.coverage;
  const undetermined = Math.max(0, c.inScopeFunctions - c.enforced - c.warn - c.noCsc);

  const byGroup = iac
    ? [{ title: 'file', data: coverageBy(input.findings, fileOf), label: (k: string) => k }]
    : [
        {
          title: 'account',
          data: coverageBy(input.findings, accountOf),
          label: (k: string) => accountLabel(input, k),
        },
        { title: 'region', data: coverageBy(input.findings, regionOf), label: (k: string) => k },
      ];

  const ruleUrls = new Map(input.rules.map((r) => [r.id, absoluteUrl(r.helpUri, docsBase)]));
  const findings = [...input.findings].sort(compareWorstFirst);
  const errorCount = input.collectionErrors.length + input.parseErrors.length;

  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${new Html(HTML_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Signet report — ${scopeLine(input)}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<main>
<h1>Signet report</h1>
<p class="sub">${scopeLine(input)} · collected ${input.collectedAt} · generated ${input.generatedAt} · Signet ${input.tool.version}</p>
<div class="cards">
  <div class="card"><b>${percent(c.enforced, c.inScopeFunctions)}</b>in-scope functions enforced</div>
  <div class="card"><b class="st-FAIL">${total.FAIL}</b>failing findings</div>
  <div class="card"><b>${total.UNKNOWN + total.ERROR}</b>unknown or errored</div>
  <div class="card"><b>${total.muted}</b>muted (accepted)</div>
  <div class="card"><b>${errorCount}</b>collection errors</div>
</div>
<p>${coverageLine(input)}${iac ? '' : html`<br>${signingProfilesLine(input)}`}</p>

<h2>Enforcement status</h2>
<div class="panel row">
  ${donut(
    [
      { label: 'Enforce', value: c.enforced, cls: 'ok' },
      { label: 'Warn only', value: c.warn, cls: 'warn' },
      { label: 'No CSC', value: c.noCsc, cls: 'bad' },
      { label: 'Undetermined', value: undetermined, cls: 'unk' },
    ],
    c.inScopeFunctions,
  )}
  <ul class="legend">
    <li><span class="sw ok"></span>Enforce: ${c.enforced}</li>
    <li><span class="sw warn"></span>Warn only: ${c.warn}</li>
    <li><span class="sw bad"></span>No code signing config: ${c.noCsc}</li>
    <li><span class="sw unk"></span>Undetermined: ${undetermined}</li>
    <li>Container-image functions (not applicable): ${c.notApplicable}</li>
  </ul>
</div>

${byGroup.map(
  (g) => html`<h2>Coverage by ${g.title}</h2>
<div class="panel">${
    g.data.size === 0
      ? html`<p>No in-scope functions.</p>`
      : html`${stackedBars(g.data, g.label)}
${coverageTable(g.title, g.data, g.label)}`
  }</div>
`,
)}
<h2>By rule</h2>
<div class="panel">${countTable(
    'Rule',
    countByRule(input).map((row) => ({
      cell: html`<code>${row.key}</code> ${linkOrText(ruleUrls.get(row.key), row.label)}`,
      counts: row.counts,
    })),
  )}</div>
${summaryGroups(input).map(
  (g) => html`<h2>Findings by ${g.title}</h2>
<div class="panel">${countTable(
    g.title[0]?.toUpperCase() + g.title.slice(1),
    g.rows.map((row: CountRow) => ({ cell: html`${row.label}`, counts: row.counts })),
  )}</div>
`,
)}
<h2>Findings</h2>
<form id="filters" class="panel">
  <fieldset><legend>Status</legend>${(['FAIL', 'ERROR', 'UNKNOWN', 'NOT_APPLICABLE', 'PASS'] as const).map(
    (s) =>
      html`<label><input type="checkbox" name="status" value="${s}"${s === 'PASS' || s === 'NOT_APPLICABLE' ? '' : new Html(' checked')}> ${STATUS_LABEL[s]} (${input.findings.filter((f) => f.status === s).length})</label>`,
  )}</fieldset>
  <fieldset><legend>Severity</legend>${(['critical', 'high', 'medium', 'low', 'info'] as const).map(
    (s) =>
      html`<label><input type="checkbox" name="severity" value="${s}" checked> ${SEVERITY_LABEL[s]}</label>`,
  )}</fieldset>
  <fieldset><legend>Other</legend><label><input type="checkbox" name="muted" value="yes" checked> muted</label>
  <input type="search" name="q" placeholder="Filter by text" aria-label="Filter findings by text"></fieldset>
  <p>Showing <span id="shown">${findings.length}</span> of ${findings.length} findings.</p>
</form>
<div class="panel">
<table id="findings">
<thead><tr><th>Severity</th><th>Status</th><th>Rule</th><th>Resource</th><th>${iac ? 'File' : 'Account / region'}</th><th>Message</th><th>Muted</th></tr></thead>
<tbody>
${findings.map((f) => findingRow(f, input, ruleUrls.get(f.ruleId)))}</tbody>
</table>
</div>

<h2>Collection errors</h2>
<div class="panel">${errorCount === 0 ? html`<p>None: every requested part was collected.</p>` : errorsTable(input)}</div>
</main>
<script>${new Html(SCRIPT)}</script>
</body>
</html>
`;
  return page.value;
}

function linkOrText(url: string | undefined, text: string): Html {
  return url ? html`<a href="${url}" rel="noopener noreferrer">${text}</a>` : html`${text}`;
}

function findingRow(f: Finding, input: ReportInput, ruleUrl: string | undefined): Html {
  const p = f.resource.provenance;
  const where =
    p.source === 'iac'
      ? html`<code>${locationText(f)}</code>`
      : html`${accountLabel(input, p.accountId)}<br>${p.region}`;
  return html`<tr data-status="${f.status}" data-severity="${f.severity}" data-muted="${f.muted ? 'true' : 'false'}"${f.muted ? new Html(' class="is-muted"') : ''}>
<td class="sev sev-${f.severity}">${SEVERITY_LABEL[f.severity]}</td><td class="st st-${f.status}">${STATUS_LABEL[f.status]}</td><td>${linkOrText(ruleUrl, f.ruleId)}</td><td>${f.resource.name}<br><code>${f.resource.id}</code></td><td>${where}</td><td class="msg">${f.message}</td><td>${f.muted ? html`${f.muted.source}: ${f.muted.reason}${f.muted.expires ? html` (until ${f.muted.expires})` : ''}` : ''}</td></tr>
`;
}

function countTable(head: string, rows: { cell: Html; counts: CountRow['counts'] }[]): Html {
  if (rows.length === 0) return html`<p>No findings.</p>`;
  return html`<table><thead><tr><th>${head}</th><th class="n">FAIL</th><th class="n">ERROR</th><th class="n">UNKNOWN</th><th class="n">N/A</th><th class="n">PASS</th><th class="n">Muted</th></tr></thead><tbody>
${rows.map(
  (r) =>
    html`<tr><td>${r.cell}</td><td class="n st-FAIL">${r.counts.FAIL}</td><td class="n">${r.counts.ERROR}</td><td class="n">${r.counts.UNKNOWN}</td><td class="n">${r.counts.NOT_APPLICABLE}</td><td class="n">${r.counts.PASS}</td><td class="n">${r.counts.muted}</td></tr>
`,
)}</tbody></table>`;
}

function coverageTable(title: string, data: Map<string, CoverageCounts>, label: (k: string) => string): Html {
  return html`<table><thead><tr><th>${title[0]?.toUpperCase() + title.slice(1)}</th><th class="n">Functions</th><th class="n">Enforce</th><th class="n">Warn</th><th class="n">No CSC</th><th class="n">Undetermined</th><th class="n">Enforced</th></tr></thead><tbody>
${[...data].map(
  ([key, c]) =>
    html`<tr><td>${label(key)}</td><td class="n">${c.total}</td><td class="n">${c.enforced}</td><td class="n">${c.warn}</td><td class="n">${c.noCsc}</td><td class="n">${c.unknown}</td><td class="n">${percent(c.enforced, c.total)}</td></tr>
`,
)}</tbody></table>`;
}

function errorsTable(input: ReportInput): Html {
  return html`<table><thead><tr><th>Where</th><th>Operation</th><th>Error</th><th>Message</th><th>Incomplete</th></tr></thead><tbody>
${input.collectionErrors.map(
  (e) =>
    html`<tr><td>${e.accountId}<br>${e.region}</td><td><code>${e.service}:${e.operation}</code></td><td>${e.errorCode}</td><td>${e.message}</td><td>${e.parts.join(', ')}</td></tr>
`,
)}${input.parseErrors.map(
  (e) =>
    html`<tr><td><code>${e.file}${e.line !== undefined ? `:${e.line}` : ''}${e.column !== undefined ? `:${e.column}` : ''}</code></td><td>parse</td><td>ParseError</td><td>${e.message}</td><td>the whole file</td></tr>
`,
)}</tbody></table>`;
}

/** A donut whose circumference is 100 units, so each segment's dash length is its percentage. */
function donut(segments: { label: string; value: number; cls: string }[], total: number): Html {
  const r = 15.91549430918954;
  let offset = 0;
  const arcs = segments
    .filter((s) => s.value > 0 && total > 0)
    .map((s) => {
      const length = (s.value / total) * 100;
      // Dashes start at 3 o'clock; 25 units back puts the first segment at 12 o'clock.
      const arc = html`<circle cx="21" cy="21" r="${r}" fill="none" class="s-${s.cls}" stroke-width="6" stroke-dasharray="${length.toFixed(3)} ${(100 - length).toFixed(3)}" stroke-dashoffset="${(25 - offset).toFixed(3)}"><title>${s.label}: ${s.value}</title></circle>`;
      offset += length;
      return arc;
    });
  const summary = segments.map((s) => `${s.label} ${s.value}`).join(', ');
  return html`<svg width="200" height="200" viewBox="0 0 42 42" role="img" aria-label="${`Enforcement status of ${total} in-scope functions: ${summary}`}">
<circle cx="21" cy="21" r="${r}" fill="none" class="s-track" stroke-width="6"></circle>
${arcs}
<text x="21" y="22" text-anchor="middle" class="big">${percent(segments[0]?.value ?? 0, total)}</text>
<text x="21" y="27" text-anchor="middle" class="small">enforced</text>
</svg>`;
}

/** One 100% bar per group: enforced, warn, no CSC, undetermined. */
function stackedBars(data: Map<string, CoverageCounts>, label: (k: string) => string): Html {
  const labelWidth = 260;
  const barWidth = 480;
  const rowHeight = 26;
  const height = data.size * rowHeight + 8;
  const rows = [...data].map(([key, c], i) => {
    const y = i * rowHeight + 4;
    let x = labelWidth;
    const parts = (
      [
        ['ok', c.enforced, 'Enforce'],
        ['warn', c.warn, 'Warn only'],
        ['bad', c.noCsc, 'No CSC'],
        ['unk', c.unknown, 'Undetermined'],
      ] as const
    )
      .filter(([, value]) => value > 0)
      .map(([cls, value, name]) => {
        const width = c.total ? (value / c.total) * barWidth : 0;
        const rect = html`<rect x="${x.toFixed(2)}" y="${y}" width="${width.toFixed(2)}" height="${rowHeight - 8}" class="f-${cls}"><title>${label(key)} — ${name}: ${value}</title></rect>`;
        x += width;
        return rect;
      });
    const shown = label(key);
    return html`<g><text x="0" y="${y + 13}">${shown.length > 38 ? `${shown.slice(0, 37)}…` : shown}</text>${parts}<text x="${labelWidth + barWidth + 8}" y="${y + 13}">${c.enforced}/${c.total} enforced</text></g>
`;
  });
  return html`<svg width="100%" viewBox="0 0 ${labelWidth + barWidth + 130} ${height}" role="img" aria-label="Coverage: enforced, warn only, no CSC and undetermined functions per group">
${rows}</svg>`;
}
