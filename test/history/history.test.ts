// The scan history and its KPIs: runs recorded from real evaluations of builder snapshots, episodes
// opened and closed the way MTTR needs, and the four KPIs per period.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig, type SignetConfig } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { kpiData, recordScan } from '../../src/history/index.js';
import { computeKpis, parsePeriod, periodsEnding } from '../../src/history/kpi.js';
import { renderKpis } from '../../src/history/kpi-report.js';
import type { HistoryEvent } from '../../src/history/record.js';
import { runRecordFrom } from '../../src/history/record.js';
import { History } from '../../src/history/store.js';
import type { LambdaFunction, Snapshot } from '../../src/model/snapshot.js';
import { ACCOUNT, aCsc, aFunction, aProfile, aSnapshot, coverage, REGION } from '../helpers/builders.js';

const config: SignetConfig = defaultConfig();
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-history-'));
  file = join(dir, 'history.db');
});

const enforce = aCsc({ suffix: 'e', policy: 'Enforce' });
const warn = aCsc({ suffix: 'w', policy: 'Warn' });

function fleet(at: string, fns: LambdaFunction[], over: Partial<Snapshot> = {}): Snapshot {
  return aSnapshot({
    collectedAt: at,
    functions: fns,
    codeSigningConfigs: [enforce, warn],
    signingProfiles: [aProfile()],
    ...over,
  });
}

const prod = { env: 'prod' };
const unprotected = aFunction({ name: 'orders', tags: prod });
const attached = (fn: LambdaFunction, csc = enforce): LambdaFunction => ({
  ...fn,
  codeSigningConfig: { state: 'attached', id: csc.id },
});

async function record(snapshot: Snapshot, now = new Date(snapshot.collectedAt)) {
  return recordScan(file, snapshot, evaluate(snapshot, config, { now }).findings, config);
}

async function data() {
  const h = await History.open(file);
  try {
    return kpiData(h);
  } finally {
    h.close();
  }
}

describe('run records', () => {
  it('counts enforcement per account-region, production separately, images as not applicable', () => {
    const snapshot = fleet('2026-11-01T00:00:00Z', [
      attached(aFunction({ name: 'a', tags: prod })),
      attached(aFunction({ name: 'b' }), warn),
      aFunction({ name: 'c', tags: prod }),
      aFunction({ name: 'img', packageType: 'Image' }),
      { ...aFunction({ name: 'u' }), codeSigningConfig: { state: 'unresolved', reason: 'x' } },
    ]);
    const run = runRecordFrom(snapshot, evaluate(snapshot, config).findings, config);
    expect(run.areas).toEqual([
      expect.objectContaining({
        accountId: ACCOUNT,
        region: REGION,
        inScope: 4,
        enforced: 1,
        warn: 1,
        noCsc: 1,
        unknownCsc: 1,
        notApplicable: 1,
        prodInScope: 2,
        prodEnforced: 1,
        profilesActive: 1,
      }),
    ]);
    expect(run.complete).toBe(true);
  });

  it('marks a run with collection failures incomplete and keeps empty account-regions', () => {
    const snapshot = fleet('2026-11-01T00:00:00Z', [], {
      coverage: [
        ...coverage(),
        { accountId: '210987654321', region: 'eu-west-1', part: 'functions', status: 'failed' },
      ],
      collectionErrors: [
        {
          service: 'lambda',
          operation: 'ListFunctions',
          accountId: '210987654321',
          region: 'eu-west-1',
          errorCode: 'AccessDeniedException',
          message: 'denied',
          parts: ['functions'],
        },
      ],
    });
    const run = runRecordFrom(snapshot, [], config);
    expect(run.complete).toBe(false);
    expect(run.collectionErrors).toBe(1);
    expect(run.areas.map((a) => `${a.accountId}/${a.region}:${a.inScope}`)).toEqual([
      `${ACCOUNT}/${REGION}:0`,
      '210987654321/eu-west-1:0',
    ]);
  });
});

