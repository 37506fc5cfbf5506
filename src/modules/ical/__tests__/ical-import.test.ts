import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, createProperty, inDays, search, uniqueCity } from '#test/factories/properties.js';
import { graphql, register, rowsOf, runDueJobs, type Session, useTestApp } from '#test/helpers.js';

// Imported calendars over HTTP, with feeds served by a local server (ICAL_ALLOW_PRIVATE):
// all-day, TZID and recurring events, updates, the 304 path, conflicts with stays and
// their one e-mail, what availability and search show, the limit and who may do what.

const testApp = useTestApp({ env: { ICAL_ALLOW_PRIVATE: 'true' } });
const app = () => testApp().app;
const db = () => testApp().container.database.db;
const ical = () => testApp().container.services.ical;

/** The feeds the local server answers, by path: a body and its ETag; requests are counted. */
const feeds = new Map<string, { body: string; etag: string }>();
const seen: { path: string; ifNoneMatch?: string }[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const feed = feeds.get(req.url ?? '');
    seen.push({ path: req.url ?? '', ifNoneMatch: req.headers['if-none-match'] });
    if (!feed) return void res.writeHead(404).end();
    if (req.headers['if-none-match'] === feed.etag) return void res.writeHead(304, { etag: feed.etag }).end();
    res.writeHead(200, { 'content-type': 'text/calendar', etag: feed.etag }).end(feed.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const compact = (iso: string) => iso.replaceAll('-', '');

function ics(events: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Feed//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
}
const allDay = (uid: string, start: string, end: string, extra: string[] = []) =>
  [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART;VALUE=DATE:${compact(start)}`,
    `DTEND;VALUE=DATE:${compact(end)}`,
    ...extra,
    'SUMMARY:Reserved',
    'END:VEVENT',
  ].join('\r\n');

let etagCounter = 0;
function serve(path: string, events: string[]): string {
  feeds.set(path, { body: ics(events), etag: `"e${++etagCounter}"` });
  return `${base}${path}`;
}

let host: Session;
let guest: Session;
let other: Session;

beforeAll(async () => {
  [host, guest, other] = await Promise.all([
    register(app(), { role: 'host' }),
    register(app()),
    register(app(), { role: 'host' }),
  ]);
});

const call = (as: Session, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
  app().inject({ method, url, headers: as.auth, ...(payload === undefined ? {} : { payload }) });

async function place(city = uniqueCity()) {
  return (await createProperty(app(), host, { status: 'listed', address: address(city) })).id;
}

async function addFeed(propertyId: string, url: string, name = 'Other site'): Promise<string> {
  const res = await call(host, 'POST', `/v1/properties/${propertyId}/ical/imports`, { url, name });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function externalRanges(propertyId: string) {
  return rowsOf<{ start: string; end: string }>(
    db(),
    sql`select start_date::text as start, end_date::text as "end" from property_calendar
        where property_id = ${propertyId} and kind = 'external' and released_at is null order by start_date`,
  );
}

async function importsOf(propertyId: string) {
  const res = await call(host, 'GET', `/v1/properties/${propertyId}/ical/imports`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{
    data: { id: string; status: string; error: string | null; eventCount: number; conflictCount: number }[];
  }>().data;
}

describe('a feed’s events become external ranges', () => {
  it('reads all-day, TZID and recurring (RRULE with EXDATE) events; past ones are left out', async () => {
    const id = await place();
    const d = (n: number) => inDays(n);
    const url = serve('/mixed.ics', [
      allDay('a1', d(30), d(33)),
      allDay('past', d(-20), d(-15)),
      [
        'BEGIN:VEVENT',
        'UID:t1',
        'DTSTAMP:20260101T000000Z',
        // 20:00 in New York is 01:00 the next day in Lisbon (the place's zone).
        `DTSTART;TZID=America/New_York:${compact(d(40))}T200000`,
        `DTEND;TZID=America/New_York:${compact(d(42))}T080000`,
        'END:VEVENT',
      ].join('\r\n'),
      allDay('r1', d(50), d(51), ['RRULE:FREQ=WEEKLY;COUNT=3', `EXDATE;VALUE=DATE:${compact(d(57))}`]),
    ]);
    await addFeed(id, url);
    await runDueJobs(testApp());
    expect(await externalRanges(id)).toEqual([
      { start: d(30), end: d(33) },
      { start: d(41), end: d(42) },
      { start: d(50), end: d(51) },
      { start: d(64), end: d(65) },
    ]);
    const [feed] = await importsOf(id);
    expect(feed).toMatchObject({ status: 'ok', error: null, eventCount: 4, conflictCount: 0 });
  });

  it('follows the feed: a moved event moves, a removed one frees its nights; a 304 keeps them', async () => {
    const id = await place();
    const url = serve('/moving.ics', [allDay('m1', inDays(30), inDays(32)), allDay('m2', inDays(40), inDays(41))]);
    const feedId = await addFeed(id, url);
    await runDueJobs(testApp());
    expect(await externalRanges(id)).toEqual([
      { start: inDays(30), end: inDays(32) },
      { start: inDays(40), end: inDays(41) },
    ]);
    serve('/moving.ics', [allDay('m1', inDays(31), inDays(34))]);
    await ical().syncFeed(feedId);
    expect(await externalRanges(id)).toEqual([{ start: inDays(31), end: inDays(34) }]);
    // Unchanged: the server answers 304 to the ETag it gave, and the ranges stay.
    await ical().syncFeed(feedId);
    expect(seen.filter((s) => s.path === '/moving.ics').at(-1)?.ifNoneMatch).toBe(feeds.get('/moving.ics')!.etag);
    expect((await importsOf(id))[0]!.status).toBe('not_modified');
    expect(await externalRanges(id)).toEqual([{ start: inDays(31), end: inDays(34) }]);
  });

  it('blocks availability and dated search like a host block; removing the feed frees them', async () => {
    const city = uniqueCity();
    const id = await place(city);
    const feedId = await addFeed(id, serve('/block.ics', [allDay('b1', inDays(60), inDays(63))]));
    await runDueJobs(testApp());
    const avail = await app().inject({ url: `/v1/properties/${id}/availability?from=${inDays(55)}&to=${inDays(70)}` });
    expect(avail.json()).toEqual({ unavailable: [{ start: inDays(60), end: inDays(63), reason: 'blocked' }] });
    const dated = { city, checkIn: inDays(61), checkOut: inDays(62) };
    expect((await search(app(), dated)).body.data).toEqual([]);
    expect((await search(app(), { city, checkIn: inDays(63), checkOut: inDays(65) })).body.data).toHaveLength(1);
    // Booking those nights is refused like a block's.
    const stay = { propertyId: id, checkIn: inDays(61), checkOut: inDays(62), guests: 1 };
    expect((await call(guest, 'POST', '/v1/bookings', stay)).statusCode).toBe(409);
    expect((await call(host, 'DELETE', `/v1/properties/${id}/ical/imports/${feedId}`)).statusCode).toBe(204);
    expect(await externalRanges(id)).toEqual([]);
    expect((await search(app(), dated)).body.data).toHaveLength(1);
  });

  it('leaves nights a host block holds to it and writes the rest', async () => {
    const id = await place();
    const block = await call(host, 'POST', `/v1/properties/${id}/blocks`, { start: inDays(81), end: inDays(83) });
    expect(block.statusCode, block.body).toBe(201);
    await addFeed(id, serve('/covered.ics', [allDay('c1', inDays(80), inDays(85))]));
    await runDueJobs(testApp());
    expect(await externalRanges(id)).toEqual([
      { start: inDays(80), end: inDays(81) },
      { start: inDays(83), end: inDays(85) },
    ]);
  });
});

describe('two feeds and the schedule', () => {
  it('leaves nights another feed holds to it; they are taken once that feed lets them go', async () => {
    const id = await place();
    const first = await addFeed(id, serve('/first.ics', [allDay('f1', inDays(90), inDays(93))]), 'First');
    await runDueJobs(testApp());
    const second = await addFeed(id, serve('/second.ics', [allDay('s1', inDays(91), inDays(95))]), 'Second');
    await runDueJobs(testApp());
    const bySource = () =>
      rowsOf<{ source_id: string; start: string; end: string }>(
        db(),
        sql`select source_id, start_date::text as start, end_date::text as "end" from property_calendar
            where property_id = ${id} and kind = 'external' and released_at is null order by start_date`,
      );
    expect(await bySource()).toEqual([
      { source_id: first, start: inDays(90), end: inDays(93) },
      { source_id: second, start: inDays(93), end: inDays(95) },
    ]);
    expect((await call(host, 'DELETE', `/v1/properties/${id}/ical/imports/${first}`)).statusCode).toBe(204);
    // The next sync of the second feed (a 304: its body did not change) takes the whole range.
    await ical().syncFeed(second);
    expect(await bySource()).toEqual([{ source_id: second, start: inDays(91), end: inDays(95) }]);
  });

  it('the minute’s tick queues one sync per due feed, once', async () => {
    const id = await place();
    const feedId = await addFeed(id, serve('/due.ics', [allDay('d1', inDays(100), inDays(101))]));
    await runDueJobs(testApp());
    await db().execute(sql`update ical_imports set next_sync_at = now() - interval '1 minute'`);
    const now = new Date();
    expect(await ical().enqueueDueSyncs(now)).toBeGreaterThanOrEqual(1);
    expect(await ical().enqueueDueSyncs(now)).toBe(0);
    const queued = await rowsOf<{ n: number }>(
      db(),
      sql`select count(*)::int as n from jobs where kind = 'ical.sync-feed' and payload->>'importId' = ${feedId} and state = 'pending'`,
    );
    expect(queued[0]!.n).toBe(1);
    await runDueJobs(testApp());
    const [row] = await rowsOf<{ next: boolean }>(
      db(),
      sql`select next_sync_at > now() + interval '14 minutes' as next from ical_imports where id = ${feedId}`,
    );
    expect(row!.next).toBe(true);
  });

  it('syncs on request at most once a minute (429 with Retry-After), concurrent requests included', async () => {
    const id = await place();
    const feedId = await addFeed(id, serve('/asked.ics', [allDay('q1', inDays(110), inDays(111))]));
    const syncUrl = `/v1/properties/${id}/ical/imports/${feedId}/sync`;
    // Never synced yet: one of three concurrent requests queues it, the others are too soon.
    const answers = await Promise.all([1, 2, 3].map(() => call(host, 'POST', syncUrl)));
    const statuses = answers.map((a) => a.statusCode).sort();
    // Requests straddling a minute's turn may queue one more.
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(2);
    await runDueJobs(testApp());
    expect(await externalRanges(id)).toEqual([{ start: inDays(110), end: inDays(111) }]);
    const again = await call(host, 'POST', syncUrl);
    expect([again.statusCode, again.json<{ code: string }>().code]).toEqual([429, 'ical_sync_too_soon']);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    expect((await call(other, 'POST', syncUrl)).statusCode).toBe(404);
  });

  it('holds the limit of 5 under concurrent adds', async () => {
    const id = await place();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(host, 'POST', `/v1/properties/${id}/ical/imports`, { url: `${base}/race-${i}.ics`, name: `Race ${i}` }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 201, 201, 201, 201, 409, 409, 409]);
    expect(await importsOf(id)).toHaveLength(5);
  });
});

describe('conflicts with stays', () => {
  it('are recorded, do not block, and the host gets one e-mail however often the feed syncs', async () => {
    const id = await place();
    const booking = await call(guest, 'POST', '/v1/bookings', {
      propertyId: id,
      checkIn: inDays(20),
      checkOut: inDays(23),
      guests: 1,
    });
    expect(booking.statusCode, booking.body).toBe(201);
    const feedId = await addFeed(
      id,
      serve('/conflict.ics', [allDay('x1', inDays(22), inDays(25)), allDay('x2', inDays(30), inDays(31))]),
    );
    await runDueJobs(testApp());
    serve('/conflict.ics', [allDay('x1', inDays(22), inDays(25)), allDay('x2', inDays(30), inDays(31))]);
    await ical().syncFeed(feedId);
    await runDueJobs(testApp());
    expect(await externalRanges(id)).toEqual([{ start: inDays(30), end: inDays(31) }]);
    const conflicts = await rowsOf<{ uid: string; start: string; booking_id: string }>(
      db(),
      sql`select uid, start_date::text as start, booking_id from ical_conflicts where property_id = ${id}`,
    );
    expect(conflicts).toEqual([{ uid: 'x1', start: inDays(22), booking_id: booking.json<{ id: string }>().id }]);
    expect((await importsOf(id))[0]).toMatchObject({ status: 'ok', conflictCount: 1 });
    const mails = await rowsOf<{ n: number }>(
      db(),
      sql`select count(*)::int as n from mail_deliveries where recipient = ${host.user.email} and subject like 'Calendar conflict%'`,
    );
    expect(mails[0]!.n).toBe(1);
  });
});

describe('the imports API', () => {
  it('holds at most 5 feeds a place (409), refuses non-http URLs (422) and hides a place’s feeds from others (404)', async () => {
    const id = await place();
    for (let i = 0; i < 5; i++) await addFeed(id, `${base}/none-${i}.ics`, `Feed ${i}`);
    const sixth = await call(host, 'POST', `/v1/properties/${id}/ical/imports`, { url: `${base}/x.ics`, name: 'Six' });
    expect([sixth.statusCode, sixth.json<{ code: string }>().code]).toEqual([409, 'too_many_ical_imports']);
    const other2 = await place();
    for (const url of ['ftp://example.com/a.ics', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      const res = await call(host, 'POST', `/v1/properties/${other2}/ical/imports`, { url, name: 'Bad' });
      expect([url, res.statusCode]).toEqual([url, 422]);
    }
    expect((await call(other, 'GET', `/v1/properties/${id}/ical/imports`)).statusCode).toBe(404);
    expect(
      (await call(other, 'POST', `/v1/properties/${id}/ical/imports`, { url: `${base}/a.ics`, name: 'Mine' }))
        .statusCode,
    ).toBe(404);
    const [first] = await importsOf(id);
    expect((await call(other, 'DELETE', `/v1/properties/${id}/ical/imports/${first!.id}`)).statusCode).toBe(404);
    // A feed that answers 404 ends in an error the host can read, with nothing internal in it.
    await ical().syncFeed(first!.id);
    expect((await importsOf(id))[0]).toMatchObject({ status: 'error', error: 'The server answered HTTP 404.' });
    const q = 'query($id: ID!) { property(id: $id) { icalImports { id status } } }';
    const theirs = await graphql(app(), q, { id }, other.auth);
    expect((theirs.body.data?.property as { icalImports: unknown }).icalImports).toBeNull();
    const mine = await graphql(app(), q, { id }, host.auth);
    expect((mine.body.data?.property as { icalImports: unknown[] }).icalImports).toHaveLength(5);
  });
});
