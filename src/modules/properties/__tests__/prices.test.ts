import { beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { graphql, register, registerAdmin, rowsOf, type Session, useTestApp } from '#test/helpers.js';
import { createProperty } from '#test/factories/properties.js';
import type { Calendar, CalendarPrices, PriceOverride } from '../properties.prices.schemas.js';
import { planReplacement, subtractRanges } from '../properties.prices.js';

// Prices and minimum stays by date (PUT …/calendar/prices) and the per-night calendar
// (GET …/calendar), over REST and GraphQL on the real app.

const testApp = useTestApp();

let host: Session;
let other: Session;
let guest: Session;

beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
  other = await register(testApp().app, { role: 'host' });
  guest = await register(testApp().app);
});

/** Today (UTC) plus `days`: places here are in UTC, so it is their today too. */
const day = (days: number) => DateTime.utc().startOf('day').plus({ days }).toISODate();
/** The first Monday at least `days` ahead. */
function mondayFrom(days: number): number {
  let d = days;
  while (DateTime.utc().startOf('day').plus({ days: d }).weekday !== 1) d++;
  return d;
}

const put = (id: string, as: Session | undefined, ranges: unknown) =>
  testApp().app.inject({
    method: 'PUT',
    url: `/v1/properties/${id}/calendar/prices`,
    headers: as?.auth ?? {},
    payload: { ranges } as object,
  });
const calendar = (id: string, from: string, to: string, as?: Session, headers: Record<string, string> = {}) =>
  testApp().app.inject({
    url: `/v1/properties/${id}/calendar?from=${from}&to=${to}`,
    headers: { ...as?.auth, ...headers },
  });
const code = (res: LightMyRequestResponse) => res.json<{ code: string }>().code;
const overrides = (res: LightMyRequestResponse) => res.json<CalendarPrices>().overrides;
const place = (fields: Record<string, unknown> = {}) =>
  createProperty(testApp().app, host, { timezone: 'UTC', nightlyPrice: 100, ...fields });
const stored = (propertyId: string) =>
  rowsOf<{ start: string; end: string; price: number | null; min: number | null }>(
    testApp().container.database.db,
    sql`select to_char(start_date, 'YYYY-MM-DD') as start, to_char(end_date, 'YYYY-MM-DD') as end,
          nightly_price as price, min_nights as min
        from property_price_overrides where property_id = ${propertyId} order by start_date`,
  );

describe('replacing overrides (pure)', () => {
  it('subtracts ranges: trims either end, splits, removes', () => {
    const r = { start: '2027-01-10', end: '2027-01-20' };
    expect(subtractRanges(r, [{ start: '2027-01-12', end: '2027-01-15' }])).toEqual([
      { start: '2027-01-10', end: '2027-01-12' },
      { start: '2027-01-15', end: '2027-01-20' },
    ]);
    expect(subtractRanges(r, [{ start: '2027-01-01', end: '2027-01-11' }])).toEqual([
      { start: '2027-01-11', end: '2027-01-20' },
    ]);
    expect(subtractRanges(r, [{ start: '2027-01-19', end: '2027-02-01' }])).toEqual([
      { start: '2027-01-10', end: '2027-01-19' },
    ]);
    expect(subtractRanges(r, [{ start: '2027-01-10', end: '2027-01-20' }])).toEqual([]);
    expect(
      subtractRanges(r, [
        { start: '2027-01-11', end: '2027-01-12' },
        { start: '2027-01-13', end: '2027-01-14' },
      ]),
    ).toEqual([
      { start: '2027-01-10', end: '2027-01-11' },
      { start: '2027-01-12', end: '2027-01-13' },
      { start: '2027-01-14', end: '2027-01-20' },
    ]);
  });

  it('leaves untouched rows alone and writes only ranges that set something', () => {
    const row = {
      id: 'a',
      propertyId: 'p',
      start: '2027-01-10',
      end: '2027-01-20',
      nightlyPrice: 5,
      minNights: null,
      createdAt: new Date(),
    };
    const plan = planReplacement('p', [row], [{ start: '2027-01-20', end: '2027-01-22' }]);
    expect(plan).toEqual({ remove: [], insert: [] });
  });
});

