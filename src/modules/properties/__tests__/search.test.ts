import { eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, type Session, useTestApp } from '#test/helpers.js';
import { encodeCursor } from '../../../platform/pagination.js';
import { properties } from '../properties.table.js';
import { address, createProperty, ids, inDays, search } from '#test/factories/properties.js';

/**
 * A small fixed data set; every expectation below is worked out by hand from this table.
 * Distances from the Lisbon centre (38.7223, -9.1393): loft 0.9 km, room 1.6, house 1.7,
 * sintra 22.9, cascais 24.6, setubal 31.0, porto 274.
 */
type Key =
  | 'loft'
  | 'house'
  | 'room'
  | 'cascais'
  | 'sintra'
  | 'setubal'
  | 'porto'
  | 'parisStudio'
  | 'parisAttic'
  | 'berlin'
  | 'madrid';

interface Row {
  city: string;
  country: string;
  lat: number;
  lng: number;
  price: number;
  guests: number;
  type: string;
  amenities: string[];
  title: string;
  description: string;
  /** [ratingSum, ratingCount] */
  rating: [number, number];
  /** Hours after the base instant; equal values make a tie. */
  createdHour: number;
}

const DATA: Record<Key, Row> = {
  loft: {
    city: 'Lisbon',
    country: 'PT',
    lat: 38.7139,
    lng: -9.1394,
    price: 9_000,
    guests: 2,
    type: 'apartment',
    amenities: ['wifi', 'kitchen'],
    title: 'Alfama loft with river view',
    description: 'Tiled walls and a balcony.',
    rating: [9, 2], // 4.50
    createdHour: 1,
  },
  house: {
    city: 'Lisbon',
    country: 'PT',
    lat: 38.7369,
    lng: -9.1427,
    price: 15_000,
    guests: 6,
    type: 'house',
    amenities: ['wifi', 'pool', 'parking'],
    title: 'Garden house near the park',
    description: 'Room for a family.',
    rating: [8, 2], // 4.00
    createdHour: 2,
  },
  room: {
    city: 'Lisbon',
    country: 'PT',
    lat: 38.71,
    lng: -9.13,
    price: 4_000,
    guests: 1,
    type: 'room',
    amenities: ['wifi'],
    title: 'Simple room downtown',
    description: '',
    rating: [0, 0],
    createdHour: 3,
  },
  cascais: {
    city: 'Cascais',
    country: 'PT',
    lat: 38.6979,
    lng: -9.4215,
    price: 30_000,
    guests: 8,
    type: 'villa',
    amenities: ['wifi', 'pool', 'hot_tub'],
    title: 'Ocean villa with a pool',
    description: 'Sea views from every room.',
    rating: [5, 1], // 5.00
    createdHour: 4,
  },
  sintra: {
    city: 'Sintra',
    country: 'PT',
    lat: 38.8029,
    lng: -9.3817,
    price: 12_000,
    guests: 4,
    type: 'cabin',
    amenities: ['fireplace', 'wifi'],
    title: 'Forest cabin',
    description: 'Near the castle.',
    rating: [18, 4], // 4.50, ties with loft
    createdHour: 5,
  },
  setubal: {
    city: 'Setubal',
    country: 'PT',
    lat: 38.5244,
    lng: -8.8882,
    price: 9_000, // ties with loft
    guests: 5,
    type: 'house',
    amenities: ['pool'],
    title: 'Bay house for dolphin watchers',
    description: '',
    rating: [0, 0],
    createdHour: 5, // ties with sintra
  },
  porto: {
    city: 'Porto',
    country: 'PT',
    lat: 41.1579,
    lng: -8.6291,
    price: 7_000,
    guests: 3,
    type: 'apartment',
    amenities: ['wifi', 'kitchen'],
    title: 'Ribeira flat',
    description: 'Port wine cellars across the bridge.',
    rating: [11, 3], // 3.67
    createdHour: 6,
  },
  parisStudio: {
    city: 'Paris',
    country: 'FR',
    lat: 48.8566,
    lng: 2.3522,
    price: 20_000,
    guests: 2,
    type: 'apartment',
    amenities: ['wifi', 'kitchen', 'washer'],
    title: 'Studio near the Louvre',
    description: '',
    rating: [12, 3], // 4.00, ties with house
    createdHour: 7,
  },
  parisAttic: {
    city: 'Paris',
    country: 'FR',
    lat: 48.86,
    lng: 2.34,
    price: 12_000, // ties with sintra
    guests: 2,
    type: 'apartment',
    amenities: ['wifi'],
    title: 'Attic under the roofs',
    description: '',
    rating: [0, 0],
    createdHour: 8,
  },
  berlin: {
    city: 'Berlin',
    country: 'DE',
    lat: 52.52,
    lng: 13.405,
    price: 11_000,
    guests: 4,
    type: 'apartment',
    amenities: ['wifi', 'washer'],
    title: 'Kreuzberg apartment',
    description: 'A balcony over a garden.',
    rating: [2, 1], // 2.00
    createdHour: 9,
  },
  madrid: {
    city: 'Madrid',
    country: 'ES',
    lat: 40.4168,
    lng: -3.7038,
    price: 16_000,
    guests: 7,
    type: 'house',
    amenities: ['pool', 'parking'],
    title: 'Townhouse in Salamanca',
    description: 'A shady garden, and a garden pool.',
    rating: [0, 0],
    createdHour: 10,
  },
};