describe('history store', () => {
  it('refuses a missing file for reading and a foreign SQLite file', async () => {
    await expect(History.open(join(dir, 'nope.db'))).rejects.toThrow(/does not exist.*signet scan --history/);
    const other = join(dir, 'other.db');
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(other);
    db.exec('CREATE TABLE t (a)');
    db.close();
    await expect(History.open(other)).rejects.toThrow(/not a Signet history/);
    const text = join(dir, 'text.db');
    writeFileSync(text, 'hello, this is not sqlite at all, not even close to a header');
    await expect(History.open(text, { create: true })).rejects.toThrow(
      /not a (SQLite database|Signet history)|cannot open/,
    );
  });

  it('keeps runs in collection order and one source per file', async () => {
    await record(fleet('2026-11-02T00:00:00Z', [unprotected]));
    await expect(record(fleet('2026-11-01T00:00:00Z', [unprotected]))).rejects.toThrow(/collection order/);
    const iac = { ...fleet('2026-11-03T00:00:00Z', []), source: 'iac' as const };
    await expect(recordScan(file, iac, [], config)).rejects.toThrow(/separate history file/);
    const h = await History.open(file);
    expect(h.runs()).toHaveLength(1);
    h.close();
  });

  it('reopens an existing history without migrating again, and stores every finding of a run', async () => {
    const first = await record(fleet('2026-11-01T00:00:00Z', [unprotected]));
    const second = await record(fleet('2026-11-02T00:00:00Z', [unprotected]));
    expect(second.runId).toBe(first.runId + 1);
    const h = await History.open(file);
    const latest = h.latestFindings();
    expect(latest.length).toBe(second.findings);
    const sgn001 = latest.find((f) => f.ruleId === 'SGN-001')!;
    expect(sgn001).toMatchObject({ status: 'FAIL', production: true, resourceName: 'orders' });
    expect(sgn001.openedAt).toBe('2026-11-01T00:00:00Z');
    h.close();
  });

  it('opens an episode at the first unmuted FAIL and closes it at the first PASS (MTTR)', async () => {
    await record(fleet('2026-11-01T00:00:00Z', [unprotected]));
    await record(fleet('2026-11-01T12:00:00Z', [unprotected]));
    await record(fleet('2026-11-02T00:00:00Z', [attached(unprotected)]));
    const { episodes } = await data();
    const sgn001 = episodes.find((e) => e.ruleId === 'SGN-001')!;
    expect(sgn001).toMatchObject({
      openedAt: '2026-11-01T00:00:00Z',
      closedAt: '2026-11-02T00:00:00Z',
      closeReason: 'resolved',
      production: true,
    });
    // The same finding failing again opens a new episode.
    await record(fleet('2026-11-03T00:00:00Z', [unprotected]));
    const again = (await data()).episodes.filter((e) => e.ruleId === 'SGN-001');
    expect(again).toHaveLength(2);
    expect(again[1]).toMatchObject({ openedAt: '2026-11-03T00:00:00Z' });
    expect(again[1]!.closedAt).toBeUndefined();
  });

  it('keeps an episode open through UNKNOWN, closes it as accepted when muted, as gone when the function is deleted', async () => {
    const other = aFunction({ name: 'billing' });
    await record(fleet('2026-11-01T00:00:00Z', [unprotected, other]));
    // Functions could not be read: SGN-001 is UNKNOWN, nothing is fixed.
    await record(
      fleet('2026-11-02T00:00:00Z', [unprotected, other], {
        coverage: coverage('failed', ['cscAttachments']).concat(
          coverage('ok').filter((c) => c.part !== 'cscAttachments'),
        ),
      }),
    );
    let eps = (await data()).episodes.filter((e) => e.ruleId === 'SGN-001');
    expect(eps.every((e) => e.closedAt === undefined)).toBe(true);
    // An exception mutes orders; billing is deleted.
    const muted: SignetConfig = {
      ...config,
      exceptions: [{ rule: 'SGN-001', resource: 'orders', reason: 'legacy, replaced in Q1' }],
    };
    const snapshot = fleet('2026-11-03T00:00:00Z', [unprotected]);
    await recordScan(file, snapshot, evaluate(snapshot, muted).findings, muted);
    eps = (await data()).episodes.filter((e) => e.ruleId === 'SGN-001');
    expect(eps.find((e) => e.resourceName === 'orders')).toMatchObject({ closeReason: 'accepted' });
    expect(eps.find((e) => e.resourceName === 'billing')).toMatchObject({ closeReason: 'gone' });
  });

  it('does not close episodes as gone when the scan was incomplete or did not cover the account-region', async () => {
    await record(fleet('2026-11-01T00:00:00Z', [unprotected]));
    await record(
      fleet('2026-11-02T00:00:00Z', [], {
        coverage: coverage('failed', ['functions']).concat(
          coverage('ok').filter((c) => c.part !== 'functions'),
        ),
      }),
    );
    await record(
      fleet('2026-11-03T00:00:00Z', [], {
        accounts: [{ accountId: '210987654321' }],
        coverage: coverage().map((c) => ({ ...c, accountId: '210987654321' })),
      }),
    );
    const eps = (await data()).episodes.filter((e) => e.ruleId === 'SGN-001');
    expect(eps[0]!.closedAt).toBeUndefined();
  });

  it('deduplicates alert events by CloudTrail event id', async () => {
    await record(fleet('2026-11-01T00:00:00Z', []));
    const h = await History.open(file);
    const event: HistoryEvent = {
      eventId: 'e-1',
      kind: 'deployment-blocked',
      eventTime: '2026-11-01T10:00:00Z',
      accountId: ACCOUNT,
      region: REGION,
      eventName: 'UpdateFunctionCode20150331v2',
      resource: 'orders',
      principal: 'arn:aws:iam::123456789012:user/alice',
      errorCode: 'CodeVerificationFailedException',
    };
    expect(h.recordEvents([event, { ...event, eventId: 'e-2' }])).toBe(2);
    expect(h.recordEvents([event])).toBe(0);
    expect(h.events().map((e) => e.eventId)).toEqual(['e-1', 'e-2']);
    h.close();
  });
});

