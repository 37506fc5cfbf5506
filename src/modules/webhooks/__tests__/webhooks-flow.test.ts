import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProperty, inDays } from '#test/factories/properties.js';
import { createTestApp, register, rowsOf, type Session, type TestApp, usingPostgres } from '#test/helpers.js';
import { connectAs, wsUrl, type Connection, type Frame } from '#test/ws.js';
import { systemClock } from '../../../platform/clock.js';
import { withTransaction } from '../../../platform/db/transaction.js';
import { startHttpFake } from '#test/fakes/http-fake.js';
import { createDelivery } from '../webhooks.delivery.js';
import { createEventFeed } from '../webhooks.feed.js';
import { createSecretBox } from '../webhooks.secrets.js';
import { webhooksSettings } from '../webhooks.settings.js';

// Where partner events come from (bookings and properties publish them in their own
// transactions), bookingChanged over a real WebSocket, numbering under concurrent writers
// and sequencers (PostgreSQL: real concurrency), and the SSRF guard on deliveries.

let t: TestApp;
let host: Session;
let guest: Session;
const sockets: Connection[] = [];

beforeAll(async () => {
  t = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  [host, guest] = await Promise.all([register(t.app, { role: 'host' }), register(t.app)]);
});

afterAll(async () => {
  for (const s of sockets) s.ws.close();
  await t?.close();
});

const webhooks = () => t.container.services.webhooks;

