import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProperty, inDays } from '#test/factories/properties.js';
import { graphql, register, registerAdmin, rowsOf, type Session } from '#test/helpers.js';
import { bookStay, SANDBOX_SECRET, useTimeTravel } from '#test/kit/scenario.js';
import { sandboxEvent, signSandboxEvent } from '../../../platform/payments/index.js';
import type { Payment } from '../../payments/index.js';
import type { Booking } from '../index.js';

const t = useTimeTravel();
let host: Session;
let admin: Session;
let stranger: Session;
let requestPlace: string;
let instantPlace: string;
let nextDay = 20;
const HOUR = 3_600_000;
type Place = { id: string; bookingMode: string };

beforeAll(async () => {
  [host, stranger] = await Promise.all([register(t.app, { role: 'host', firstName: 'Hana' }), register(t.app)]);
  admin = await registerAdmin(t);
  requestPlace = (
    await createProperty(t.app, host, { title: 'Quiet loft', nightlyPrice: 10_000, bookingMode: 'request' })
  ).id;
  instantPlace = (await createProperty(t.app, host, { nightlyPrice: 10_000 })).id;
});

async function book(guest: Session, propertyId = requestPlace): Promise<Booking> {
  const start = (nextDay += 3);
  return bookStay(t.app, guest, { propertyId, checkIn: inDays(start), checkOut: inDays(start + 2) });
}

