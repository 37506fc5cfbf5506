import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChapaFake, type ChapaFake } from '#test/fakes/chapa-fake.js';
import { startStripeFake, type StripeFake } from '#test/fakes/stripe-fake.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import { createTestApp, register, registerAdmin, type Session, type TestApp } from '#test/helpers.js';
import { bookStay } from '#test/kit/scenario.js';
import type { Role } from '../../../platform/context.js';
import type { Booking } from '../../bookings/index.js';
import type { Payment } from '../payments.schemas.js';

const SECRET = 'whsec_provider_flow_0123456789';

interface World {
  t: TestApp;
  endpoint: (provider: string) => string;
  host: Session;
  guest: Session;
  admin: Session;
  propertyId: string;
}

let day = 40;
const ctxOf = (s: Session) => ({ actor: { id: s.user.id, role: s.user.role as Role } });

async function world(env: Record<string, string>): Promise<World> {
  const t = await createTestApp({ env: { PAYMENT_WEBHOOK_SECRET: SECRET, ...env } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const [host, guest] = await Promise.all([register(t.app, { role: 'host' }), register(t.app)]);
  const admin = await registerAdmin(t);
  const property = await createProperty(t.app, host, { nightlyPrice: 12_000 });
  return {
    t,
    endpoint: (provider) => `http://127.0.0.1:${port}/v1/webhooks/payments/${provider}`,
    host,
    guest,
    admin,
    propertyId: property.id,
  };
}

async function book(w: World): Promise<Booking> {
  const start = (day += 3);
  return bookStay(w.t.app, w.guest, { propertyId: w.propertyId, checkIn: inDays(start), checkOut: inDays(start + 2) });
}

const initiate = (w: World, bookingId: string) =>
  w.t.app.inject({ method: 'POST', url: `/v1/bookings/${bookingId}/payments`, headers: w.guest.auth });
const payment = (w: World, id: string) =>
  w.t.app.inject({ url: `/v1/payments/${id}`, headers: w.guest.auth }).then((r) => r.json<Payment>());
const bookingStatus = async (w: World, id: string) =>
  (await w.t.container.services.bookings.getBooking(id, ctxOf(w.admin))).status;

describe('Stripe as the provider', () => {
  let w: World;
  let stripe: StripeFake;

  beforeAll(async () => {
    stripe = await startStripeFake('sk_test_flow', SECRET);
    w = await world({ PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_flow', STRIPE_API_URL: stripe.url });
  });
  afterAll(async () => {
    await w?.t.close();
    await stripe?.close();
  });

  it('pays through a Checkout Session and its signed webhook', async () => {
    const booking = await book(w);
    const res = await initiate(w, booking.id);
    expect(res.statusCode).toBe(201);
    const created = res.json<Payment>();
    expect(created.provider).toBe('stripe');
    expect(created.providerReference).toMatch(/^cs_test_/);
    expect(created.checkoutUrl).toBe(`https://checkout.stripe.com/c/pay/${created.providerReference}`);
    const sent = stripe.requests.at(-1)!;
    expect(sent.headers['idempotency-key']).toBe(`checkout-${created.id}`);
    expect(new URLSearchParams(sent.body).get('line_items[0][price_data][unit_amount]')).toBe(
      String(booking.price.total),
    );

    // The sandbox is not configured here.
    expect((await fetch(w.endpoint('sandbox'), { method: 'POST', body: '{}' })).status).toBe(404);

    stripe.complete(created.providerReference);
    const stale = await stripe.sendEvent(
      w.endpoint('stripe'),
      'checkout.session.completed',
      created.providerReference,
      {
        timestamp: Math.floor(Date.now() / 1000) - 600,
      },
    );
    expect(stale.status).toBe(401);
    expect(await bookingStatus(w, booking.id)).toBe('pending');

    const ok = await stripe.sendEvent(w.endpoint('stripe'), 'checkout.session.completed', created.providerReference);
    expect(ok.status).toBe(200);
    expect(await bookingStatus(w, booking.id)).toBe('confirmed');
    expect(await payment(w, created.id)).toMatchObject({ status: 'succeeded' });
  });

  it('answers 503 and fails the payment when Stripe is down', async () => {
    const booking = await book(w);
    stripe.failNext(1);
    const res = await initiate(w, booking.id);
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('sk_test_flow');
    const rows = await w.t.container.database.db.execute(
      sql`select status from payments where booking_id = ${booking.id}`,
    );
    const statuses = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { status: string }[];
    expect(statuses.map((r) => r.status)).toEqual(['failed']);
    // A later attempt goes through.
    expect((await initiate(w, booking.id)).statusCode).toBe(201);
  });

  it('keeps a refund pending when Stripe refuses it, and the retry sends it once', async () => {
    const booking = await book(w);
    const created = (await initiate(w, booking.id)).json<Payment>();
    const intent = stripe.complete(created.providerReference).payment_intent!;
    await stripe.sendEvent(w.endpoint('stripe'), 'checkout.session.completed', created.providerReference);

    stripe.failNext(1);
    const canceled = await w.t.container.services.bookings.cancelBooking(booking.id, {}, ctxOf(w.host));
    expect(canceled.status).toBe('canceled');
    expect(await payment(w, created.id)).toMatchObject({ status: 'succeeded', refundedAmount: 0 });
    const [pending] = await w.t.container.services.payments.listRefunds(created.id);
    expect(pending).toMatchObject({ status: 'pending', reason: 'canceled_by_host', amount: booking.price.total });
    expect(pending!.lastError).toContain('stripe');
    expect(pending!.lastError).not.toContain('sk_test');

    const retried = await w.t.container.services.payments.retryPendingRefunds(10);
    expect(retried.succeeded).toBeGreaterThanOrEqual(1);
    expect(await payment(w, created.id)).toMatchObject({ status: 'refunded', refundedAmount: booking.price.total });
    expect(stripe.refunds.filter((r) => r.payment_intent === intent)).toEqual([
      expect.objectContaining({ amount: booking.price.total }),
    ]);
    // Nothing left to send.
    expect((await w.t.container.services.payments.retryPendingRefunds(10)).attempted).toBe(0);
  });
});

describe('Chapa as the provider', () => {
  let w: World;
  let chapa: ChapaFake;

  beforeAll(async () => {
    chapa = await startChapaFake('CHASECK_TEST-flow', SECRET);
    w = await world({ PAYMENT_PROVIDER: 'chapa', CHAPA_SECRET_KEY: 'CHASECK_TEST-flow', CHAPA_API_URL: chapa.url });
  });
  afterAll(async () => {
    await w?.t.close();
    await chapa?.close();
  });

  it('pays through Chapa once its verify endpoint confirms the webhook, and refunds a guest cancel', async () => {
    const booking = await book(w);
    const created = (await initiate(w, booking.id)).json<Payment>();
    expect(created).toMatchObject({ provider: 'chapa', providerReference: created.id });
    expect(JSON.parse(chapa.requests.at(-1)!.body)).toMatchObject({
      tx_ref: created.id,
      amount: (booking.price.total / 100).toFixed(2),
    });

    // Signed but unpaid at Chapa: acknowledged, not applied.
    expect((await chapa.sendWebhook(w.endpoint('chapa'), created.id)).status).toBe(200);
    expect(await bookingStatus(w, booking.id)).toBe('pending');
    expect((await chapa.sendWebhook(w.endpoint('chapa'), created.id, { secret: 'wrong-secret-hash' })).status).toBe(
      401,
    );

    chapa.pay(created.id);
    // Chapa delivers the same event again: this time its verify endpoint confirms it.
    expect((await chapa.sendWebhook(w.endpoint('chapa'), created.id, { header: 'chapa-signature' })).status).toBe(200);
    expect(await bookingStatus(w, booking.id)).toBe('confirmed');

    const canceled = await w.t.container.services.bookings.cancelBooking(booking.id, {}, ctxOf(w.guest));
    expect(canceled.refundAmount).toBeGreaterThan(0);
    expect(await payment(w, created.id)).toMatchObject({ refundedAmount: canceled.refundAmount });
    expect(chapa.refunds.at(-1)).toMatchObject({
      txRef: created.id,
      amount: (canceled.refundAmount! / 100).toFixed(2),
    });
  });
});
