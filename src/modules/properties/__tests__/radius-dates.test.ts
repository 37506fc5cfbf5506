import { inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, useTestApp } from '#test/helpers.js';
import { ids, inDays, search } from '#test/factories/properties.js';
import { properties, propertyCalendar } from '../properties.table.js';

/**
 * Radius with dates orders the places of the circle first and checks the calendar after,
 * in page order. Walked page by page under every sort, with ties on every sort key, it must
 * give exactly the places inside the circle that are listed and free for the whole stay, in
 * the order the sort defines, whatever the page size; the calendar's edge cases (a range
 * ending on check-in, one starting on check-out, a released range, one overlapping by a
 * night) and the circle's (a place in the corner of its box) included.
 */
const testApp = useTestApp();

// A spot in the South Atlantic that no other place of the test database is near.
const CENTER = { lat: -45 + Math.random(), lng: -30 + Math.random() };
const RADIUS_KM = 20;
const BASE = Date.parse('2026-03-01T08:00:00.000Z');
const TERM = 'lighthouse';
const STAY = { checkIn: inDays(40), checkOut: inDays(45) };
const SORTS = ['newest', 'price_asc', 'price_desc', 'rating', 'relevance'] as const;
type Sort = (typeof SORTS)[number];

interface Spec {
  /** Kilometres north and east of the centre. */
  at: [number, number];
  price: number;
  rating: [number, number];
  createdSecond: number;
  title: string;
  status?: 'listed' | 'draft';
  /** [start, end) in days from today; `released` ranges free their dates. */
  ranges?: { start: number; end: number; released?: boolean }[];
}

const SPECS: Spec[] = [
  { at: [0, 0], price: 2_000, rating: [9, 2], createdSecond: 1, title: `A ${TERM} keeper's cottage` },
  { at: [1, 1], price: 2_000, rating: [9, 2], createdSecond: 1, title: 'A cottage by the sea' },
  { at: [-3, 2], price: 1_000, rating: [0, 0], createdSecond: 2, title: `Under the ${TERM}` },
  { at: [5, -5], price: 3_000, rating: [4, 1], createdSecond: 0, title: 'A cottage by the sea' },
  // Free: a range ending on check-in, one starting on check-out, a released one inside the stay.
  {
    at: [2, -1],
    price: 1_000,
    rating: [5, 1],
    createdSecond: 2,
    title: `${TERM} view`,
    ranges: [
      { start: 35, end: 40 },
      { start: 45, end: 50 },
      { start: 41, end: 43, released: true },
    ],
  },
  // Taken: one night overlapping either end, or a range inside the stay.
  { at: [0, 3], price: 500, rating: [5, 1], createdSecond: 3, title: `${TERM}`, ranges: [{ start: 44, end: 46 }] },
  { at: [-2, 0], price: 4_000, rating: [0, 0], createdSecond: 3, title: 'A cottage', ranges: [{ start: 39, end: 41 }] },
  { at: [3, 3], price: 2_000, rating: [9, 2], createdSecond: 1, title: `${TERM}`, ranges: [{ start: 42, end: 43 }] },
  // Hidden: a draft, and a place in the corner of the box but outside the circle (28 km).
  { at: [1, 0], price: 100, rating: [5, 1], createdSecond: 9, title: `${TERM}`, status: 'draft' },
  { at: [19.8, 19.8], price: 100, rating: [5, 1], createdSecond: 9, title: `${TERM}` },
  { at: [13.5, 13.5], price: 2_000, rating: [0, 0], createdSecond: 1, title: `${TERM} rooms` },
  { at: [-10, 12], price: 3_000, rating: [9, 2], createdSecond: 0, title: 'A cottage by the sea' },
];

interface Row {
  id: string;
  free: boolean;
  visible: boolean;
  inside: boolean;
  price: number;
  rating: number;
  createdAt: number;
  rank: number | null;
}
let rows: Row[];

const KM_PER_DEGREE = 111.195;
// On the 2-decimal grid: radius search measures from the rounded, public point, and a
// place's own point is then that point (it moves each place by at most ~0.6 km).
const grid = (degrees: number) => Math.round(degrees * 100) / 100;
const position = ([north, east]: [number, number]) => ({
  latitude: grid(CENTER.lat + north / KM_PER_DEGREE),
  longitude: grid(CENTER.lng + east / (KM_PER_DEGREE * Math.cos((CENTER.lat * Math.PI) / 180))),
});

