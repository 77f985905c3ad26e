// The demo's history: the scan it just made, a remediation of the production functions (a real
// `signet plan` + apply against the sandbox), unsigned deploy attempts that Lambda now blocks (seen by
// `signet watch`), and a second scan — so `signet kpi` and `signet dashboard` have real data to show.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '../aws/clients.js';
import type { SignetConfig } from '../config/schema.js';
import type { Snapshot } from '../model/snapshot.js';

export interface DemoHistoryOptions {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  homeRegion: string;
  snapshot: Snapshot;
  config: SignetConfig;
  log: (line: string) => void;
}

/** How long before "now" the demo files its first scan, so the KPIs span a visible remediation time. */
const FIRST_SCAN_AGE_MS = 3 * 86_400_000;

export async function recordDemoHistory(options: DemoHistoryOptions): Promise<string> {
  const [
    { evaluate },
    { recordScan },
    { planFromSnapshot },
    { applyPlan },
    { Actors },
    calls,
    { collectSnapshot },
  ] = await Promise.all([
    import('../engine/evaluate.js'),
    import('../history/index.js'),
    import('../remediate/run-plan.js'),
    import('../remediate/apply.js'),
    import('../aws/act/targets.js'),
    import('../aws/calls.js'),
    import('../aws/collect/scan.js'),
  ]);
  const { runWatch } = await import('../monitor/run.js');
  const { attemptUnsignedDeploys } = await import('../sandbox/seeds/attempts.js');
  const dir = mkdtempSync(join(tmpdir(), 'signet-demo-history-'));
  const file = join(dir, 'history.db');
  const { config, log } = options;
  // The scan just made is filed three days back: the "before" of the story.
  const before = { ...options.snapshot, collectedAt: new Date(Date.now() - FIRST_SCAN_AGE_MS).toISOString() };
  await recordScan(
    file,
    before,
    evaluate(before, config, { now: new Date(before.collectedAt) }).findings,
    config,
  );

  // Remediate: attach Enforce CSCs where there are none, flip Warn ones, replace untrusted publishers.
  const plan = planFromSnapshot(options.snapshot, config, { stage: 'enforce' });
  const actors = new Actors({
    endpoint: options.endpoint,
    homeRegion: options.homeRegion,
    credentials: options.credentials as Credentials,
    roleName: 'OrganizationAccountAccessRole',
    declared: calls.APPLY_CALLS,
    sessionName: 'signet-demo',
  });
  const applied = await applyPlan(plan, {
    journalFile: join(dir, 'plan.json.journal'),
    resume: false,
    actors,
  });
  const attached = plan.steps.flatMap((s) => (s.action === 'attach-code-signing-config' ? [s.target] : []));
  const done = applied.reports.filter((r) => r.outcome === 'done').length;

  // Someone then hot-fixes two remediated functions by hand: Lambda blocks it, watch records it.
  const blocked = await attemptUnsignedDeploys(options.endpoint, options.credentials, attached.slice(0, 2));
  await runWatch({
    endpoint: options.endpoint,
    credentials: options.credentials,
    homeRegion: options.homeRegion,
    org: true,
    roleName: 'OrganizationAccountAccessRole',
    regions: options.snapshot.regions,
    once: true,
    sinceMs: 3_600_000,
    intervalMs: 60_000,
    webhooks: [],
    topics: [],
    format: 'json',
    historyFile: file,
    stdout: () => {},
    log: () => {},
  });

  const after = await collectSnapshot({
    endpoint: options.endpoint,
    credentials: options.credentials,
    homeRegion: options.homeRegion,
    org: true,
  });
  await recordScan(file, after, evaluate(after, config).findings, config);
  log(
    `\nKPI history (demo): the scan above filed as 3 days ago, a remediation (${done} of ${plan.steps.length} plan steps applied), ${blocked} unsigned hot-fix(es) blocked and seen by signet watch, and a second scan:\n  npx signet kpi --history ${file}\n  npx signet dashboard --history ${file}    (then open http://127.0.0.1:8765/)\n  npx signet evidence --history ${file} --output signet-evidence`,
  );
  return file;
}
