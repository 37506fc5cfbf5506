import { beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { register, type Session, useTestApp } from '#test/helpers.js';
import { address, createProperty, ids, search, uniqueCity } from '#test/factories/properties.js';
import type { Quote } from '../../bookings/bookings.schemas.js';

// Dated search and quotes price each night from the host's prices by date: the stay's
// average nightly price (search) and its nights (quote) include the overrides.

const testApp = useTestApp();

let host: Session;
const city = uniqueCity();
const placeIds: Record<string, string> = {};

/** The first Thursday at least `days` after today (UTC), and the day `nights` later. */
function fromThursday(nights: number, days = 10) {
  let day = DateTime.utc().startOf('day').plus({ days });
  while (day.weekday !== 4) day = day.plus({ days: 1 });
  return { checkIn: day.toISODate(), checkOut: day.plus({ days: nights }).toISODate() };
}
const plus = (date: string, days: number) => DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;

const names = (rows: { id: string }[]) => ids(rows).map((id) => Object.keys(placeIds).find((k) => placeIds[k] === id));
const setPrices = async (id: string, ranges: unknown[]) => {
  const res = await testApp().app.inject({
    method: 'PUT',
    url: `/v1/properties/${id}/calendar/prices`,
    headers: host.auth,
    payload: { ranges } as object,
  });
  expect(res.statusCode, res.body).toBe(200);
};

beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
  const make = async (name: string, nightlyPrice: number, weekendPrice: number | null) => {
    placeIds[name] = (
      await createProperty(testApp().app, host, { address: address(city), nightlyPrice, weekendPrice, timezone: 'UTC' })
    ).id;
  };
  await make('a', 100, null);
  await make('b', 150, null);
  await make('c', 200, 120);
});