const BASE = Date.parse('2026-01-05T10:00:00.000Z');
const testApp = useTestApp();
let host: Session;
const id = {} as Record<Key, string>;
let hidden: Record<'draft' | 'unlisted' | 'deleted' | 'faroDraft', string>;
// Blocks on the loft [D+10, D+15) and on the house [D+20, D+25); D is far enough ahead.
const D = 40;

beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
  const other = await register(testApp().app, { role: 'host' });

  for (const [key, row] of Object.entries(DATA) as [Key, Row][]) {
    const p = await createProperty(testApp().app, key === 'berlin' || key === 'madrid' ? other : host, {
      title: row.title,
      description: row.description,
      propertyType: row.type,
      address: address(row.city, row.country),
      latitude: row.lat,
      longitude: row.lng,
      nightlyPrice: row.price,
      maxGuests: row.guests,
      amenities: row.amenities,
    });
    id[key] = p.id;
  }
  // Places that match almost everything but must never be found: not listed, or deleted.
  const lure = {
    title: 'Garden loft with river view',
    description: 'A garden, a pool, a forest cabin.',
    nightlyPrice: 9_000,
    maxGuests: 10,
    amenities: ['wifi', 'pool', 'kitchen'],
  };
  const draft = await createProperty(testApp().app, host, { ...lure, status: 'draft' });
  const unlisted = await createProperty(testApp().app, host, lure);
  await testApp().app.inject({
    method: 'PATCH',
    url: `/v1/properties/${unlisted.id}`,
    headers: host.auth,
    payload: { status: 'unlisted' },
  });
  const deleted = await createProperty(testApp().app, host, lure);
  const faroDraft = await createProperty(testApp().app, host, { ...lure, status: 'draft', address: address('Faro') });

  // No review API yet: ratings and creation times are written directly, before any read.
  const db = testApp().container.database.db;
  for (const [key, row] of Object.entries(DATA) as [Key, Row][]) {
    await db
      .update(properties)
      .set({
        ratingSum: row.rating[0],
        ratingCount: row.rating[1],
        createdAt: new Date(BASE + row.createdHour * 3_600_000),
      })
      .where(eq(properties.id, id[key]));
  }
  // The hidden places are the newest and best rated of all, and among the cheapest.
  await db
    .update(properties)
    .set({ ratingSum: 5, ratingCount: 1, createdAt: new Date(BASE + 100 * 3_600_000) })
    .where(inArray(properties.id, [draft.id, unlisted.id, deleted.id, faroDraft.id]));
  // Deleting through the API also drops any cached page.
  const del = await testApp().app.inject({ method: 'DELETE', url: `/v1/properties/${deleted.id}`, headers: host.auth });
  expect(del.statusCode).toBe(204);
  hidden = { draft: draft.id, unlisted: unlisted.id, deleted: deleted.id, faroDraft: faroDraft.id };

  for (const [key, start, end] of [
    ['loft', D + 10, D + 15],
    ['house', D + 20, D + 25],
  ] as const) {
    const res = await testApp().app.inject({
      method: 'POST',
      url: `/v1/properties/${id[key]}/blocks`,
      headers: host.auth,
      payload: { start: inDays(start), end: inDays(end) },
    });
    expect(res.statusCode).toBe(201);
  }
});

const keysOf = (found: string[]) => found.map((f) => (Object.keys(id) as Key[]).find((k) => id[k] === f) ?? f);

