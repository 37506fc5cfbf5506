import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProperty, inDays } from '#test/factories/properties.js';
import { createTestApp, register, type Session, type TestApp } from '#test/helpers.js';
import { bookStay } from '#test/kit/scenario.js';
import type { Payment } from '../payments.schemas.js';
import { SANDBOX_PAGE_CSP } from '../payments.sandbox-page.js';
import { sparePort } from '#test/kit/instances.js';

/**
 * The sandbox checkout pages in a browser's terms: Post/Redirect/Get, error pages that are
 * pages, and a second Pay that changes nothing.
 */

const SECRET = 'sandbox-webhook-secret-0123456789';
let t: TestApp;
let base: string;
let host: Session;
let propertyId: string;
let nextDay = 40;

beforeAll(async () => {
  // The sandbox posts its webhook to PUBLIC_URL, so the app listens on a port known before it is built.
  const port = await sparePort();
  base = `http://127.0.0.1:${port}`;
  t = await createTestApp({ env: { PUBLIC_URL: base, PAYMENT_WEBHOOK_SECRET: SECRET } });
  await t.app.listen({ port, host: '127.0.0.1' });
  host = await register(t.app, { role: 'host' });
  propertyId = (await createProperty(t.app, host, { nightlyPrice: 9_000, cleaningFee: 1_000 })).id;
});
afterAll(async () => {
  await t?.close();
});

/** A fresh guest's pending booking and its open sandbox checkout. */
async function openCheckout(): Promise<{ guest: Session; bookingId: string; payment: Payment }> {
  const guest = await register(t.app);
  const start = (nextDay += 3);
  const booking = await bookStay(t.app, guest, { propertyId, checkIn: inDays(start), checkOut: inDays(start + 2) });
  const res = await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.id}/payments`, headers: guest.auth });
  return { guest, bookingId: booking.id, payment: res.json<Payment>() };
}

/** The form's POST as a browser sends it, redirects not followed. */
const post = (payment: Payment, action: 'pay' | 'decline', init: RequestInit = {}) =>
  fetch(`${base}/sandbox/checkout/${payment.id}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
    redirect: 'manual',
    ...init,
  });

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const result = await t.container.database.db.execute(query);
  return (result as { rows: { n: number }[] }).rows[0]!.n;
}

const expectPage = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
  expect(res.headers.get('content-security-policy')).toBe(SANDBOX_PAGE_CSP);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return res.text();
};

describe('sandbox checkout pages', () => {
  it('answers Pay with 303 to a result page that a reload shows again without paying again', async () => {
    const { bookingId, payment } = await openCheckout();
    const posted = await post(payment, 'pay');
    expect(posted.status).toBe(303);
    const location = posted.headers.get('location');
    expect(location).toBe(`/sandbox/checkout/${payment.id}/result`);
    expect(await posted.text()).toBe('');

    for (let i = 0; i < 2; i++) {
      const html = await expectPage(await fetch(`${base}${location}`), 200);
      expect(html).toContain('Payment received');
      expect(html).toContain(`href="/sandbox/checkout/${payment.id}"`);
    }
    const booking = await t.container.database.db.execute(sql`select status from bookings where id = ${bookingId}`);
    expect((booking as { rows: { status: string }[] }).rows[0]!.status).toBe('confirmed');
    // The checkout page offers no buttons once settled, and links to the outcome.
    const settled = await expectPage(await fetch(payment.checkoutUrl!), 200);
    expect(settled).not.toContain('method="post"');
    expect(settled).toContain(`href="/sandbox/checkout/${payment.id}/result"`);
  });

  it('answers Decline with 303 to the result page', async () => {
    const { payment } = await openCheckout();
    const posted = await post(payment, 'decline');
    expect([posted.status, posted.headers.get('location')]).toEqual([303, `/sandbox/checkout/${payment.id}/result`]);
    expect(await expectPage(await fetch(`${base}/sandbox/checkout/${payment.id}/result`), 200)).toContain(
      'Payment declined',
    );
  });

  it('stays safe when Pay is posted twice, one after the other or at once', async () => {
    for (const together of [false, true]) {
      const { payment } = await openCheckout();
      const answers = together
        ? await Promise.all([post(payment, 'pay'), post(payment, 'pay')])
        : [await post(payment, 'pay'), await post(payment, 'pay')];
      for (const res of answers) {
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toBe(`/sandbox/checkout/${payment.id}/result`);
      }
      // A late Decline changes nothing either.
      expect((await post(payment, 'decline')).status).toBe(303);
      const stored = await t.app.inject({ url: `/v1/payments/${payment.id}`, headers: host.auth });
      expect(stored.json<Payment>()).toMatchObject({ status: 'succeeded', refundedAmount: 0 });
      const applied = sql`select count(*)::int as n from audit_log where entity_id = ${payment.id} and action = 'payment.succeeded'`;
      expect(await count(applied)).toBe(1);
      expect(await count(sql`select count(*)::int as n from payment_refunds where payment_id = ${payment.id}`)).toBe(0);
      const html = await expectPage(await fetch(`${base}/sandbox/checkout/${payment.id}/result`), 200);
      expect(html).toContain('paying again charges nothing');
    }
  });

  it('says so when the provider could not reach Staylane, linking back to try again', async () => {
    const { payment } = await openCheckout();
    const html = await expectPage(await fetch(`${base}/sandbox/checkout/${payment.id}/result?delivery=failed`), 200);
    expect(html).toContain('The payment provider could not reach Staylane');
    expect(html).toContain(`href="/sandbox/checkout/${payment.id}"`);
  });

  it('answers errors as small pages linking back to where the guest came from', async () => {
    const { payment } = await openCheckout();
    const unknown = await expectPage(await fetch(`${base}/sandbox/checkout/${randomUUID()}`), 404);
    expect(unknown).toContain('Checkout not found.');
    expect(unknown).toContain('href="/"');
    expect(await expectPage(await fetch(`${base}/sandbox/checkout/not-a-reference`), 404)).toContain('href="/"');

    const wrongType = await post(payment, 'pay', { headers: { 'content-type': 'text/plain' }, body: 'pay' });
    const refused = await expectPage(wrongType, 415);
    expect(refused).toContain(`href="/sandbox/checkout/${payment.id}"`);
    expect(refused).not.toContain('"type":');
    const missing = await expectPage(await fetch(`${base}/sandbox/checkout/${payment.id}/nowhere`), 404);
    expect(missing).toContain(`href="/sandbox/checkout/${payment.id}"`);
    // Nothing of the above paid.
    const stored = await t.app.inject({ url: `/v1/payments/${payment.id}`, headers: host.auth });
    expect(stored.json<Payment>().status).toBe('initiated');
  });
});
