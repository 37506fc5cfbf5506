import { inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, type Session, useTestApp } from '#test/helpers.js';
import { properties } from '../properties.table.js';
import { ids, search, uniqueCity } from '#test/factories/properties.js';

/**
 * Keyset pages under every sort, on random data full of ties: walking a search page by
 * page with small limits must visit every matching row exactly once, in the order the
 * sort defines (its key, then id in the same direction).
 */
const testApp = useTestApp();
let host: Session;

beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
});

const TERM = 'lantern';
const SORTS = ['newest', 'price_asc', 'price_desc', 'rating', 'relevance'] as const;
type Sort = (typeof SORTS)[number];
const BASE = Date.parse('2026-03-01T08:00:00.000Z');

/** Where the search term appears: each variant ranks differently, equal variants tie. */
const TEXTS = {
  title: { title: `A ${TERM} by the door`, description: 'Quiet street.' },
  description: { title: 'A house by the door', description: `There is a ${TERM} outside.` },
  twice: { title: 'A house by the door', description: `One ${TERM} inside and one ${TERM} outside.` },
  both: { title: `A ${TERM} by the door`, description: `The ${TERM} is lit at night.` },
  none: { title: 'A house by the door', description: 'Nothing to see.' },
} as const;

const rowArb = fc.record({
  price: fc.constantFrom<number>(1_000, 2_000, 2_000, 3_000, 5_000),
  rating: fc
    .integer({ min: 0, max: 2 })
    .chain((count) => fc.integer({ min: count, max: 5 * count }).map((sum): [number, number] => [sum, count])),
  // A handful of instants, so creation times tie too.
  createdSecond: fc.integer({ min: 0, max: 3 }),
  text: fc.constantFrom(...(Object.keys(TEXTS) as (keyof typeof TEXTS)[])),
  status: fc.constantFrom('listed', 'listed', 'listed', 'listed', 'draft', 'unlisted'),
  deleted: fc.constantFrom(false, false, false, true),
});
type RowSpec = typeof rowArb extends fc.Arbitrary<infer R> ? R : never;

const limitsArb = fc.record(
  Object.fromEntries(SORTS.map((s) => [s, fc.integer({ min: 1, max: 5 })])) as {
    [S in Sort]: fc.Arbitrary<number>;
  },
);

interface Inserted {
  id: string;
  price: number;
  ratingAverage: number | null;
  createdAt: number;
  visible: boolean;
  rank: number;
}

async function insertBatch(city: string, specs: RowSpec[]): Promise<Inserted[]> {
  if (specs.length === 0) return [];
  const db = testApp().container.database.db;
  const rows = await db
    .insert(properties)
    .values(
      specs.map((s) => ({
        hostId: host.user.id,
        ...TEXTS[s.text],
        propertyType: 'apartment' as const,
        addressLine1: '1 Walk Street',
        city,
        country: 'PT',
        latitude: 38.7,
        longitude: -9.1,
        timezone: 'Europe/Lisbon',
        currency: 'EUR',
        nightlyPrice: s.price,
        maxGuests: 2,
        status: s.status,
        ratingSum: s.rating[0],
        ratingCount: s.rating[1],
        createdAt: new Date(BASE + s.createdSecond * 1000),
        deletedAt: s.deleted ? new Date() : null,
      })),
    )
    .returning({
      id: properties.id,
      ratingAverage: properties.ratingAverage,
      createdAt: properties.createdAt,
      status: properties.status,
      deletedAt: properties.deletedAt,
      price: properties.nightlyPrice,
    });
  // The database's own rank of each row for the term, to order the relevance walk.
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
        rows.map((r) => r.id),
      ),
    );
  const rankOf = new Map(ranks.map((r) => [r.id, r.matches ? Number(r.rank) : -1]));
  return rows.map((r) => ({
    id: r.id,
    price: r.price,
    ratingAverage: r.ratingAverage === null ? null : Number(r.ratingAverage),
    createdAt: r.createdAt.getTime(),
    visible: r.status === 'listed' && r.deletedAt === null,
    rank: rankOf.get(r.id)!,
  }));
}

