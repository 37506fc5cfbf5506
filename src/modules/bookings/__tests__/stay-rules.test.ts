import { beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { DateTime } from 'luxon';
import { graphql, register, type Session, useTestApp } from '#test/helpers.js';
import { createProperty, propertyInput } from '#test/factories/properties.js';
import type { Property } from '../../properties/index.js';
import type { Booking } from '../index.js';
import type { Quote } from '../bookings.schemas.js';

// A place's stay rules (weekend price, minimum and maximum nights) and the per-night price
// of a stay, over REST and GraphQL on the real app.

const testApp = useTestApp();

let host: Session;

beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
});

const post = (url: string, session: Session | undefined, payload: unknown) =>
  testApp().app.inject({ method: 'POST', url, headers: session?.auth ?? {}, payload: payload as object });
const patch = (url: string, session: Session, payload: unknown) =>
  testApp().app.inject({ method: 'PATCH', url, headers: session.auth, payload: payload as object });
const code = (res: LightMyRequestResponse) => res.json<{ code: string }>().code;
const fieldErrors = (res: LightMyRequestResponse) => res.json<{ errors: { path: string }[] }>().errors;

/** The first Thursday at least 10 days after today (Lisbon), and the day `nights` later. */
function fromThursday(nights: number) {
  let day = DateTime.now().setZone('Europe/Lisbon').startOf('day').plus({ days: 10 });
  while (day.weekday !== 4) day = day.plus({ days: 1 });
  return { checkIn: day.toISODate()!, checkOut: day.plus({ days: nights }).toISODate()! };
}

describe('stay rules on a place', () => {
  it('defaults: no weekend price, 1 to 90 nights', async () => {
    const p = await createProperty(testApp().app, host);
    expect(p).toMatchObject({ weekendPrice: null, minNights: 1, maxNights: 90 });
  });

  it('are stored on create and changed on update; null clears the weekend price', async () => {
    const p = await createProperty(testApp().app, host, { weekendPrice: 15_000, minNights: 2, maxNights: 30 });
    expect(p).toMatchObject({ weekendPrice: 15_000, minNights: 2, maxNights: 30 });
    const got = await testApp().app.inject({ url: `/v1/properties/${p.id}` });
    expect(got.json<Property>()).toMatchObject({ weekendPrice: 15_000, minNights: 2, maxNights: 30 });

    const res = await patch(`/v1/properties/${p.id}`, host, { weekendPrice: null, minNights: 3 });
    expect(res.statusCode).toBe(200);
    expect(res.json<Property>()).toMatchObject({ weekendPrice: null, minNights: 3, maxNights: 30 });
  });

  it.each([
    ['maxNights below minNights', { minNights: 5, maxNights: 4 }, 'maxNights'],
    ['minNights 0', { minNights: 0 }, 'minNights'],
    ['minNights over 365', { minNights: 366 }, 'minNights'],
    ['maxNights over 730', { maxNights: 731 }, 'maxNights'],
    ['a weekend price of 0', { weekendPrice: 0 }, 'weekendPrice'],
    ['a fractional weekend price', { weekendPrice: 10.5 }, 'weekendPrice'],
  ])('422 on create: %s', async (_name, fields, path) => {
    const res = await post('/v1/properties', host, propertyInput(fields));
    expect(res.statusCode).toBe(422);
    expect(code(res)).toBe('validation_failed');
    expect(fieldErrors(res).map((e) => e.path)).toContain(path);
  });

  it('422 on an update that would put maxNights below minNights (either side, against the stored other)', async () => {
    const p = await createProperty(testApp().app, host, { minNights: 2, maxNights: 10 });
    for (const body of [{ minNights: 11 }, { maxNights: 1 }, { minNights: 6, maxNights: 5 }]) {
      const res = await patch(`/v1/properties/${p.id}`, host, body);
      expect(res.statusCode).toBe(422);
      expect(code(res)).toBe('validation_failed');
      expect(fieldErrors(res).map((e) => e.path)).toContain('maxNights');
    }
    const same = await patch(`/v1/properties/${p.id}`, host, { minNights: 10 });
    expect(same.json<Property>()).toMatchObject({ minNights: 10, maxNights: 10 });
  });
});

