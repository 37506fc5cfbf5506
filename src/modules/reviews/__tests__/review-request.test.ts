import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  movableClock,
  register,
  rowsOf,
  runDueJobs,
  type Session,
  type TestApp,
} from '../../../../test/helpers.js';
import { sandboxPaymentSucceeded } from '#test/factories/payments.js';
import { createProperty } from '#test/factories/properties.js';
import { startSmtpFake, type ReceivedMail, type SmtpFake } from '#test/fakes/smtp-fake.js';
import type { Booking } from '../../bookings/index.js';

// The review request: 3 h after check-out time, only if no review yet. The
// stay is booked and paid for real, the clock moved to its check-out, and the due jobs run.

const SECRET = 'sandbox-webhook-secret-0123456789';
const ZONE = 'Europe/Lisbon';
const HOUR = 3_600_000;
const today = DateTime.now().setZone(ZONE).startOf('day');
const day = (n: number) => today.plus({ days: n }).toISODate()!;
/** 11:00 in Lisbon on that date, as an instant. */
const checkOutOf = (date: string) => DateTime.fromISO(date, { zone: ZONE }).set({ hour: 11 }).toJSDate();

const clock = movableClock();
let smtp: SmtpFake;
let t: TestApp;
let host: Session;
let guest: Session;

beforeAll(async () => {
  smtp = await startSmtpFake();
  t = await createTestApp({
    env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://stays.example.com', PAYMENT_WEBHOOK_SECRET: SECRET },
    clock,
  });
  [host, guest] = await Promise.all([register(t.app, { role: 'host' }), register(t.app, { firstName: 'Ines' })]);
  await runDueJobs(t);
});

afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

async function runAt(at: Date): Promise<void> {
  clock.offsetMs = at.getTime() - Date.now();
  await runDueJobs(t);
}

const jobOf = async (bookingId: string) =>
  (
    await rowsOf<{ kind: string; state: string; run_at: string | Date }>(
      t.container.database.db,
      sql`select kind, state, run_at from jobs where dedupe_key = ${`job:review-request:${bookingId}`}`,
    )
  )[0];

async function paidStay(title: string, checkIn: string, checkOut: string): Promise<Booking> {
  const p = await createProperty(t.app, host, { title, timezone: ZONE });
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: { ...guest.auth, 'idempotency-key': `k-${p.id}` },
    payload: { propertyId: p.id, checkIn, checkOut, guests: 1 },
  });
  expect(res.statusCode).toBe(201);
  const booking = res.json<Booking>();
  const pay = await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.id}/payments`, headers: guest.auth });
  expect(pay.statusCode).toBe(201);
  await sandboxPaymentSucceeded(t.app, SECRET, pay.json<{ id: string }>().id);
  return booking;
}

const isRequestFor = (title: string) => (m: ReceivedMail) =>
  m.headers.to === guest.user.email && m.headers.subject === `How was your stay at ${title}?`;

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
    const mail = await smtp.waitFor(isRequestFor(title));
    expect(mail.text).toContain('Hello Ines,');
    expect(mail.text).toContain(`${day(20)} (check-in from 15:00) to ${day(22)}`);
    expect(mail.text).toContain(`https://stays.example.com/bookings/${b.id}`);
    expect((await jobOf(b.id))!.state).toBe('done');

    // The completion run again (a retry) schedules nothing new and sends nothing more.
    await t.container.database.db.execute(
      sql`update jobs set state = 'pending' where dedupe_key = ${`complete-stay:${b.id}`}`,
    );
    await runDueJobs(t);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.received.filter(isRequestFor(title))).toHaveLength(1);
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
    expect((await jobOf(b.id))!.state).toBe('done');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received.filter(isRequestFor(title))).toHaveLength(0);
  });
});
