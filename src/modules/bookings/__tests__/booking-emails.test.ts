import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  movableClock,
  register,
  runDueJobs,
  type Session,
  type TestApp,
} from '../../../../test/helpers.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import { startSmtpFake, type ReceivedMail, type SmtpFake } from '#test/fakes/smtp-fake.js';
import { formatMoney } from '../../../platform/money.js';
import type { Booking } from '../index.js';
import { sandboxPaymentSucceeded } from '#test/factories/payments.js';

const SECRET = 'sandbox-webhook-secret-0123456789';
const clock = movableClock();
let smtp: SmtpFake;
let t: TestApp;
let host: Session;
let guest: Session;
let propertyId: string;
let nextDay = 20;

beforeAll(async () => {
  smtp = await startSmtpFake();
  t = await createTestApp({
    env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://stays.example.com', PAYMENT_WEBHOOK_SECRET: SECRET },
    clock,
  });
  [host, guest] = await Promise.all([
    register(t.app, { role: 'host', firstName: 'Hana' }),
    register(t.app, { firstName: '<script>g</script>' }),
  ]);
  const p = await createProperty(t.app, host, {
    title: 'Loft <script>alert(1)</script> & co',
    nightlyPrice: 10_000,
    cleaningFee: 2_500,
    currency: 'EUR',
    cancellationPolicy: 'flexible',
  });
  propertyId = p.id;
  await runDueJobs(t);
});

afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const auth = (s: Session) => s.auth;
async function book(): Promise<Booking> {
  const start = (nextDay += 3);
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: { ...auth(guest), 'idempotency-key': `k-${start}-${Math.random()}` },
    payload: { propertyId, checkIn: inDays(start), checkOut: inDays(start + 2), guests: 1 },
  });
  expect(res.statusCode).toBe(201);
  return res.json<Booking>();
}

const mailsFor = (key: RegExp) => smtp.received.filter((m) => key.test(m.headers.subject ?? ''));
async function mailTo(email: string, subject: RegExp): Promise<ReceivedMail> {
  await runDueJobs(t);
  return smtp.waitFor((m) => m.headers.to === email && subject.test(m.headers.subject ?? ''));
}
async function countOf(query: SQL): Promise<number> {
  const result: unknown = await t.container.database.db.execute(query);
  return Number((result as { rows: { n: number }[] }).rows[0]!.n);
}
const jobCount = (bookingId: string) =>
  countOf(sql`select count(*)::int as n from jobs where payload->>'bookingId' = ${bookingId}`);

