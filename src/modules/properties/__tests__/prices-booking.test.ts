import { beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { register, rowsOf, type Session, usingPostgres, useTestApp } from '#test/helpers.js';
import { createProperty } from '#test/factories/properties.js';
import type { Booking } from '../../bookings/index.js';
import type { Quote } from '../../bookings/bookings.schemas.js';

// Quotes and bookings priced night by night from the host's prices by date, the minimum
// stay of the check-in night, and bookings racing changes of prices (PostgreSQL).

const testApp = useTestApp();

let host: Session;

beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
});

/** Today (UTC) plus `days`: the places here are in UTC. */
const day = (days: number) => DateTime.utc().startOf('day').plus({ days }).toISODate();
/** The first Monday at least `days` ahead, as days from today. */
function mondayFrom(days: number): number {
  let d = days;
  while (DateTime.utc().startOf('day').plus({ days: d }).weekday !== 1) d++;
  return d;
}
const post = (url: string, as: Session | undefined, payload: object) =>
  testApp().app.inject({ method: 'POST', url, headers: as?.auth ?? {}, payload });
const setPrices = (id: string, ranges: object[]) =>
  testApp().app.inject({
    method: 'PUT',
    url: `/v1/properties/${id}/calendar/prices`,
    headers: host.auth,
    payload: { ranges },
  });
const code = (res: LightMyRequestResponse) => res.json<{ code: string }>().code;

describe('quotes and bookings with prices by date', () => {
  it('each night at its override, else the weekend or nightly price; the booking as the quote', async () => {
    const monday = mondayFrom(14);
    const p = await createProperty(testApp().app, host, {
      timezone: 'UTC',
      nightlyPrice: 100,
      weekendPrice: 150,
      cleaningFee: 10,
      weeklyDiscountPercent: 10,
    });
    // Tuesday and Friday have prices of their own.
    expect(
      (
        await setPrices(p.id, [
          { start: day(monday + 1), end: day(monday + 2), nightlyPrice: 333 },
          { start: day(monday + 4), end: day(monday + 5), nightlyPrice: 50 },
        ])
      ).statusCode,
    ).toBe(200);
    const guest = await register(testApp().app);
    const stay = { propertyId: p.id, checkIn: day(monday), checkOut: day(monday + 7), guests: 1 };
    const q = await post('/v1/bookings/quote', guest, stay);
    expect(q.statusCode, q.body).toBe(200);
    const { price } = q.json<Quote>();
    // Mon 100, Tue 333, Wed 100, Thu 100, Fri 50 (override beats the weekend), Sat 150, Sun 100.
    expect(price.nights).toEqual(
      [100, 333, 100, 100, 50, 150, 100].map((amount, i) => ({ date: day(monday + i), price: amount })),
    );
    // 933 − 10 % (93.3 → 93) + 10 = 850; service fee 12 % = 102.
    expect(price).toMatchObject({ nightly: 100, subtotal: 933, discount: 93, cleaningFee: 10, total: 952 });
    const b = await post('/v1/bookings', guest, stay);
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json<Booking>().price).toMatchObject({ subtotal: 933, discount: 93, total: 952 });
  });

  it('the minimum stay is the check-in night’s: its override’s, else the place’s', async () => {
    const p = await createProperty(testApp().app, host, { timezone: 'UTC', minNights: 3 });
    await setPrices(p.id, [
      { start: day(30), end: day(32), minNights: 5 },
      { start: day(40), end: day(41), minNights: 1 },
    ]);
    const guest = await register(testApp().app);
    const stay = (checkIn: number, nights: number) => ({
      propertyId: p.id,
      checkIn: day(checkIn),
      checkOut: day(checkIn + nights),
      guests: 1,
    });
    for (const url of ['/v1/bookings/quote', '/v1/bookings']) {
      const short = await post(url, guest, stay(31, 4));
      expect(short.statusCode).toBe(422);
      expect(code(short)).toBe('min_nights');
      expect(short.body).toContain('At least 5 nights after checkIn.');
    }
    // Checking in the night before the range: the place's 3 nights, though the stay runs into it.
    expect((await post('/v1/bookings/quote', guest, stay(29, 3))).statusCode).toBe(200);
    // A night whose override lowers it: one night is enough.
    expect((await post('/v1/bookings', guest, stay(40, 1))).statusCode).toBe(201);
    const place = await post('/v1/bookings/quote', guest, stay(45, 2));
    expect(code(place)).toBe('min_nights');
  });
});

