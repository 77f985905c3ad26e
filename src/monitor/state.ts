// The watch cursor: per account-region, where the last poll ended and which event ids were already
// alerted within the overlap window; plus deliveries that failed and must be retried. Written
// atomically after every poll so a restart neither misses nor repeats an alert.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';
import type { Alert } from './classify.js';

/** CloudTrail delivers management events to LookupEvents with a delay: each poll re-reads this much. */
export const OVERLAP_MS = 15 * 60_000;

const AlertSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    severity: z.enum(['critical', 'high', 'medium']),
    title: z.string(),
    accountId: z.string(),
    region: z.string(),
    resource: z.string(),
    principal: z.string(),
    eventTime: z.string(),
    eventSource: z.string(),
    eventName: z.string(),
    next: z.string(),
  })
  .passthrough();

const StateSchema = z
  .object({
    version: z.literal(1),
    targets: z.record(
      z.string(),
      z.object({
        /** ISO end of the last successful poll. */
        cursor: z.string().datetime(),
        /** Event id → event time, for events already alerted inside the overlap window. */
        seen: z.record(z.string(), z.string()),
      }),
    ),
    pending: z.array(
      z.object({ sink: z.string(), alert: AlertSchema, attempts: z.number().int(), lastError: z.string() }),
    ),
  })
  .strict();

export interface PendingDelivery {
  sink: string;
  alert: Alert;
  attempts: number;
  lastError: string;
}

export interface WatchState {
  version: 1;
  targets: Record<string, { cursor: string; seen: Record<string, string> }>;
  pending: PendingDelivery[];
}

export function emptyState(): WatchState {
  return { version: 1, targets: {}, pending: [] };
}

export function loadState(file: string | undefined): WatchState {
  if (!file || !existsSync(file)) return emptyState();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(
      `watch state ${file} is not valid JSON (${(err as Error).message}); fix it or move it away (a new state re-reads --since and may repeat alerts)`,
      { cause: err },
    );
  }
  const parsed = StateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `watch state ${file} is not a Signet watch state (${issue.path.join('.') || 'root'}: ${issue.message}); move it away to start over`,
    );
  }
  return parsed.data as unknown as WatchState;
}

export function saveState(file: string | undefined, state: WatchState): void {
  if (!file) return;
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

/** Drops remembered ids that fell out of the overlap window. */
export function pruneSeen(seen: Record<string, string>, cursorMs: number): void {
  const horizon = cursorMs - OVERLAP_MS - 60_000;
  for (const [id, time] of Object.entries(seen)) if (Date.parse(time) < horizon) delete seen[id];
}
