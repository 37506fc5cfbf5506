import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProperty, inDays } from '#test/factories/properties.js';
import { register, rowsOf, useTestApp } from '#test/helpers.js';

// A feed's sync racing a booking of the same nights (in parallel on PostgreSQL): both take
// the place's calendar lock, so exactly one holds the nights — the booking (the event is a
// conflict) or the feed (the booking is 409) — and no two active ranges overlap.

const testApp = useTestApp({ env: { ICAL_ALLOW_PRIVATE: 'true' } });
const app = () => testApp().app;
const db = () => testApp().container.database.db;

let server: http.Server;
let url: string;
const compact = (iso: string) => iso.replaceAll('-', '');

beforeAll(async () => {
  const body = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Race//EN',
    'BEGIN:VEVENT',
    'UID:race-1',
    'DTSTAMP:20260101T000000Z',
    `DTSTART;VALUE=DATE:${compact(inDays(70))}`,
    `DTEND;VALUE=DATE:${compact(inDays(73))}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/calendar' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/race.ics`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('a sync and a booking of the same nights end with exactly one holding them', async () => {
  const [host, ...guests] = await Promise.all([
    register(app(), { role: 'host' }),
    register(app()),
    register(app()),
    register(app()),
  ]);
  for (let round = 0; round < 3; round++) {
    const placeId = (await createProperty(app(), host, { status: 'listed' })).id;
    const added = await app().inject({
      method: 'POST',
      url: `/v1/properties/${placeId}/ical/imports`,
      headers: host.auth,
      payload: { url, name: 'Race' },
    });
    expect(added.statusCode, added.body).toBe(201);
    const feedId = added.json<{ id: string }>().id;
    const [, booking] = await Promise.all([
      testApp().container.services.ical.syncFeed(feedId),
      app().inject({
        method: 'POST',
        url: '/v1/bookings',
        headers: guests[round]!.auth,
        payload: { propertyId: placeId, checkIn: inDays(71), checkOut: inDays(72), guests: 1 },
      }),
    ]);
    const ranges = await rowsOf<{ kind: string }>(
      db(),
      sql`select kind from property_calendar where property_id = ${placeId} and released_at is null`,
    );
    const conflicts = await rowsOf<{ n: number }>(
      db(),
      sql`select count(*)::int as n from ical_conflicts where import_id = ${feedId}`,
    );
    if (booking.statusCode === 201) {
      expect(ranges.map((r) => r.kind)).toEqual(['booking']);
      expect(conflicts[0]!.n).toBe(1);
    } else {
      expect(booking.statusCode, booking.body).toBe(409);
      expect(ranges.map((r) => r.kind)).toEqual(['external']);
      expect(conflicts[0]!.n).toBe(0);
    }
  }
});
