import { beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { register, type Session, useTestApp } from '#test/helpers.js';
import { address, createProperty, ids, search, uniqueCity } from '#test/factories/properties.js';

// Search with dates filters and sorts on the stay's average nightly price (weekend nights
// at the weekend price), rounded half up; without dates on the nightly price.

const testApp = useTestApp();

let host: Session;
const city = uniqueCity();
const placeIds: Record<string, string> = {};

/** The first Thursday at least 10 days after today (UTC), and the day `nights` later. */
function fromThursday(nights: number) {
  let day = DateTime.utc().startOf('day').plus({ days: 10 });
  while (day.weekday !== 4) day = day.plus({ days: 1 });
  return { checkIn: day.toISODate(), checkOut: day.plus({ days: nights }).toISODate() };
}

beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
  const make = async (name: string, nightlyPrice: number, weekendPrice: number | null) => {
    placeIds[name] = (
      await createProperty(testApp().app, host, { address: address(city), nightlyPrice, weekendPrice, timezone: 'UTC' })
    ).id;
  };
  await make('pricyWeekends', 100, 300);
  await make('flat', 150, null);
  await make('cheapWeekends', 200, 100);
});

const names = (rows: { id: string }[]) => ids(rows).map((id) => Object.keys(placeIds).find((k) => placeIds[k] === id));

describe('search by price with dates', () => {
  it('without dates: the nightly price', async () => {
    const { body } = await search(testApp().app, { city, sort: 'price_asc' });
    expect(names(body.data)).toEqual(['pricyWeekends', 'flat', 'cheapWeekends']);
    const filtered = await search(testApp().app, { city, sort: 'price_asc', maxPrice: 150 });
    expect(names(filtered.body.data)).toEqual(['pricyWeekends', 'flat']);
  });

  it('with dates: the average of the nights (Thu, Fri, Sat: 233, 150, 133), in both orders and through pages', async () => {
    const stay = fromThursday(3);
    const asc = await search(testApp().app, { city, sort: 'price_asc', ...stay });
    expect(names(asc.body.data)).toEqual(['cheapWeekends', 'flat', 'pricyWeekends']);
    const desc = await search(testApp().app, { city, sort: 'price_desc', ...stay });
    expect(names(desc.body.data)).toEqual(['pricyWeekends', 'flat', 'cheapWeekends']);

    const first = await search(testApp().app, { city, sort: 'price_asc', limit: 2, ...stay });
    expect(names(first.body.data)).toEqual(['cheapWeekends', 'flat']);
    const next = await search(testApp().app, {
      city,
      sort: 'price_asc',
      limit: 2,
      cursor: first.body.page.nextCursor!,
      ...stay,
    });
    expect(names(next.body.data)).toEqual(['pricyWeekends']);
  });

  it('with dates: minPrice and maxPrice bound the average, rounded half up', async () => {
    const stay = fromThursday(3);
    // 700 / 3 = 233.33 → 233; 400 / 3 = 133.33 → 133.
    const mid = await search(testApp().app, { city, sort: 'price_asc', minPrice: 134, maxPrice: 233, ...stay });
    expect(names(mid.body.data)).toEqual(['flat', 'pricyWeekends']);
    const low = await search(testApp().app, { city, sort: 'price_asc', maxPrice: 133, ...stay });
    expect(names(low.body.data)).toEqual(['cheapWeekends']);
    // Thu + Fri at 100 + 300 = 400 / 2 = 200; a weekday-only stay is the nightly price.
    const two = fromThursday(2);
    const exact = await search(testApp().app, { city, minPrice: 200, maxPrice: 200, ...two });
    expect(names(exact.body.data).sort()).toEqual(['pricyWeekends']);
  });

  it('half up: 100 + 101 over two nights is 101', async () => {
    const other = uniqueCity();
    const p = await createProperty(testApp().app, host, {
      address: address(other),
      nightlyPrice: 100,
      weekendPrice: 101,
      timezone: 'UTC',
    });
    const stay = fromThursday(2);
    expect(ids((await search(testApp().app, { city: other, maxPrice: 100, ...stay })).body.data)).toEqual([]);
    expect(ids((await search(testApp().app, { city: other, minPrice: 101, ...stay })).body.data)).toEqual([p.id]);
  });
});
