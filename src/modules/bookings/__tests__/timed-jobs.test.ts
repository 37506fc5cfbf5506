import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, rowsOf, type Session } from '#test/helpers.js';
import { createProperty, inDaysIn } from '#test/factories/properties.js';
import type { ReceivedMail } from '#test/fakes/smtp-fake.js';
import { bookStay, deliveryOf, payBooking, useTimeTravel } from '#test/kit/scenario.js';
import { bookingEmailKey } from '../bookings.mail.js';
import type { Booking } from '../index.js';

// The timed jobs of a stay (see the README's e-mail schedule): no sleeping, the clock is moved and the due jobs run.

const NEW_YORK = 'America/New_York';

// Dates relative to today (the booking window is a year), the DST days computed, so the
// tests hold whatever the day they run.
const today = DateTime.now().setZone(NEW_YORK).startOf('day');
const day = (n: number) => today.plus({ days: n }).toISODate()!;
/** The `nth` Sunday of `month` in New York, the first such day at least a week from today. */
function nextNthSunday(month: number, nth: number): DateTime {
  for (let year = today.year; ; year++) {
    const first = DateTime.fromObject({ year, month, day: 1 }, { zone: NEW_YORK });
    const sunday = first.plus({ days: ((7 - first.weekday) % 7) + 7 * (nth - 1) });
    if (sunday > today.plus({ days: 7 })) return sunday;
  }
}
const SPRING_FORWARD = nextNthSunday(3, 2); // clocks go 02:00 EST → 03:00 EDT
const FALL_BACK = nextNthSunday(11, 1); // clocks go 02:00 EDT → 01:00 EST
const dateOf = (d: DateTime, plusDays = 0) => d.plus({ days: plusDays }).toISODate()!;
/** A New York wall-clock time as an ISO instant. */
const local = (date: string, hour: number) => DateTime.fromISO(date, { zone: NEW_YORK }).set({ hour }).toUTC().toISO()!;
const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const HOUR = 3_600_000;
const t = useTimeTravel();
let host: Session;
let guest: Session;

beforeAll(async () => {
  [host, guest] = await Promise.all([register(t.app, { role: 'host' }), register(t.app, { firstName: 'Gil' })]);
  await t.runJobs();
});

/** Moves the clock to `iso` and runs every job due by then. */
const runAt = (iso: string) => t.travelTo(iso);

const queryRows = <R>(query: SQL) => rowsOf<R>(t.container.database.db, query);
const jobByKey = async (key: string) =>
  (
    await queryRows<{ state: string; run_at: string | Date }>(
      sql`select state, run_at from jobs where dedupe_key = ${key}`,
    )
  )[0];
const statusOf = async (id: string) =>
  (await queryRows<{ status: string }>(sql`select status from bookings where id = ${id}`))[0]!.status;

async function confirmedBooking(
  timezone: string,
  checkIn: string,
  checkOut: string,
  owner: Session = host,
): Promise<Booking> {
  const p = await createProperty(t.app, owner, {
    timezone,
    address: { line1: '12 Grove Street', city: 'Springfield', region: '', postalCode: '', country: 'US' },
  });
  const booking = await bookStay(t.app, guest, { propertyId: p.id, checkIn, checkOut, idempotencyKey: `k-${p.id}` });
  await payBooking(t.app, guest, booking.id);
  expect(await statusOf(booking.id)).toBe('confirmed');
  return booking;
}

const isMailOf = (b: Booking, subject: RegExp) => (m: ReceivedMail) =>
  m.headers.to === guest.user.email && subject.test(m.headers.subject ?? '') && m.text.includes(b.checkIn);
const mailsOf = (b: Booking, subject: RegExp) => t.smtp.received.filter(isMailOf(b, subject));
const REMINDER = /begins tomorrow/;

async function expectReminderAt(b: Booking, dueIso: string): Promise<void> {
  const job = await jobByKey(`job:checkin-reminder:${b.id}`);
  expect(new Date(job!.run_at).toISOString()).toBe(dueIso);
  // One second early: not yet due.
  await runAt(new Date(Date.parse(dueIso) - 1000).toISOString());
  expect((await jobByKey(`job:checkin-reminder:${b.id}`))!.state).toBe('pending');
  expect(await deliveryOf(t, bookingEmailKey('checkin-reminder', b.id))).toBeUndefined();
  expect(mailsOf(b, REMINDER)).toHaveLength(0);
  await runAt(dueIso);
  expect((await jobByKey(`job:checkin-reminder:${b.id}`))!.state).toBe('done');
  const mail = await t.smtp.waitFor(isMailOf(b, REMINDER));
  expect(mail.text).toContain('Address: 12 Grove Street');
}