const byId = (a: Inserted, b: Inserted) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The order each sort defines, computed here from the data. */
function expectedOrder(rows: Inserted[], sort: Sort): string[] {
  const visible = rows.filter((r) => r.visible);
  const sorted = (() => {
    switch (sort) {
      case 'newest':
        return visible.sort((a, b) => b.createdAt - a.createdAt || byId(b, a));
      case 'price_asc':
        return visible.sort((a, b) => a.price - b.price || byId(a, b));
      case 'price_desc':
        return visible.sort((a, b) => b.price - a.price || byId(b, a));
      case 'rating':
        return visible.sort((a, b) => (b.ratingAverage ?? -1) - (a.ratingAverage ?? -1) || byId(b, a));
      case 'relevance':
        return visible.filter((r) => r.rank >= 0).sort((a, b) => b.rank - a.rank || byId(b, a));
    }
  })();
  return ids(sorted);
}

/** Follows nextCursor from the first page to the last, checking each page's shape. */
async function walk(city: string, sort: Sort, limit: number, maxPages: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; ; page++) {
    if (page > maxPages) throw new Error(`more than ${maxPages} pages for ${sort}`);
    const { res, body } = await search(testApp().app, {
      city,
      sort,
      limit,
      ...(sort === 'relevance' ? { q: TERM } : {}),
      ...(cursor ? { cursor } : {}),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(body.page.hasMore).toBe(body.page.nextCursor !== null);
    if (body.page.hasMore) expect(body.data).toHaveLength(limit);
    else expect(body.data.length).toBeLessThanOrEqual(limit);
    seen.push(...ids(body.data));
    cursor = body.page.nextCursor;
    if (!cursor) return seen;
  }
}

async function checkWalks(specs: RowSpec[], limits: Record<Sort, number>): Promise<void> {
  const city = uniqueCity();
  const rows = await insertBatch(city, specs);
  for (const sort of SORTS) {
    const expected = expectedOrder(rows, sort);
    const seen = await walk(city, sort, limits[sort], expected.length + 1);
    expect(new Set(seen).size, `${sort}: a row was visited twice`).toBe(seen.length);
    expect(seen, `${sort} with limit ${limits[sort]}`).toEqual(expected);
  }
}

const spec = (overrides: Partial<RowSpec> = {}): RowSpec => ({
  price: 2_000,
  rating: [0, 0],
  createdSecond: 0,
  text: 'title',
  status: 'listed',
  deleted: false,
  ...overrides,
});
const sameLimit = (limit: number) => Object.fromEntries(SORTS.map((s) => [s, limit])) as Record<Sort, number>;

describe('search cursor walks', () => {
  it('visit every matching row exactly once, in sort order, under every sort (random data)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { maxLength: 24 }), limitsArb, (specs, limits) => checkWalks(specs, limits)),
      {
        numRuns: 25,
        examples: [
          // Everything ties on every key: only the id orders the rows.
          [Array.from({ length: 7 }, () => spec()), sameLimit(2)],
          // Pages filled exactly: the last full page says there is no more.
          [
            Array.from({ length: 6 }, (_, i) =>
              spec({ price: 1_000 + 1_000 * (i % 2), rating: [Math.min(i + 1, 5), 1] }),
            ),
            sameLimit(3),
          ],
          // Nothing matches.
          [[spec({ status: 'draft' }), spec({ deleted: true })], sameLimit(1)],
        ],
      },
    );
  }, 120_000);

  it('a fixed mix of ties, unrated and hidden rows, one row a page', async () => {
    const specs = [
      spec({ price: 1_000, rating: [9, 2], createdSecond: 1, text: 'both' }),
      spec({ price: 1_000, rating: [9, 2], createdSecond: 1, text: 'twice' }),
      spec({ price: 3_000, rating: [0, 0], createdSecond: 2, text: 'description' }),
      spec({ price: 3_000, rating: [4, 1], createdSecond: 2, text: 'none' }),
      spec({ price: 2_000, rating: [0, 0], createdSecond: 0, text: 'title' }),
      spec({ price: 500, rating: [5, 1], createdSecond: 3, status: 'unlisted' }),
      spec({ price: 500, rating: [5, 1], createdSecond: 3, deleted: true }),
    ];
    await checkWalks(specs, sameLimit(1));
  });

  it('pages hold 20 rows unless a limit is given', async () => {
    const city = uniqueCity();
    await insertBatch(
      city,
      Array.from({ length: 23 }, (_, i) => spec({ price: 1_000 + i })),
    );
    const { body } = await search(testApp().app, { city });
    expect(body.data).toHaveLength(20);
    expect(body.page.hasMore).toBe(true);
    const rest = await search(testApp().app, { city, cursor: body.page.nextCursor! });
    expect(rest.body.data).toHaveLength(3);
    expect(rest.body.page).toEqual({ nextCursor: null, hasMore: false });
  });
});
