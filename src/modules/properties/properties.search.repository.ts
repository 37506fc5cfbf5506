import { and, type AnyColumn, desc, eq, gte, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { isActive, occupiedRange, dateRange } from './properties.calendar.repository.js';
import type { SEARCH_SORTS } from './properties.constants.js';
import { propertyColumns } from './properties.repository.js';
import { searchPrice } from './properties.search-price.repository.js';
import { properties, propertyCalendar, propertySearchTerms, type PropertyRow } from './properties.table.js';

// Search: one query for every filter and sort, and the city names a searched name stands for.

export interface SearchFilters {
  q?: string;
  /** Exact city names, as resolved by findCityNames. */
  cities?: string[];
  country?: string;
  minPrice?: number;
  maxPrice?: number;
  guests?: number;
  stay?: { checkIn: string; checkOut: string };
  amenities?: string[];
  propertyType?: PropertyRow['propertyType'];
  near?: { lat: number; lng: number; radiusKm: number };
}

/**
 * The listed city names a searched name stands for: the city equal to it ignoring case
 * when there is one, else cities similar to it (pg_trgm `%`, so "Lisbn" finds "Lisbon").
 * Resolving names first gives the planner an exact `city = …` it can estimate and serve
 * from the per-city indexes, and an unknown city an empty answer at once. Both look-ups
 * stop early: one row for the exact name, a bounded sample for similar names.
 */
export async function findCityNames(db: Db, name: string): Promise<string[]> {
  const listed = and(eq(properties.status, 'listed'), isNull(properties.deletedAt));
  // The exact name through the lower(city) index, kept apart from the listing check by an
  // `offset 0` fence: asked for one listed row directly, the planner walks a listed places'
  // city-ordered index from its start instead, filtering every earlier city (18–108 ms on
  // 100k places). Inside the fence only the lower(city) index answers, and the first row
  // of the name that is listed ends the probe (3 buffers, well under 1 ms).
  const named = db
    .select({ city: properties.city, status: properties.status, deletedAt: properties.deletedAt })
    .from(properties)
    .where(sql`lower(${properties.city}) = lower(${name})`)
    .offset(sql`0` as unknown as number) // a fence: drizzle drops a numeric `offset 0`
    .as('named');
  const [exact] = await db
    .select({ city: named.city })
    .from(named)
    .where(and(eq(named.status, 'listed'), isNull(named.deletedAt)))
    .limit(1);
  if (exact) return [exact.city];
  const similar = await db
    .select({ city: properties.city })
    .from(properties)
    .where(and(sql`${properties.city} % ${name}`, listed))
    .limit(500);
  return [...new Set(similar.map((r) => r.city))];
}

export type SearchSortKey = (typeof SEARCH_SORTS)[number];
/** The sort value of the last row of a page plus its id; the shape depends on the sort. */
export type SearchAfter = [number | string, string];

const EARTH_RADIUS_KM = 6371;

/**
 * A place's public point in SQL: its coordinates rounded half away from zero to 2 decimals
 * (REDACTED_COORDINATE_DECIMALS), as the API publishes them to strangers.
 */
const publicPoint = {
  latitude: sql`round(${properties.latitude}::numeric, 2)::double precision`,
  longitude: sql`round(${properties.longitude}::numeric, 2)::double precision`,
};
/** How far rounding to 2 decimals moves a coordinate, at most. */
const ROUNDING_MARGIN = 0.005;

type SearchRow = PropertyRow & { sortKey: number | string };

/**
 * One query for every filter and sort. Each sort orders by its key then id (unique tie
 * breaker), and `after` continues strictly after the last row of the previous page, so
 * pages never repeat or skip rows however deep. A one-word relevance search with no other
 * filter is read from the per-lexeme ranks instead (same order, same cursors).
 */
export async function searchProperties(
  db: Db,
  filters: SearchFilters,
  sort: SearchSortKey,
  limit: number,
  after?: SearchAfter,
): Promise<SearchRow[]> {
  if (sort === 'relevance' && filters.q && onlyText(filters)) {
    const lexeme = await oneLexeme(db, filters.q);
    if (lexeme !== undefined) return searchOneLexeme(db, lexeme, limit, after);
  }
  return searchFiltered(db, filters, sort, limit, after);
}

const onlyText = (f: SearchFilters) =>
  f.cities === undefined &&
  f.country === undefined &&
  f.minPrice === undefined &&
  f.maxPrice === undefined &&
  f.guests === undefined &&
  f.stay === undefined &&
  !f.amenities?.length &&
  f.propertyType === undefined &&
  f.near === undefined;

/**
 * The lexeme `q` stands for when its query is that one lexeme and nothing else (`beach`,
 * `the beaches`, `"beach"`), else undefined (two words, a phrase, an exclusion, `or`).
 */
async function oneLexeme(db: Db, q: string): Promise<string | undefined> {
  const [row] = await db
    .select({ lexeme: sql<string>`(tsvector_to_array(q::text::tsvector))[1]` })
    .from(sql`(select websearch_to_tsquery('english', ${q}) as q) as query`)
    .where(sql`numnode(q) = 1`);
  return row?.lexeme;
}

/**
 * A one-word relevance page: property_search_terms holds each listed place's rank for each of
 * its lexemes (exactly `ts_rank` of a one-word query), and its key (lexeme, rank,
 * property_id), read backwards from the cursor, gives the page in the ranked path's order
 * (rank, then id, both descending) reading only the page's rows, however many places match.
 */
function searchOneLexeme(db: Db, lexeme: string, limit: number, after?: SearchAfter): Promise<SearchRow[]> {
  const p = properties;
  const t = propertySearchTerms;
  const where = [eq(t.lexeme, lexeme), eq(p.status, 'listed'), isNull(p.deletedAt)];
  if (after) where.push(sql`(${t.rank}, ${t.propertyId}) < (${after[0]}::real, ${after[1]}::uuid)`);
  return db
    .select({ ...propertyColumns, sortKey: sql<number>`${t.rank}`.as('sort_key') })
    .from(t)
    .innerJoin(p, eq(p.id, t.propertyId))
    .where(and(...where))
    .orderBy(desc(t.rank), desc(t.propertyId))
    .limit(limit);
}

function searchFiltered(
  db: Db,
  filters: SearchFilters,
  sort: SearchSortKey,
  limit: number,
  after?: SearchAfter,
): Promise<SearchRow[]> {
  const p = properties;
  const tsQuery = filters.q ? sql`websearch_to_tsquery('english', ${filters.q})` : undefined;
  const where: (SQL | undefined)[] = [eq(p.status, 'listed'), isNull(p.deletedAt)];
  if (tsQuery) where.push(sql`${p.searchVector} @@ ${tsQuery}`);
  // One city as plain equality, so the (city, sort key) indexes give rows in order.
  if (filters.cities)
    where.push(filters.cities.length === 1 ? eq(p.city, filters.cities[0]!) : inArray(p.city, filters.cities));
  if (filters.country) where.push(eq(p.country, filters.country));
  if (filters.guests !== undefined) where.push(gte(p.maxGuests, filters.guests));
  if (filters.propertyType) where.push(eq(p.propertyType, filters.propertyType));
  if (filters.amenities?.length) where.push(sql`${p.amenities} @> ${sql.param(filters.amenities)}::text[]`);
  if (filters.near) {
    // Measured from the public point, for every caller (search results are shared by all),
    // so that searches reveal nothing finer than the published coordinates. The GiST index
    // on the exact point answers a bounding box widened by the most rounding can move a
    // point (every place whose public point is in the circle is in it), and the great-circle
    // distance from the public point decides. A box reaching over the antimeridian gets a
    // second piece on the other side of it.
    const { lat, lng, radiusKm } = filters.near;
    const dLat = (radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI) + ROUNDING_MARGIN;
    const dLng = Math.min(dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.01) + ROUNDING_MARGIN, 180);
    const inBox = (west: number, east: number) =>
      sql`point(${p.longitude}, ${p.latitude}) <@ box(point(${west}, ${lat - dLat}), point(${east}, ${lat + dLat}))`;
    const boxes = [inBox(lng - dLng, lng + dLng)];
    if (lng - dLng < -180) boxes.push(inBox(lng - dLng + 360, 180));
    if (lng + dLng > 180) boxes.push(inBox(-180, lng + dLng - 360));
    where.push(or(...boxes));
    const { latitude, longitude } = publicPoint;
    where.push(
      sql`${2 * EARTH_RADIUS_KM} * asin(sqrt(power(sin(radians(${latitude} - ${lat}) / 2), 2) + cos(radians(${lat})) * cos(radians(${latitude})) * power(sin(radians(${longitude} - ${lng}) / 2), 2))) <= ${radiusKm}`,
    );
  }
  // Above, what the place itself must be; below, its price, its calendar and the cursor.
  const { price, overrides } = searchPrice(db, filters.stay, [...where]);
  const priceBounds = (value: SQL | SQL.Aliased | AnyColumn) => [
    filters.minPrice === undefined ? undefined : sql`${value} >= ${filters.minPrice}`,
    filters.maxPrice === undefined ? undefined : sql`${value} <= ${filters.maxPrice}`,
  ];
  const c = propertyCalendar;
  const stay = filters.stay && dateRange(filters.stay.checkIn, filters.stay.checkOut);
  const free = (id: SQL | AnyColumn) =>
    sql`not exists (select 1 from ${c} where ${c.propertyId} = ${id} and ${occupiedRange} && ${stay} and ${isActive})`;
  // Radius with dates, and dates sorted by the stay's price, are checked against the
  // calendar below, after ordering.
  const fenced = stay && (filters.near || sort === 'price_asc' || sort === 'price_desc');
  if (stay && !fenced) where.push(free(p.id));

  const { key, order, direction } = sortSql(sort, tsQuery, price);
  const afterLast = (k: SQL | SQL.Aliased | AnyColumn, id: SQL | AnyColumn) =>
    after &&
    sql`(${k}, ${id}) ${direction === 'asc' ? sql`>` : sql`<`} (${castAfter(sort, after[0])}, ${after[1]}::uuid)`;
  // A dated price sort computes each candidate's price once, in a subquery of its own, and
  // bounds, pages and sorts on that column: written inline, PostgreSQL would compute it for
  // each bound, for the cursor and for the sort (a country has ~18,000 candidates).
  const pricedOnce = fenced && key === price;
  if (!pricedOnce) where.push(...priceBounds(price), afterLast(key, p.id));
  const sortKey = sql<number | string>`${key}`.as('sort_key');
  // The overrides' share of the stay's price, read once and joined only when the price is used.
  const pricedByStay = overrides && (filters.minPrice !== undefined || filters.maxPrice !== undefined || key === price);
  const from = <S extends Parameters<Db['select']>[0] & object>(selection: S) => {
    const q = db.select(selection).from(p).$dynamic();
    return pricedByStay ? q.leftJoin(overrides, eq(overrides.propertyId, p.id)) : q;
  };
  if (fenced) {
    // The box yields its places in no useful order, and no index holds a stay's price, so
    // every candidate must be sorted; probing the calendar for each before the sort (the
    // shape a single query gets, or a hash anti-join reading every range over the stay)
    // costs more than the sort. Sorted first in a subquery the planner keeps apart
    // (`offset 0`), the calendar is probed in page order only until the page is full.
    // The candidates carry only their id and sort key: the (city|country, nightly_price,
    // id) indexes include what a price needs (weekend_price, max_guests), so a city's or
    // a country's places are sorted from the index alone and only the page's rows are
    // read whole, joined back by id.
    const fence = sql`0` as unknown as number; // drizzle drops a numeric `offset 0`
    let candidates;
    if (pricedOnce) {
      const priced = from({ id: p.id, sortKey })
        .where(and(...where))
        .offset(fence)
        .as('priced');
      candidates = db
        .select({ id: priced.id, sortKey: priced.sortKey })
        .from(priced)
        .where(and(...priceBounds(priced.sortKey), afterLast(priced.sortKey, priced.id)))
        .orderBy(order(priced.sortKey, priced.id))
        .offset(fence)
        .as('candidates');
    } else {
      candidates = from({ id: p.id, sortKey })
        .where(and(...where))
        .orderBy(order(key, p.id))
        .offset(fence)
        .as('candidates');
    }
    return db
      .select({ ...propertyColumns, sortKey: candidates.sortKey })
      .from(candidates)
      .innerJoin(p, eq(p.id, candidates.id))
      .where(free(candidates.id))
      .orderBy(order(candidates.sortKey, candidates.id))
      .limit(limit);
  }
  return from({ ...propertyColumns, sortKey })
    .where(and(...where))
    .orderBy(order(key, p.id))
    .limit(limit);
}

