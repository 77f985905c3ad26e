// The four KPIs of the code signing programme, per period, overall and per account, computed purely
// from what the history holds: % of production (and in-scope) functions in Enforce, unsigned deployment
// attempts blocked, mean time to remediate, and active vs revoked signing profiles.
import { UsageError } from '../errors.js';
import { SEVERITY_ORDER, type Severity } from '../model/finding.js';
import type { HistoryEvent } from './record.js';
import type { AreaRow, EpisodeRow, RunRow } from './store.js';

export type PeriodSpec = { kind: 'days'; days: number } | { kind: 'month' };

export interface Period {
  label: string;
  /** Inclusive ISO start. */
  start: string;
  /** Exclusive ISO end. */
  end: string;
}

export function parsePeriod(value: string): PeriodSpec {
  if (value === 'month') return { kind: 'month' };
  const match = /^(\d{1,4})d$/.exec(value);
  const days = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(days) || days < 1 || days > 3660) {
    throw new UsageError(`--period ${value} must be 'month' or a number of days like '30d'`);
  }
  return { kind: 'days', days };
}

const DAY_MS = 86_400_000;

/** The `count` periods that end at `now`, oldest first; the last one is the current (partial) period. */
export function periodsEnding(now: Date, spec: PeriodSpec, count: number): Period[] {
  const out: Period[] = [];
  if (spec.kind === 'month') {
    let year = now.getUTCFullYear();
    let month = now.getUTCMonth();
    for (let i = 0; i < count; i++) {
      const start = new Date(Date.UTC(year, month, 1));
      const end = new Date(Date.UTC(year, month + 1, 1));
      out.unshift({
        label: start.toISOString().slice(0, 7),
        start: start.toISOString(),
        end: end.toISOString(),
      });
      month -= 1;
      if (month < 0) {
        month = 11;
        year -= 1;
      }
    }
    return out;
  }
  let end = now.getTime() + 1;
  for (let i = 0; i < count; i++) {
    const start = end - spec.days * DAY_MS;
    const s = new Date(start).toISOString();
    const e = new Date(end).toISOString();
    out.unshift({
      label: `${s.slice(0, 10)}..${new Date(end - 1).toISOString().slice(0, 10)}`,
      start: s,
      end: e,
    });
    end = start;
  }
  return out;
}

export interface Ratio {
  total: number;
  enforced: number;
  /** null when there is nothing to count (no function in scope). */
  percent: number | null;
}

export interface EnforcementKpi {
  /** The run the figures come from: the newest in the period. */
  asOf: string;
  /** False when that run could not read everything: figures may be low. */
  complete: boolean;
  production: Ratio;
  inScope: Ratio;
  warn: number;
  noCsc: number;
  unknownCsc: number;
}

export interface MttrBucket {
  resolved: number;
  meanHours: number | null;
}

export interface OpenBucket {
  open: number;
  meanAgeDays: number | null;
  oldestDays: number | null;
}

export interface MttrKpi extends MttrBucket {
  bySeverity: Record<Severity, MttrBucket>;
  /** Unmuted FAILs still open at the period's end. */
  open: OpenBucket & { bySeverity: Record<Severity, OpenBucket> };
  /** Closed because the resource disappeared or the finding was accepted (not counted in MTTR). */
  gone: number;
  accepted: number;
}

export interface PeriodKpis {
  period: Period;
  /** null when no run was recorded in the period. */
  enforcement: EnforcementKpi | null;
  blockedAttempts: number;
  warnedDeployments: number;
  mttr: MttrKpi;
  profiles: { active: number; canceled: number; revoked: number } | null;
}

export interface KpiTrend {
  productionEnforcedPoints: number | null;
  inScopeEnforcedPoints: number | null;
  blockedAttempts: number;
  mttrHours: number | null;
  openFindings: number;
  revokedProfiles: number | null;
}

export interface KpiReport {
  generatedAt: string;
  period: string;
  history: { runs: number; firstRun?: string; lastRun?: string; events: number };
  overall: PeriodKpis[];
  accounts: { accountId: string; periods: PeriodKpis[] }[];
  /** Current period minus previous period (overall). */
  trend: KpiTrend | null;
}

export interface KpiData {
  runs: readonly RunRow[];
  areas: readonly AreaRow[];
  episodes: readonly EpisodeRow[];
  events: readonly HistoryEvent[];
}

