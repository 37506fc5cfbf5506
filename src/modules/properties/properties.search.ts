import { z } from 'zod';
import { cached } from '../../platform/cache/cache.js';
import type { RequestContext } from '../../platform/context.js';
import { decodeCursor, invalidCursor, toPage, type Page } from '../../platform/pagination.js';
import { int4, isFloat4, isoInstant } from '../../platform/validation.js';
import type { PropertyAccess } from './properties.access.js';
import * as repo from './properties.search.repository.js';
import {
  toPropertyDto,
  type ExactProperty,
  type Property,
  type SearchPropertiesQuery,
  type SearchSort,
} from './properties.schemas.js';
import type { PropertyRow } from './properties.table.js';

/** A search page with the cursor after each row, for GraphQL edges. */
export type SearchPage = Page<Property> & { cursors: string[] };
/** A search page as cached: shared by every caller, so exact. */
type ExactSearchPage = Page<ExactProperty> & { cursors: string[] };

// A cursor's value goes into SQL cast to its sort key's type, so each sort admits only
// values of that type: an instant, an int4 price, a numeric rating, a float4 rank.
const searchCursor = z.union([
  z.tuple([z.literal('newest'), isoInstant, z.uuid()]),
  z.tuple([z.enum(['price_asc', 'price_desc']), int4(), z.uuid()]),
  z.tuple([z.literal('rating'), z.string().regex(/^-?\d{1,6}(\.\d{1,6})?$/), z.uuid()]),
  z.tuple([z.literal('relevance'), z.number().refine(isFloat4), z.uuid()]),
]);

/** Search of listed places, its pages and city names cached under the search generation. */
export function createSearch(access: PropertyAccess) {
  const { db, cache, onCacheLookup, searchTtlMs } = access.deps;

  const runSearch = cached<[SearchPropertiesQuery, string], ExactSearchPage>(
    {
      cache,
      name: 'search',
      ttlMs: searchTtlMs ?? 15_000,
      onLookup: onCacheLookup,
      key: (query, generation) => `properties:search:${generation}:${normalisedQuery(query)}`,
    },
    (query, generation) => searchUncached(query, generation),
  );

  const resolveCity = cached<[string, string], string[]>(
    {
      cache,
      name: 'city',
      ttlMs: 5 * 60_000,
      key: (name, generation) => `properties:city:${generation}:${name.toLowerCase()}`,
      onLookup: onCacheLookup,
    },
    (name) => repo.findCityNames(db, name),
  );

  async function searchUncached(query: SearchPropertiesQuery, generation: string): Promise<ExactSearchPage> {
    const sort: SearchSort = query.sort ?? (query.q ? 'relevance' : 'newest');
    let after: repo.SearchAfter | undefined;
    if (query.cursor) {
      const [cursorSort, value, id] = decodeCursor(query.cursor, searchCursor);
      if (cursorSort !== sort) throw invalidCursor();
      after = [value, id];
    }
    const cities = query.city ? await resolveCity(query.city, generation) : undefined;
    if (cities?.length === 0) return { data: [], page: { nextCursor: null, hasMore: false }, cursors: [] };
    const rows = await repo.searchProperties(
      db,
      {
        q: query.q,
        cities,
        country: query.country,
        minPrice: query.minPrice,
        maxPrice: query.maxPrice,
        guests: query.guests,
        stay: query.checkIn && query.checkOut ? { checkIn: query.checkIn, checkOut: query.checkOut } : undefined,
        amenities: query.amenities,
        propertyType: query.propertyType,
        near:
          query.lat !== undefined && query.lng !== undefined && query.radiusKm !== undefined
            ? { lat: query.lat, lng: query.lng, radiusKm: query.radiusKm }
            : undefined,
      },
      sort,
      query.limit + 1,
      after,
    );
    const page = toPage(rows, query.limit, (r) => [sort, cursorValue(sort, r), r.id], toPropertyDto);
    return { ...page, data: await access.withExtras(page.data, 'shared', { detail: false }) };
  }

  return {
    /**
     * A page of listed places as the caller may see them. The page is cached exact and
     * shared by everyone (radius search measures from the public, rounded point for every
     * caller, admins too); privacy is applied to each answer after the cache, so no caller's
     * view is ever stored.
     */
    async searchProperties(query: SearchPropertiesQuery, ctx: RequestContext): Promise<SearchPage> {
      const page = (await runSearch(query, await access.searchGeneration()))!;
      return { ...page, data: await access.forCaller(page.data, ctx) };
    },
  };
}

function cursorValue(sort: SearchSort, row: PropertyRow & { sortKey: number | string }): number | string {
  switch (sort) {
    case 'newest':
      return row.createdAt.toISOString();
    case 'price_asc':
    case 'price_desc':
      // The nightly price, or the stay's average nightly price with dates.
      return Number(row.sortKey);
    case 'rating':
      return String(row.sortKey);
    case 'relevance':
      return Number(row.sortKey);
  }
}

/** The same search written two ways gets one cache key. */
function normalisedQuery(query: SearchPropertiesQuery): string {
  const entries = Object.entries({ ...query, amenities: query.amenities?.slice().sort().join(',') })
    .filter(([, v]) => v !== undefined && v !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString();
}