describe('the price of a stay, night by night', () => {
  it('Friday and Saturday nights at the weekend price; the booking is priced as the quote', async () => {
    const p = await createProperty(testApp().app, host, {
      nightlyPrice: 10_000,
      weekendPrice: 14_000,
      cleaningFee: 2_000,
      weeklyDiscountPercent: 10,
    });
    const guest = await register(testApp().app);
    const dates = fromThursday(7); // Thu … Wed: 5 weekday nights, Friday and Saturday.
    const q = await post('/v1/bookings/quote', guest, { propertyId: p.id, ...dates, guests: 1 });
    expect(q.statusCode).toBe(200);
    const { price } = q.json<Quote>();
    const first = DateTime.fromISO(dates.checkIn);
    expect(price.nights).toEqual(
      [10_000, 14_000, 14_000, 10_000, 10_000, 10_000, 10_000].map((amount, i) => ({
        date: first.plus({ days: i }).toISODate(),
        price: amount,
      })),
    );
    // 78,000 − 10 % (7,800) + 2,000 = 72,200; service fee 12 % = 8,664.
    expect(price).toMatchObject({
      nightly: 10_000,
      subtotal: 78_000,
      discount: 7_800,
      cleaningFee: 2_000,
      serviceFee: 8_664,
      total: 80_864,
    });

    const b = await post('/v1/bookings', guest, { propertyId: p.id, ...dates, guests: 1 });
    expect(b.statusCode).toBe(201);
    expect(b.json<Booking>().price).toEqual({
      nightly: 10_000,
      subtotal: 78_000,
      discount: 7_800,
      cleaningFee: 2_000,
      serviceFee: 8_664,
      total: 80_864,
      nights: null,
    });
  });

  it('422 min_nights / max_nights from the place’s rules, on quotes and bookings', async () => {
    const p = await createProperty(testApp().app, host, { minNights: 3, maxNights: 5 });
    const guest = await register(testApp().app);
    for (const url of ['/v1/bookings/quote', '/v1/bookings']) {
      const short = await post(url, guest, { propertyId: p.id, ...fromThursday(2), guests: 1 });
      expect(short.statusCode).toBe(422);
      expect(code(short)).toBe('min_nights');
      expect(fieldErrors(short).map((e) => e.path)).toEqual(['checkOut']);
      const long = await post(url, guest, { propertyId: p.id, ...fromThursday(6), guests: 1 });
      expect(long.statusCode).toBe(422);
      expect(code(long)).toBe('max_nights');
    }
    const ok = await post('/v1/bookings', guest, { propertyId: p.id, ...fromThursday(3), guests: 1 });
    expect(ok.statusCode).toBe(201);
  });

  it('GraphQL: the place’s rules, the nights of a quote, and min_nights as a user-input error', async () => {
    const p = await createProperty(testApp().app, host, { nightlyPrice: 100, weekendPrice: 150, minNights: 2 });
    const read = await graphql(
      testApp().app,
      'query ($id: ID!) { property(id: $id) { weekendPrice minNights maxNights } }',
      {
        id: p.id,
      },
    );
    expect(read.body.data!.property).toEqual({ weekendPrice: 150, minNights: 2, maxNights: 90 });

    const QUOTE = 'query ($input: QuoteInput!) { quote(input: $input) { price { subtotal nights { date price } } } }';
    const dates = fromThursday(2);
    const q = await graphql(testApp().app, QUOTE, { input: { propertyId: p.id, ...dates, guests: 1 } });
    expect(q.body.data!.quote).toEqual({
      price: {
        subtotal: 250,
        nights: [
          { date: dates.checkIn, price: 100 },
          { date: DateTime.fromISO(dates.checkIn).plus({ days: 1 }).toISODate(), price: 150 },
        ],
      },
    });
    const short = await graphql(testApp().app, QUOTE, { input: { propertyId: p.id, ...fromThursday(1), guests: 1 } });
    expect(short.body.errors![0]!.extensions).toMatchObject({ reason: 'min_nights' });

    const UPDATE =
      'mutation ($id: ID!, $input: UpdatePropertyInput!) { updateProperty(id: $id, input: $input) { weekendPrice minNights maxNights } }';
    const u = await graphql(
      testApp().app,
      UPDATE,
      { id: p.id, input: { weekendPrice: null, maxNights: 20 } },
      host.auth,
    );
    expect(u.body.data!.updateProperty).toEqual({ weekendPrice: null, minNights: 2, maxNights: 20 });
  });
});