/** Searches and returns the keys of the rows found, in order (one page of up to 100). */
async function find(query: Record<string, string | number>): Promise<string[]> {
  const { res, body } = await search(testApp().app, { limit: 100, ...query });
  expect(res.statusCode, res.body).toBe(200);
  expect(body.page).toEqual({ nextCursor: null, hasMore: false });
  for (const h of Object.values(hidden)) expect(ids(body.data)).not.toContain(h);
  return keysOf(ids(body.data));
}

/** Expected keys in order; an inner list is a tie on price, resolved by id ascending. */
const priceAsc = (expected: (Key | Key[])[]): Key[] =>
  expected.flatMap((k) => (Array.isArray(k) ? tie('asc', ...k) : [k]));

/** Keys that tie on the sort value, in their id order (the tie breaker). */
const tie = (direction: 'asc' | 'desc', ...keys: Key[]): Key[] =>
  keys.slice().sort((a, b) => (id[a] < id[b] ? -1 : 1) * (direction === 'asc' ? 1 : -1));

describe('GET /v1/properties: sorts', () => {
  it('newest first by default (creation time, then id), listed places only', async () => {
    expect(await find({})).toEqual([
      'madrid',
      'berlin',
      'parisAttic',
      'parisStudio',
      'porto',
      ...tie('desc', 'sintra', 'setubal'),
      'cascais',
      'room',
      'house',
      'loft',
    ]);
    expect(await find({ sort: 'newest' })).toEqual(await find({}));
  });

  it('price_asc and price_desc, ties broken by id in the same direction', async () => {
    expect(await find({ sort: 'price_asc' })).toEqual([
      'room',
      'porto',
      ...tie('asc', 'loft', 'setubal'),
      'berlin',
      ...tie('asc', 'sintra', 'parisAttic'),
      'house',
      'madrid',
      'parisStudio',
      'cascais',
    ]);
    expect(await find({ sort: 'price_desc' })).toEqual([
      'cascais',
      'parisStudio',
      'madrid',
      'house',
      ...tie('desc', 'sintra', 'parisAttic'),
      'berlin',
      ...tie('desc', 'loft', 'setubal'),
      'porto',
      'room',
    ]);
  });

  it('rating: best average first, unrated places last', async () => {
    expect(await find({ sort: 'rating' })).toEqual([
      'cascais',
      ...tie('desc', 'loft', 'sintra'),
      ...tie('desc', 'house', 'parisStudio'),
      'porto',
      'berlin',
      ...tie('desc', 'room', 'setubal', 'parisAttic', 'madrid'),
    ]);
    const { body } = await search(testApp().app, { sort: 'rating', limit: 100 });
    const averages = Object.fromEntries(body.data.map((p) => [keysOf([p.id])[0], [p.ratingAverage, p.ratingCount]]));
    expect(averages).toMatchObject({
      cascais: [5, 1],
      loft: [4.5, 2],
      porto: [3.67, 3],
      berlin: [2, 1],
      room: [null, 0],
    });
  });

  it('relevance (the default with q): a match in the title ranks above matches in the description', async () => {
    // house: "garden" in its title; madrid: twice in its description; berlin: once.
    expect(await find({ q: 'garden' })).toEqual(['house', 'madrid', 'berlin']);
    expect(await find({ q: 'garden', sort: 'relevance' })).toEqual(['house', 'madrid', 'berlin']);
    expect(await find({ q: 'garden', sort: 'price_asc' })).toEqual(['berlin', 'house', 'madrid']);
  });
});

