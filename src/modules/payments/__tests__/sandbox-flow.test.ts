import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProperty, inDays } from '#test/factories/properties.js';
import { createTestApp, graphql, register, registerAdmin, type Session, type TestApp } from '#test/helpers.js';
import { bookStay } from '#test/kit/scenario.js';
import type { Role } from '../../../platform/context.js';
import { hmacSha256Hex, sandboxEvent, signSandboxEvent } from '../../../platform/payments/index.js';
import type { Booking } from '../../bookings/index.js';
import { escapeHtml } from '../payments.sandbox-page.js';
import type { Payment } from '../payments.schemas.js';
import { sparePort } from '#test/kit/instances.js';

const SECRET = 'sandbox-webhook-secret-0123456789';
let t: TestApp;
let base: string;
let host: Session;
let guest: Session;
let otherGuest: Session;
let stranger: Session;
let admin: Session;
let propertyId: string;
let propertyTitle: string;
let nextDay = 30;

beforeAll(async () => {
  // The sandbox posts its webhook to PUBLIC_URL, so the app listens on a port known before it is built.
  const port = await sparePort();
  base = `http://127.0.0.1:${port}`;
  t = await createTestApp({ env: { PUBLIC_URL: base, PAYMENT_WEBHOOK_SECRET: SECRET } });
  await t.app.listen({ port, host: '127.0.0.1' });
  [host, stranger] = await Promise.all([register(t.app, { role: 'host' }), register(t.app)]);
  admin = await registerAdmin(t);
  const property = await createProperty(t.app, host, {
    title: 'Loft <script>alert("x")</script> & "friends"',
    nightlyPrice: 10_000,
    cleaningFee: 2_500,
    cancellationPolicy: 'moderate',
  });
  propertyId = property.id;
  propertyTitle = property.title;
});

// Guests of their own in each test: a guest holds at most 3 unpaid bookings at once.
beforeEach(async () => {
  [guest, otherGuest] = await Promise.all([register(t.app), register(t.app)]);
});

afterAll(async () => {
  await t?.close();
});

const ctxOf = (s: Session) => ({ actor: { id: s.user.id, role: s.user.role as Role } });

/** A pending booking of `session` for two nights not used by any other test. */
async function book(session: Session, days?: number): Promise<Booking> {
  const start = days ?? (nextDay += 3);
  return bookStay(t.app, session, { propertyId, checkIn: inDays(start), checkOut: inDays(start + 2) });
}

async function initiate(bookingId: string, session: Session) {
  return t.app.inject({ method: 'POST', url: `/v1/bookings/${bookingId}/payments`, headers: session.auth });
}

async function paid(session: Session, days?: number): Promise<{ booking: Booking; payment: Payment }> {
  const booking = await book(session, days);
  const payment = (await initiate(booking.id, session)).json<Payment>();
  return { booking, payment };
}

