import { describe, expect, it } from 'vitest';
import { daysBetween, isTimeZone, timeZone, todayIn } from '../dates.js';

describe('todayIn', () => {
  it("is the date on the place's own calendar, across the date line and DST", () => {
    const instant = new Date('2026-03-29T23:30:00Z');
    expect(todayIn('UTC', instant)).toBe('2026-03-29');
    expect(todayIn('Pacific/Auckland', instant)).toBe('2026-03-30');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-03-29');
    // Lisbon is on summer time (UTC+1) from 01:00 UTC that day.
    expect(todayIn('Europe/Lisbon', instant)).toBe('2026-03-30');
    expect(todayIn('Europe/Lisbon', new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-28');
  });
});

describe('daysBetween', () => {
  it('counts calendar days, whatever the DST change in between', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(daysBetween('2026-05-10', '2026-05-01')).toBe(-9);
  });
});

describe('timeZone', () => {
  it('takes IANA region zones and UTC, refuses abbreviations, offsets and unknown names', () => {
    for (const tz of ['Europe/Paris', 'America/Argentina/Buenos_Aires', 'UTC']) expect(isTimeZone(tz)).toBe(true);
    for (const tz of ['CET', 'EST', '+02:00', 'Mars/Olympus', '']) expect(isTimeZone(tz)).toBe(false);
    expect(timeZone.parse(' Africa/Addis_Ababa ')).toBe('Africa/Addis_Ababa');
    expect(timeZone.safeParse('Mars/Olympus').error?.issues[0]?.message).toMatch(/IANA time zone/);
  });
});