describe('PUT /v1/properties/{id}/calendar/prices', () => {
  it('sets ranges, then replaces what a later range overlaps: split, trimmed, cleared', async () => {
    const p = await place();
    const first = await put(p.id, host, [{ start: day(10), end: day(20), nightlyPrice: 200 }]);
    expect(first.statusCode).toBe(200);
    expect(overrides(first)).toEqual<PriceOverride[]>([
      { start: day(10), end: day(20), nightlyPrice: 200, minNights: null },
    ]);

    // A range inside splits it; the answer is the window the request touched.
    const split = await put(p.id, host, [{ start: day(12), end: day(15), nightlyPrice: 300, minNights: 3 }]);
    expect(split.statusCode).toBe(200);
    expect(overrides(split)).toEqual([{ start: day(12), end: day(15), nightlyPrice: 300, minNights: 3 }]);
    expect(await stored(p.id)).toEqual([
      { start: day(10), end: day(12), price: 200, min: null },
      { start: day(12), end: day(15), price: 300, min: 3 },
      { start: day(15), end: day(20), price: 200, min: null },
    ]);

    // A range with neither field clears what it overlaps (the start of one, the end of another).
    const cleared = await put(p.id, host, [{ start: day(11), end: day(13) }]);
    expect(overrides(cleared)).toEqual([]);
    expect(await stored(p.id)).toEqual([
      { start: day(10), end: day(11), price: 200, min: null },
      { start: day(13), end: day(15), price: 300, min: 3 },
      { start: day(15), end: day(20), price: 200, min: null },
    ]);

    // Several ranges at once, one covering two overrides entirely: all in one transaction.
    const many = await put(p.id, host, [
      { start: day(9), end: day(16), minNights: 2 },
      { start: day(30), end: day(31), nightlyPrice: 999 },
    ]);
    expect(many.statusCode).toBe(200);
    expect(await stored(p.id)).toEqual([
      { start: day(9), end: day(16), price: null, min: 2 },
      { start: day(16), end: day(20), price: 200, min: null },
      { start: day(30), end: day(31), price: 999, min: null },
    ]);

    const audit = await rowsOf<{ n: number }>(
      testApp().container.database.db,
      sql`select count(*)::int as n from audit_log where action = 'property.prices_set' and entity_id = ${p.id}`,
    );
    expect(audit[0]!.n).toBe(4);
  });

  it.each([
    [
      'ranges that overlap each other',
      [
        { start: day(10), end: day(15), nightlyPrice: 1 },
        { start: day(14), end: day(16), nightlyPrice: 2 },
      ],
      'ranges.1.start',
    ],
    ['end not after start', [{ start: day(10), end: day(10), nightlyPrice: 1 }], 'ranges.0.end'],
    ['a price of 0', [{ start: day(10), end: day(11), nightlyPrice: 0 }], 'ranges.0.nightlyPrice'],
    [
      'a price over the money bound',
      [{ start: day(10), end: day(11), nightlyPrice: 100_000_001 }],
      'ranges.0.nightlyPrice',
    ],
    ['minNights 0', [{ start: day(10), end: day(11), minNights: 0 }], 'ranges.0.minNights'],
    ['minNights 366', [{ start: day(10), end: day(11), minNights: 366 }], 'ranges.0.minNights'],
    ['no range', [], 'ranges'],
    [
      '101 ranges',
      Array.from({ length: 101 }, (_, i) => ({ start: day(10 + i), end: day(11 + i), nightlyPrice: 5 })),
      'ranges',
    ],
    ['an unknown field', [{ start: day(10), end: day(11), price: 5 }], 'ranges.0.price'],
  ])('422 validation_failed: %s', async (_name, ranges, path) => {
    const p = await place();
    const res = await put(p.id, host, ranges);
    expect(res.statusCode).toBe(422);
    expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(path);
    expect(await stored(p.id)).toEqual([]);
  });

  it('422 prices_out_of_window: before today or past 730 days ahead (the place’s time zone)', async () => {
    const p = await place();
    const past = await put(p.id, host, [{ start: day(-1), end: day(2), nightlyPrice: 5 }]);
    expect(past.statusCode).toBe(422);
    expect(code(past)).toBe('prices_out_of_window');
    const far = await put(p.id, host, [{ start: day(700), end: day(731), nightlyPrice: 5 }]);
    expect(code(far)).toBe('prices_out_of_window');
    expect((await put(p.id, host, [{ start: day(0), end: day(730), nightlyPrice: 5 }])).statusCode).toBe(200);
  });

  it('401 without a token, 403 for another host, 404 for an unknown place or another host’s draft', async () => {
    const p = await place();
    const draft = await place({ status: 'draft' });
    const ranges = [{ start: day(10), end: day(11), nightlyPrice: 5 }];
    expect((await put(p.id, undefined, ranges)).statusCode).toBe(401);
    const forbidden = await put(p.id, other, ranges);
    expect(forbidden.statusCode).toBe(403);
    expect(code(forbidden)).toBe('not_property_owner');
    expect((await put(draft.id, other, ranges)).statusCode).toBe(404);
    expect((await put('00000000-0000-4000-8000-000000000000', host, ranges)).statusCode).toBe(404);
    expect(await stored(p.id)).toEqual([]);
  });

  it('409 too_many_price_overrides past 500 ranges; clearing and ended ranges make room', async () => {
    const p = await place();
    for (let batch = 0; batch < 5; batch++) {
      const ranges = Array.from({ length: 100 }, (_, i) => {
        const d = 1 + batch * 100 + i;
        return { start: day(d), end: day(d + 1), nightlyPrice: 100 + i };
      });
      expect((await put(p.id, host, ranges)).statusCode).toBe(200);
    }
    // Nights 1 to 500 each have a range of their own: a 501st is refused.
    const more = await put(p.id, host, [{ start: day(602), end: day(603), nightlyPrice: 7 }]);
    expect(more.statusCode).toBe(409);
    expect(code(more)).toBe('too_many_price_overrides');
    // Replacing a range in place keeps the count.
    const replaced = await put(p.id, host, [{ start: day(1), end: day(2), nightlyPrice: 9 }]);
    expect(replaced.statusCode).toBe(200);
    // Clearing three makes room again.
    expect((await put(p.id, host, [{ start: day(1), end: day(4) }])).statusCode).toBe(200);
    expect((await put(p.id, host, [{ start: day(602), end: day(603), nightlyPrice: 7 }])).statusCode).toBe(200);
    expect((await stored(p.id)).length).toBe(498);
  });
});