/** Pay or Decline on the sandbox page, over real HTTP, as a browser posts the form. */
const settle = (payment: Payment, action: 'pay' | 'decline') =>
  fetch(`${base}/sandbox/checkout/${payment.id}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });

const getPayment = (id: string, session: Session) =>
  t.app.inject({ url: `/v1/payments/${id}`, headers: session.auth }).then((r) => r.json<Payment>());
const getBooking = (id: string) => t.container.services.bookings.getBooking(id, ctxOf(admin));

/** Posts a webhook body over real HTTP to our endpoint. */
const deliver = (provider: string, body: string, headers: Record<string, string>) =>
  fetch(`${base}/v1/webhooks/payments/${provider}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('sandbox checkout, end to end over HTTP', () => {
  it('initiates, shows an escaped checkout page, and confirms the booking on Pay', async () => {
    const booking = await book(guest);
    const res = await initiate(booking.id, guest);
    expect(res.statusCode).toBe(201);
    const payment = res.json<Payment>();
    expect(res.headers.location).toBe(`/v1/payments/${payment.id}`);
    expect(payment).toMatchObject({
      bookingId: booking.id,
      provider: 'sandbox',
      status: 'initiated',
      amount: booking.price.total,
      refundedAmount: 0,
      currency: booking.currency,
      checkoutUrl: `${base}/sandbox/checkout/${payment.id}`,
    });

    const page = await fetch(payment.checkoutUrl!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(propertyTitle).toContain('<script>');
    expect(html).toContain(escapeHtml(propertyTitle));
    expect(html).not.toContain('<script>');
    expect(html).toContain(`action="/sandbox/checkout/${payment.id}/pay"`);
    expect(html).toContain(`action="/sandbox/checkout/${payment.id}/decline"`);

    const result = await settle(payment, 'pay');
    expect(result.status).toBe(200);
    expect(await result.text()).toContain('Payment received');
    expect((await getBooking(booking.id)).status).toBe('confirmed');
    expect(await getPayment(payment.id, guest)).toMatchObject({ status: 'succeeded', refundedAmount: 0 });
    // The host and an admin see it too; a stranger does not.
    expect((await getPayment(payment.id, host)).id).toBe(payment.id);
    expect((await getPayment(payment.id, admin)).id).toBe(payment.id);
    const hidden = await t.app.inject({ url: `/v1/payments/${payment.id}`, headers: stranger.auth });
    expect(hidden.statusCode).toBe(404);
    // Paid: no second payment, and the settled page offers no buttons.
    expect((await initiate(booking.id, guest)).statusCode).toBe(409);
    expect(await (await fetch(payment.checkoutUrl!)).text()).not.toContain('/pay"');
    expect(await (await settle(payment, 'pay')).text()).toContain('paying again charges nothing');
  });

  it('sends a strict Content-Security-Policy with the checkout page, both result pages and its errors', async () => {
    const policyOf = (res: Response) =>
      new Map(
        (res.headers.get('content-security-policy') ?? '')
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .filter((d) => d[0])
          .map(([name, ...values]): [string, string[]] => [name!, values]),
      );
    const expectStrict = async (res: Response) => {
      const policy = policyOf(res);
      expect(policy.get('default-src')).toEqual(["'none'"]);
      expect(policy.get('form-action')).toEqual(["'self'"]);
      expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
      expect(policy.get('base-uri')).toEqual(["'none'"]);
      expect(policy.has('script-src')).toBe(false);
      const html = await res.text();
      // The page's one inline style is allowed by its hash, nothing else by a keyword.
      const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
      expect(policy.get('style-src')).toEqual(
        styles.map((css) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`),
      );
    };
    const first = await paid(guest);
    const checkout = await fetch(first.payment.checkoutUrl!);
    expect(checkout.status).toBe(200);
    await expectStrict(checkout);
    const received = await settle(first.payment, 'pay');
    expect(received.status).toBe(200);
    await expectStrict(received);
    const settled = await fetch(first.payment.checkoutUrl!);
    await expectStrict(settled);
    const second = await paid(otherGuest);
    const declined = await settle(second.payment, 'decline');
    expect(declined.status).toBe(200);
    await expectStrict(declined);
    const unknown = await fetch(`${base}/sandbox/checkout/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(policyOf(unknown).get('default-src')).toEqual(["'none'"]);
  });

  it('replays a payment started with the same Idempotency-Key instead of opening a second checkout', async () => {
    const booking = await book(guest);
    const start = () =>
      t.app.inject({
        method: 'POST',
        url: `/v1/bookings/${booking.id}/payments`,
        headers: { ...guest.auth, 'idempotency-key': `pay-${booking.id}` },
      });
    const [first, again] = [await start(), await start()];
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json<Payment>().id).toBe(first.json<Payment>().id);
    const rows = await t.container.database.db.execute(
      sql`select count(*)::int as n from payments where booking_id = ${booking.id}`,
    );
    expect((rows as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
  });

  it('refuses an eleventh checkout for one booking (409 booking_not_payable)', async () => {
    const booking = await book(guest);
    for (let i = 0; i < 10; i++) expect((await initiate(booking.id, guest)).statusCode).toBe(201);
    const eleventh = await initiate(booking.id, guest);
    expect([eleventh.statusCode, eleventh.json<{ code: string }>().code]).toEqual([409, 'booking_not_payable']);
  });

  it('Decline fails the payment and leaves the booking pending', async () => {
    const { booking, payment } = await paid(guest);
    const result = await settle(payment, 'decline');
    expect(result.status).toBe(200);
    expect(await result.text()).toContain('Payment declined');
    expect((await getPayment(payment.id, guest)).status).toBe('failed');
    expect((await getBooking(booking.id)).status).toBe('pending');
    // The guest may try again while the hold lasts.
    expect((await initiate(booking.id, guest)).statusCode).toBe(201);
  });

  it('lets only the guest pay: other participants 403, strangers 404, no token 401', async () => {
    const booking = await book(guest);
    expect((await initiate(booking.id, host)).statusCode).toBe(403);
    expect((await initiate(booking.id, admin)).statusCode).toBe(403);
    expect((await initiate(booking.id, stranger)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.id}/payments` })).statusCode).toBe(401);
    expect((await initiate('00000000-0000-4000-8000-000000000000', guest)).statusCode).toBe(404);
  });

  it('refuses to start a payment once the hold has passed or the booking is canceled', async () => {
    const expired = await book(guest);
    await t.container.database.db.execute(
      sql`update bookings set hold_expires_at = now() - interval '1 minute' where id = ${expired.id}`,
    );
    const late = await initiate(expired.id, guest);
    expect(late.statusCode).toBe(409);
    expect(late.json<{ code: string }>().code).toBe('booking_not_payable');
    const canceled = await book(guest);
    await t.container.services.bookings.cancelBooking(canceled.id, {}, ctxOf(guest));
    expect((await initiate(canceled.id, guest)).statusCode).toBe(409);
  });
});

describe('webhook endpoint', () => {
  it('answers 401 problem+json for a bad or missing signature and changes nothing', async () => {
    const { payment } = await paid(guest);
    const { body } = signSandboxEvent(SECRET, sandboxEvent(payment.id, 'succeeded'));
    const forged = await deliver('sandbox', body, { 'x-staylane-signature': hmacSha256Hex('not-the-secret', body) });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await forged.json()) as { code: string }).toMatchObject({ code: 'invalid_signature' });
    expect((await deliver('sandbox', body, {})).status).toBe(401);
    expect((await deliver('sandbox', body, { 'x-staylane-signature': 'zz' })).status).toBe(401);
    expect((await getPayment(payment.id, guest)).status).toBe('initiated');
  });

  it('answers 404 for a provider that is not configured, 200 for a payment it does not know', async () => {
    expect((await deliver('stripe', '{}', { 'stripe-signature': 't=1,v1=00' })).status).toBe(404);
    expect((await deliver('paypal', '{}', {})).status).toBe(404);
    const unknown = signSandboxEvent(SECRET, sandboxEvent('00000000-0000-4000-8000-000000000000', 'succeeded'));
    const res = await deliver('sandbox', unknown.body, unknown.headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, duplicate: false });
  });

  it('applies an event once when delivered twice', async () => {
    const { booking, payment } = await paid(guest);
    const signed = signSandboxEvent(SECRET, sandboxEvent(payment.id, 'succeeded', `evt_twice_${payment.id}`));
    const first = await deliver('sandbox', signed.body, signed.headers);
    const second = await deliver('sandbox', signed.body, signed.headers);
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    expect(await second.json()).toEqual({ received: true, duplicate: true });
    expect((await getBooking(booking.id)).status).toBe('confirmed');
    expect(await auditCount('payment.succeeded', payment.id)).toBe(1);
  });

  it('applies an event once when delivered ten times at once', async () => {
    const { booking, payment } = await paid(guest);
    const signed = signSandboxEvent(SECRET, sandboxEvent(payment.id, 'succeeded', `evt_ten_${payment.id}`));
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        deliver('sandbox', signed.body, signed.headers).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { duplicate: boolean },
        })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => !a.body.duplicate)).toHaveLength(1);
    expect((await getBooking(booking.id)).status).toBe('confirmed');
    expect(await getPayment(payment.id, guest)).toMatchObject({ status: 'succeeded' });
    expect(await auditCount('payment.succeeded', payment.id)).toBe(1);
    expect(await auditCount('booking.confirmed', booking.id)).toBe(1);
  });
});

describe('refunds', () => {
  it('refunds in full a success that arrives after the hold expired and the dates were re-booked', async () => {
    const day = (nextDay += 3);
    const { booking, payment } = await paid(guest, day);
    await t.container.database.db.execute(
      sql`update bookings set hold_expires_at = now() - interval '1 minute' where id = ${booking.id}`,
    );
    // Someone else books the same nights: the overdue hold gives way.
    const taken = await book(otherGuest, day);
    expect(taken.status).toBe('pending');

    const result = await settle(payment, 'pay');
    expect(result.status).toBe(200);
    expect((await getBooking(booking.id)).status).toBe('expired');
    expect((await getBooking(taken.id)).status).toBe('pending');
    const after = await getPayment(payment.id, guest);
    expect(after).toMatchObject({ status: 'refunded', refundedAmount: payment.amount });
    const refunds = await t.container.services.payments.listRefunds(payment.id);
    expect(refunds).toEqual([
      expect.objectContaining({ reason: 'dates_taken', amount: payment.amount, status: 'succeeded', lastError: null }),
    ]);
    expect(await auditCount('payment.refunded', payment.id)).toBe(1);
  });

  it('refunds what the policy gives when the guest cancels a confirmed booking', async () => {
    const { booking, payment } = await paid(guest);
    await settle(payment, 'pay');
    const canceled = await t.container.services.bookings.cancelBooking(booking.id, {}, ctxOf(guest));
    // Moderate policy, weeks ahead: everything but the service fee.
    expect(canceled.refundAmount).toBe(booking.price.total - booking.price.serviceFee);
    const after = await getPayment(payment.id, guest);
    expect(after).toMatchObject({ status: 'partially_refunded', refundedAmount: canceled.refundAmount });
    const refunds = await t.container.services.payments.listRefunds(payment.id);
    expect(refunds).toEqual([expect.objectContaining({ reason: 'canceled_by_guest', status: 'succeeded' })]);
  });

  it('refunds in full when the host cancels', async () => {
    const { booking, payment } = await paid(guest);
    await settle(payment, 'pay');
    const canceled = await t.container.services.bookings.cancelBooking(booking.id, {}, ctxOf(host));
    expect(canceled.refundAmount).toBe(booking.price.total);
    expect(await getPayment(payment.id, guest)).toMatchObject({ status: 'refunded', refundedAmount: payment.amount });
    expect(await auditCount('payment.refunded', payment.id)).toBe(1);
  });

  it('records a second payment of a booking as succeeded, refunds it in full, and refunds a cancel from the first', async () => {
    const booking = await book(guest);
    // Two checkouts opened before either is paid (two tabs): both get paid.
    const first = (await initiate(booking.id, guest)).json<Payment>();
    const second = (await initiate(booking.id, guest)).json<Payment>();
    expect((await settle(first, 'pay')).status).toBe(200);
    expect((await settle(second, 'pay')).status).toBe(200);
    expect((await getBooking(booking.id)).status).toBe('confirmed');
    expect(await getPayment(first.id, guest)).toMatchObject({ status: 'succeeded', refundedAmount: 0 });
    expect(await getPayment(second.id, guest)).toMatchObject({ status: 'refunded', refundedAmount: second.amount });
    expect(await t.container.services.payments.listRefunds(second.id)).toEqual([
      expect.objectContaining({ reason: 'paid_twice', status: 'succeeded', amount: second.amount }),
    ]);
    // The host cancels: the payment that paid for the stay is the one refunded.
    await t.container.services.bookings.cancelBooking(booking.id, {}, ctxOf(host));
    expect(await getPayment(first.id, guest)).toMatchObject({ status: 'refunded', refundedAmount: first.amount });
    expect(await t.container.services.payments.listRefunds(second.id)).toHaveLength(1);
  });

  it('refunds nothing when a pending booking is canceled', async () => {
    const { booking, payment } = await paid(guest);
    await t.container.services.bookings.cancelBooking(booking.id, {}, ctxOf(guest));
    expect(await t.container.services.payments.listRefunds(payment.id)).toEqual([]);
    // A success for it afterwards is refunded in full.
    await settle(payment, 'pay');
    expect(await getPayment(payment.id, guest)).toMatchObject({ status: 'refunded', refundedAmount: payment.amount });
  });
});

describe('GraphQL', () => {
  it('initiatePayment and payment(id) follow the REST rules', async () => {
    const booking = await book(guest);
    const mutation = `mutation ($id: ID!) { initiatePayment(bookingId: $id) { id status amount checkoutUrl provider } }`;
    const denied = await graphql(t.app, mutation, { id: booking.id }, host.auth);
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const res = await graphql(t.app, mutation, { id: booking.id }, guest.auth);
    const created = res.body.data?.initiatePayment as { id: string; status: string; amount: number; provider: string };
    expect(created).toMatchObject({ status: 'initiated', amount: booking.price.total, provider: 'sandbox' });
    const query = `query ($id: ID!) { payment(id: $id) { id bookingId status } }`;
    const seen = await graphql(t.app, query, { id: created.id }, host.auth);
    expect(seen.body.data?.payment).toEqual({ id: created.id, bookingId: booking.id, status: 'initiated' });
    const hidden = await graphql(t.app, query, { id: created.id }, stranger.auth);
    expect(hidden.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

async function auditCount(action: string, entityId: string): Promise<number> {
  const result = await t.container.database.db.execute(
    sql`select count(*)::int as n from audit_log where action = ${action} and entity_id = ${entityId}`,
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: { n: number }[] }).rows) as { n: number }[];
  return Number(rows[0]!.n);
}