type SortOrder = (key: SQL | SQL.Aliased, id: SQL | AnyColumn) => SQL;

function sortSql(
  sort: SearchSortKey,
  tsQuery: SQL | undefined,
  price: SQL,
): { key: SQL; order: SortOrder; direction: 'asc' | 'desc' } {
  const p = properties;
  switch (sort) {
    case 'price_asc':
      return { key: price, order: (k, id) => sql`${k} asc, ${id} asc`, direction: 'asc' };
    case 'price_desc':
      return { key: price, order: (k, id) => sql`${k} desc, ${id} desc`, direction: 'desc' };
    case 'rating':
      // Matches properties_listed_rating_idx exactly (its id column is DESC NULLS LAST).
      return {
        key: sql`coalesce(${p.ratingAverage}, -1)`,
        order: (k, id) => sql`${k} desc, ${id} desc nulls last`,
        direction: 'desc',
      };
    case 'relevance':
      // ts_rank is real (float4); cursors compare in real so the value round-trips exactly.
      return {
        key: sql`ts_rank(${p.searchVector}, ${tsQuery ?? sql`''::tsquery`})`,
        order: (k, id) => sql`${k} desc, ${id} desc`,
        direction: 'desc',
      };
    case 'newest':
      return {
        key: sql`${p.createdAt}`,
        order: (k, id) => sql`${k} desc nulls last, ${id} desc nulls last`,
        direction: 'desc',
      };
  }
}

function castAfter(sort: SearchSortKey, value: number | string): SQL {
  switch (sort) {
    case 'price_asc':
    case 'price_desc':
      return sql`${value}::integer`;
    case 'rating':
      return sql`${value}::numeric`;
    case 'relevance':
      return sql`${value}::real`;
    case 'newest':
      return sql`${value}::timestamptz`;
  }
}
