import { gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import ical from 'node-ical';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProperty, inDays } from '#test/factories/properties.js';
import { createTestApp, graphql, register, rowsOf, type Session, useTestApp } from '#test/helpers.js';

// The iCal export over HTTP: the owner's link and its rotation, the public feed (parsed
// back), what it lists and leaves out, its ETag and cache, and who may do what.

const testApp = useTestApp();
const app = () => testApp().app;
const db = () => testApp().container.database.db;

let host: Session;
let guest: Session;
let other: Session;
let placeId: string;

beforeAll(async () => {
  [host, guest, other] = await Promise.all([
    register(app(), { role: 'host' }),
    register(app()),
    register(app(), { role: 'host' }),
  ]);
  placeId = (await createProperty(app(), host, { status: 'listed' })).id;
});

const call = (as: Session | undefined, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  app().inject({ method, url, headers: as?.auth ?? {}, ...(payload === undefined ? {} : { payload }) });

const pathOf = (url: string) => new URL(url).pathname;

async function linkOf(id: string): Promise<string> {
  const res = await call(host, 'GET', `/v1/properties/${id}/ical`);
  expect(res.statusCode, res.body).toBe(200);
  return pathOf(res.json<{ url: string }>().url);
}

interface Ev {
  uid: string;
  summary: string;
  start: string;
  end: string;
  transparency: string;
}

function eventsOf(res: LightMyRequestResponse): Ev[] {
  expect(res.statusCode, res.body).toBe(200);
  const parsed = ical.sync.parseICS(res.body);
  return Object.values(parsed)
    .filter((c): c is ical.VEvent => c?.type === 'VEVENT')
    .map((e) => {
      const day = (d: Date) =>
        `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      return {
        uid: e.uid,
        summary: typeof e.summary === 'string' ? e.summary : JSON.stringify(e.summary),
        start: day(e.start),
        end: day(e.end!),
        transparency: String(e.transparency),
      };
    })
    .sort((a, b) => a.start.localeCompare(b.start));
}

async function book(checkIn: string, checkOut: string): Promise<string> {
  const res = await call(guest, 'POST', '/v1/bookings', { propertyId: placeId, checkIn, checkOut, guests: 1 });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

describe('the export link', () => {
  it('is made on the first call, kept afterwards, and hidden from others (404 invisible, 403 not theirs)', async () => {
    const first = await linkOf(placeId);
    expect(first).toMatch(/^\/ical\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(await linkOf(placeId)).toBe(first);
    expect((await call(other, 'GET', `/v1/properties/${placeId}/ical`)).statusCode).toBe(403);
    expect((await call(other, 'POST', `/v1/properties/${placeId}/ical/rotate`)).statusCode).toBe(403);
    expect((await call(undefined, 'GET', `/v1/properties/${placeId}/ical`)).statusCode).toBe(401);
    const draft = await createProperty(app(), host, { status: 'draft' });
    expect((await call(other, 'GET', `/v1/properties/${draft.id}/ical`)).statusCode).toBe(404);
    expect((await call(other, 'POST', `/v1/properties/${draft.id}/ical/rotate`)).statusCode).toBe(404);
    // The token is stored with its hash; the link is found by the hash.
    const rows = await rowsOf<{ token_hash: string }>(
      db(),
      sql`select token_hash from ical_exports where property_id = ${placeId}`,
    );
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rotation answers a new URL, kills the old one at once, and is audited', async () => {
    const old = await linkOf(placeId);
    expect((await call(undefined, 'GET', old)).statusCode).toBe(200);
    const res = await call(host, 'POST', `/v1/properties/${placeId}/ical/rotate`);
    expect(res.statusCode, res.body).toBe(200);
    const next = pathOf(res.json<{ url: string }>().url);
    expect(next).not.toBe(old);
    const gone = await call(undefined, 'GET', old);
    expect(gone.statusCode).toBe(404);
    expect(gone.json<{ code: string }>().code).toBe('calendar_not_found');
    expect((await call(undefined, 'GET', next)).statusCode).toBe(200);
    expect(await linkOf(placeId)).toBe(next);
    const audit = await rowsOf<{ action: string }>(
      db(),
      sql`select action from audit_log where entity_id = ${placeId} and action = 'ical.token_rotated'`,
    );
    expect(audit.length).toBe(1);
  });

  it('an unknown or malformed token is the same 404, with no hint', async () => {
    for (const path of [
      `/ical/${'A'.repeat(43)}.ics`,
      '/ical/short.ics',
      `/ical/${'A'.repeat(43)}.txt`,
      `/ical/${'A'.repeat(64)}.ics`,
      `/ical/${'%27'.repeat(20)}.ics`,
    ]) {
      const res = await call(undefined, 'GET', path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json<{ code: string }>().code, path).toBe('calendar_not_found');
      expect(res.body).not.toMatch(/select|stack/i);
    }
    // Longer than a route parameter may be: no route, the same status.
    expect((await call(undefined, 'GET', `/ical/${'A'.repeat(200)}.ics`)).statusCode).toBe(404);
  });
});

describe('the feed', () => {
  it('lists stays and blocks as opaque all-day events with no guest data; canceled stays go; the cache follows', async () => {
    const link = await linkOf(placeId);
    const empty = await call(undefined, 'GET', link);
    expect(empty.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(empty.headers['cache-control']).toBe('private, max-age=300');
    const before = eventsOf(empty);

    const kept = await book(inDays(10), inDays(13));
    const canceled = await book(inDays(20), inDays(22));
    const block = await call(host, 'POST', `/v1/properties/${placeId}/blocks`, { start: inDays(30), end: inDays(35) });
    expect(block.statusCode, block.body).toBe(201);

    const res = await call(undefined, 'GET', link);
    const events = eventsOf(res);
    expect(events.length).toBe(before.length + 3);
    const byStart = new Map(events.map((e) => [e.start, e]));
    expect(byStart.get(inDays(10))).toMatchObject({ summary: 'Reserved', end: inDays(13), transparency: 'OPAQUE' });
    expect(byStart.get(inDays(20))).toMatchObject({ summary: 'Reserved', end: inDays(22) });
    expect(byStart.get(inDays(30))).toMatchObject({ summary: 'Not available', end: inDays(35) });
    for (const e of events) expect(e.uid).toMatch(/^[0-9a-f-]{36}@localhost$/);
    // All-day DATE values; nothing about the guest or the booking.
    expect(res.body).toMatch(/DTSTART;VALUE=DATE:\d{8}/);
    expect(res.body).not.toContain(guest.user.email);
    expect(res.body).not.toContain(kept);
    expect(res.body).not.toContain(canceled);
    expect(res.body).not.toMatch(/ATTENDEE|ORGANIZER|DESCRIPTION/);

    // Same calendar, same ETag: 304.
    const etag = res.headers.etag as string;
    const again = await app().inject({ method: 'GET', url: link, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.headers.etag).toBe(etag);

    // A cancellation changes the feed at once (the cached feed follows the calendar).
    const cancel = await call(guest, 'POST', `/v1/bookings/${canceled}/cancel`, {});
    expect(cancel.statusCode, cancel.body).toBe(200);
    const after = await app().inject({ method: 'GET', url: link, headers: { 'if-none-match': etag } });
    const left = eventsOf(after);
    expect(left.map((e) => e.start)).not.toContain(inDays(20));
    expect(left.map((e) => e.start)).toContain(inDays(10));
    expect(after.headers.etag).not.toBe(etag);

    // A block removed goes too.
    const blockId = block.json<{ id: string }>().id;
    const del = await app().inject({
      method: 'DELETE',
      url: `/v1/properties/${placeId}/blocks/${blockId}`,
      headers: host.auth,
    });
    expect(del.statusCode).toBe(204);
    expect(eventsOf(await call(undefined, 'GET', link)).map((e) => e.start)).not.toContain(inDays(30));
  });

  it('is sent gzipped, with an ETag of its own, to a client that takes gzip', async () => {
    const link = await linkOf(placeId);
    const plain = await call(undefined, 'GET', link);
    const zipped = await app().inject({ url: link, headers: { 'accept-encoding': 'br, gzip;q=0.8' } });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('Accept-Encoding');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    const again = await app().inject({
      url: link,
      headers: { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
    const refused = await app().inject({ url: link, headers: { 'accept-encoding': 'gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(plain.body);
  });

  it('leaves out ranges that ended before today and those starting more than 730 days ahead', async () => {
    const place = await createProperty(app(), host, { status: 'listed' });
    await db().execute(sql`insert into property_calendar (property_id, kind, start_date, end_date)
      values (${place.id}, 'block', ${inDays(-10)}, ${inDays(-3)}),
             (${place.id}, 'block', ${inDays(-2)}, ${inDays(0)}),
             (${place.id}, 'block', ${inDays(700)}, ${inDays(720)}),
             (${place.id}, 'block', ${inDays(740)}, ${inDays(745)})`);
    // Seeded directly: end what readers cached of the place.
    await testApp().container.services.properties.invalidateProperty(place.id);
    const events = eventsOf(await call(undefined, 'GET', await linkOf(place.id)));
    expect(events.map((e) => e.start)).toEqual([inDays(-2), inDays(700)]);
  });

  it('a deleted place’s feed is 404', async () => {
    const place = await createProperty(app(), host, { status: 'listed' });
    const link = await linkOf(place.id);
    expect((await call(undefined, 'GET', link)).statusCode).toBe(200);
    expect((await call(host, 'DELETE' as 'GET', `/v1/properties/${place.id}`)).statusCode).toBe(204);
    expect((await call(undefined, 'GET', link)).statusCode).toBe(404);
  });
});

describe('bounds', () => {
  it('the feed is under the per-address rate limit, found or not', async () => {
    const small = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++)
        codes.push((await small.app.inject({ url: `/ical/${'B'.repeat(43)}.ics` })).statusCode);
      expect(codes).toEqual([404, 404, 404, 429]);
    } finally {
      await small.close();
    }
  });
});

describe('GraphQL', () => {
  it('Property.icalUrl is the host’s only; rotateIcalToken is theirs only', async () => {
    const link = await linkOf(placeId);
    const q = `query($id: ID!) { property(id: $id) { icalUrl } }`;
    const mine = await graphql(app(), q, { id: placeId }, host.auth);
    expect((mine.body.data?.property as { icalUrl: string }).icalUrl).toContain(link);
    const theirs = await graphql(app(), q, { id: placeId }, other.auth);
    expect((theirs.body.data?.property as { icalUrl: null }).icalUrl).toBeNull();
    const anon = await graphql(app(), q, { id: placeId });
    expect((anon.body.data?.property as { icalUrl: null }).icalUrl).toBeNull();

    const m = `mutation($id: ID!) { rotateIcalToken(propertyId: $id) }`;
    const refused = await graphql(app(), m, { id: placeId }, other.auth);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const rotated = await graphql(app(), m, { id: placeId }, host.auth);
    const url = rotated.body.data?.rotateIcalToken as string;
    expect(pathOf(url)).not.toBe(link);
    expect((await call(undefined, 'GET', link)).statusCode).toBe(404);
    expect((await call(undefined, 'GET', pathOf(url))).statusCode).toBe(200);
  });
});
