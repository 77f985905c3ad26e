// Exceptions in the config: which are expired, the warning that says so, and the expired exception
// that would have muted a finding (reports show it, so a lapsed acceptance is visible, not silent).
import { matchWildcard } from '../util/wildcard.js';
import type { Exception, SignetConfig } from './schema.js';

/** `expires` is the last day the exception applies (UTC); from the next day on it is expired. */
export function isExpired(exception: Exception, now: Date): boolean {
  return exception.expires !== undefined && exception.expires < now.toISOString().slice(0, 10);
}

/** One warning line per expired exception, naming it, its expiry and the fix. */
export function expiredExceptionWarnings(config: SignetConfig, file: string, now: Date): string[] {
  const lines: string[] = [];
  config.exceptions.forEach((exception, i) => {
    if (isExpired(exception, now))
      lines.push(
        `${file}: exceptions.${i} (${exception.rule} ${exception.resource}) expired on ${exception.expires}; its findings are no longer muted: renew the date or remove it`,
      );
  });
  return lines;
}

/** The expired exception that matches one of `candidates` for `ruleId`, if any (the first in the file). */
export function expiredExceptionFor(
  config: SignetConfig,
  ruleId: string,
  candidates: readonly string[],
  now: Date,
): Exception | undefined {
  return config.exceptions.find(
    (e) =>
      (e.rule === '*' || e.rule === ruleId) &&
      isExpired(e, now) &&
      candidates.some((c) => matchWildcard(e.resource, c)),
  );
}
