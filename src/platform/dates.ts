import { DateTime } from 'luxon';
import { z } from 'zod';

/**
 * Calendar dates in a place's time zone. Dates are `YYYY-MM-DD` strings (see `isoDate` in
 * validation.ts); the zone arithmetic is luxon's, never hand-made.
 */

/** Today's date (YYYY-MM-DD) in an IANA time zone. */
export const todayIn = (timezone: string, now: Date): string => DateTime.fromJSDate(now).setZone(timezone).toISODate()!;

/** Whole days from `start` to `end` (negative when `end` comes first); both are calendar dates. */
export const daysBetween = (start: string, end: string): number =>
  DateTime.fromISO(end, { zone: 'utc' }).diff(DateTime.fromISO(start, { zone: 'utc' }), 'days').days;

/** A region's IANA zone (`Europe/Paris`) or UTC; bare abbreviations and offsets are refused. */
export const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
};

export const timeZone = z.string().trim().refine(isTimeZone, 'Must be an IANA time zone such as Europe/Paris.');