async function pay(booking: Booking): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.id}/payments`, headers: auth(guest) });
  expect(res.statusCode).toBe(201);
  const payment = res.json<{ id: string }>();
  await sandboxPaymentSucceeded(t.app, SECRET, payment.id);
}

function expectEscaped(mail: ReceivedMail) {
  expect(mail.html).not.toContain('<script>');
  expect(mail.html).toContain('&lt;script&gt;');
}

describe('booking e-mails', () => {
  it('booking held: to the guest, amount, hold deadline, link; escaped; sent once', async () => {
    const b = await book();
    expect(await jobCount(b.id)).toBe(1);
    const mail = await mailTo(guest.user.email, /is held/);
    expect(b.price.total).toBeGreaterThan(22_500); // 2 × 100 + 25 cleaning + service fee
    expect(mail.text).toContain(`Total to pay: ${formatMoney(b.price.total, 'EUR')}`);
    expect(formatMoney(b.price.total, 'EUR')).toMatch(/^€\d{3}\.\d{2}$/);
    expect(mail.text).toContain(`${b.checkIn} (check-in from 15:00)`);
    expect(mail.text).toContain(`https://stays.example.com/bookings/${b.id}`);
    expect(mail.text).toMatch(/Pay before \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(mail.text).toContain('Hello <script>g</script>,');
    expectEscaped(mail);

    // The job run again (a retry) sends nothing: the key was claimed.
    const before = smtp.received.length;
    await t.container.database.db.execute(sql`update jobs set state = 'pending' where payload->>'bookingId' = ${b.id}`);
    expect((await runDueJobs(t)).done).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.received.length).toBe(before);
  });

  it('a refused booking (409) enqueues nothing', async () => {
    const b = await book();
    const other = await register(t.app);
    await runDueJobs(t);
    const count = () => countOf(sql`select count(*)::int as n from jobs`);
    const before = await count();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: { ...other.auth, 'idempotency-key': `k-409-${b.id}` },
      payload: { propertyId, checkIn: b.checkIn, checkOut: b.checkOut, guests: 1 },
    });
    expect(res.statusCode).toBe(409);
    expect(await count()).toBe(before);
  });

  it('payment success: confirmed (guest, exact address), new booking (host), receipt (guest)', async () => {
    const b = await book();
    await pay(b);
    const confirmed = await mailTo(guest.user.email, /Booking confirmed/);
    expect(confirmed.text).toMatch(/Address: .+/);
    expect(confirmed.text).toContain(`Total paid: ${formatMoney(b.price.total, 'EUR')}`);
    expectEscaped(confirmed);
    const hostMail = await mailTo(host.user.email, new RegExp(`New booking: .*${b.checkIn}`));
    expect(hostMail.text).toContain('Hello Hana,');
    expect(hostMail.text).not.toMatch(/Address:/);
    expectEscaped(hostMail);
    // The subject carries € and is MIME-encoded; the text part says the same.
    const receipt = await mailTo(guest.user.email, /Receipt/);
    expect(receipt.text).toContain(`payment of ${formatMoney(b.price.total, 'EUR')} for`);
    expect(receipt.text).toContain('service fee');
    expect(receipt.text).toContain(`https://stays.example.com/bookings/${b.id}`);
    expectEscaped(receipt);
  });

  it('cancel: guest and host, with the refund', async () => {
    const b = await book();
    await pay(b);
    await runDueJobs(t);
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${b.id}/cancel`,
      headers: auth(host),
      payload: { reason: 'Pipes <b>burst</b>' },
    });
    expect(res.statusCode).toBe(200);
    const toGuest = await mailTo(guest.user.email, new RegExp(`Booking canceled: .*${b.checkIn}`));
    expect(toGuest.text).toContain('canceled by the host');
    expect(toGuest.text).toContain(`Your refund: ${formatMoney(b.price.total, 'EUR')}`);
    expect(toGuest.html).toContain('Pipes &lt;b&gt;burst&lt;/b&gt;');
    const toHost = await mailTo(host.user.email, new RegExp(`Booking canceled: .*${b.checkIn}`));
    expect(toHost.text).toContain(`Refund to the guest: ${formatMoney(b.price.total, 'EUR')}`);
  });

  it('hold expired: the sweep e-mails the guest', async () => {
    const b = await book();
    clock.offsetMs = 60 * 60_000;
    await t.container.services.bookings.expireOverdueHolds();
    await runDueJobs(t);
    // Other tests' unpaid holds expire too: this booking's e-mail is the one with its dates.
    const mail = await smtp.waitFor(
      (m) => /hold on .* has expired/.test(m.headers.subject ?? '') && m.text.includes(`${b.checkIn} (check-in`),
    );
    expect(mail.headers.to).toBe(guest.user.email);
    expectEscaped(mail);
    expect(mailsFor(/hold on .* has expired/).filter((m) => m.text.includes(`${b.checkIn} (check-in`))).toHaveLength(1);
  });

  it('hold expired: a booking made over an overdue hold e-mails the first guest', async () => {
    const b = await book();
    clock.offsetMs = 60 * 60_000;
    const other = await register(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: { ...other.auth, 'idempotency-key': `k-over-${b.id}` },
      payload: { propertyId, checkIn: b.checkIn, checkOut: b.checkOut, guests: 1 },
    });
    expect(res.statusCode).toBe(201);
    await runDueJobs(t);
    const mail = await smtp.waitFor(
      (m) => /hold on .* has expired/.test(m.headers.subject ?? '') && m.text.includes(`${b.checkIn} (check-in`),
    );
    expect(mail.headers.to).toBe(guest.user.email);
    expect(
      await smtp.waitFor((m) => m.headers.to === other.user.email && /is held/.test(m.headers.subject ?? '')),
    ).toBeTruthy();
  });
});