describe('GET /v1/properties: filters', () => {
  // Every expectation is written in price_asc order, the sort these searches use.
  it.each<[string, Record<string, string | number>, (Key | Key[])[]]>([
    ['city', { city: 'Lisbon' }, ['room', 'loft', 'house']],
    ['city, ignoring case', { city: 'LISBON' }, ['room', 'loft', 'house']],
    ['city, tolerating a typo (trigram similarity)', { city: 'lisbn' }, ['room', 'loft', 'house']],
    ['city, with spaces around it', { city: '  Porto ' }, ['porto']],
    ['a city with no listed place', { city: 'Faro' }, []],
    ['an unknown city', { city: 'Atlantis' }, []],
    ['country', { country: 'FR' }, ['parisAttic', 'parisStudio']],
    ['country, lower case', { country: 'pt' }, ['room', 'porto', ['loft', 'setubal'], 'sintra', 'house', 'cascais']],
    [
      'a price range, bounds included',
      { minPrice: 9_000, maxPrice: 12_000 },
      [['loft', 'setubal'], 'berlin', ['sintra', 'parisAttic']],
    ],
    ['a minimum price only', { minPrice: 16_000 }, ['madrid', 'parisStudio', 'cascais']],
    ['a maximum price only', { maxPrice: 7_000 }, ['room', 'porto']],
    ['guests', { guests: 6 }, ['house', 'madrid', 'cascais']],
    ['guests, one fewer', { guests: 5 }, ['setubal', 'house', 'madrid', 'cascais']],
    ['propertyType', { propertyType: 'apartment' }, ['porto', 'loft', 'berlin', 'parisAttic', 'parisStudio']],
    ['one amenity', { amenities: 'pool' }, ['setubal', 'house', 'madrid', 'cascais']],
    ['every amenity listed is required', { amenities: 'wifi,pool' }, ['house', 'cascais']],
    ['amenities in any case and spacing', { amenities: ' POOL , wifi' }, ['house', 'cascais']],
    ['an amenity nobody has', { amenities: 'sauna' }, []],
    ['an amenity and a type', { amenities: 'pool', propertyType: 'house' }, ['setubal', 'house', 'madrid']],
    [
      'amenities and a type',
      { amenities: 'wifi,kitchen', propertyType: 'apartment' },
      ['porto', 'loft', 'parisStudio'],
    ],
    // Only the hidden lures are apartments with a pool.
    ['an amenity no listed place of the type has', { amenities: 'pool', propertyType: 'apartment' }, []],
    ['an amenity of another type only', { amenities: 'hot_tub', propertyType: 'house' }, []],
    [
      'a radius of 30 km around Lisbon (Setubal, 31 km, is out)',
      { lat: 38.7223, lng: -9.1393, radiusKm: 30 },
      ['room', 'loft', 'sintra', 'house', 'cascais'],
    ],
    ['a radius of 1.62 km', { lat: 38.7223, lng: -9.1393, radiusKm: 1.62 }, ['room', 'loft']],
    // From the public point: the loft's rounded one is 1.37 km away (its exact one 0.93 km).
    ['a radius of 1.4 km', { lat: 38.7223, lng: -9.1393, radiusKm: 1.4 }, ['loft']],
    ['a radius of 1.3 km', { lat: 38.7223, lng: -9.1393, radiusKm: 1.3 }, []],
    [
      'a radius of 300 km',
      { lat: 38.7223, lng: -9.1393, radiusKm: 300 },
      ['room', 'porto', ['loft', 'setubal'], 'sintra', 'house', 'cascais'],
    ],
    [
      'a radius and a price',
      { lat: 38.7223, lng: -9.1393, radiusKm: 30, minPrice: 10_000 },
      ['sintra', 'house', 'cascais'],
    ],
    ['full text in the title', { q: 'forest cabin' }, ['sintra']],
    ['full text matching the city', { q: 'porto' }, ['porto']],
    ['full text with stemming', { q: 'views' }, ['loft', 'cascais']],
    ['full text with only stop words', { q: 'the' }, []],
    ['full text excluding a word', { q: 'garden -townhouse' }, ['berlin', 'house']],
    ['full text with an exact phrase', { q: '"forest cabin"' }, ['sintra']],
    ['full text with quotes and SQL in it', { q: "garden'); drop table properties; --" }, []],
    ['several filters at once', { country: 'PT', guests: 4, amenities: 'wifi' }, ['sintra', 'house', 'cascais']],
    ['full text and a filter', { q: 'garden', country: 'ES' }, ['madrid']],
  ])('%s', async (_what, query, expected) => {
    expect(await find({ sort: 'price_asc', ...query })).toEqual(priceAsc(expected));
  });

  describe('dates (checkIn + checkOut): places free for the whole stay, end exclusive', () => {
    // loft blocked [D+10, D+15), house blocked [D+20, D+25).
    it.each<[string, number, number, string[]]>([
      ['a stay before any block', D, D + 5, ['room', 'loft', 'house']],
      ['a stay whose check-out is the first blocked day', D + 8, D + 10, ['room', 'loft', 'house']],
      ['a stay whose check-in is the day a block ends', D + 15, D + 18, ['room', 'loft', 'house']],
      ['a stay overlapping the end of a block by one night', D + 14, D + 16, ['room', 'house']],
      ['a stay overlapping the start of a block by one night', D + 9, D + 11, ['room', 'house']],
      ['a stay inside a block', D + 11, D + 12, ['room', 'house']],
      ['a stay covering a block', D + 5, D + 20, ['room', 'house']],
      ['a stay overlapping both blocks', D + 12, D + 22, ['room']],
    ])('%s', async (_what, checkIn, checkOut, expected) => {
      expect(
        await find({ city: 'Lisbon', sort: 'price_asc', checkIn: inDays(checkIn), checkOut: inDays(checkOut) }),
      ).toEqual(expected);
    });
  });
});

