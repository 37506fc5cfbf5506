import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, rowsOf, type Session } from '#test/helpers.js';
import { createProperty } from '#test/factories/properties.js';
import type { ReceivedMail } from '#test/fakes/smtp-fake.js';
import { bookStay, deliveriesTo, deliveryOf, payBooking, useTimeTravel } from '#test/kit/scenario.js';
import type { Booking } from '../../bookings/index.js';
import { guestReviewRequestKey, reviewRequestKey } from '../reviews.mail.js';

// The review requests: 3 h after check-out time, to each side that has not written its
// review yet (the guest: review the stay; the host: review the guest). The
// stay is booked and paid for real, the clock moved to its check-out, and the due jobs run.

const ZONE = 'Europe/Lisbon';
const HOUR = 3_600_000;
const today = DateTime.now().setZone(ZONE).startOf('day');
const day = (n: number) => today.plus({ days: n }).toISODate()!;
/** 11:00 in Lisbon on that date, as an instant. */
const checkOutOf = (date: string) => DateTime.fromISO(date, { zone: ZONE }).set({ hour: 11 }).toJSDate();

const t = useTimeTravel();
const { clock } = t;
let host: Session;
let guest: Session;

beforeAll(async () => {
  [host, guest] = await Promise.all([register(t.app, { role: 'host' }), register(t.app, { firstName: 'Ines' })]);
  await t.runJobs();
});

const runAt = (at: Date) => t.travelTo(at);

const jobOf = async (bookingId: string) =>
  (
    await rowsOf<{ kind: string; state: string; run_at: string | Date }>(
      t.container.database.db,
      sql`select kind, state, run_at from jobs where dedupe_key = ${`job:review-request:${bookingId}`}`,
    )
  )[0];

async function paidStay(title: string, checkIn: string, checkOut: string): Promise<Booking> {
  const p = await createProperty(t.app, host, { title, timezone: ZONE });
  const booking = await bookStay(t.app, guest, { propertyId: p.id, checkIn, checkOut, idempotencyKey: `k-${p.id}` });
  await payBooking(t.app, guest, booking.id);
  return booking;
}

const isRequestFor = (title: string) => (m: ReceivedMail) =>
  m.headers.to === guest.user.email && m.headers.subject === `How was your stay at ${title}?`;
const isHostRequest = (bookingId: string) => (m: ReceivedMail) =>
  m.headers.to === host.user.email && m.headers.subject === 'How was Ines as a guest?' && m.text.includes(bookingId);

describe('review request e-mail', () => {
  it('3 h after check-out time, when no review was written', async () => {
    const title = 'Tiled house in Alfama';
    const b = await paidStay(title, day(20), day(22));
    const checkOut = checkOutOf(day(22));
    expect(await jobOf(b.id)).toBeUndefined();

    await runAt(checkOut);
    const job = await jobOf(b.id);
    expect(job).toMatchObject({ kind: 'reviews.send-review-request', state: 'pending' });
    expect(new Date(job!.run_at).toISOString()).toBe(new Date(checkOut.getTime() + 3 * HOUR).toISOString());

    await runAt(new Date(checkOut.getTime() + 3 * HOUR - 1000));
    expect((await jobOf(b.id))!.state).toBe('pending');
    await runAt(new Date(checkOut.getTime() + 3 * HOUR));
    const mail = await t.smtp.waitFor(isRequestFor(title));
    expect(mail.text).toContain('Hello Ines,');
    expect(mail.text).toContain(`${day(20)} (check-in from 15:00) to ${day(22)}`);
    expect(mail.text).toContain(`https://stays.example.com/bookings/${b.id}`);
    expect((await jobOf(b.id))!.state).toBe('done');
    // The host, by the same job: review the guest.
    const toHost = await t.smtp.waitFor(isHostRequest(b.id));
    expect(toHost.text).toContain('Ines stayed at Tiled house in Alfama');
    expect(await deliveryOf(t, guestReviewRequestKey(b.id))).toMatchObject({ recipient: host.user.email });

    // The completion run again (a retry) schedules nothing new and sends nothing more.
    await t.container.database.db.execute(
      sql`update jobs set state = 'pending' where dedupe_key = ${`complete-stay:${b.id}`}`,
    );
    const sent = await deliveryOf(t, reviewRequestKey(b.id));
    expect(sent).toMatchObject({ recipient: guest.user.email, state: 'sent' });
    await t.runJobs();
    expect((await jobOf(b.id))!.state).toBe('done');
    // Still the one delivery made before (same send time), and no second message reached the server.
    expect(await deliveryOf(t, reviewRequestKey(b.id))).toEqual(sent);
    expect(t.smtp.received.filter(isRequestFor(title))).toHaveLength(1);
    expect(t.smtp.received.filter(isHostRequest(b.id))).toHaveLength(1);
    const jobs = await rowsOf<{ n: number }>(
      t.container.database.db,
      sql`select count(*)::int as n from jobs where kind = 'reviews.send-review-request' and payload->>'bookingId' = ${b.id}`,
    );
    expect(jobs[0]!.n).toBe(1);
  });

  it('not sent when the guest reviewed the stay in between', async () => {
    const title = 'Quiet loft in Graça';
    const b = await paidStay(title, day(30), day(31));
    const checkOut = checkOutOf(day(31));
    await runAt(checkOut);
    expect((await jobOf(b.id))!.state).toBe('pending');

    clock.offsetMs = checkOut.getTime() + HOUR - Date.now();
    const review = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${b.id}/review`,
      headers: guest.auth,
      payload: { rating: 5, comment: 'Lovely.' },
    });
    expect(review.statusCode, review.body).toBe(201);

    await runAt(new Date(checkOut.getTime() + 3 * HOUR));
    // The job ran and found the review: it claimed no e-mail.
    expect((await jobOf(b.id))!.state).toBe('done');
    expect(await deliveryOf(t, reviewRequestKey(b.id))).toBeUndefined();
    expect(await deliveriesTo(t, guest.user.email, new RegExp(`^How was your stay at ${title}`))).toEqual([]);
    expect(t.smtp.received.filter(isRequestFor(title))).toHaveLength(0);
    // The host had not reviewed the guest: asked all the same.
    await t.smtp.waitFor(isHostRequest(b.id));
  });

  it('the host is not asked when they reviewed the guest in between', async () => {
    const b = await paidStay('Sunny flat in Belém', day(40), day(41));
    const checkOut = checkOutOf(day(41));
    await runAt(checkOut);
    clock.offsetMs = checkOut.getTime() + HOUR - Date.now();
    const review = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${b.id}/guest-review`,
      headers: host.auth,
      payload: { rating: 4 },
    });
    expect(review.statusCode, review.body).toBe(201);
    await runAt(new Date(checkOut.getTime() + 3 * HOUR));
    await t.smtp.waitFor(isRequestFor('Sunny flat in Belém'));
    expect(await deliveryOf(t, guestReviewRequestKey(b.id))).toBeUndefined();
    expect(t.smtp.received.filter(isHostRequest(b.id))).toHaveLength(0);
  });
});
