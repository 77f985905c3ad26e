// Benchmark: a scan history of SCANS runs × FINDINGS findings (default 1,000 × 10,000), then
// `signet kpi` on it as a user runs it (the built CLI, a child process). Prints database size, time to
// record one run, and kpi wall time and peak RSS. Usage: node bench/history/run.mjs [SCANS] [FINDINGS]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { History } from '../../dist/history/store.js';

const SCANS = Number(process.argv[2] ?? 1000);
const FINDINGS = Number(process.argv[3] ?? 10000);
const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const RULES = ['SGN-001', 'SGN-002', 'SGN-003', 'SGN-004', 'SGN-005', 'SGN-006', 'SGN-007', 'SGN-008'];
const SEVERITIES = ['critical', 'high', 'medium', 'low'];

const dir = mkdtempSync(join(tmpdir(), 'signet-bench-history-'));
const file = join(dir, 'history.db');
const history = await History.open(file, { create: true });
const start = Date.parse('2024-03-01T00:00:00Z');
// A finding fails in some scans: each one is remediated after a while and some regress later.
const status = (f, s) => ((f * 7919 + Math.floor(s / (5 + (f % 40)))) % 10 < 3 ? 'FAIL' : 'PASS');
let recordMs = 0;
const t0 = performance.now();
for (let s = 0; s < SCANS; s++) {
  const collectedAt = new Date(start + s * 86_400_000).toISOString();
  const findings = [];
  for (let f = 0; f < FINDINGS; f++) {
    const account = ACCOUNTS[f % ACCOUNTS.length];
    const region = REGIONS[(f >> 3) % REGIONS.length];
    findings.push({
      id: `f${f.toString(16).padStart(8, '0')}`,
      ruleId: RULES[f % RULES.length],
      status: status(f, s),
      severity: SEVERITIES[f % SEVERITIES.length],
      muted: f % 97 === 0,
      production: f % 3 === 0,
      inScope: true,
      resourceType: 'function',
      resourceId: `arn:aws:lambda:${region}:${account}:function:fn-${f}`,
      resourceName: `fn-${f}`,
      accountId: account,
      region,
      message: `fn-${f} finding in scan ${s}`,
    });
  }
  const areas = ACCOUNTS.flatMap((accountId) =>
    REGIONS.map((region) => ({
      accountId,
      region,
      inScope: FINDINGS / 80,
      enforced: Math.min(FINDINGS / 80, Math.floor((s / SCANS) * (FINDINGS / 80))),
      warn: 0,
      noCsc: 0,
      unknownCsc: 0,
      notApplicable: 0,
      prodInScope: FINDINGS / 240,
      prodEnforced: Math.min(FINDINGS / 240, Math.floor((s / SCANS) * (FINDINGS / 200))),
      profilesActive: 2,
      profilesCanceled: 0,
      profilesRevoked: s > SCANS / 2 ? 1 : 0,
    })),
  );
  const r0 = performance.now();
  history.recordRun({
    kind: 'scan',
    source: 'aws',
    collectedAt,
    recordedAt: collectedAt,
    signetVersion: 'bench',
    accounts: ACCOUNTS,
    regions: REGIONS,
    complete: true,
    collectionErrors: 0,
    areas,
    completeAreas: areas.map((a) => `${a.accountId}|${a.region}`),
    findings,
  });
  recordMs += performance.now() - r0;
  if ((s + 1) % 100 === 0) process.stderr.write(`recorded ${s + 1}/${SCANS} runs\n`);
}
history.close();
const buildS = (performance.now() - t0) / 1000;
const bytes = statSync(file).size;
const kpiStart = performance.now();
const kpi = spawnSync(
  '/usr/bin/time',
  [
    '-f',
    '%M',
    process.execPath,
    'dist/cli/main.js',
    'kpi',
    '--history',
    file,
    '--period',
    'month',
    '--periods',
    '12',
    '--format',
    'json',
  ],
  { encoding: 'utf8', maxBuffer: 1 << 26 },
);
const kpiMs = performance.now() - kpiStart;
if (kpi.status !== 0) throw new Error(`signet kpi failed: ${kpi.stderr}`);
JSON.parse(kpi.stdout);
const peakKb = Number(kpi.stderr.trim().split('\n').pop());
console.log(
  JSON.stringify(
    {
      scans: SCANS,
      findingsPerScan: FINDINGS,
      observations: SCANS * FINDINGS,
      databaseMB: Math.round(bytes / 1e5) / 10,
      bytesPerObservation: Math.round((bytes / (SCANS * FINDINGS)) * 10) / 10,
      buildSeconds: Math.round(buildS * 10) / 10,
      recordOneRunMs: Math.round(recordMs / SCANS),
      kpiMs: Math.round(kpiMs),
      kpiPeakRssMB: Math.round(peakKb / 1024),
    },
    null,
    2,
  ),
);
