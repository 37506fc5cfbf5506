import { describe, expect, it } from 'vitest';
import { uncoveredParts } from '../../properties/properties.external.js';
import { mergeRanges, nightsOf, parseFeed } from '../ical.parse.js';

// The parser's rules without a database: nights of timed events in the place's zone,
// merging, what a block leaves of a range, and refusals.

describe('nightsOf', () => {
  it('counts a timed stay’s nights from its start date to its end date in the place’s zone', () => {
    // 15:00 on the 10th to 11:00 on the 12th, Lisbon (UTC+0 in winter).
    const stay = { start: new Date('2027-01-10T15:00:00Z'), end: new Date('2027-01-12T11:00:00Z'), isFullDay: false };
    expect(nightsOf(stay, 'Europe/Lisbon')).toEqual({ start: '2027-01-10', end: '2027-01-12' });
    // The same instants seen from Tokyo (UTC+9): the 11th 00:00 to the 12th 20:00.
    expect(nightsOf(stay, 'Asia/Tokyo')).toEqual({ start: '2027-01-11', end: '2027-01-12' });
  });

  it('gives a timed event within one day, or one without an end, that day’s night', () => {
    const meeting = {
      start: new Date('2027-03-05T09:00:00Z'),
      end: new Date('2027-03-05T10:00:00Z'),
      isFullDay: false,
    };
    expect(nightsOf(meeting, 'UTC')).toEqual({ start: '2027-03-05', end: '2027-03-06' });
    expect(nightsOf({ start: meeting.start, end: null, isFullDay: false }, 'UTC')).toEqual({
      start: '2027-03-05',
      end: '2027-03-06',
    });
  });
});

describe('mergeRanges and uncoveredParts', () => {
  it('merges overlapping and touching ranges, keeping the first UID', () => {
    expect(
      mergeRanges([
        { uid: 'b', start: '2027-01-05', end: '2027-01-07' },
        { uid: 'a', start: '2027-01-01', end: '2027-01-03' },
        { uid: 'c', start: '2027-01-03', end: '2027-01-04' },
        { uid: 'd', start: '2027-01-06', end: '2027-01-09' },
      ]),
    ).toEqual([
      { uid: 'a', start: '2027-01-01', end: '2027-01-04' },
      { uid: 'b', start: '2027-01-05', end: '2027-01-09' },
    ]);
  });

  it('leaves the nights other ranges hold out of a range', () => {
    const range = { start: '2027-01-01', end: '2027-01-10' };
    expect(
      uncoveredParts(range, [
        { start: '2026-12-30', end: '2027-01-02' },
        { start: '2027-01-04', end: '2027-01-05' },
        { start: '2027-01-09', end: '2027-01-12' },
      ]),
    ).toEqual([
      { start: '2027-01-02', end: '2027-01-04' },
      { start: '2027-01-05', end: '2027-01-09' },
    ]);
    expect(uncoveredParts(range, [{ start: '2026-01-01', end: '2028-01-01' }])).toEqual([]);
    expect(uncoveredParts(range, [])).toEqual([range]);
  });
});

describe('parseFeed', () => {
  it('refuses what is not a calendar, and skips cancelled and transparent events', async () => {
    await expect(parseFeed('<html>nope</html>', { timezone: 'UTC', today: '2027-01-01' })).rejects.toThrow(
      'not an iCalendar feed',
    );
    const ev = (uid: string, extra: string) =>
      `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20270110\r\nDTEND;VALUE=DATE:20270112\r\n${extra}END:VEVENT\r\n`;
    const body = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n${ev('c', 'STATUS:CANCELLED\r\n')}${ev('t', 'TRANSP:TRANSPARENT\r\n')}${ev('k', '')}END:VCALENDAR\r\n`;
    expect(await parseFeed(body, { timezone: 'UTC', today: '2027-01-01' })).toEqual({
      events: 1,
      ranges: [{ uid: 'k', start: '2027-01-10', end: '2027-01-12' }],
    });
  });

  it('cuts an ongoing event at today and a far one at 730 days', async () => {
    const ev = (uid: string, start: string, end: string) =>
      `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:${start}\r\nDTEND;VALUE=DATE:${end}\r\nEND:VEVENT\r\n`;
    const body = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n${ev('now', '20261230', '20270103')}${ev('far', '20281230', '20290105')}END:VCALENDAR\r\n`;
    expect((await parseFeed(body, { timezone: 'UTC', today: '2027-01-01' })).ranges).toEqual([
      { uid: 'now', start: '2027-01-01', end: '2027-01-03' },
      { uid: 'far', start: '2028-12-30', end: '2028-12-31' },
    ]);
  });
});