async function feedOf(s: Session, types: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  await webhooks().settled();
  await webhooks().sequenceNow();
  const res = await t.app.inject({ method: 'GET', url: `/v1/events?limit=100&types=${types}`, headers: s.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: { type: string; data: Record<string, unknown> }[] }>().data;
}

describe('partner events from the domain', () => {
  it('a booking’s creation and cancellation, a place’s update, a host block and prices by date', async () => {
    const place = await createProperty(t.app, host);
    const booked = await t.app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: guest.auth,
      payload: { propertyId: place.id, checkIn: inDays(20), checkOut: inDays(23), guests: 1 },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const booking = booked.json<{ id: string }>();
    const canceled = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${booking.id}/cancel`,
      headers: guest.auth,
      payload: {},
    });
    expect(canceled.statusCode, canceled.body).toBe(200);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/v1/properties/${place.id}`,
      headers: host.auth,
      payload: { title: 'A renamed place' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const blocked = await t.app.inject({
      method: 'POST',
      url: `/v1/properties/${place.id}/blocks`,
      headers: host.auth,
      payload: { start: inDays(40), end: inDays(42) },
    });
    expect(blocked.statusCode, blocked.body).toBe(201);
    const priced = await t.app.inject({
      method: 'PUT',
      url: `/v1/properties/${place.id}/calendar/prices`,
      headers: host.auth,
      payload: { ranges: [{ start: inDays(60), end: inDays(62), nightlyPrice: 15_000 }] },
    });
    expect(priced.statusCode, priced.body).toBe(200);

    const events = await feedOf(host, 'booking.created,booking.canceled,property.updated,calendar.changed');
    expect(events.map((e) => e.type)).toEqual([
      'booking.created',
      'booking.canceled',
      'property.updated',
      'calendar.changed',
      'calendar.changed',
    ]);
    expect(events[0]!.data).toMatchObject({ id: booking.id, status: 'pending' });
    expect(events[1]!.data).toMatchObject({ id: booking.id, status: 'canceled' });
    expect(events[2]!.data).toEqual({ propertyId: place.id, fields: ['title'] });
    expect(events[3]!.data).toMatchObject({ propertyId: place.id, reason: 'block_added', from: inDays(40) });
    expect(events[4]!.data).toEqual({ propertyId: place.id, reason: 'prices', from: inDays(60), to: inDays(62) });

    const stranger = await register(t.app, { role: 'host' });
    expect(await feedOf(stranger, 'booking.created')).toEqual([]);
  });

  it('bookingChanged reaches the guest and the host over the WebSocket after commit', async () => {
    const place = await createProperty(t.app, host);
    const query = 'subscription { bookingChanged { id status } }';
    const [asGuest, asHost] = await Promise.all([
      connectAs(wsUrl(t.app), guest.accessToken),
      connectAs(wsUrl(t.app), host.accessToken),
    ]);
    sockets.push(asGuest, asHost);
    asGuest.send({ id: 'g', type: 'subscribe', payload: { query } });
    asHost.send({ id: 'h', type: 'subscribe', payload: { query } });
    const isChange = (id: string) => (f: Frame) =>
      f.type === 'next' && (f.payload as { data: { bookingChanged: { id: string } } }).data.bookingChanged.id === id;

    // Subscribing completes asynchronously: book (different nights each time) until the first arrives.
    let first: Frame | undefined;
    let bookingId = '';
    let hostFirst: Frame | undefined;
    // Until both subscriptions are live (each subscribes on its own, asynchronously with Redis).
    for (let i = 0; i < 20 && !(first && hostFirst); i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/bookings',
        headers: guest.auth,
        payload: { propertyId: place.id, checkIn: inDays(50 + i * 3), checkOut: inDays(51 + i * 3), guests: 1 },
      });
      expect(res.statusCode, res.body).toBe(201);
      bookingId = res.json<{ id: string }>().id;
      first = await asGuest.next(isChange(bookingId), 200).catch(() => undefined);
      hostFirst = await asHost.next(isChange(bookingId), 200).catch(() => undefined);
    }
    expect(hostFirst?.id).toBe('h');
    expect(first).toMatchObject({
      id: 'g',
      payload: { data: { bookingChanged: { id: bookingId, status: 'pending' } } },
    });
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${bookingId}/cancel`,
      headers: guest.auth,
      payload: {},
    });
    expect(cancel.statusCode).toBe(200);
    const seen = await asHost.next(
      (f) =>
        isChange(bookingId)(f) &&
        (f.payload as { data: { bookingChanged: { status: string } } }).data.bookingChanged.status === 'canceled',
    );
    expect(seen?.id).toBe('h');
  });
});

describe('numbering', () => {
  it('is gap-free and loses nothing with concurrent writers, two sequencers and a reader', async () => {
    const { db } = t.container.database;
    const other = createEventFeed({ db });
    const writers = usingPostgres ? 8 : 2;
    const perWriter = usingPostgres ? 25 : 10;
    const marker = `conc-${Math.random()}`;
    let writing = true;
    // Read before any writer starts: a writer whose events were numbered before this read
    // would otherwise be behind the reader for ever (the test then timed out).
    let after = Number(
      (await rowsOf<{ top: string | null }>(db, sql`select max(seq) as top from events`))[0]?.top ?? 0,
    );
    // A poller reading the feed as a partner would: numbers must arrive without a hole.
    const seen: number[] = [];
    const reader = (async () => {
      while (writing || seen.length < writers * perWriter) {
        const rows = await rowsOf<{ seq: string; marker: string }>(
          db,
          sql`select seq, data->>'marker' as marker from events where seq > ${after} order by seq limit 500`,
        );
        for (const r of rows) {
          expect(Number(r.seq)).toBe(after + 1);
          after = Number(r.seq);
          if (r.marker === marker) seen.push(after);
        }
        if (rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const feed = i % 2 === 0 ? webhooks() : other;
          await withTransaction(db, (tx) =>
            feed.record(tx, { type: 'booking.created', data: { marker, w, i }, hostIds: [host.user.id] }),
          );
        }
      }),
    );
    await Promise.all([webhooks().settled(), other.settled()]);
    await Promise.all([webhooks().sequenceNow(), other.sequenceNow()]);
    writing = false;
    await reader;
    expect(seen).toHaveLength(writers * perWriter);
    const all = await rowsOf<{ n: number; top: string; unnumbered: number }>(
      db,
      sql`select count(*)::int as n, max(seq) as top, count(*) filter (where seq is null)::int as unnumbered from events`,
    );
    expect(all[0]!.unnumbered).toBe(0);
    expect(Number(all[0]!.top)).toBe(all[0]!.n);
  });
});

describe('deliveries', () => {
  it('refuse private and loopback addresses unless allowed', async () => {
    const receiver = await startHttpFake(() => ({ status: 204, body: '' }));
    try {
      const settings = webhooksSettings.read(webhooksSettings.env.parse({}));
      const delivery = createDelivery({
        db: t.container.database.db,
        clock: systemClock,
        settings,
        box: createSecretBox(Buffer.alloc(32)),
        scheduleRun: () => Promise.resolve(),
        onDisabled: () => Promise.resolve(),
      });
      const event = {
        id: '00000000-0000-4000-8000-000000000001',
        seq: 1,
        type: 'booking.created',
        data: {},
        hostIds: [],
        guestId: null,
        createdAt: new Date(),
      };
      const secret = `whsec_${Buffer.alloc(24).toString('base64')}`;
      const outcome = await delivery.send(`${receiver.url}/hook`, event, [secret]);
      expect(outcome).toMatchObject({ ok: false, status: null, error: 'The address is not a public one.' });
      expect(receiver.requests).toHaveLength(0);
      const redirecting = await delivery.send('http://[::1]:9/hook', event, [secret]);
      expect(redirecting.ok).toBe(false);
      delivery.close();
    } finally {
      await receiver.close();
    }
  });
});