function ratio(total: number, enforced: number): Ratio {
  return { total, enforced, percent: total === 0 ? null : Math.round((enforced / total) * 1000) / 10 };
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function bySeverity<T>(make: () => T): Record<Severity, T> {
  return Object.fromEntries(SEVERITY_ORDER.map((s) => [s, make()])) as Record<Severity, T>;
}

function mttrFor(episodes: readonly EpisodeRow[], period: Period, now: Date): MttrKpi {
  const sums = bySeverity(() => ({ n: 0, hours: 0 }));
  let total = 0;
  let totalHours = 0;
  let gone = 0;
  let accepted = 0;
  const ages = bySeverity<number[]>(() => []);
  const endMs = Math.min(Date.parse(period.end), now.getTime());
  for (const e of episodes) {
    if (e.closedAt && e.closedAt >= period.start && e.closedAt < period.end) {
      if (e.closeReason === 'resolved') {
        const hours = (Date.parse(e.closedAt) - Date.parse(e.openedAt)) / 3_600_000;
        sums[e.severity].n += 1;
        sums[e.severity].hours += hours;
        total += 1;
        totalHours += hours;
      } else if (e.closeReason === 'gone') gone += 1;
      else if (e.closeReason === 'accepted') accepted += 1;
    }
    const openAtEnd = e.openedAt < period.end && (!e.closedAt || e.closedAt >= period.end);
    if (openAtEnd) ages[e.severity].push((endMs - Date.parse(e.openedAt)) / DAY_MS);
  }
  const openBucket = (list: number[]): OpenBucket => ({
    open: list.length,
    meanAgeDays: list.length ? round(list.reduce((a, b) => a + b, 0) / list.length) : null,
    oldestDays: list.length ? round(Math.max(...list)) : null,
  });
  const allAges = SEVERITY_ORDER.flatMap((s) => ages[s]);
  return {
    resolved: total,
    meanHours: total ? round(totalHours / total) : null,
    bySeverity: Object.fromEntries(
      SEVERITY_ORDER.map((s) => [
        s,
        { resolved: sums[s].n, meanHours: sums[s].n ? round(sums[s].hours / sums[s].n) : null },
      ]),
    ) as Record<Severity, MttrBucket>,
    open: {
      ...openBucket(allAges),
      bySeverity: Object.fromEntries(SEVERITY_ORDER.map((s) => [s, openBucket(ages[s])])) as Record<
        Severity,
        OpenBucket
      >,
    },
    gone,
    accepted,
  };
}

function periodKpis(
  data: KpiData,
  areasByRun: Map<number, AreaRow[]>,
  period: Period,
  now: Date,
  accountId?: string,
): PeriodKpis {
  const inPeriod = (t: string) => t >= period.start && t < period.end;
  const runs = data.runs.filter(
    (r) => inPeriod(r.collectedAt) && (accountId === undefined || r.accounts.includes(accountId)),
  );
  const latest = runs.at(-1);
  let enforcement: EnforcementKpi | null = null;
  let profiles: PeriodKpis['profiles'] = null;
  if (latest) {
    const areas = (areasByRun.get(latest.id) ?? []).filter(
      (a) => accountId === undefined || a.accountId === accountId,
    );
    const sum = (pick: (a: AreaRow) => number) => areas.reduce((n, a) => n + pick(a), 0);
    enforcement = {
      asOf: latest.collectedAt,
      complete: latest.complete,
      production: ratio(
        sum((a) => a.prodInScope),
        sum((a) => a.prodEnforced),
      ),
      inScope: ratio(
        sum((a) => a.inScope),
        sum((a) => a.enforced),
      ),
      warn: sum((a) => a.warn),
      noCsc: sum((a) => a.noCsc),
      unknownCsc: sum((a) => a.unknownCsc),
    };
    profiles = {
      active: sum((a) => a.profilesActive),
      canceled: sum((a) => a.profilesCanceled),
      revoked: sum((a) => a.profilesRevoked),
    };
  }
  const events = data.events.filter(
    (e) => inPeriod(e.eventTime) && (accountId === undefined || e.accountId === accountId),
  );
  const episodes =
    accountId === undefined ? data.episodes : data.episodes.filter((e) => e.accountId === accountId);
  return {
    period,
    enforcement,
    blockedAttempts: events.filter((e) => e.kind === 'deployment-blocked').length,
    warnedDeployments: events.filter((e) => e.kind === 'unverified-deployment-allowed').length,
    mttr: mttrFor(episodes, period, now),
    profiles,
  };
}

function trendOf(periods: readonly PeriodKpis[]): KpiTrend | null {
  const current = periods.at(-1);
  const previous = periods.at(-2);
  if (!current || !previous) return null;
  const diff = (a: number | null | undefined, b: number | null | undefined) =>
    a === null || a === undefined || b === null || b === undefined ? null : round(a - b);
  return {
    productionEnforcedPoints: diff(
      current.enforcement?.production.percent,
      previous.enforcement?.production.percent,
    ),
    inScopeEnforcedPoints: diff(current.enforcement?.inScope.percent, previous.enforcement?.inScope.percent),
    blockedAttempts: current.blockedAttempts - previous.blockedAttempts,
    mttrHours: diff(current.mttr.meanHours, previous.mttr.meanHours),
    openFindings: current.mttr.open.open - previous.mttr.open.open,
    revokedProfiles: diff(current.profiles?.revoked, previous.profiles?.revoked),
  };
}

export function computeKpis(
  data: KpiData,
  options: { period: string; count?: number; now?: Date },
): KpiReport {
  const now = options.now ?? new Date();
  const periods = periodsEnding(now, parsePeriod(options.period), options.count ?? 6);
  const areasByRun = new Map<number, AreaRow[]>();
  for (const area of data.areas) {
    const list = areasByRun.get(area.runId) ?? [];
    list.push(area);
    areasByRun.set(area.runId, list);
  }
  const overall = periods.map((p) => periodKpis(data, areasByRun, p, now));
  const accountIds = [
    ...new Set([...data.areas.map((a) => a.accountId), ...data.events.map((e) => e.accountId)]),
  ]
    .filter(Boolean)
    .sort();
  return {
    generatedAt: now.toISOString(),
    period: options.period,
    history: {
      runs: data.runs.length,
      ...(data.runs[0] ? { firstRun: data.runs[0].collectedAt } : {}),
      ...(data.runs.at(-1) ? { lastRun: data.runs.at(-1)!.collectedAt } : {}),
      events: data.events.length,
    },
    overall,
    accounts: accountIds.map((accountId) => ({
      accountId,
      periods: periods.map((p) => periodKpis(data, areasByRun, p, now, accountId)),
    })),
    trend: trendOf(overall),
  };
}
