// `signet evidence`: an auditor's evidence pack from the history (and optionally a snapshot): findings,
// KPI history, alert events, proofs of enforcement, a summary mapped to controls, and MANIFEST.sha256
// over every file. Written into a temporary sibling and renamed into place, so a pack is whole or absent.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { type ControlMapping, FRAMEWORKS } from '../compliance/index.js';
import { UsageError } from '../errors.js';
import { escapeMarkdown } from '../report/markdown.js';
import { escapeXml } from '../report/shared.js';
import { SIGNET_VERSION } from '../version.js';
import { kpiData } from './index.js';
import { computeKpis, type KpiReport } from './kpi.js';
import { renderKpiCsv, renderKpiJson } from './kpi-report.js';
import { History, type OpenFindingRow, type RunRow } from './store.js';

export interface EvidenceFinding {
  id: string;
  ruleId: string;
  status: string;
  severity: string;
  muted: boolean;
  resource: string;
  accountId: string;
  region: string;
  message: string;
}

export interface EvidenceOptions {
  historyFile: string;
  outputDir: string;
  /** Findings to judge controls by (from a fresh evaluation of --from-snapshot); default: the history's latest run. */
  findings?: EvidenceFinding[];
  /** Extra files copied as they are: the snapshot, its JSON report. */
  attachments?: { name: string; content: string }[];
  /** `signet verify --probe` results (JSON files), copied under proofs/. */
  proofs?: string[];
  now?: Date;
}

export type ControlStatus = 'met' | 'not met' | 'not verified' | 'no evidence';

export interface ControlResult {
  framework: string;
  control: ControlMapping;
  status: ControlStatus;
  counts: { pass: number; fail: number; unknown: number; muted: number };
}

export function judgeControls(
  findings: readonly EvidenceFinding[],
  frameworks = FRAMEWORKS,
): ControlResult[] {
  const out: ControlResult[] = [];
  for (const framework of frameworks) {
    for (const control of framework.controls) {
      const relevant = findings.filter((f) => control.rules.includes(f.ruleId));
      const counts = {
        pass: relevant.filter((f) => f.status === 'PASS').length,
        fail: relevant.filter((f) => f.status === 'FAIL' && !f.muted).length,
        unknown: relevant.filter((f) => (f.status === 'UNKNOWN' || f.status === 'ERROR') && !f.muted).length,
        muted: relevant.filter((f) => f.muted).length,
      };
      // Fail closed: anything unverified keeps a control from being "met".
      const status: ControlStatus =
        counts.fail > 0
          ? 'not met'
          : counts.unknown > 0
            ? 'not verified'
            : counts.pass > 0
              ? 'met'
              : 'no evidence';
      out.push({ framework: framework.name, control, status, counts });
    }
  }
  return out;
}

function fromHistoryRow(f: OpenFindingRow): EvidenceFinding {
  return {
    id: f.findingId,
    ruleId: f.ruleId,
    status: f.status,
    severity: f.severity,
    muted: f.muted,
    resource: f.resourceName,
    accountId: f.accountId,
    region: f.region,
    message: f.message,
  };
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, base));
    else out.push(relative(base, full).split(sep).join('/'));
  }
  return out.sort();
}

/** Checks every line of MANIFEST.sha256 (sha256sum format) and that no file is missing from it. */
export function verifyManifest(dir: string): { ok: boolean; problems: string[] } {
  const problems: string[] = [];
  const manifest = join(dir, 'MANIFEST.sha256');
  if (!existsSync(manifest)) return { ok: false, problems: ['MANIFEST.sha256 is missing'] };
  const listed = new Set<string>();
  for (const line of readFileSync(manifest, 'utf8').split('\n')) {
    if (!line) continue;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) {
      problems.push(`malformed line: ${line}`);
      continue;
    }
    const [, hash, name] = m as unknown as [string, string, string];
    listed.add(name);
    const file = join(dir, name);
    if (!existsSync(file)) problems.push(`${name}: missing`);
    else if (sha256(file) !== hash) problems.push(`${name}: changed (sha256 differs)`);
  }
  for (const name of listFiles(dir))
    if (name !== 'MANIFEST.sha256' && !listed.has(name)) problems.push(`${name}: not in the manifest`);
  return { ok: problems.length === 0, problems };
}