describe('search with dates and prices by date', () => {
  it('an override changes the order and the price filters; without dates the nightly price still rules', async () => {
    const stay = fromThursday(3); // Thu, Fri, Sat
    // Before: a 100, b 150, c (200 + 120 + 120) / 3 = 146.67 → 147.
    const before = await search(testApp().app, { city, sort: 'price_asc', ...stay });
    expect(names(before.body.data)).toEqual(['a', 'c', 'b']);

    // a's Thursday and Friday at 400: (400 + 400 + 100) / 3 = 300. An override on a night
    // outside the stay changes nothing; one setting only minNights does not price.
    await setPrices(placeIds.a!, [
      { start: stay.checkIn, end: plus(stay.checkIn, 2), nightlyPrice: 400 },
      { start: plus(stay.checkIn, 2), end: plus(stay.checkIn, 3), minNights: 1 },
      { start: plus(stay.checkIn, 3), end: plus(stay.checkIn, 10), nightlyPrice: 1 },
    ]);
    // c's Saturday at 30 (an override on a weekend night replaces the weekend price): (200 + 120 + 30) / 3 = 116.67 → 117.
    await setPrices(placeIds.c!, [{ start: plus(stay.checkIn, 2), end: plus(stay.checkIn, 3), nightlyPrice: 30 }]);

    const asc = await search(testApp().app, { city, sort: 'price_asc', ...stay });
    expect(names(asc.body.data)).toEqual(['c', 'b', 'a']);
    const desc = await search(testApp().app, { city, sort: 'price_desc', ...stay });
    expect(names(desc.body.data)).toEqual(['a', 'b', 'c']);
    const exact = await search(testApp().app, { city, minPrice: 300, maxPrice: 300, ...stay });
    expect(names(exact.body.data)).toEqual(['a']);
    const cheap = await search(testApp().app, { city, maxPrice: 117, ...stay });
    expect(names(cheap.body.data)).toEqual(['c']);
    const mid = await search(testApp().app, { city, minPrice: 118, maxPrice: 299, ...stay });
    expect(names(mid.body.data)).toEqual(['b']);

    // Through pages: the cursor carries the average.
    const first = await search(testApp().app, { city, sort: 'price_asc', limit: 2, ...stay });
    const next = await search(testApp().app, {
      city,
      sort: 'price_asc',
      limit: 2,
      cursor: first.body.page.nextCursor!,
      ...stay,
    });
    expect([...names(first.body.data), ...names(next.body.data)]).toEqual(['c', 'b', 'a']);

    // A place taken for a night of the stay drops out of the price-sorted page (the
    // calendar is probed after sorting), and from the price-filtered one.
    const block = await testApp().app.inject({
      method: 'POST',
      url: `/v1/properties/${placeIds.b}/blocks`,
      headers: host.auth,
      payload: { start: plus(stay.checkIn, 1), end: plus(stay.checkIn, 2) },
    });
    expect(block.statusCode).toBe(201);
    expect(names((await search(testApp().app, { city, sort: 'price_desc', ...stay })).body.data)).toEqual(['a', 'c']);
    expect(names((await search(testApp().app, { city, minPrice: 118, ...stay })).body.data)).toEqual(['a']);
    await testApp().app.inject({
      method: 'DELETE',
      url: `/v1/properties/${placeIds.b}/blocks/${block.json<{ id: string }>().id}`,
      headers: host.auth,
    });

    // Without dates: the nightly price.
    const undated = await search(testApp().app, { city, sort: 'price_asc' });
    expect(names(undated.body.data)).toEqual(['a', 'b', 'c']);

    // The quote of each place's stay averages to what search sorted on.
    for (const [name, average] of [
      ['a', 300],
      ['b', 150],
      ['c', 117],
    ] as const) {
      const q = await testApp().app.inject({
        method: 'POST',
        url: '/v1/bookings/quote',
        payload: { propertyId: placeIds[name], ...stay, guests: 1 },
      });
      expect(q.statusCode, q.body).toBe(200);
      const { subtotal } = q.json<Quote>().price;
      expect(Math.floor((subtotal * 2 + 3) / 6)).toBe(average);
    }
  });

  it('a long stay across several overrides and weekends averages every night', async () => {
    const other = uniqueCity();
    const p = await createProperty(testApp().app, host, {
      address: address(other),
      nightlyPrice: 100,
      weekendPrice: 200,
      timezone: 'UTC',
    });
    const stay = fromThursday(17, 20); // Thu … Sun: 17 nights, 6 of them Friday or Saturday
    await setPrices(p.id, [
      { start: plus(stay.checkIn, 1), end: plus(stay.checkIn, 3), nightlyPrice: 1000 }, // Fri, Sat
      { start: plus(stay.checkIn, 5), end: plus(stay.checkIn, 10), nightlyPrice: 50 }, // Tue … Sat
    ]);
    const q = await testApp().app.inject({
      method: 'POST',
      url: '/v1/bookings/quote',
      payload: { propertyId: p.id, ...stay, guests: 1 },
    });
    const quoted = q.json<Quote>().price;
    const sum = quoted.nights!.reduce((s, n) => s + n.price, 0);
    expect(quoted.subtotal).toBe(sum);
    // Thu 100, Fri and Sat 1000 (overrides beat the weekend price), Sun and Mon 100, Tue to
    // Sat 50, Sun to Thu 100, then Fri and Sat at the weekend price.
    expect(quoted.nights!.map((n) => n.price)).toEqual([
      100, 1000, 1000, 100, 100, 50, 50, 50, 50, 50, 100, 100, 100, 100, 100, 200, 200,
    ]);
    const average = Math.floor((sum * 2 + 17) / 34);
    const hit = await search(testApp().app, { city: other, minPrice: average, maxPrice: average, ...stay });
    expect(ids(hit.body.data)).toEqual([p.id]);
    const miss = await search(testApp().app, { city: other, minPrice: average + 1, ...stay });
    expect(ids(miss.body.data)).toEqual([]);
  });
});
