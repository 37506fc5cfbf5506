import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, rowsOf, type Session } from '#test/helpers.js';
import { completedStays } from '#test/factories/bookings.js';
import { createProperty } from '#test/factories/properties.js';
import type { ReceivedMail } from '#test/fakes/smtp-fake.js';
import {
  bookStay,
  deliveriesTo,
  jobsOf,
  jobsStillDue,
  payBooking,
  paymentSucceeds,
  useTimeTravel,
} from '#test/kit/scenario.js';
import { createScheduler, enqueue } from '../../../platform/jobs/index.js';
import type { Booking } from '../../bookings/index.js';
import { SEND_HOST_DIGEST } from '../notifications.digest.js';

// The host daily digest (see the README's e-mail schedule) end to end: scheduler tick → sweep → one send job per host
// → a real SMTP server. No sleeping: the clock is moved and the due jobs run.

const NEW_YORK = 'America/New_York';
const HOUR = 3_600_000;
const today = DateTime.now().setZone(NEW_YORK).startOf('day');
const day = (n: number) => today.plus({ days: n }).toISODate()!;

const t = useTimeTravel();
const { clock } = t;
let guest: Session;

beforeAll(async () => {
  guest = await register(t.app, { firstName: 'Gil' });
  await t.runJobs();
});

const queryRows = <R>(query: SQL) => rowsOf<R>(t.container.database.db, query);
const jobByKey = async (key: string) =>
  (await queryRows<{ state: string; kind: string }>(sql`select state, kind from jobs where dedupe_key = ${key}`))[0];
const setClock = (at: Date) => (clock.offsetMs = at.getTime() - Date.now());

/** The first 07:00 UTC at least `daysAhead` days from now. */
function tickAfter(daysAhead = 0): Date {
  const now = new Date(Date.now() + daysAhead * 24 * HOUR);
  const tick = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 7));
  if (tick <= now) tick.setUTCDate(tick.getUTCDate() + 1);
  return tick;
}
const digestKey = (host: Session, tick: Date) => `host-digest:${host.user.id}:${tick.toISOString().slice(0, 10)}`;

/** A pending booking of a new place of `owner`, with a sandbox checkout opened for it. */
async function heldBooking(owner: Session, checkIn: string, checkOut: string) {
  const p = await createProperty(t.app, owner, { timezone: NEW_YORK });
  const booking = await bookStay(t.app, guest, { propertyId: p.id, checkIn, checkOut, idempotencyKey: `k-${p.id}` });
  const payment = await payBooking(t.app, guest, booking.id, { succeed: false });
  return { booking, payment };
}

async function confirmedBooking(owner: Session, checkIn: string, checkOut: string): Promise<Booking> {
  const { booking } = await heldBooking(owner, checkIn, checkOut);
  await payBooking(t.app, guest, booking.id);
  return booking;
}

/** The scheduler's tick at the clock's time, then every job due (the sweep, then the sends). */
async function tickAndRun(): Promise<void> {
  const { database, jobs: catalog } = t.container;
  await createScheduler({ db: database.db, schedules: catalog.schedules, clock }).tick();
  await t.runJobs();
  await t.runJobs();
}

/** A stay of the guest's at a new place of `owner` that ended yesterday, reviewed now (the clock's time). */
async function reviewReceived(owner: Session, title: string, rating: number, comment: string): Promise<void> {
  const place = await createProperty(t.app, owner, { timezone: NEW_YORK, title });
  const [stay] = await completedStays(t.container.database.db, {
    propertyId: place.id,
    hostId: owner.user.id,
    guestIds: [guest.user.id],
    checkOutDaysAgo: 1,
    timezone: NEW_YORK,
  });
  const res = await t.app.inject({
    method: 'POST',
    url: `/v1/bookings/${stay!.id}/review`,
    headers: guest.auth,
    payload: { rating, comment },
  });
  expect(res.statusCode, res.body).toBe(201);
  // Reviews are double-blind: the host's review of the guest publishes the guest's review now.
  const back = await t.app.inject({
    method: 'POST',
    url: `/v1/bookings/${stay!.id}/guest-review`,
    headers: owner.auth,
    payload: { rating: 5 },
  });
  expect(back.statusCode, back.body).toBe(201);
}