function summaryMarkdown(
  controls: ControlResult[],
  recent: KpiReport,
  runs: readonly RunRow[],
  findings: readonly EvidenceFinding[],
  options: EvidenceOptions,
  generatedAt: string,
): string {
  const latest = runs.at(-1);
  const current = recent.overall.at(-1);
  const lines = [
    '# Signet evidence pack — AWS Lambda code signing',
    '',
    `Generated ${generatedAt} by Signet ${SIGNET_VERSION} from \`${escapeMarkdown(basename(options.historyFile))}\` (${runs.length} scan(s)${latest ? `, latest collected ${latest.collectedAt}` : ''}).`,
    '',
  ];
  if (latest && !latest.complete)
    lines.push(
      '> **The latest scan was incomplete**: some accounts, regions or parts could not be read. Controls that depend on them are "not verified", never "met".',
      '',
    );
  lines.push('## Key figures (last 30 days)', '');
  const e = current?.enforcement;
  const ratio = (r: { percent: number | null; enforced: number; total: number }) =>
    `${r.percent === null ? 'n/a' : `${r.percent}%`} (${r.enforced} of ${r.total})`;
  lines.push(
    e
      ? `- Production functions in Enforce: ${ratio(e.production)}, as of the scan collected ${e.asOf}${e.complete ? '' : ' (incomplete)'}`
      : '- **No scan in the last 30 days**: enforcement figures are not current',
    ...(e ? [`- In-scope functions in Enforce: ${ratio(e.inScope)}`] : []),
    `- Unsigned deployment attempts blocked: ${current?.blockedAttempts ?? 0}; deployed unverified under Warn: ${current?.warnedDeployments ?? 0}`,
    `- Mean time to remediate: ${current?.mttr.meanHours === null || current === undefined ? 'n/a' : `${current.mttr.meanHours} h`} over ${current?.mttr.resolved ?? 0} fixed findings; ${current?.mttr.open.open ?? 0} open`,
    ...(current?.profiles
      ? [
          `- Signing profiles: ${current.profiles.active} active, ${current.profiles.revoked} revoked, ${current.profiles.canceled} cancelled`,
        ]
      : []),
    '',
    '## Controls',
    '',
    'Status per control from the findings of the rules mapped to it: **not met** (an unmuted FAIL), **not verified** (UNKNOWN or ERROR: data could not be read), **met** (only PASS), **no evidence** (no finding). Mappings are Signet’s reading of each control; confirm them with your assessor.',
    '',
    '| Framework | Control | Status | PASS | FAIL | Unverified | Muted | Rules |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | --- |',
  );
  for (const c of controls) {
    lines.push(
      `| ${escapeMarkdown(c.framework)} | ${escapeMarkdown(c.control.id)} ${escapeMarkdown(c.control.title)} | **${c.status}** | ${c.counts.pass} | ${c.counts.fail} | ${c.counts.unknown} | ${c.counts.muted} | ${c.control.rules.join(', ')} |`,
    );
  }
  lines.push('', '## Why each mapping', '');
  for (const c of controls)
    lines.push(
      `- **${escapeMarkdown(c.framework)} ${escapeMarkdown(c.control.id)}**: ${escapeMarkdown(c.control.rationale)}`,
    );
  const failing = findings.filter((f) => f.status !== 'PASS' && f.status !== 'NOT_APPLICABLE' && !f.muted);
  lines.push('', `## Findings needing attention (${failing.length})`, '');
  if (failing.length === 0) lines.push('None.');
  else {
    lines.push(
      '| Status | Severity | Rule | Resource | Account / region | Message |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const f of failing.slice(0, 500))
      lines.push(
        `| ${f.status} | ${f.severity} | ${f.ruleId} | ${escapeMarkdown(f.resource)} | ${escapeMarkdown(f.accountId)} ${escapeMarkdown(f.region)} | ${escapeMarkdown(f.message)} |`,
      );
    if (failing.length > 500) lines.push('', `…and ${failing.length - 500} more in findings.json.`);
  }
  lines.push(
    '',
    '## Files',
    '',
    '- `findings.json` — every finding the controls were judged by',
    '- `controls.json` — the control statuses above, machine-readable',
    '- `kpis.json`, `kpis.csv` — the KPIs per month for the last 12 months',
    '- `runs.json` — every recorded scan (time, scope, completeness)',
    '- `events.json` — CloudTrail alert events recorded by `signet watch`',
    '- `proofs/` — proofs of enforcement (`signet verify --probe`), when given',
    '- `MANIFEST.sha256` — SHA-256 of every file; check with `sha256sum -c MANIFEST.sha256`',
    '',
  );
  return lines.join('\n');
}

function summaryHtml(markdown: string): string {
  // A faithful, escaped rendering of the Markdown summary (tables and lists as text blocks) for people
  // who open files in a browser; no script, no external resources.
  const body = escapeXml(markdown);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>Signet evidence pack</title><style>body{font:14px/1.5 system-ui,sans-serif;max-width:1100px;margin:24px auto;padding:0 16px}pre{white-space:pre-wrap;word-break:break-word}</style></head><body><pre>${body}</pre></body></html>\n`;
}

export async function writeEvidencePack(
  options: EvidenceOptions,
): Promise<{ dir: string; files: string[]; controls: ControlResult[] }> {
  const target = resolve(options.outputDir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory() || readdirSync(target).length > 0)
      throw new UsageError(
        `--output ${options.outputDir} already exists and is not an empty directory; choose a new one`,
      );
  }
  for (const proof of options.proofs ?? []) {
    if (!existsSync(proof)) throw new UsageError(`--proof ${proof} does not exist`);
    try {
      JSON.parse(readFileSync(proof, 'utf8'));
    } catch {
      throw new UsageError(
        `--proof ${proof} is not JSON (pass the output of signet verify --probe --format json)`,
      );
    }
  }
  const history = await History.open(options.historyFile);
  let data: ReturnType<typeof kpiData>;
  let latest: OpenFindingRow[];
  try {
    data = kpiData(history);
    latest = history.latestFindings();
  } finally {
    history.close();
  }
  if (data.runs.length === 0 && !options.findings)
    throw new UsageError(
      `history ${options.historyFile} has no scan yet; record one with signet scan --history`,
    );
  const now = options.now ?? new Date();
  const kpis = computeKpis(data, { period: 'month', count: 12, now });
  const findings = options.findings ?? latest.map(fromHistoryRow);
  const controls = judgeControls(findings);
  const generatedAt = now.toISOString();

  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.partial-`));
  try {
    const write = (name: string, content: string) => {
      const file = join(staging, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    };
    const recent = computeKpis(data, { period: '30d', count: 1, now });
    const markdown = summaryMarkdown(controls, recent, data.runs, findings, options, generatedAt);
    write('README.md', markdown);
    write('summary.html', summaryHtml(markdown));
    write('findings.json', `${JSON.stringify({ generatedAt, findings }, null, 2)}\n`);
    write(
      'controls.json',
      `${JSON.stringify(
        controls.map((c) => ({
          framework: c.framework,
          control: c.control.id,
          title: c.control.title,
          status: c.status,
          ...c.counts,
          rules: c.control.rules,
        })),
        null,
        2,
      )}\n`,
    );
    write('kpis.json', renderKpiJson(kpis));
    write('kpis.csv', renderKpiCsv(kpis));
    write('runs.json', `${JSON.stringify(data.runs, null, 2)}\n`);
    write('events.json', `${JSON.stringify(data.events, null, 2)}\n`);
    for (const a of options.attachments ?? []) write(a.name, a.content);
    for (const [i, proof] of (options.proofs ?? []).entries())
      write(`proofs/${i + 1}-${basename(proof)}`, readFileSync(proof, 'utf8'));
    const files = listFiles(staging);
    writeFileSync(
      join(staging, 'MANIFEST.sha256'),
      `${files.map((f) => `${sha256(join(staging, f))}  ${f}`).join('\n')}\n`,
    );
    if (existsSync(target)) rmdirSync(target);
    renameSync(staging, target);
    return { dir: target, files: [...files, 'MANIFEST.sha256'], controls };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
