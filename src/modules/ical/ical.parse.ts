import { DateTime } from 'luxon';
import type NodeIcal from 'node-ical';
import type { VEvent } from 'node-ical';
import type { ImportedRange } from './ical.table.js';

/** How far ahead imported events (and recurring ones' instances) are read, in days from today. */
export const IMPORT_DAYS_AHEAD = 730;
/** Event instances read from one feed at most (after expansion): a bound on the work a feed can cause. */
export const MAX_IMPORTED_INSTANCES = 20_000;

/** A body that is not an iCalendar document (or that the parser refuses). */
export class FeedParseError extends Error {
  constructor() {
    super('The answer is not an iCalendar feed.');
  }
}

export interface ParsedFeed {
  /** Event instances (recurrences expanded) touching [today, today + 730 days). */
  events: number;
  /** Their nights, merged where they overlap or touch, in date order. */
  ranges: ImportedRange[];
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A DATE value as the parser gives it: midnight of that day in the process's zone. */
const localDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const plusDays = (iso: string, days: number) => DateTime.fromISO(iso, { zone: 'utc' }).plus({ days }).toISODate()!;

/**
 * The nights an event instance covers, `[start, end)` as dates. All-day events: their DATE
 * values as written (DTEND exclusive; one night when it is missing). Timed events: from
 * the date of their start to the date of their end, both in the place's time zone, end
 * exclusive, and at least one night — a stay from 15:00 on the 10th to 11:00 on the 12th
 * covers the nights of the 10th and 11th; a meeting within one day blocks that day's night.
 */
export function nightsOf(
  instance: { start: Date; end?: Date | null; isFullDay: boolean },
  timezone: string,
): { start: string; end: string } {
  if (instance.isFullDay) {
    const start = localDate(instance.start);
    const end = instance.end ? localDate(instance.end) : plusDays(start, 1);
    return { start, end: end > start ? end : plusDays(start, 1) };
  }
  const day = (d: Date) => DateTime.fromJSDate(d).setZone(timezone).toISODate()!;
  const start = day(instance.start);
  const end = instance.end ? day(instance.end) : start;
  return { start, end: end > start ? end : plusDays(start, 1) };
}

/** Sorted ranges, those overlapping or touching merged (keeping the first one's UID). */
export function mergeRanges(ranges: ImportedRange[]): ImportedRange[] {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end < b.end ? -1 : 1));
  const out: ImportedRange[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.start <= last.end) {
      if (r.end > last.end) last.end = r.end;
    } else {
      out.push({ ...r });
    }
  }
  return out;
}

interface Instance {
  start: Date;
  end?: Date | null;
  isFullDay: boolean;
}

function instancesOf(ical: typeof NodeIcal, event: VEvent, from: Date, to: Date): Instance[] {
  const isFullDay = event.datetype === 'date';
  if (!event.rrule) return [{ start: event.start, end: event.end, isFullDay }];
  return ical
    .expandRecurringEvent(event, { from, to, expandOngoing: true })
    .filter((i) => i.event.status !== 'CANCELLED' && i.event.transparency !== 'TRANSPARENT')
    .map((i) => ({ start: i.start, end: i.end, isFullDay: i.isFullDay }));
}

/**
 * The nights an iCalendar feed asks for from `today` (in the place's zone) for 730 days:
 * every busy VEVENT (not CANCELLED, not TRANSPARENT), recurring ones (RRULE, RDATE,
 * EXDATE, RECURRENCE-ID overrides) expanded by node-ical, clipped to the window, events
 * entirely in the past left out. Throws FeedParseError for a body that is not a calendar.
 */
export async function parseFeed(body: string, place: { timezone: string; today: string }): Promise<ParsedFeed> {
  if (!/BEGIN:VCALENDAR/i.test(body.slice(0, 2_048))) throw new FeedParseError();
  // Loaded on first use: the parser and its time zone data cost start-up time otherwise.
  const ical = (await import('node-ical')).default;
  let parsed: ReturnType<typeof ical.sync.parseICS>;
  try {
    parsed = ical.sync.parseICS(body);
  } catch {
    throw new FeedParseError();
  }
  const horizon = plusDays(place.today, IMPORT_DAYS_AHEAD);
  // A day of margin each side: instances are cut to dates in the place's zone afterwards.
  const from = new Date(`${plusDays(place.today, -1)}T00:00:00Z`);
  const to = new Date(`${plusDays(horizon, 1)}T00:00:00Z`);
  const ranges: ImportedRange[] = [];
  let events = 0;
  let seen = 0;
  for (const component of Object.values(parsed)) {
    if (component?.type !== 'VEVENT') continue;
    const event = component;
    if (!(event.start instanceof Date) || event.status === 'CANCELLED' || event.transparency === 'TRANSPARENT')
      continue;
    for (const instance of instancesOf(ical, event, from, to)) {
      if (++seen > MAX_IMPORTED_INSTANCES) break;
      const nights = nightsOf(instance, place.timezone);
      const start = nights.start < place.today ? place.today : nights.start;
      const end = nights.end > horizon ? horizon : nights.end;
      if (start >= end) continue;
      events++;
      ranges.push({ uid: String(event.uid ?? '').slice(0, 255) || 'event', start, end });
    }
  }
  return { events, ranges: mergeRanges(ranges) };
}