describe('periods', () => {
  it('parses month and N days, and refuses anything else in one line', () => {
    expect(parsePeriod('month')).toEqual({ kind: 'month' });
    expect(parsePeriod('30d')).toEqual({ kind: 'days', days: 30 });
    for (const bad of ['0d', '30', 'week', '-1d', '99999d'])
      expect(() => parsePeriod(bad)).toThrow(/--period/);
  });

  it('lays calendar months and rolling windows back from now, oldest first', () => {
    const now = new Date('2026-03-15T10:00:00Z');
    expect(periodsEnding(now, { kind: 'month' }, 3).map((p) => [p.label, p.start, p.end])).toEqual([
      ['2026-01', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
      ['2026-02', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
      ['2026-03', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ]);
    const year = periodsEnding(new Date('2026-01-10T00:00:00Z'), { kind: 'month' }, 2);
    expect(year.map((p) => p.label)).toEqual(['2025-12', '2026-01']);
    const days = periodsEnding(now, { kind: 'days', days: 7 }, 2);
    expect(days[1]!.end > now.toISOString()).toBe(true);
    expect(Date.parse(days[1]!.end) - Date.parse(days[1]!.start)).toBe(7 * 86_400_000);
    expect(days[0]!.end).toBe(days[1]!.start);
  });
});

describe('KPIs', () => {
  it('reports % in Enforce, blocked attempts, MTTR by severity and profiles per period, with a trend', async () => {
    const a = aFunction({ name: 'a', tags: prod });
    const b = aFunction({ name: 'b', tags: prod });
    const c = aFunction({ name: 'c' });
    // October: 1 of 2 production functions enforced, c unprotected.
    await record(fleet('2026-10-10T00:00:00Z', [attached(a), b, c]));
    // November: b fixed after 36 h... and later everything enforced.
    await record(fleet('2026-11-01T00:00:00Z', [attached(a), b, c]));
    await record(
      fleet('2026-11-02T12:00:00Z', [attached(a), attached(b), attached(c, warn)], {
        signingProfiles: [aProfile(), aProfile({ name: 'old', id: 'old', status: 'Revoked' })],
      }),
    );
    const h = await History.open(file);
    h.recordEvents([
      {
        eventId: 'x1',
        kind: 'deployment-blocked',
        eventTime: '2026-11-05T00:00:00Z',
        accountId: ACCOUNT,
        region: REGION,
        eventName: 'UpdateFunctionCode20150331v2',
        resource: 'b',
        principal: 'alice',
      },
      {
        eventId: 'x2',
        kind: 'deployment-blocked',
        eventTime: '2026-10-05T00:00:00Z',
        accountId: ACCOUNT,
        region: REGION,
        eventName: 'CreateFunction20150331',
        resource: 'z',
        principal: 'bob',
      },
      {
        eventId: 'x3',
        kind: 'unverified-deployment-allowed',
        eventTime: '2026-11-06T00:00:00Z',
        accountId: ACCOUNT,
        region: REGION,
        eventName: 'UpdateFunctionCode20150331v2',
        resource: 'c',
        principal: 'bob',
      },
    ]);
    const report = computeKpis(kpiData(h), {
      period: 'month',
      count: 3,
      now: new Date('2026-11-20T00:00:00Z'),
    });
    h.close();
    const [sep, oct, nov] = report.overall;
    expect(sep!.enforcement).toBeNull();
    expect(oct!.enforcement).toMatchObject({
      production: { total: 2, enforced: 1, percent: 50 },
      inScope: { total: 3, enforced: 1 },
    });
    expect(nov!.enforcement).toMatchObject({
      asOf: '2026-11-02T12:00:00Z',
      production: { total: 2, enforced: 2, percent: 100 },
      inScope: { total: 3, enforced: 2, percent: 66.7 },
      warn: 1,
    });
    expect([oct!.blockedAttempts, nov!.blockedAttempts, nov!.warnedDeployments]).toEqual([1, 1, 1]);
    expect(nov!.profiles).toEqual({ active: 1, canceled: 0, revoked: 1 });
    // b's SGN-001 FAIL: opened 2026-10-10, fixed 2026-11-02T12:00 → 23.5 days.
    const hours = (Date.parse('2026-11-02T12:00:00Z') - Date.parse('2026-10-10T00:00:00Z')) / 3_600_000;
    expect(nov!.mttr.resolved).toBeGreaterThanOrEqual(1);
    const sgn001Severity = nov!.mttr.bySeverity.critical.resolved > 0 ? 'critical' : 'high';
    expect(nov!.mttr.bySeverity[sgn001Severity].meanHours).toBe(hours);
    expect(oct!.mttr.resolved).toBe(0);
    expect(oct!.mttr.open.open).toBeGreaterThan(0);
    expect(report.trend).toMatchObject({ productionEnforcedPoints: 50, blockedAttempts: 0 });
    expect(report.accounts.map((x) => x.accountId)).toEqual([ACCOUNT]);

    for (const format of ['console', 'json', 'csv', 'markdown'] as const) {
      const text = renderKpis(format, report);
      expect(text).toContain(format === 'json' ? '"percent": 100' : format === 'csv' ? ',2,2,100,' : '100%');
    }
    const console = renderKpis('console', report).split('\n');
    expect(console.find((l) => l.startsWith('2026-11 '))).toMatch(
      /^2026-11 +100% \(2\/2\) +66\.7% \(2\/3\) +1 +1 /,
    );
    const csv = renderKpis('csv', report).split('\r\n');
    expect(csv[0]).toMatch(/^scope,period,start,end/);
    expect(csv.filter((l) => l.startsWith('overall,'))).toHaveLength(3);
  });

  it('says a period had no scan instead of 0 %, and null percent when nothing is in scope', async () => {
    await record(fleet('2026-11-01T00:00:00Z', []));
    const report = computeKpis(await data(), {
      period: '7d',
      count: 2,
      now: new Date('2026-11-03T00:00:00Z'),
    });
    expect(report.overall[0]!.enforcement).toBeNull();
    expect(report.overall[1]!.enforcement!.production.percent).toBeNull();
    expect(renderKpis('console', report)).toContain('no scan');
  });
});
