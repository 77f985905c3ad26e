// One poll of CloudTrail across account-regions: read Lambda and Signer management events since the
// cursor (with an overlap for CloudTrail's delivery delay), turn them into alerts, skip those already
// sent, deliver to every sink, and move the cursor. Failed reads leave their cursor where it was.
import { type CloudTrailClient, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { describeError as describe } from '../aws/errors.js';
import { type Alert, classifyEvent, type TrailEvent } from './classify.js';
import { deliverWithRetry, type RetryOptions, type Sink } from './sinks.js';
import { OVERLAP_MS, type PendingDelivery, pruneSeen, type WatchState } from './state.js';

/** Event sources that carry code signing events (LookupEvents takes one attribute per call). */
export const WATCHED_SOURCES = ['lambda.amazonaws.com', 'signer.amazonaws.com'] as const;

export interface WatchTarget {
  accountId: string;
  region: string;
  cloudtrail: CloudTrailClient;
}

export interface PollOptions {
  now: Date;
  /** Where a target without a cursor starts reading (ms before now). */
  sinceMs: number;
  retry?: RetryOptions;
  /** Called for every alert once it was handed to every sink (delivered or kept pending). */
  onAlert?(alert: Alert): void;
  log(line: string): void;
}

export interface PollResult {
  alerts: Alert[];
  /** Account-regions whose events could not be read this time (their cursor did not move). */
  failedTargets: { accountId: string; region: string; error: string }[];
  /** Deliveries still failing after retries (kept in the state for the next poll). */
  pending: PendingDelivery[];
}

function key(t: { accountId: string; region: string }): string {
  return `${t.accountId}|${t.region}`;
}

async function readEvents(target: WatchTarget, start: Date, end: Date): Promise<TrailEvent[]> {
  const out: TrailEvent[] = [];
  for (const source of WATCHED_SOURCES) {
    for await (const page of paginateLookupEvents(
      { client: target.cloudtrail },
      {
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: source }],
        StartTime: start,
        EndTime: end,
        MaxResults: 50,
      },
    )) {
      out.push(...(page.Events ?? []));
    }
  }
  return out;
}

async function deliverAll(
  alert: Alert,
  sinks: readonly Sink[],
  state: WatchState,
  options: PollOptions,
): Promise<void> {
  for (const sink of sinks) {
    try {
      await deliverWithRetry(sink, alert, options.retry);
    } catch (err) {
      const lastError = describe(err);
      options.log(
        `signet: could not deliver alert ${alert.id} to ${sink.name} (${lastError}); kept for the next poll`,
      );
      state.pending.push({ sink: sink.name, alert, attempts: 1, lastError });
    }
  }
}

/** Retries deliveries that failed in earlier polls, before any new alert (keeps order per sink). */
async function retryPending(sinks: readonly Sink[], state: WatchState, options: PollOptions): Promise<void> {
  const pending = state.pending.splice(0);
  for (const entry of pending) {
    const sink = sinks.find((s) => s.name === entry.sink);
    if (!sink) {
      options.log(
        `signet: alert ${entry.alert.id} is pending for ${entry.sink}, which this run does not have; kept (pass the same sinks to deliver it)`,
      );
      state.pending.push(entry);
      continue;
    }
    try {
      await deliverWithRetry(sink, entry.alert, options.retry);
    } catch (err) {
      state.pending.push({ ...entry, attempts: entry.attempts + 1, lastError: describe(err) });
    }
  }
}

export async function pollOnce(
  targets: readonly WatchTarget[],
  sinks: readonly Sink[],
  state: WatchState,
  options: PollOptions,
): Promise<PollResult> {
  await retryPending(sinks, state, options);
  const end = options.now;
  const failedTargets: PollResult['failedTargets'] = [];
  const fresh: Alert[] = [];
  const reads = await Promise.all(
    targets.map(async (target) => {
      const cursor = state.targets[key(target)];
      const start = cursor
        ? new Date(Date.parse(cursor.cursor) - OVERLAP_MS)
        : new Date(end.getTime() - options.sinceMs);
      try {
        return { target, events: await readEvents(target, start, end) };
      } catch (err) {
        failedTargets.push({ accountId: target.accountId, region: target.region, error: describe(err) });
        return undefined;
      }
    }),
  );
  for (const read of reads) {
    if (!read) continue;
    const k = key(read.target);
    const entry = state.targets[k] ?? { cursor: end.toISOString(), seen: {} };
    for (const event of read.events) {
      const alert = classifyEvent(event, read.target.accountId, read.target.region);
      if (!alert || entry.seen[alert.id]) continue;
      entry.seen[alert.id] = alert.eventTime;
      fresh.push(alert);
    }
    entry.cursor = end.toISOString();
    pruneSeen(entry.seen, end.getTime());
    state.targets[k] = entry;
  }
  // The same event can reach two account-regions' trails (cross-account calls): alert once.
  const unique = [...new Map(fresh.map((a) => [a.id, a])).values()].sort((a, b) =>
    a.eventTime === b.eventTime ? a.id.localeCompare(b.id) : a.eventTime.localeCompare(b.eventTime),
  );
  for (const alert of unique) {
    await deliverAll(alert, sinks, state, options);
    options.onAlert?.(alert);
  }
  return { alerts: unique, failedTargets, pending: state.pending };
}
