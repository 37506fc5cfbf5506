import { sql, type SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, type Session } from '#test/helpers.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import type { ReceivedMail } from '#test/fakes/smtp-fake.js';
import { bookStay, deliveryOf, jobsOf, payBooking, useTimeTravel } from '#test/kit/scenario.js';
import { formatMoney } from '../../../platform/money.js';
import { bookingEmailKey } from '../bookings.mail.js';
import type { Booking } from '../index.js';

const t = useTimeTravel();
const { clock } = t;
let host: Session;
let guest: Session;
let propertyId: string;
let nextDay = 20;

beforeAll(async () => {
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
  await t.runJobs();
});

const auth = (s: Session) => s.auth;
function book(): Promise<Booking> {
  const start = (nextDay += 3);
  return bookStay(t.app, guest, { propertyId, checkIn: inDays(start), checkOut: inDays(start + 2) });
}

const mailsFor = (key: RegExp) => t.smtp.received.filter((m) => key.test(m.headers.subject ?? ''));
async function mailTo(email: string, subject: RegExp): Promise<ReceivedMail> {
  await t.runJobs();
  return t.smtp.waitFor((m) => m.headers.to === email && subject.test(m.headers.subject ?? ''));
}
async function countOf(query: SQL): Promise<number> {
  const result: unknown = await t.container.database.db.execute(query);
  return Number((result as { rows: { n: number }[] }).rows[0]!.n);
}
const jobCount = (bookingId: string) =>
  countOf(sql`select count(*)::int as n from jobs where payload->>'bookingId' = ${bookingId}`);

async function pay(booking: Booking): Promise<void> {
  await payBooking(t.app, guest, booking.id);
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
    const held = await deliveryOf(t, bookingEmailKey('booking-held', b.id));
    expect(held).toMatchObject({ recipient: guest.user.email, state: 'sent' });
    const before = t.smtp.received.length;
    await t.container.database.db.execute(sql`update jobs set state = 'pending' where payload->>'bookingId' = ${b.id}`);
    expect((await t.runJobs()).done).toBeGreaterThanOrEqual(1);
    expect(await jobsOf(t, 'bookings.send-email', { bookingId: b.id })).toMatchObject([{ state: 'done' }]);
    // The key's delivery stays the one made before (same send time); nothing reached the server.
    expect(await deliveryOf(t, bookingEmailKey('booking-held', b.id))).toEqual(held);
    expect(t.smtp.received.length).toBe(before);
  });

  it('a refused booking (409) enqueues nothing', async () => {
    const b = await book();
    const other = await register(t.app);
    await t.runJobs();
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
    await t.runJobs();
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
    await t.runJobs();
    // Other tests' unpaid holds expire too: this booking's e-mail is the one with its dates.
    const mail = await t.smtp.waitFor(
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
    await t.runJobs();
    const mail = await t.smtp.waitFor(
      (m) => /hold on .* has expired/.test(m.headers.subject ?? '') && m.text.includes(`${b.checkIn} (check-in`),
    );
    expect(mail.headers.to).toBe(guest.user.email);
    expect(
      await t.smtp.waitFor((m) => m.headers.to === other.user.email && /is held/.test(m.headers.subject ?? '')),
    ).toBeTruthy();
  });
});
