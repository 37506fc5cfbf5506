import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProperty, inDays } from '#test/factories/properties.js';
import type { ReceivedMail } from '#test/fakes/smtp-fake.js';
import { startStripeFake, type StripeFake } from '#test/fakes/stripe-fake.js';
import { register, type Session, type TestApp } from '#test/helpers.js';
import {
  bookStay,
  deliveriesTo,
  deliveryOf,
  jobByKey,
  jobsStillDue,
  paymentSucceeds,
  PUBLIC_URL,
  useTimeTravel,
} from '#test/kit/scenario.js';
import type { Role } from '../../../platform/context.js';
import type { Booking } from '../../bookings/index.js';
import type { Payment } from '../payments.schemas.js';

// The "refunded in full" e-mail (payments rule): a success after the hold ended for dates
// taken since, and a second payment of a booking already paid. Told once the refund is sent.

const TITLE = 'Loft <b>by the river</b> & "friends"';
const ctxOf = (s: Session) => ({ actor: { id: s.user.id, role: s.user.role as Role } });
/** A subject as the reader sees it: the fake keeps nodemailer's RFC 2047 Q-encoded words. */
const subjectOf = (m: ReceivedMail) =>
  (m.headers.subject ?? '').replace(/=\?UTF-8\?Q\?([^?]*)\?=\s*/gi, (_w, q: string) =>
    Buffer.from(
      q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_h, hex: string) => `%${hex}`),
      'latin1',
    )
      .toString()
      .replace(/(%[0-9A-F]{2})+/gi, (bytes) => decodeURIComponent(bytes)),
  );
const isRefundMailTo = (s: Session) => (m: ReceivedMail) =>
  m.headers.to === s.user.email && /^Refunded in full/.test(subjectOf(m));
/** The delivery log's "refunded in full" e-mails to `s`. */
const refundDeliveriesTo = (t: TestApp, s: Session) => deliveriesTo(t, s.user.email, /^Refunded in full/);
/** The e-mail job of a refund and its delivery: both absent when the refund was told nothing. */
const refundEmailOf = async (t: TestApp, refundId: string) => ({
  job: await jobByKey(t, `job:payment-refunded:${refundId}`),
  delivery: await deliveryOf(t, `payment-refunded:${refundId}`),
});

