// The history's entry points for commands: record an evaluated scan, read what KPIs need.
import type { SignetConfig } from '../config/schema.js';
import type { Finding } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import { computeKpis, type KpiData, type KpiReport } from './kpi.js';
import { runRecordFrom } from './record.js';
import { History } from './store.js';

export { History } from './store.js';

/** Appends one evaluated scan to the history file (created when absent); returns the run id. */
export async function recordScan(
  file: string,
  snapshot: Snapshot,
  findings: readonly Finding[],
  config: SignetConfig,
): Promise<{ runId: number; findings: number }> {
  const history = await History.open(file, { create: true });
  try {
    const record = runRecordFrom(snapshot, findings, config);
    return { runId: history.recordRun(record), findings: record.findings.length };
  } finally {
    history.close();
  }
}

export function kpiData(history: History): KpiData {
  return {
    runs: history.runs(),
    areas: history.areas(),
    episodes: history.episodes(),
    events: history.events(),
  };
}

export async function kpisFromFile(
  file: string,
  options: { period: string; count?: number; now?: Date },
): Promise<KpiReport> {
  const history = await History.open(file);
  try {
    return computeKpis(kpiData(history), options);
  } finally {
    history.close();
  }
}
