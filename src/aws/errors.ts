// How an AWS error is written down: its code and the first line of its message, bounded, the same in
// collection errors (snapshots, reports) and in one-line messages.
import { isSignetError } from '../errors.js';

const MAX_MESSAGE = 500;

/** The error's code (`name`, else a query-protocol `Code`) and its message's first line (≤ 500 chars). */
export function awsErrorOf(err: unknown): { errorCode: string; message: string } {
  const e = (err ?? {}) as { name?: unknown; Code?: unknown; message?: unknown };
  const code =
    typeof e.name === 'string' && e.name ? e.name : typeof e.Code === 'string' && e.Code ? e.Code : 'Error';
  const text = typeof e.message === 'string' ? e.message : String(err);
  return { errorCode: code, message: text.split('\n')[0]!.slice(0, MAX_MESSAGE) };
}

/**
 * A failed read as collection errors record it. Signet's own errors (an undeclared call) are bugs to
 * surface, not data gaps to record: they are thrown again (brand check, not `name`).
 */
export function collectionErrorOf(err: unknown): { errorCode: string; message: string } {
  if (isSignetError(err)) throw err;
  return awsErrorOf(err);
}

/** `Code: first line of the message`, for one-line reports. */
export function describeError(err: unknown): string {
  const { errorCode, message } = awsErrorOf(err);
  return `${errorCode}: ${message}`;
}
