// Timestamps in snapshots and config: ISO 8601 dates that exist on the calendar. `Date.parse` alone
// accepts too much (and "garbage" becomes NaN, which compares false and turns an expired signature
// into a valid one), so a snapshot or config with an impossible date is refused instead.
import { z } from 'zod';

// 2026-01-31, 2026-01-31T12:00Z, 2026-01-31T12:00:00.000Z, Lambda's 2026-01-31T12:00:00.000+0000.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** True for a calendar date (`YYYY-MM-DD`) that exists: not 2027-13-45, not 2026-02-30. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0..99 to 1900..1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** True for an ISO 8601 date or date-time whose every field is possible. */
export function isValidTimestamp(value: string): boolean {
  const m = ISO.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, zone] = m;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return false;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59)))
    return false;
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    if (Number(digits.slice(1, 3)) > 23 || Number(digits.slice(3, 5)) > 59) return false;
  }
  return !Number.isNaN(Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
}

/** A zod string that must be a valid ISO 8601 timestamp (see {@link isValidTimestamp}). */
export const Timestamp = z
  .string()
  .refine(isValidTimestamp, { message: 'must be an ISO 8601 date-time like 2026-01-31T12:00:00Z' });

/** A zod `YYYY-MM-DD` date that exists on the calendar. */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2027-01-31')
  .refine((v) => isCalendarDate(Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10))), {
    message: 'is not a real calendar date; use YYYY-MM-DD like 2027-01-31',
  });