describe('timed jobs of a stay', () => {
  it('check-in reminder 24 real hours before 15:00 local, in a zone entering summer time', async () => {
    // 15:00 EDT on the day clocks spring forward is 19:00Z; 24 h earlier is 14:00 EST the day before.
    const b = await confirmedBooking(NEW_YORK, dateOf(SPRING_FORWARD), dateOf(SPRING_FORWARD, 2));
    await expectReminderAt(b, `${dateOf(SPRING_FORWARD, -1)}T19:00:00.000Z`);
  });

  it('check-in reminder in a zone leaving summer time', async () => {
    // 15:00 EST on the day clocks fall back is 20:00Z; 24 h earlier is 16:00 EDT the day before.
    const b = await confirmedBooking(NEW_YORK, dateOf(FALL_BACK), dateOf(FALL_BACK, 2));
    await expectReminderAt(b, `${dateOf(FALL_BACK, -1)}T20:00:00.000Z`);
  });

  it('no reminder for a booking canceled meanwhile, and its stay is never completed', async () => {
    const b = await confirmedBooking(NEW_YORK, day(40), day(42));
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${b.id}/cancel`,
      headers: guest.auth,
      payload: {},
    });
    expect(cancel.statusCode).toBe(200);
    await runAt(shift(local(day(40), 15), -24 * HOUR));
    // The reminder job ran and found the booking canceled: no e-mail was claimed for it.
    expect((await jobByKey(`job:checkin-reminder:${b.id}`))!.state).toBe('done');
    expect(await deliveryOf(t, bookingEmailKey('checkin-reminder', b.id))).toBeUndefined();
    await runAt(shift(local(day(42), 11), 3 * HOUR));
    expect((await jobByKey(`complete-stay:${b.id}`))!.state).toBe('done');
    expect(await statusOf(b.id)).toBe('canceled');
    expect(await jobByKey(`job:review-request:${b.id}`)).toBeUndefined();
    expect(await deliveryOf(t, bookingEmailKey('checkin-reminder', b.id))).toBeUndefined();
    expect(mailsOf(b, REMINDER)).toHaveLength(0);
  });

  it('no reminder is enqueued when check-in is less than 24 h away', async () => {
    const zone = 'Pacific/Auckland';
    // Today until its 15:00 check-in time has passed there (then it cannot be booked), else tomorrow.
    const days = DateTime.now().setZone(zone).hour < 15 ? 0 : 1;
    const b = await confirmedBooking(zone, inDaysIn(zone, days), inDaysIn(zone, days + 1));
    expect(await jobByKey(`job:checkin-reminder:${b.id}`)).toBeUndefined();
    expect(await jobByKey(`complete-stay:${b.id}`)).toBeDefined();
  });

  it('completes the stay at check-out time, once', async () => {
    const b = await confirmedBooking(NEW_YORK, day(60), day(62));
    const checkOut = local(day(62), 11);
    await runAt(shift(checkOut, -1000));
    expect(await statusOf(b.id)).toBe('confirmed');
    await runAt(checkOut);
    expect(await statusOf(b.id)).toBe('completed');
    const completedAt = await queryRows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'booking.completed' and entity_id = ${b.id}`,
    );
    expect(completedAt[0]!.n).toBe(1);
    // The completion job run again (a retry) changes nothing and records nothing new.
    await t.container.database.db.execute(
      sql`update jobs set state = 'pending' where dedupe_key = ${`complete-stay:${b.id}`}`,
    );
    await t.runJobs();
    expect((await jobByKey(`complete-stay:${b.id}`))!.state).toBe('done');
    expect(await statusOf(b.id)).toBe('completed');
    const again = await queryRows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'booking.completed' and entity_id = ${b.id}`,
    );
    expect(again[0]!.n).toBe(1);
  });
});
