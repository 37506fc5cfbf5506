import { ICalCalendar, ICalEventTransparency } from 'ical-generator';

/** How far ahead a feed reaches, in days from today in the place's zone: it bounds the feed's size. */
export const FEED_DAYS_AHEAD = 730;

/** A busy range of the feed: a host block or a stay (pending, requested or confirmed). Dates `YYYY-MM-DD`, end exclusive. */
export interface FeedRange {
  id: string;
  kind: string;
  start: string;
  end: string;
}

const SUMMARY: Record<string, string> = { block: 'Not available', booking: 'Reserved' };

const asDate = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

/**
 * Renders a place's busy ranges as an RFC 5545 calendar: one all-day, opaque event per range
 * (DTSTART/DTEND as DATE values, DTEND exclusive like the range's end), with a UID made of
 * the range's id and the host name, so a calendar that imports the feed updates an event
 * rather than duplicating it. Nothing about a guest is written: no name, no e-mail, no
 * booking id (a range id is the calendar's own and says nothing of the booking).
 */
export function renderFeed(input: {
  host: string;
  propertyId: string;
  ranges: readonly FeedRange[];
  stamp: Date;
}): string {
  const calendar = new ICalCalendar({
    prodId: { company: 'Staylane', product: 'Calendar export', language: 'EN' },
    name: 'Staylane',
  });
  for (const range of input.ranges) {
    calendar.createEvent({
      id: `${range.id}@${input.host}`,
      start: asDate(range.start),
      end: asDate(range.end),
      allDay: true,
      stamp: input.stamp,
      summary: SUMMARY[range.kind] ?? 'Not available',
      transparency: ICalEventTransparency.OPAQUE,
    });
  }
  return calendar.toString();
}