describe('sandbox', () => {
  const t = useTimeTravel();
  let host: Session;
  let guest: Session;
  let otherGuest: Session;
  let propertyId: string;
  let nextDay = 30;

  beforeAll(async () => {
    [host, guest, otherGuest] = await Promise.all([
      register(t.app, { role: 'host' }),
      register(t.app, { firstName: 'Ines' }),
      register(t.app),
    ]);
    propertyId = (await createProperty(t.app, host, { title: TITLE, nightlyPrice: 10_000, cleaningFee: 2_500 })).id;
    await t.runJobs();
  });

  const book = (s: Session, start: number) =>
    bookStay(t.app, s, { propertyId, checkIn: inDays(start), checkOut: inDays(start + 2), guests: 2 });
  const initiate = async (b: Booking, s: Session) => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/bookings/${b.id}/payments`, headers: s.auth });
    expect(res.statusCode).toBe(201);
    return res.json<Payment>();
  };
  const succeed = (p: Payment) => paymentSucceeds(t.app, p);

  it('dates taken: the guest is told the payment was refunded in full, once, with a search link', async () => {
    const start = (nextDay += 3);
    const booking = await book(guest, start);
    const payment = await initiate(booking, guest);
    await t.container.database.db.execute(
      sql`update bookings set hold_expires_at = now() - interval '1 minute' where id = ${booking.id}`,
    );
    await book(otherGuest, start); // the overdue hold gives way
    await succeed(payment);
    const [refund] = await t.container.services.payments.listRefunds(payment.id);
    expect(refund).toMatchObject({ reason: 'dates_taken', status: 'succeeded', amount: payment.amount });

    await t.runJobs();
    const mail = await t.smtp.waitFor(isRefundMailTo(guest));
    expect(subjectOf(mail)).toBe(`Refunded in full: €${(payment.amount / 100).toFixed(2)} for ${TITLE}`);
    expect(mail.text).toContain('Hello Ines,');
    expect(mail.text).toContain(`${booking.checkIn} (check-in from 15:00) to ${booking.checkOut}`);
    expect(mail.text).toContain('someone else had booked them');
    expect(mail.text).toContain(`We refunded the payment in full: €${(payment.amount / 100).toFixed(2)}`);
    expect(mail.text).toContain(
      `${PUBLIC_URL}/properties?checkIn=${booking.checkIn}&checkOut=${booking.checkOut}&guests=2`,
    );
    expect(mail.html).toContain('Loft &lt;b&gt;by the river&lt;/b&gt; &amp; &quot;friends&quot;');
    expect(mail.html).not.toContain('<b>by the river');
    // No receipt: the payment confirmed nothing.
    expect(
      t.smtp.received.filter((m) => m.headers.to === guest.user.email && /^Receipt/.test(subjectOf(m))),
    ).toHaveLength(0);

    // The job run again (a retry) sends nothing more.
    const told = await refundEmailOf(t, refund!.id);
    expect(told).toMatchObject({ job: { state: 'done' }, delivery: { recipient: guest.user.email, state: 'sent' } });
    await t.container.database.db.execute(
      sql`update jobs set state = 'pending' where dedupe_key = ${`job:payment-refunded:${refund!.id}`}`,
    );
    await t.runJobs();
    expect(await jobsStillDue(t)).toEqual([]);
    // The same delivery as before (same send time), the only one, and one message at the server.
    expect((await refundEmailOf(t, refund!.id)).delivery).toEqual(told.delivery);
    expect(await refundDeliveriesTo(t, guest)).toHaveLength(1);
    expect(t.smtp.received.filter(isRefundMailTo(guest))).toHaveLength(1);
  });

  it('paid twice: the second payment is refunded and the guest told, with the booking link', async () => {
    const payer = await register(t.app, { firstName: 'Tom' });
    const booking = await book(payer, (nextDay += 3));
    // Two checkouts opened before either is paid (two tabs): both get paid.
    const first = await initiate(booking, payer);
    const second = await initiate(booking, payer);
    await succeed(first);
    await succeed(second);
    const [refund] = await t.container.services.payments.listRefunds(second.id);
    expect(refund).toMatchObject({ reason: 'paid_twice', status: 'succeeded', amount: second.amount });
    expect(await t.container.services.payments.listRefunds(first.id)).toEqual([]);

    await t.runJobs();
    const mail = await t.smtp.waitFor(isRefundMailTo(payer));
    expect(mail.text).toContain('was already paid');
    expect(mail.text).toContain('Your booking stays confirmed.');
    expect(mail.text).toContain(`payment reference ${second.id}`);
    expect(mail.text).toContain(`See your booking: ${PUBLIC_URL}/bookings/${booking.id}`);
    expect(await jobsStillDue(t)).toEqual([]);
    expect(await refundDeliveriesTo(t, payer)).toMatchObject([{ state: 'sent' }]);
    expect(t.smtp.received.filter(isRefundMailTo(payer))).toHaveLength(1);
  });

  it('a success for a booking canceled before it was paid: refunded, and told why', async () => {
    const payer = await register(t.app);
    const booking = await book(payer, (nextDay += 3));
    const payment = await initiate(booking, payer);
    await t.container.services.bookings.cancelBooking(booking.id, {}, ctxOf(payer));
    await succeed(payment);
    await t.runJobs();
    const mail = await t.smtp.waitFor(isRefundMailTo(payer));
    expect(mail.text).toContain('arrived after the booking had been canceled');
    expect(mail.text).not.toContain('someone else');
  });

  it('a cancel’s refund gets no e-mail of its own (the cancel e-mail has it)', async () => {
    const payer = await register(t.app);
    const booking = await book(payer, (nextDay += 3));
    const payment = await initiate(booking, payer);
    await succeed(payment);
    await t.container.services.bookings.cancelBooking(booking.id, {}, ctxOf(host));
    await t.runJobs();
    await t.smtp.waitFor((m) => m.headers.to === payer.user.email && /^Booking canceled/.test(subjectOf(m)));
    // The cancel's jobs all ran; the refund has neither an e-mail job nor a delivery.
    expect(await jobsStillDue(t)).toEqual([]);
    const [refund] = await t.container.services.payments.listRefunds(payment.id);
    expect(refund).toMatchObject({ status: 'succeeded' });
    expect(await refundEmailOf(t, refund!.id)).toEqual({ job: undefined, delivery: undefined });
    expect(await refundDeliveriesTo(t, payer)).toEqual([]);
    expect(t.smtp.received.filter(isRefundMailTo(payer))).toHaveLength(0);
  });
});

describe('a refund the provider refuses at first', () => {
  const STRIPE_SECRET = 'whsec_refund_mail_0123456789';
  let stripe: StripeFake;
  let endpoint: string;

  beforeAll(async () => {
    stripe = await startStripeFake('sk_test_refund_mail', STRIPE_SECRET);
  });
  afterAll(async () => {
    await stripe?.close();
  });
  const t = useTimeTravel({
    env: () => ({
      PAYMENT_WEBHOOK_SECRET: STRIPE_SECRET,
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_refund_mail',
      STRIPE_API_URL: stripe.url,
    }),
  });
  beforeAll(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    endpoint = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/v1/webhooks/payments/stripe`;
  });

  it('is told only once it has been sent', async () => {
    const [host, guest, other] = await Promise.all([
      register(t.app, { role: 'host' }),
      register(t.app),
      register(t.app),
    ]);
    const propertyId = (await createProperty(t.app, host, { title: TITLE })).id;
    const stay = { propertyId, checkIn: inDays(50), checkOut: inDays(52), guests: 1 };
    const booking = await t.container.services.bookings.createBooking(stay, ctxOf(guest));
    const res = await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.id}/payments`, headers: guest.auth });
    const payment = res.json<Payment>();
    await t.container.database.db.execute(
      sql`update bookings set hold_expires_at = now() - interval '1 minute' where id = ${booking.id}`,
    );
    await t.container.services.bookings.createBooking(stay, ctxOf(other));

    stripe.complete(payment.providerReference);
    stripe.failNext(1); // the refund call
    const hook = await stripe.sendEvent(endpoint, 'checkout.session.completed', payment.providerReference);
    expect(hook.status).toBe(200);
    const [pending] = await t.container.services.payments.listRefunds(payment.id);
    expect(pending).toMatchObject({ reason: 'dates_taken', status: 'pending' });

    // Not refunded yet: nothing to tell. The due jobs ran; none is for this refund, nor any delivery.
    await t.runJobs();
    expect(await jobsStillDue(t)).toEqual([]);
    expect(await refundEmailOf(t, pending!.id)).toEqual({ job: undefined, delivery: undefined });
    expect(await refundDeliveriesTo(t, guest)).toEqual([]);
    expect(t.smtp.received.filter(isRefundMailTo(guest))).toHaveLength(0);

    expect((await t.container.services.payments.retryPendingRefunds(10)).succeeded).toBeGreaterThanOrEqual(1);
    await t.runJobs();
    const mail = await t.smtp.waitFor(isRefundMailTo(guest));
    expect(mail.text).toContain('someone else had booked them');
  });
});