/** The guest starts a checkout and the sandbox reports the card authorized. */
async function authorize(guest: Session, booking: Booking, options: { refuse?: boolean } = {}): Promise<Payment> {
  const res = await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.id}/payments`, headers: guest.auth });
  expect(res.statusCode, res.body).toBe(201);
  const payment = res.json<Payment>();
  const event = sandboxEvent(payment.providerReference, 'authorized', undefined, options.refuse);
  const { body, headers } = signSandboxEvent(SANDBOX_SECRET, event);
  const hook = await t.app.inject({ method: 'POST', url: '/v1/webhooks/payments/sandbox', headers, payload: body });
  expect(hook.statusCode).toBe(200);
  return payment;
}

async function requested(): Promise<{ guest: Session; booking: Booking; payment: Payment }> {
  const guest = await register(t.app, { firstName: 'Gil' });
  const booking = await book(guest);
  const payment = await authorize(guest, booking);
  return { guest, booking, payment };
}

const post = (path: string, who: Session, payload?: object) =>
  t.app.inject({ method: 'POST', url: path, headers: who.auth, ...(payload && { payload }) });
const getBooking = (id: string, who: Session) =>
  t.app.inject({ url: `/v1/bookings/${id}`, headers: who.auth }).then((r) => r.json<Booking>());
const paymentRow = async (id: string) =>
  (
    await rowsOf<{ status: string; settlement: string | null; provider_charge_id: string | null }>(
      t.container.database.db,
      sql`select status, settlement, provider_charge_id from payments where id = ${id}`,
    )
  )[0]!;
const available = async (b: Booking) =>
  (
    await t.app.inject({
      method: 'POST',
      url: '/v1/bookings/quote',
      payload: { propertyId: b.propertyId, checkIn: b.checkIn, checkOut: b.checkOut, guests: 1 },
    })
  ).json<{ available: boolean }>().available;
const mailTo = async (email: string, subject: RegExp) => {
  await t.runJobs();
  return t.smtp.waitFor((m) => m.headers.to === email && subject.test(m.headers.subject ?? ''));
};

describe('request to book', () => {
  it('shows the booking mode on the place and lets its host change it', async () => {
    const place = await t.app.inject({ url: `/v1/properties/${requestPlace}` }).then((r) => r.json());
    expect(place.bookingMode).toBe('request');
    const found = await t.app.inject({ url: '/v1/properties?limit=100' }).then((r) => r.json<{ data: Place[] }>());
    expect(found.data.find((p) => p.id === requestPlace)?.bookingMode).toBe('request');
    expect(found.data.find((p) => p.id === instantPlace)?.bookingMode).toBe('instant');
    const q = await graphql(
      t.app,
      `
        query ($id: ID!) {
          property(id: $id) {
            bookingMode
          }
        }
      `,
      { id: requestPlace },
    );
    expect(q.body.data?.property).toEqual({ bookingMode: 'request' });
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/v1/properties/${instantPlace}`,
      headers: host.auth,
      payload: { bookingMode: 'bogus' },
    });
    expect(patched.statusCode).toBe(422);
    for (const bookingMode of ['request', 'instant']) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/v1/properties/${instantPlace}`,
        headers: host.auth,
        payload: { bookingMode },
      });
      expect(res.json()).toMatchObject({ bookingMode });
    }
  });

  it('holds the dates as pending, then requested once authorized; the host accepts: confirmed and captured once', async () => {
    const guest = await register(t.app, { firstName: 'Gil' });
    const booking = await book(guest);
    expect(booking).toMatchObject({ status: 'pending', bookingMode: 'request', respondBy: null });
    const held = await mailTo(guest.user.email, /^Your request for Quiet loft is held/);
    expect(held.text).toContain('only authorized');
    const payment = await authorize(guest, booking);
    const now = t.clock.now().getTime();
    const asRequested = await getBooking(booking.id, guest);
    expect(asRequested).toMatchObject({ status: 'requested', holdExpiresAt: null });
    expect(Date.parse(asRequested.respondBy!) - now).toBeGreaterThan(24 * HOUR - 60_000);
    expect(Date.parse(asRequested.respondBy!) - now).toBeLessThanOrEqual(24 * HOUR);
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'authorized', settlement: null });
    expect(await available(booking)).toBe(false);

    const hostMail = await mailTo(host.user.email, /^Booking request:/);
    expect(hostMail.text).toContain('Accept or decline before');

    // Its guest and admins may not answer; strangers do not see it.
    expect((await post(`/v1/bookings/${booking.id}/accept`, guest)).json().code).toBe('not_booking_host');
    expect((await post(`/v1/bookings/${booking.id}/accept`, admin)).statusCode).toBe(403);
    expect((await post(`/v1/bookings/${booking.id}/accept`, stranger)).statusCode).toBe(404);

    const accepted = await post(`/v1/bookings/${booking.id}/accept`, host);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'confirmed' });
    expect((await paymentRow(payment.id)).settlement).toBe('capture');
    const again = await post(`/v1/bookings/${booking.id}/accept`, host);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('booking_not_requested');

    await t.runJobs();
    expect(await paymentRow(payment.id)).toMatchObject({
      status: 'succeeded',
      provider_charge_id: `sandbox_auth_${payment.providerReference}`,
    });
    const mail = await mailTo(guest.user.email, /^Request accepted:/);
    expect(mail.text).toContain('Your booking is confirmed');
    await mailTo(guest.user.email, /receipt/i);
  });

  it('declines: nights freed, authorization voided, the guest told the reason', async () => {
    const { guest, booking, payment } = await requested();
    const declined = await post(`/v1/bookings/${booking.id}/decline`, host, { reason: 'Closed <b>that</b> week' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ status: 'declined', cancellationReason: 'Closed <b>that</b> week' });
    expect(await available(booking)).toBe(true);
    await t.runJobs();
    expect((await paymentRow(payment.id)).status).toBe('voided');
    const mail = await mailTo(guest.user.email, /^Request declined:/);
    expect(mail.html).toContain('Closed &lt;b&gt;that&lt;/b&gt; week');
    expect((await post(`/v1/bookings/${booking.id}/decline`, host)).statusCode).toBe(409);
    const tooLong = await post(`/v1/bookings/${booking.id}/decline`, host, { reason: 'x'.repeat(1001) });
    expect(tooLong.statusCode).toBe(422);
  });

  it('expires unanswered requests lazily on read, and by the sweep', async () => {
    const first = await requested();
    const second = await requested();
    t.clock.offsetMs += 24 * HOUR + 1000;
    // Read by the guest before any job ran: expired, its nights free.
    expect((await getBooking(first.booking.id, first.guest)).status).toBe('expired');
    expect(await available(first.booking)).toBe(true);
    const late = await post(`/v1/bookings/${second.booking.id}/accept`, host);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'booking_not_requested' });
    await t.runJobs();
    for (const r of [first, second]) {
      expect((await paymentRow(r.payment.id)).status).toBe('voided');
      await mailTo(r.guest.user.email, /has expired$/);
    }
  });

  it('the sweep expires requests nobody reads', async () => {
    const r = await requested();
    t.clock.offsetMs += 24 * HOUR + 1000;
    expect(await t.container.services.bookings.expireOverdueRequests()).toBe(1);
    expect(await t.container.services.bookings.expireOverdueRequests()).toBe(0);
    const [row] = await rowsOf<{ status: string }>(
      t.container.database.db,
      sql`select status from bookings where id = ${r.booking.id}`,
    );
    expect(row!.status).toBe('expired');
  });

  it('a guest cancel of a request voids it, refunds nothing and frees the nights', async () => {
    const { guest, booking, payment } = await requested();
    const res = await post(`/v1/bookings/${booking.id}/cancel`, guest);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'canceled', refundAmount: 0, canceledBy: 'guest' });
    expect(await available(booking)).toBe(true);
    await t.runJobs();
    expect((await paymentRow(payment.id)).status).toBe('voided');
  });

  it('counts a request among the guest’s three unpaid holds', async () => {
    const guest = await register(t.app);
    for (let i = 0; i < 3; i++) await authorize(guest, await book(guest));
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: guest.auth,
      payload: { propertyId: instantPlace, checkIn: inDays(200), checkOut: inDays(202), guests: 1 },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('too_many_holds');
  });

  it('voids an authorization that arrives for a booking no longer holding its nights, and applies repeats once', async () => {
    const guest = await register(t.app);
    const booking = await book(guest);
    const res = await post(`/v1/bookings/${booking.id}/payments`, guest);
    const payment = res.json<Payment>();
    expect((await post(`/v1/bookings/${booking.id}/cancel`, guest)).statusCode).toBe(200);
    const { body, headers } = signSandboxEvent(
      SANDBOX_SECRET,
      sandboxEvent(payment.providerReference, 'authorized', 'evt_late_auth'),
    );
    for (let i = 0; i < 2; i++) {
      const hook = await t.app.inject({ method: 'POST', url: '/v1/webhooks/payments/sandbox', headers, payload: body });
      expect(hook.statusCode).toBe(200);
    }
    expect((await getBooking(booking.id, guest)).status).toBe('canceled');
    expect((await paymentRow(payment.id)).settlement).toBe('void');
    await t.runJobs();
    expect((await paymentRow(payment.id)).status).toBe('voided');
  });

  it('retries a capture the provider refuses, and the booking stays confirmed', async () => {
    const guest = await register(t.app);
    const booking = await book(guest);
    const payment = await authorize(guest, booking, { refuse: true });
    expect((await post(`/v1/bookings/${booking.id}/accept`, host)).statusCode).toBe(200);
    const run = await t.runJobs();
    expect(run.retried).toBeGreaterThanOrEqual(1);
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'authorized', settlement: 'capture' });
    expect((await getBooking(booking.id, guest)).status).toBe('confirmed');
  });

  it('books an instant place exactly as before', async () => {
    const guest = await register(t.app);
    const booking = await book(guest, instantPlace);
    expect(booking).toMatchObject({ status: 'pending', bookingMode: 'instant' });
    expect((await post(`/v1/bookings/${booking.id}/accept`, host)).json().code).toBe('booking_not_requested');
  });

  it('answers over GraphQL with the same rules', async () => {
    const { booking } = await requested();
    const mutation = `mutation ($id: ID!) { declineBooking(id: $id, input: { reason: "No" }) { id status respondBy bookingMode } }`;
    const asGuest = await graphql(t.app, mutation, { id: booking.id }, stranger.auth);
    expect(asGuest.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const res = await graphql(t.app, mutation, { id: booking.id }, host.auth);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.declineBooking).toMatchObject({ status: 'declined', bookingMode: 'request' });
  });
});