describe('GET /v1/properties/{id}/calendar', () => {
  it('each night: override, else weekend price on Friday and Saturday, else nightly; blocks and bookings taken', async () => {
    const monday = mondayFrom(14);
    const p = await place({ nightlyPrice: 100, weekendPrice: 150, minNights: 2 });
    // Wednesday to Saturday at 500, minimum 4 nights for stays beginning on them.
    await put(p.id, host, [{ start: day(monday + 2), end: day(monday + 6), nightlyPrice: 500, minNights: 4 }]);
    // A block on Monday, a booking on Sunday night (+6) for one night... the place needs 2: book two nights.
    const block = await testApp().app.inject({
      method: 'POST',
      url: `/v1/properties/${p.id}/blocks`,
      headers: host.auth,
      payload: { start: day(monday), end: day(monday + 1) },
    });
    expect(block.statusCode).toBe(201);
    const booking = await testApp().app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: guest.auth,
      payload: { propertyId: p.id, checkIn: day(monday + 6), checkOut: day(monday + 8), guests: 1 },
    });
    expect(booking.statusCode, booking.body).toBe(201);

    const res = await calendar(p.id, day(monday), day(monday + 9));
    expect(res.statusCode).toBe(200);
    const body = res.json<Calendar>();
    expect(body).toMatchObject({ propertyId: p.id, currency: 'EUR' });
    expect(body.nights).toEqual([
      { date: day(monday), price: 100, available: false, minNights: 2 }, // Mon, blocked
      { date: day(monday + 1), price: 100, available: true, minNights: 2 }, // Tue
      { date: day(monday + 2), price: 500, available: true, minNights: 4 }, // Wed, override
      { date: day(monday + 3), price: 500, available: true, minNights: 4 }, // Thu
      { date: day(monday + 4), price: 500, available: true, minNights: 4 }, // Fri: the override beats the weekend
      { date: day(monday + 5), price: 500, available: true, minNights: 4 }, // Sat
      { date: day(monday + 6), price: 100, available: false, minNights: 2 }, // Sun, booked
      { date: day(monday + 7), price: 100, available: false, minNights: 2 }, // Mon, booked
      { date: day(monday + 8), price: 100, available: true, minNights: 2 }, // Tue
    ]);
    // Without overrides, Friday and Saturday at the weekend price.
    const later = (await calendar(p.id, day(monday + 11), day(monday + 13))).json<Calendar>();
    expect(later.nights.map((n) => n.price)).toEqual([150, 150]);
  });

  it('ETag and 304; a change of prices changes it', async () => {
    const p = await place();
    const first = await calendar(p.id, day(5), day(12));
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await calendar(p.id, day(5), day(12), undefined, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    await put(p.id, host, [{ start: day(6), end: day(7), nightlyPrice: 321 }]);
    const changed = await calendar(p.id, day(5), day(12), undefined, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<Calendar>().nights[1]).toMatchObject({ price: 321 });
  });

  it('drafts: their host and admins only; 404 for anyone else; 422 on a bad window', async () => {
    const draft = await place({ status: 'draft' });
    expect((await calendar(draft.id, day(1), day(3))).statusCode).toBe(404);
    expect((await calendar(draft.id, day(1), day(3), guest)).statusCode).toBe(404);
    const own = await calendar(draft.id, day(1), day(3), host);
    expect(own.statusCode).toBe(200);
    expect(own.headers['cache-control']).toBe('private, no-store');
    const admin = await registerAdmin(testApp());
    expect((await calendar(draft.id, day(1), day(3), admin)).statusCode).toBe(200);

    const p = await place();
    expect((await calendar(p.id, day(1), day(368))).statusCode).toBe(422);
    expect((await calendar(p.id, day(3), day(3))).statusCode).toBe(422);
    expect((await calendar(p.id, 'tomorrow', day(3))).statusCode).toBe(422);
    expect((await calendar(p.id, day(1), day(367))).json<Calendar>().nights).toHaveLength(366);
  });
});

