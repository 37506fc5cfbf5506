import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeFake, type StripeFake } from '#test/fakes/stripe-fake.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import {
  createTestApp,
  movableClock,
  register,
  rowsOf,
  runDueJobs,
  type Session,
  type TestApp,
} from '#test/helpers.js';
import { bookStay } from '#test/kit/scenario.js';
import type { Booking } from '../../bookings/index.js';
import type { Payment } from '../payments.schemas.js';

const SECRET = 'whsec_requests_0123456789abcdef';
const HOUR = 3_600_000;
const clock = movableClock();
let t: TestApp;
let stripe: StripeFake;
let endpoint: string;
let host: Session;
let propertyId: string;
let day = 30;

beforeAll(async () => {
  stripe = await startStripeFake('sk_test_requests', SECRET);
  t = await createTestApp({
    env: {
      PAYMENT_WEBHOOK_SECRET: SECRET,
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_requests',
      STRIPE_API_URL: stripe.url,
    },
    clock,
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  endpoint = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/v1/webhooks/payments/stripe`;
  host = await register(t.app, { role: 'host' });
  propertyId = (await createProperty(t.app, host, { nightlyPrice: 9_000, bookingMode: 'request' })).id;
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

const post = (url: string, who: Session) => t.app.inject({ method: 'POST', url, headers: who.auth });
const statusOf = async (id: string) =>
  (await rowsOf<{ status: string }>(t.container.database.db, sql`select status from bookings where id = ${id}`))[0]!
    .status;
const paymentStatus = async (id: string) =>
  (await rowsOf<{ status: string }>(t.container.database.db, sql`select status from payments where id = ${id}`))[0]!
    .status;

/** A request of a fresh guest: booked, checked out with manual capture, authorized by Stripe's webhook. */
async function requested(): Promise<{ guest: Session; booking: Booking; payment: Payment; intent: string }> {
  const guest = await register(t.app);
  const start = (day += 3);
  const booking = await bookStay(t.app, guest, { propertyId, checkIn: inDays(start), checkOut: inDays(start + 2) });
  const res = await post(`/v1/bookings/${booking.id}/payments`, guest);
  expect(res.statusCode, res.body).toBe(201);
  const payment = res.json<Payment>();
  expect(new URLSearchParams(stripe.requests.at(-1)!.body).get('payment_intent_data[capture_method]')).toBe('manual');
  const session = stripe.complete(payment.providerReference);
  const hook = await stripe.sendEvent(endpoint, 'checkout.session.completed', payment.providerReference);
  expect(hook.status).toBe(200);
  expect(await statusOf(booking.id)).toBe('requested');
  return { guest, booking, payment, intent: session.payment_intent! };
}

const settlementsOf = (intent: string) => stripe.settlements.filter((s) => s.intent === intent);

describe('request to book with Stripe (manual capture)', () => {
  it('captures once on acceptance, whatever order and however often the events come', async () => {
    const { booking, payment, intent } = await requested();
    // The same authorization told again by the intent's own event: nothing changes.
    expect((await stripe.sendIntentEvent(endpoint, 'payment_intent.amount_capturable_updated', intent)).status).toBe(
      200,
    );
    expect(await paymentStatus(payment.id)).toBe('authorized');

    expect((await post(`/v1/bookings/${booking.id}/accept`, host)).statusCode).toBe(200);
    await runDueJobs(t);
    expect(settlementsOf(intent)).toEqual([{ intent, action: 'capture' }]);
    const sent = stripe.requests.find((r) => r.path === `/v1/payment_intents/${intent}/capture`)!;
    expect(sent.headers['idempotency-key']).toBe(`capture-${payment.id}`);
    expect(await paymentStatus(payment.id)).toBe('succeeded');

    // The capture's event, then a late authorization event, then a repeat: the payment stays captured.
    const succeeded = await stripe.sendIntentEvent(endpoint, 'payment_intent.succeeded', intent, {
      eventId: 'evt_cap',
    });
    expect(succeeded.status).toBe(200);
    await stripe.sendIntentEvent(endpoint, 'payment_intent.amount_capturable_updated', intent);
    await stripe.sendIntentEvent(endpoint, 'payment_intent.succeeded', intent, { eventId: 'evt_cap' });
    await runDueJobs(t);
    expect(await paymentStatus(payment.id)).toBe('succeeded');
    expect(await statusOf(booking.id)).toBe('confirmed');
    expect(settlementsOf(intent)).toHaveLength(1);
  });

  it('records a capture reported by Stripe before the job recorded it, and the job then moves nothing', async () => {
    const { booking, payment, intent } = await requested();
    expect((await post(`/v1/bookings/${booking.id}/accept`, host)).statusCode).toBe(200);
    // The capture went through at Stripe (a worker crashed before writing it down): the event records it.
    stripe.intents.get(intent)!.status = 'succeeded';
    expect((await stripe.sendIntentEvent(endpoint, 'payment_intent.succeeded', intent)).status).toBe(200);
    expect(await paymentStatus(payment.id)).toBe('succeeded');
    await runDueJobs(t);
    expect(settlementsOf(intent)).toHaveLength(0);
  });

  it('voids on decline, once', async () => {
    const { booking, payment, intent } = await requested();
    expect((await post(`/v1/bookings/${booking.id}/decline`, host)).statusCode).toBe(200);
    await runDueJobs(t);
    await runDueJobs(t);
    expect(settlementsOf(intent)).toEqual([{ intent, action: 'cancel' }]);
    expect((await stripe.sendIntentEvent(endpoint, 'payment_intent.canceled', intent)).status).toBe(200);
    expect(await paymentStatus(payment.id)).toBe('voided');
  });

  it('retries a capture Stripe could not take, with the same idempotency key', async () => {
    const { booking, payment, intent } = await requested();
    expect((await post(`/v1/bookings/${booking.id}/accept`, host)).statusCode).toBe(200);
    stripe.failNext(1);
    const first = await runDueJobs(t);
    expect(first.retried).toBe(1);
    expect(await paymentStatus(payment.id)).toBe('authorized');
    clock.offsetMs += HOUR;
    await runDueJobs(t);
    expect(await paymentStatus(payment.id)).toBe('succeeded');
    const keys = stripe.requests
      .filter((r) => r.path === `/v1/payment_intents/${intent}/capture`)
      .map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual([`capture-${payment.id}`, `capture-${payment.id}`]);
    expect(settlementsOf(intent)).toHaveLength(1);
  });

  describe('races: accept, decline, the guest’s cancel and the expiry on one request', () => {
    const answers = (r: Awaited<ReturnType<typeof requested>>) => [
      post(`/v1/bookings/${r.booking.id}/accept`, host),
      post(`/v1/bookings/${r.booking.id}/decline`, host),
      post(`/v1/bookings/${r.booking.id}/cancel`, r.guest),
    ];

    /** The transitions of the booking out of `requested`, from the audit log: who answered the request. */
    const answersOf = async (bookingId: string) =>
      (
        await rowsOf<{ action: string; previous: string | null }>(
          t.container.database.db,
          sql`select action, detail->>'previousStatus' as previous from audit_log
            where entity_id = ${bookingId} and action in ('booking.accepted', 'booking.declined', 'booking.canceled', 'booking.expired')`,
        )
      ).filter((a) => a.action !== 'booking.canceled' || a.previous === 'requested');

    it('exactly one answer wins the request; the others get 409; money moves once', async () => {
      for (let round = 0; round < 4; round++) {
        const r = await requested();
        const [results, swept] = await Promise.all([
          Promise.all(answers(r)),
          t.container.services.bookings.expireOverdueRequests(),
        ]);
        expect(swept).toBe(0);
        const [accept, decline, cancel] = results.map((res) => res.statusCode);
        const won = await answersOf(r.booking.id);
        expect(won, JSON.stringify(won)).toHaveLength(1);
        await runDueJobs(t);
        await runDueJobs(t);
        if (won[0]!.action === 'booking.accepted') {
          expect([accept, decline]).toEqual([200, 409]);
          expect(settlementsOf(r.intent)).toEqual([{ intent: r.intent, action: 'capture' }]);
          // A cancel that read the booking once confirmed is a cancel of the stay (refunded), not of the request.
          if (cancel === 200) expect(await statusOf(r.booking.id)).toBe('canceled');
          else expect(await statusOf(r.booking.id)).toBe('confirmed');
        } else {
          expect([accept, decline, cancel].filter((c) => c === 200)).toHaveLength(1);
          expect([accept, decline, cancel].filter((c) => c === 409)).toHaveLength(2);
          expect(settlementsOf(r.intent)).toEqual([{ intent: r.intent, action: 'cancel' }]);
        }
      }
    });

    it('past its answer time the expiry wins over every answer; voided once', async () => {
      const r = await requested();
      clock.offsetMs += 24 * HOUR + 1000;
      const [results, swept] = await Promise.all([
        Promise.all(answers(r)),
        t.container.services.bookings.expireOverdueRequests(),
      ]);
      expect(results.map((res) => res.statusCode)).toEqual([409, 409, 409]);
      expect(swept).toBeLessThanOrEqual(1);
      expect(await statusOf(r.booking.id)).toBe('expired');
      await runDueJobs(t);
      await runDueJobs(t);
      expect(settlementsOf(r.intent)).toEqual([{ intent: r.intent, action: 'cancel' }]);
      const expiries = await rowsOf<{ n: number }>(
        t.container.database.db,
        sql`select count(*)::int as n from audit_log where action = 'booking.expired' and entity_id = ${r.booking.id}`,
      );
      expect(expiries[0]!.n).toBe(1);
    });
  });
});