/** The guest writes to `owner` about a new place of theirs (now, the clock's time). */
async function guestMessage(owner: Session, title: string, body: string): Promise<void> {
  const place = await createProperty(t.app, owner, { timezone: NEW_YORK, title });
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/conversations',
    headers: guest.auth,
    payload: { propertyId: place.id, body },
  });
  expect(res.statusCode, res.body).toBe(201);
}

const isDigest = (to: string) => (m: ReceivedMail) =>
  m.headers.to === to && /Your day on Staylane/.test(m.headers.subject ?? '');
/** The delivery log's digests to `host`. */
const digestsTo = (host: Session) => deliveriesTo(t, host.user.email, /^Your day on Staylane/);

describe('host daily digest', () => {
  it('at 07:00 UTC: one e-mail per host with activity, a part per section, once per day', async () => {
    const [digestHost, quietHost] = await Promise.all([
      register(t.app, { role: 'host', firstName: 'Dora <b>&' }),
      register(t.app, { role: 'host' }),
    ]);
    await createProperty(t.app, quietHost);
    await confirmedBooking(digestHost, day(100), day(102));
    const canceled = await confirmedBooking(digestHost, day(110), day(112));
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${canceled.id}/cancel`,
      headers: digestHost.auth,
      payload: {},
    });
    expect(cancel.statusCode).toBe(200);

    // The next 07:00 UTC: within 24 h of everything above.
    const tick = tickAfter();
    setClock(tick);
    await tickAndRun();

    const mail = await t.smtp.waitFor(isDigest(digestHost.user.email));
    // Two confirmed in the window (one canceled since, also in the window): three events.
    expect(mail.headers.subject).toBe(`Your day on Staylane (${tick.toISOString().slice(0, 10)}): Bookings 3`);
    expect(mail.text).toContain('Hello Dora <b>&,');
    expect(mail.text).toContain(
      [
        'Bookings (3)',
        `- New: ${day(100)} to ${day(102)}, 1 guest.`,
        `- New: ${day(110)} to ${day(112)}, 1 guest.`,
        `- Canceled: ${day(110)} to ${day(112)}, 1 guest.`,
      ].join('\r\n'),
    );
    expect(mail.text).toContain('https://stays.example.com/bookings?as=host');
    expect(mail.html).toContain('Hello Dora &lt;b&gt;&amp;,');
    expect(mail.html).not.toContain('<b>&');
    expect(mail.html).toContain('Bookings (3)</h2>');
    expect(mail.html).toContain(`<li>Canceled: ${day(110)} to ${day(112)}, 1 guest.</li>`);
    expect(await jobByKey(`job:${digestKey(digestHost, tick)}`)).toEqual({
      state: 'done',
      kind: 'notifications.send-host-digest',
    });

    // The sweep run again (a retry) sends no second digest; a host without activity gets none.
    await t.container.database.db.execute(
      sql`update jobs set state = 'pending' where kind = 'notifications.host-digests'`,
    );
    await t.runJobs();
    await t.runJobs();
    expect(await jobsStillDue(t)).toEqual([]);
    expect(await jobsOf(t, SEND_HOST_DIGEST, { hostId: digestHost.user.id })).toMatchObject([{ state: 'done' }]);
    expect(await jobsOf(t, SEND_HOST_DIGEST, { hostId: quietHost.user.id })).toEqual([]);
    expect(await digestsTo(digestHost)).toMatchObject([{ state: 'sent' }]);
    expect(await digestsTo(quietHost)).toEqual([]);
    expect(t.smtp.received.filter(isDigest(digestHost.user.email))).toHaveLength(1);
    expect(t.smtp.received.filter(isDigest(quietHost.user.email))).toHaveLength(0);
  });

  it('a stay booked before 07:00 and paid after it is new in the next day’s digest, not lost between two', async () => {
    const host = await register(t.app, { role: 'host' });
    const tick = tickAfter(1);
    setClock(new Date(tick.getTime() - 10 * 60_000));
    const { booking, payment } = await heldBooking(host, day(120), day(122));

    // 07:00: booked, not paid — nothing for this host yet.
    setClock(tick);
    await tickAndRun();
    expect(await jobByKey(`job:${digestKey(host, tick)}`)).toBeUndefined();

    // Paid at 07:04, within the hold.
    const paidAt = new Date(tick.getTime() + 4 * 60_000);
    setClock(paidAt);
    await paymentSucceeds(t.app, payment);
    const [row] = await queryRows<{ status: string; confirmed_at: Date | string }>(
      sql`select status, confirmed_at from bookings where id = ${booking.id}`,
    );
    expect(row?.status).toBe('confirmed');
    // The movable clock keeps running from where it was put: the payment came within a second or so.
    const confirmedAt = new Date(row!.confirmed_at).getTime();
    expect(confirmedAt).toBeGreaterThanOrEqual(paidAt.getTime());
    expect(confirmedAt).toBeLessThan(paidAt.getTime() + 60_000);

    // The next day's 07:00 counts it as new.
    const next = new Date(tick.getTime() + 24 * HOUR);
    setClock(next);
    await tickAndRun();
    const mail = await t.smtp.waitFor(isDigest(host.user.email));
    expect(mail.headers.subject).toContain(`(${next.toISOString().slice(0, 10)}): Bookings 1`);
    expect(mail.text).toContain(`- New: ${day(120)} to ${day(122)}, 1 guest.`);
  });

  it('the sweep walks hosts in keyset pages, each host once', async () => {
    const hosts = await Promise.all([1, 2, 3].map(() => register(t.app, { role: 'host' })));
    for (const [i, h] of hosts.entries()) await confirmedBooking(h, day(150 + i), day(151 + i));
    const windowEnd = new Date(Date.now() + 60_000);
    // Pages of one: every host is still found.
    const found = await t.container.services.notifications.enqueueHostDigests(windowEnd, 1);
    expect(found).toBeGreaterThanOrEqual(3);
    for (const h of hosts) expect((await jobByKey(`job:${digestKey(h, windowEnd)}`))?.state).toBe('pending');
    // A second sweep of the same window finds the same hosts and adds no job.
    const before = await queryRows<{ n: number }>(sql`select count(*)::int as n from jobs`);
    expect(await t.container.services.notifications.enqueueHostDigests(windowEnd, 2)).toBe(found);
    expect(await queryRows<{ n: number }>(sql`select count(*)::int as n from jobs`)).toEqual(before);
  });

  it('rows of the kinds the digest had under bookings still run after the move', async () => {
    const swept = await register(t.app, { role: 'host' });
    const sent = await register(t.app, { role: 'host' });
    await confirmedBooking(swept, day(160), day(161));
    await confirmedBooking(sent, day(162), day(163));
    // Left in the outbox by the previous version: its sweep tick, and a send job of its own.
    const tick = new Date(Date.now() + 60_000);
    const db = t.container.database.db;
    await enqueue(db, {
      kind: 'bookings.host-digests',
      payload: {},
      runAt: tick,
      key: `legacy-sweep:${swept.user.id}`,
    });
    await enqueue(db, {
      kind: 'bookings.send-host-digest',
      payload: { hostId: sent.user.id, windowEnd: tick.toISOString() },
      runAt: tick,
      key: `job:${digestKey(sent, tick)}`,
    });
    setClock(new Date(tick.getTime() + 1000));
    await t.runJobs();
    await t.runJobs();
    expect(await jobByKey(`legacy-sweep:${swept.user.id}`)).toEqual({ state: 'done', kind: 'bookings.host-digests' });
    expect(await jobByKey(`job:${digestKey(sent, tick)}`)).toEqual({
      state: 'done',
      kind: 'bookings.send-host-digest',
    });
    // The new sweep met the old send job's key and added none of its own for that host.
    await t.smtp.waitFor(isDigest(swept.user.email));
    await t.smtp.waitFor(isDigest(sent.user.email));
    expect(await jobsStillDue(t)).toEqual([]);
    expect(await digestsTo(sent)).toMatchObject([{ state: 'sent' }]);
    expect(t.smtp.received.filter(isDigest(sent.user.email))).toHaveLength(1);
  });

  it('bookings, reviews and messages in the window: one e-mail per host, a part per section with news', async () => {
    // Two hours before a 07:00 UTC days away, past every other test's window.
    const tick = tickAfter(5);
    const date = tick.toISOString().slice(0, 10);
    setClock(new Date(tick.getTime() - 2 * HOUR));
    const [busy, reviewed, written] = await Promise.all([
      register(t.app, { role: 'host', firstName: 'Bea' }),
      register(t.app, { role: 'host', firstName: 'Rui' }),
      register(t.app, { role: 'host', firstName: 'Mia' }),
    ]);
    await confirmedBooking(busy, day(200), day(202));
    await reviewReceived(busy, 'Loft by the park', 5, 'Great <b>host</b>, spotless.');
    await guestMessage(busy, 'Cabin in the woods', 'Can we check in early?');
    await reviewReceived(reviewed, 'Flat on the square', 3, 'Noisy at night.');
    await guestMessage(written, 'House by the lake', 'Is there a kayak?');

    setClock(tick);
    await tickAndRun();

    const mail = await t.smtp.waitFor(isDigest(busy.user.email));
    expect(mail.headers.subject).toBe(`Your day on Staylane (${date}): Bookings 1, Reviews 1, Messages 1`);
    const parts = [
      ['Bookings (1)', `- New: ${day(200)} to ${day(202)}, 1 guest.`],
      ['Reviews (1)', '- ★5 — Loft by the park: Great <b>host</b>, spotless.'],
      ['Messages (1)', '- 1 message from Gil about Cabin in the woods.'],
    ].map((lines) => lines.join('\r\n'));
    for (const part of parts) expect(mail.text).toContain(part);
    // In the order of the sections.
    const at = parts.map((part) => mail.text.indexOf(part));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(mail.html).toContain('Reviews (1)</h2>');
    expect(mail.html).toContain('Great &lt;b&gt;host&lt;/b&gt;, spotless.');
    expect(mail.html).not.toContain('<b>host</b>');

    const onlyReview = await t.smtp.waitFor(isDigest(reviewed.user.email));
    expect(onlyReview.headers.subject).toBe(`Your day on Staylane (${date}): Reviews 1`);
    expect(onlyReview.text).toContain('Reviews (1)\r\n- ★3 — Flat on the square: Noisy at night.');
    expect(onlyReview.text).not.toMatch(/Bookings|Messages \(/);
    const onlyMessage = await t.smtp.waitFor(isDigest(written.user.email));
    expect(onlyMessage.headers.subject).toBe(`Your day on Staylane (${date}): Messages 1`);
    expect(onlyMessage.text).toContain('Messages (1)\r\n- 1 message from Gil about House by the lake.');
    expect(onlyMessage.text).not.toMatch(/Bookings|Reviews \(/);

    // One send job and one e-mail per host, though it had news in three sections.
    for (const host of [busy, reviewed, written]) {
      expect(
        await queryRows<{ n: number }>(
          sql`select count(*)::int as n from jobs where kind = 'notifications.send-host-digest' and payload->>'hostId' = ${host.user.id}`,
        ),
      ).toEqual([{ n: 1 }]);
      expect(await jobByKey(`job:${digestKey(host, tick)}`)).toEqual({
        state: 'done',
        kind: 'notifications.send-host-digest',
      });
    }
    for (const host of [busy, reviewed, written]) {
      expect(await digestsTo(host)).toMatchObject([{ state: 'sent' }]);
      expect(t.smtp.received.filter(isDigest(host.user.email))).toHaveLength(1);
    }
  });
});