describe('GraphQL', () => {
  it('setCalendarPrices and Property.calendar', async () => {
    const p = await place();
    const set = await graphql(
      testApp().app,
      `
        mutation ($id: ID!, $i: SetCalendarPricesInput!) {
          setCalendarPrices(propertyId: $id, input: $i) {
            overrides {
              start
              end
              nightlyPrice
              minNights
            }
          }
        }
      `,
      { id: p.id, i: { ranges: [{ start: day(10), end: day(12), nightlyPrice: 250, minNights: 2 }] } },
      host.auth,
    );
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data!.setCalendarPrices).toEqual({
      overrides: [{ start: day(10), end: day(12), nightlyPrice: 250, minNights: 2 }],
    });
    const read = await graphql(
      testApp().app,
      `
        query ($id: ID!, $from: Date!, $to: Date!) {
          property(id: $id) {
            calendar(from: $from, to: $to) {
              date
              price
              available
              minNights
            }
          }
        }
      `,
      { id: p.id, from: day(11), to: day(13) },
    );
    expect(read.body.errors).toBeUndefined();
    expect((read.body.data!.property as { calendar: unknown[] }).calendar).toEqual(
      (await calendar(p.id, day(11), day(13))).json<Calendar>().nights,
    );
    const forbidden = await graphql(
      testApp().app,
      `
        mutation ($id: ID!, $i: SetCalendarPricesInput!) {
          setCalendarPrices(propertyId: $id, input: $i) {
            overrides {
              start
            }
          }
        }
      `,
      { id: p.id, i: { ranges: [{ start: day(10), end: day(12), nightlyPrice: 1 }] } },
      other.auth,
    );
    expect(forbidden.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