beforeAll(async () => {
  const host = await register(testApp().app, { role: 'host' });
  const db = testApp().container.database.db;
  const inserted = await db
    .insert(properties)
    .values(
      SPECS.map((s) => ({
        hostId: host.user.id,
        title: s.title,
        description: 'Wind and waves.',
        propertyType: 'house' as const,
        addressLine1: '1 Cliff Road',
        city: 'Farpoint',
        country: 'FK',
        ...position(s.at),
        timezone: 'Atlantic/Stanley',
        currency: 'GBP',
        nightlyPrice: s.price,
        maxGuests: 4,
        status: s.status ?? 'listed',
        ratingSum: s.rating[0],
        ratingCount: s.rating[1],
        createdAt: new Date(BASE + s.createdSecond * 1000),
      })),
    )
    .returning({ id: properties.id, ratingAverage: properties.ratingAverage });
  const ranges = SPECS.flatMap((s, i) =>
    (s.ranges ?? []).map((r) => ({
      propertyId: inserted[i]!.id,
      kind: 'block' as const,
      start: inDays(r.start),
      end: inDays(r.end),
      releasedAt: r.released ? new Date() : null,
    })),
  );
  await db.insert(propertyCalendar).values(ranges);
  const ranks = await db
    .select({
      id: properties.id,
      rank: sql<number>`ts_rank(${properties.searchVector}, websearch_to_tsquery('english', ${TERM}))`,
      matches: sql<boolean>`${properties.searchVector} @@ websearch_to_tsquery('english', ${TERM})`,
    })
    .from(properties)
    .where(
      inArray(
        properties.id,
        inserted.map((r) => r.id),
      ),
    );
  rows = SPECS.map((s, i) => {
    const r = ranks.find((x) => x.id === inserted[i]!.id)!;
    return {
      id: inserted[i]!.id,
      free: !(s.ranges ?? []).some((x) => !x.released && x.start < 45 && x.end > 40),
      visible: (s.status ?? 'listed') === 'listed',
      inside: Math.hypot(...s.at) < RADIUS_KM,
      price: s.price,
      rating: inserted[i]!.ratingAverage === null ? -1 : Number(inserted[i]!.ratingAverage),
      createdAt: BASE + s.createdSecond * 1000,
      rank: r.matches ? Number(r.rank) : null,
    };
  });
});

const byId = (a: Row, b: Row) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function expected(sort: Sort): string[] {
  const found = rows.filter((r) => r.free && r.visible && r.inside);
  switch (sort) {
    case 'newest':
      return ids(found.sort((a, b) => b.createdAt - a.createdAt || byId(b, a)));
    case 'price_asc':
      return ids(found.sort((a, b) => a.price - b.price || byId(a, b)));
    case 'price_desc':
      return ids(found.sort((a, b) => b.price - a.price || byId(b, a)));
    case 'rating':
      return ids(found.sort((a, b) => b.rating - a.rating || byId(b, a)));
    case 'relevance':
      return ids(found.filter((r) => r.rank !== null).sort((a, b) => b.rank! - a.rank! || byId(b, a)));
  }
}

async function walk(sort: Sort, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page <= SPECS.length; page++) {
    const { res, body } = await search(testApp().app, {
      lat: CENTER.lat,
      lng: CENTER.lng,
      radiusKm: RADIUS_KM,
      ...STAY,
      sort,
      limit,
      ...(sort === 'relevance' ? { q: TERM } : {}),
      ...(cursor ? { cursor } : {}),
    });
    expect(res.statusCode, res.body).toBe(200);
    if (body.page.hasMore) expect(body.data).toHaveLength(limit);
    seen.push(...ids(body.data));
    cursor = body.page.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error(`more pages than places for ${sort}`);
}

describe('radius with dates', () => {
  it('the data covers what it means to: places free, taken, hidden and outside', () => {
    expect(rows.filter((r) => r.inside && r.visible && r.free)).toHaveLength(7);
    expect(rows.filter((r) => r.inside && r.visible && !r.free)).toHaveLength(3);
    expect(rows.filter((r) => !r.inside)).toHaveLength(1);
  });

  it.each(SORTS.flatMap((sort) => [1, 2, 3, 20].map((limit): [Sort, number] => [sort, limit])))(
    'sort %s, %i a page: every free place in the circle once, in sort order',
    async (sort, limit) => {
      expect(await walk(sort, limit)).toEqual(expected(sort));
    },
  );

  it('without dates the taken places are found too', async () => {
    const { body } = await search(testApp().app, {
      lat: CENTER.lat,
      lng: CENTER.lng,
      radiusKm: RADIUS_KM,
      sort: 'price_asc',
    });
    expect(ids(body.data)).toEqual(
      ids(rows.filter((r) => r.visible && r.inside).sort((a, b) => a.price - b.price || byId(a, b))),
    );
  });
});