describe('GET /v1/properties: pages and validation', () => {
  it('answers { data, page } and walks pages with the cursor', async () => {
    const all = await find({ sort: 'price_desc' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { res, body } = await search(testApp().app, {
        sort: 'price_desc',
        limit: 4,
        ...(cursor ? { cursor } : {}),
      });
      expect(Object.keys(body).sort()).toEqual(['data', 'page']);
      expect(res.headers['cache-control']).toBe('public, max-age=15');
      expect(body.data.length).toBeLessThanOrEqual(4);
      seen.push(...keysOf(ids(body.data)));
      expect(body.page.hasMore).toBe(body.page.nextCursor !== null);
      cursor = body.page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
  });

  it.each<[string, Record<string, string | number>, string]>([
    ['limit above 100', { limit: 101 }, 'limit'],
    ['limit 0', { limit: 0 }, 'limit'],
    ['a fractional limit', { limit: 2.5 }, 'limit'],
    ['checkIn without checkOut', { checkIn: '2030-01-10' }, 'checkOut'],
    ['checkOut without checkIn', { checkOut: '2030-01-10' }, 'checkIn'],
    ['checkOut on checkIn', { checkIn: '2030-01-10', checkOut: '2030-01-10' }, 'checkOut'],
    ['checkOut before checkIn', { checkIn: '2030-01-10', checkOut: '2030-01-09' }, 'checkOut'],
    ['an impossible date', { checkIn: '2030-02-30', checkOut: '2030-03-02' }, 'checkIn'],
    ['relevance without q', { sort: 'relevance' }, 'sort'],
    ['an unknown sort', { sort: 'cheapest' }, 'sort'],
    ['minPrice above maxPrice', { minPrice: 200, maxPrice: 100 }, 'maxPrice'],
    ['a negative price', { minPrice: -1 }, 'minPrice'],
    ['a price that is not an integer', { maxPrice: 10.5 }, 'maxPrice'],
    ['lat and lng without a radius', { lat: 38.7, lng: -9.1 }, 'radiusKm'],
    ['a radius of 0', { lat: 38.7, lng: -9.1, radiusKm: 0 }, 'radiusKm'],
    ['a latitude off the globe', { lat: 91, lng: 0, radiusKm: 5 }, 'lat'],
    ['an unknown country', { country: 'ZZ' }, 'country'],
    ['a malformed country', { country: 'PRT' }, 'country'],
    ['an unknown property type', { propertyType: 'castle' }, 'propertyType'],
    ['an amenity that is not a slug', { amenities: 'wifi,hot tub!' }, 'amenities.1'],
    ['guests 0', { guests: 0 }, 'guests'],
  ])('rejects %s with 422', async (_what, query, path) => {
    const { res } = await search(testApp().app, query);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('rejects a cursor from another sort, and a forged one, with 422 invalid_cursor', async () => {
    const { body } = await search(testApp().app, { sort: 'price_asc', limit: 2 });
    const cursor = body.page.nextCursor!;
    expect(cursor).toBeTruthy();
    for (const query of [
      { sort: 'price_desc', cursor },
      { sort: 'newest', cursor },
      { cursor }, // the default sort is newest
      { q: 'garden', cursor },
      { sort: 'price_asc', cursor: 'not-a-cursor' },
      { sort: 'price_asc', cursor: encodeCursor(['price_asc', 100]) },
      { sort: 'price_asc', cursor: encodeCursor(['price_asc', 100, 'not-a-uuid']) },
    ] as Record<string, string>[]) {
      const { res } = await search(testApp().app, query);
      expect(res.statusCode, JSON.stringify(query)).toBe(422);
      expect(res.json()).toMatchObject({ code: 'invalid_cursor', errors: [{ path: 'cursor' }] });
    }
    // The same cursor with its own sort continues.
    const { res } = await search(testApp().app, { sort: 'price_asc', limit: 2, cursor });
    expect(res.statusCode).toBe(200);
  });
});