describe.skipIf(!usingPostgres)('bookings racing changes of prices (PostgreSQL)', () => {
  it('a booking waiting for the calendar is priced from the overrides committed before it', async () => {
    const p = await createProperty(testApp().app, host, { timezone: 'UTC', nightlyPrice: 100 });
    const guest = await register(testApp().app);
    const db = testApp().container.database.db;
    let booking: Promise<LightMyRequestResponse> | undefined;
    await db.transaction(async (tx) => {
      // The host's change, holding the calendar's lock as setCalendarPrices does.
      await tx.execute(sql`select id from properties where id = ${p.id} for no key update`);
      await tx.execute(
        sql`insert into property_price_overrides (property_id, start_date, end_date, nightly_price)
            values (${p.id}, ${day(20)}, ${day(22)}, 777)`,
      );
      booking = post('/v1/bookings', guest, { propertyId: p.id, checkIn: day(20), checkOut: day(22), guests: 1 });
      // Until the booking waits for the lock (its price, read before, would be the old one).
      for (let i = 0; i < 200; i++) {
        const waiting = await rowsOf<{ n: number }>(
          db,
          sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
        );
        if (waiting[0]!.n > 0) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('the booking never waited for the calendar lock');
    });
    const res = await booking!;
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Booking>().price.subtotal).toBe(2 * 777);
  });

  it('many changes of prices racing bookings: each booking is priced from one committed state, never a mix', async () => {
    const p = await createProperty(testApp().app, host, { timezone: 'UTC', nightlyPrice: 100 });
    const start = 30;
    // Every state after the first change prices all 24 nights alike, from two ranges written at once.
    const state = (k: number) => [
      { start: day(start), end: day(start + 12), nightlyPrice: 1000 + k },
      { start: day(start + 12), end: day(start + 24), nightlyPrice: 1000 + k },
    ];
    expect((await setPrices(p.id, state(0))).statusCode).toBe(200);
    const guests = await Promise.all(Array.from({ length: 11 }, () => register(testApp().app)));
    // The host's changes one after another, while the bookings arrive spread over them.
    const changes = (async () => {
      const answers = [];
      for (let k = 1; k <= 30; k++) answers.push(await setPrices(p.id, state(k)));
      return answers;
    })();
    // Two-night stays, one straddling the two ranges (a mix of two states would be an odd sum).
    const bookings = guests.map(async (g, i) => {
      await new Promise((r) => setTimeout(r, 150 * i));
      return post('/v1/bookings', g, {
        propertyId: p.id,
        checkIn: day(start + 1 + 2 * i),
        checkOut: day(start + 3 + 2 * i),
        guests: 1,
      });
    });
    const [changed, booked] = await Promise.all([changes, Promise.all(bookings)]);
    expect(changed.map((r) => r.statusCode)).toEqual(changed.map(() => 200));
    expect(booked.map((r) => r.statusCode)).toEqual(booked.map(() => 201));
    for (const res of booked) {
      const { subtotal } = res.json<Booking>().price;
      // Two nights at one state's price: 2 × (1000 + k) with k among the states written.
      expect(subtotal % 2).toBe(0);
      expect(subtotal / 2).toBeGreaterThanOrEqual(1000);
      expect(subtotal / 2).toBeLessThanOrEqual(1030);
    }
    // The bookings met the changes at different points (else nothing raced).
    expect(new Set(booked.map((r) => r.json<Booking>().price.subtotal)).size).toBeGreaterThan(1);
    // Stored as answered.
    const rows = await rowsOf<{ subtotal: number }>(
      testApp().container.database.db,
      sql`select subtotal::int as subtotal from bookings where property_id = ${p.id} order by check_in`,
    );
    expect(rows.map((r) => r.subtotal)).toEqual(booked.map((r) => r.json<Booking>().price.subtotal));
  });
});
