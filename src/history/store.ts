// The scan history: one SQLite file (WAL, migrations, one writer at a time) that keeps every run's
// metadata, per account-region coverage, every finding's status by its deterministic id, the FAIL
// episodes MTTR is computed from, and CloudTrail alert events from `signet watch`.
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { SEVERITY_ORDER, type Severity, type Status } from '../model/finding.js';
import type { AreaStats, HistoryEvent, RunRecord } from './record.js';
import { type DatabaseSync, loadSqlite } from './sqlite.js';

export const STATUS_CODES: readonly Status[] = ['PASS', 'FAIL', 'NOT_APPLICABLE', 'UNKNOWN', 'ERROR'];
export const FLAG_MUTED = 1;
export const FLAG_PRODUCTION = 2;
export const FLAG_IN_SCOPE = 4;

/** Each entry upgrades the schema by one version (PRAGMA user_version); never edit a released one. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    signet_version TEXT NOT NULL,
    accounts TEXT NOT NULL,
    regions TEXT NOT NULL,
    complete INTEGER NOT NULL,
    collection_errors INTEGER NOT NULL,
    findings INTEGER NOT NULL
  );
  CREATE INDEX runs_collected ON runs(collected_at);
  CREATE TABLE run_areas (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    in_scope INTEGER NOT NULL,
    enforced INTEGER NOT NULL,
    warn INTEGER NOT NULL,
    no_csc INTEGER NOT NULL,
    unknown_csc INTEGER NOT NULL,
    not_applicable INTEGER NOT NULL,
    prod_in_scope INTEGER NOT NULL,
    prod_enforced INTEGER NOT NULL,
    profiles_active INTEGER NOT NULL,
    profiles_canceled INTEGER NOT NULL,
    profiles_revoked INTEGER NOT NULL,
    PRIMARY KEY (run_id, account_id, region)
  ) WITHOUT ROWID;
  CREATE TABLE finding_keys (
    fid INTEGER PRIMARY KEY,
    finding_id TEXT NOT NULL UNIQUE,
    rule_id TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    last_message TEXT NOT NULL
  );
  CREATE TABLE observations (
    run_id INTEGER NOT NULL,
    fid INTEGER NOT NULL,
    status INTEGER NOT NULL,
    severity INTEGER NOT NULL,
    flags INTEGER NOT NULL,
    PRIMARY KEY (run_id, fid)
  ) WITHOUT ROWID;
  CREATE TABLE episodes (
    fid INTEGER NOT NULL,
    opened_run INTEGER NOT NULL,
    opened_at TEXT NOT NULL,
    severity TEXT NOT NULL,
    production INTEGER NOT NULL,
    closed_run INTEGER,
    closed_at TEXT,
    close_reason TEXT,
    PRIMARY KEY (fid, opened_run)
  ) WITHOUT ROWID;
  CREATE INDEX episodes_closed ON episodes(closed_at);
  CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    event_time TEXT NOT NULL,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    event_name TEXT NOT NULL,
    resource TEXT NOT NULL,
    principal TEXT NOT NULL,
    error_code TEXT,
    detail TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX events_time ON events(event_time);
  `,
];

export const HISTORY_SCHEMA_VERSION = MIGRATIONS.length;

export interface RunRow {
  id: number;
  kind: string;
  source: string;
  collectedAt: string;
  recordedAt: string;
  signetVersion: string;
  accounts: string[];
  regions: string[];
  complete: boolean;
  collectionErrors: number;
  findings: number;
}

/** A run's coverage of one account-region, as stored. */
export interface AreaRow extends AreaStats {
  runId: number;
}

export interface EpisodeRow {
  fid: number;
  findingId: string;
  ruleId: string;
  resourceName: string;
  accountId: string;
  region: string;
  openedAt: string;
  severity: Severity;
  production: boolean;
  closedAt?: string;
  closeReason?: 'resolved' | 'accepted' | 'gone';
}

export interface OpenFindingRow {
  findingId: string;
  ruleId: string;
  resourceType: string;
  resourceId: string;
  resourceName: string;
  accountId: string;
  region: string;
  status: Status;
  severity: Severity;
  muted: boolean;
  production: boolean;
  message: string;
  openedAt?: string;
}

export class History {
  private constructor(
    readonly file: string,
    private readonly db: DatabaseSync,
  ) {}

  /** Opens (creating when `create`) a history database and brings its schema up to date. */
  static async open(file: string, options: { create?: boolean; readOnly?: boolean } = {}): Promise<History> {
    if (!options.create && !existsSync(file)) {
      throw new UsageError(
        `history file ${file} does not exist; record scans into it first with 'signet scan --history ${file}'`,
      );
    }
    const { DatabaseSync } = await loadSqlite();
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(file, options.readOnly ? { readOnly: true } : {});
      db.exec('PRAGMA busy_timeout = 10000');
      if (!options.readOnly) db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
      db.exec('PRAGMA foreign_keys = ON');
    } catch (err) {
      throw new UsageError(
        `cannot open history file ${file}: ${(err as Error).message}; is it a Signet history?`,
        {
          cause: err,
        },
      );
    }
    const history = new History(file, db);
    try {
      history.migrate(Boolean(options.readOnly));
    } catch (err) {
      db.close();
      throw err;
    }
    return history;
  }

  private migrate(readOnly: boolean): void {
    let version: number;
    try {
      version = Number(
        (this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version,
      );
    } catch (err) {
      throw new UsageError(`${this.file} is not a SQLite database: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (version > MIGRATIONS.length) {
      throw new UsageError(
        `history file ${this.file} has schema version ${version}, newer than this Signet (${MIGRATIONS.length}); upgrade Signet`,
      );
    }
    if (version > 0) {
      const tables = this.db
        .prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name='runs'`)
        .all();
      if (tables.length === 0)
        throw new UsageError(`${this.file} is a SQLite database but not a Signet history (no runs table)`);
    } else {
      const tables = this.db.prepare(`SELECT name FROM sqlite_master WHERE type='table'`).all();
      if (tables.length > 0)
        throw new UsageError(`${this.file} is a SQLite database but not a Signet history; use a new file`);
    }
    if (version === MIGRATIONS.length) return;
    if (readOnly)
      throw new UsageError(
        `history file ${this.file} needs a schema upgrade; record a scan into it (or open it writable) first`,
      );
    this.transaction(() => {
      for (let v = version; v < MIGRATIONS.length; v++) this.db.exec(MIGRATIONS[v]!);
      this.db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
    });
  }

  /** BEGIN IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking. */
  private transaction<T>(run: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = run();
      this.db.exec('COMMIT');
      return out;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    this.db.close();
  }

  /** Appends a run. Runs are kept in collection order: an older run than the newest is refused. */
  recordRun(run: RunRecord): number {
    return this.transaction(() => {
      const latest = this.db
        .prepare('SELECT source, collected_at FROM runs ORDER BY collected_at DESC, id DESC LIMIT 1')
        .get() as { source: string; collected_at: string } | undefined;
      if (latest && latest.source !== run.source) {
        throw new UsageError(
          `history file ${this.file} holds ${latest.source} runs; record ${run.source} runs in a separate history file`,
        );
      }
      if (latest && latest.collected_at > run.collectedAt) {
        throw new UsageError(
          `history file ${this.file} already has a run collected at ${latest.collected_at}, after this one (${run.collectedAt}); history is kept in collection order`,
        );
      }
      const inserted = this.db
        .prepare(
          `INSERT INTO runs (kind, source, collected_at, recorded_at, signet_version, accounts, regions, complete, collection_errors, findings)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          run.kind,
          run.source,
          run.collectedAt,
          run.recordedAt,
          run.signetVersion,
          JSON.stringify(run.accounts),
          JSON.stringify(run.regions),
          run.complete ? 1 : 0,
          run.collectionErrors,
          run.findings.length,
        );
      const runId = Number(inserted.lastInsertRowid);
      const area = this.db.prepare(`INSERT INTO run_areas VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const a of run.areas) {
        area.run(
          runId,
          a.accountId,
          a.region,
          a.inScope,
          a.enforced,
          a.warn,
          a.noCsc,
          a.unknownCsc,
          a.notApplicable,
          a.prodInScope,
          a.prodEnforced,
          a.profilesActive,
          a.profilesCanceled,
          a.profilesRevoked,
        );
      }
      const fids = new Map<string, number>();
      for (const row of this.db.prepare('SELECT fid, finding_id FROM finding_keys').iterate() as Iterable<{
        fid: number;
        finding_id: string;
      }>)
        fids.set(row.finding_id, row.fid);
      const open = new Map<number, number>();
      for (const row of this.db
        .prepare('SELECT fid, opened_run FROM episodes WHERE closed_run IS NULL')
        .iterate() as Iterable<{ fid: number; opened_run: number }>)
        open.set(row.fid, row.opened_run);
      const insertKey = this.db.prepare(
        `INSERT INTO finding_keys (finding_id, rule_id, resource_type, resource_id, resource_name, account_id, region, last_message)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const updateMessage = this.db.prepare('UPDATE finding_keys SET last_message = ? WHERE fid = ?');
      const observe = this.db.prepare('INSERT OR REPLACE INTO observations VALUES (?, ?, ?, ?, ?)');
      const openEpisode = this.db.prepare(
        'INSERT INTO episodes (fid, opened_run, opened_at, severity, production) VALUES (?, ?, ?, ?, ?)',
      );
      const closeEpisode = this.db.prepare(
        'UPDATE episodes SET closed_run = ?, closed_at = ?, close_reason = ? WHERE fid = ? AND opened_run = ?',
      );
      const seen = new Set<number>();
      for (const f of run.findings) {
        let fid = fids.get(f.id);
        if (fid === undefined) {
          fid = Number(
            insertKey.run(
              f.id,
              f.ruleId,
              f.resourceType,
              f.resourceId,
              f.resourceName,
              f.accountId,
              f.region,
              f.message,
            ).lastInsertRowid,
          );
          fids.set(f.id, fid);
        } else {
          updateMessage.run(f.message, fid);
        }
        seen.add(fid);
        const flags =
          (f.muted ? FLAG_MUTED : 0) | (f.production ? FLAG_PRODUCTION : 0) | (f.inScope ? FLAG_IN_SCOPE : 0);
        observe.run(runId, fid, STATUS_CODES.indexOf(f.status), SEVERITY_ORDER.indexOf(f.severity), flags);
        const openedRun = open.get(fid);
        if (f.status === 'FAIL' && !f.muted) {
          if (openedRun === undefined) {
            openEpisode.run(fid, runId, run.collectedAt, f.severity, f.production ? 1 : 0);
            open.set(fid, runId);
          }
        } else if (openedRun !== undefined) {
          // UNKNOWN and ERROR say nothing about a fix: the episode stays open.
          const reason =
            f.status === 'PASS' || f.status === 'NOT_APPLICABLE'
              ? 'resolved'
              : f.status === 'FAIL' && f.muted
                ? 'accepted'
                : undefined;
          if (reason) {
            closeEpisode.run(runId, run.collectedAt, reason, fid, openedRun);
            open.delete(fid);
          }
        }
      }
      // A finding that no longer appears in a complete scan of its account-region is gone (the
      // resource was deleted); an incomplete scan proves nothing.
      if (open.size > 0 && run.completeAreas.length > 0) {
        const covered = new Set(run.completeAreas);
        const where = this.db.prepare('SELECT account_id, region FROM finding_keys WHERE fid = ?');
        for (const [fid, openedRun] of open) {
          if (seen.has(fid)) continue;
          const key = where.get(fid) as { account_id: string; region: string };
          if (!covered.has(`${key.account_id}|${key.region}`)) continue;
          closeEpisode.run(runId, run.collectedAt, 'gone', fid, openedRun);
        }
      }
      return runId;
    });
  }

  /** Stores alert events (deduplicated by CloudTrail event id); returns how many were new. */
  recordEvents(events: readonly HistoryEvent[]): number {
    if (events.length === 0) return 0;
    return this.transaction(() => {
      const insert = this.db.prepare('INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      let added = 0;
      for (const e of events) {
        const out = insert.run(
          e.eventId,
          e.kind,
          e.eventTime,
          e.accountId,
          e.region,
          e.eventName,
          e.resource,
          e.principal,
          e.errorCode ?? null,
          JSON.stringify(e.detail ?? {}),
        );
        added += Number(out.changes);
      }
      return added;
    });
  }

  runs(): RunRow[] {
    return (
      this.db.prepare('SELECT * FROM runs ORDER BY collected_at, id').all() as Record<string, unknown>[]
    ).map((r) => ({
      id: Number(r.id),
      kind: String(r.kind),
      source: String(r.source),
      collectedAt: String(r.collected_at),
      recordedAt: String(r.recorded_at),
      signetVersion: String(r.signet_version),
      accounts: JSON.parse(String(r.accounts)) as string[],
      regions: JSON.parse(String(r.regions)) as string[],
      complete: Number(r.complete) === 1,
      collectionErrors: Number(r.collection_errors),
      findings: Number(r.findings),
    }));
  }

  areas(): AreaRow[] {
    return (
      this.db.prepare('SELECT * FROM run_areas ORDER BY run_id').all() as Record<string, number | string>[]
    ).map((r) => ({
      runId: Number(r.run_id),
      accountId: String(r.account_id),
      region: String(r.region),
      inScope: Number(r.in_scope),
      enforced: Number(r.enforced),
      warn: Number(r.warn),
      noCsc: Number(r.no_csc),
      unknownCsc: Number(r.unknown_csc),
      notApplicable: Number(r.not_applicable),
      prodInScope: Number(r.prod_in_scope),
      prodEnforced: Number(r.prod_enforced),
      profilesActive: Number(r.profiles_active),
      profilesCanceled: Number(r.profiles_canceled),
      profilesRevoked: Number(r.profiles_revoked),
    }));
  }

  episodes(): EpisodeRow[] {
    const rows = this.db
      .prepare(
        `SELECT e.fid, k.finding_id, k.rule_id, k.resource_name, k.account_id, k.region, e.opened_at, e.severity,
                e.production, e.closed_at, e.close_reason
         FROM episodes e JOIN finding_keys k ON k.fid = e.fid ORDER BY e.opened_at, e.fid`,
      )
      .all() as Record<string, unknown>[];
    return rows.map((r) => ({
      fid: Number(r.fid),
      findingId: String(r.finding_id),
      ruleId: String(r.rule_id),
      resourceName: String(r.resource_name),
      accountId: String(r.account_id),
      region: String(r.region),
      openedAt: String(r.opened_at),
      severity: String(r.severity) as Severity,
      production: Number(r.production) === 1,
      ...(r.closed_at ? { closedAt: String(r.closed_at) } : {}),
      ...(r.close_reason ? { closeReason: String(r.close_reason) as EpisodeRow['closeReason'] } : {}),
    }));
  }

  events(options: { since?: string; limit?: number } = {}): HistoryEvent[] {
    const rows = this.db
      .prepare(`SELECT * FROM events WHERE event_time >= ? ORDER BY event_time DESC, event_id LIMIT ?`)
      .all(options.since ?? '', options.limit ?? -1) as Record<string, unknown>[];
    return rows.map((r) => ({
      eventId: String(r.event_id),
      kind: String(r.kind) as HistoryEvent['kind'],
      eventTime: String(r.event_time),
      accountId: String(r.account_id),
      region: String(r.region),
      eventName: String(r.event_name),
      resource: String(r.resource),
      principal: String(r.principal),
      ...(r.error_code ? { errorCode: String(r.error_code) } : {}),
      detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
    }));
  }

  /** The findings of the newest run (all statuses), with when each open FAIL was first seen. */
  latestFindings(): OpenFindingRow[] {
    const latest = this.db.prepare('SELECT id FROM runs ORDER BY collected_at DESC, id DESC LIMIT 1').get() as
      | { id: number }
      | undefined;
    if (!latest) return [];
    const rows = this.db
      .prepare(
        `SELECT k.finding_id, k.rule_id, k.resource_type, k.resource_id, k.resource_name, k.account_id, k.region,
                k.last_message, o.status, o.severity, o.flags, e.opened_at
         FROM observations o JOIN finding_keys k ON k.fid = o.fid
         LEFT JOIN episodes e ON e.fid = o.fid AND e.closed_run IS NULL
         WHERE o.run_id = ? ORDER BY o.severity DESC, k.rule_id, k.resource_name`,
      )
      .all(latest.id) as Record<string, unknown>[];
    return rows.map((r) => ({
      findingId: String(r.finding_id),
      ruleId: String(r.rule_id),
      resourceType: String(r.resource_type),
      resourceId: String(r.resource_id),
      resourceName: String(r.resource_name),
      accountId: String(r.account_id),
      region: String(r.region),
      status: STATUS_CODES[Number(r.status)]!,
      severity: SEVERITY_ORDER[Number(r.severity)]!,
      muted: (Number(r.flags) & FLAG_MUTED) !== 0,
      production: (Number(r.flags) & FLAG_PRODUCTION) !== 0,
      message: String(r.last_message),
      ...(r.opened_at ? { openedAt: String(r.opened_at) } : {}),
    }));
  }
}
