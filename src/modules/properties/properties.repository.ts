import { and, eq, getTableColumns, gte, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { properties, propertyBlocks, type PropertyBlockRow, type PropertyRow } from './properties.table.js';

// Every column but the search vector, which only the database reads.
const { searchVector: _searchVector, ...propertyColumns } = getTableColumns(properties);

export type NewPropertyRow = Omit<typeof properties.$inferInsert, 'id' | 'ratingAverage' | 'searchVector'>;
export type PropertyPatch = Partial<Omit<NewPropertyRow, 'hostId' | 'createdAt' | 'updatedAt' | 'deletedAt'>>;

export async function insertProperty(db: Db, row: NewPropertyRow): Promise<PropertyRow> {
  const [created] = await db.insert(properties).values(row).returning(propertyColumns);
  return created!;
}

// The detail read is the hottest query: prepared once per database handle, so Drizzle
// builds its SQL once and PostgreSQL plans it once per connection.
const preparedById = new WeakMap<Db, ReturnType<typeof prepareFindById>>();
const prepareFindById = (db: Db) =>
  db
    .select(propertyColumns)
    .from(properties)
    .where(and(eq(properties.id, sql.placeholder('id')), isNull(properties.deletedAt)))
    .limit(1)
    .prepare('find_property_by_id');

export async function findPropertyById(db: Db, id: string): Promise<PropertyRow | undefined> {
  let query = preparedById.get(db);
  if (!query) preparedById.set(db, (query = prepareFindById(db)));
  const [row] = await query.execute({ id });
  return row;
}

export function findPropertiesByIds(db: Db, ids: readonly string[]): Promise<PropertyRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select(propertyColumns)
    .from(properties)
    .where(and(inArray(properties.id, [...ids]), isNull(properties.deletedAt)));
}

export async function updateProperty(db: Db, id: string, patch: PropertyPatch): Promise<PropertyRow | undefined> {
  const [row] = await db
    .update(properties)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(properties.id, id), isNull(properties.deletedAt)))
    .returning(propertyColumns);
  return row;
}

export async function softDeleteProperty(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .update(properties)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(properties.id, id), isNull(properties.deletedAt)))
    .returning({ id: properties.id });
  return rows.length > 0;
}

export function findPropertiesByHost(
  db: Db,
  opts: { hostId: string; limit: number; status?: PropertyRow['status']; after?: { createdAt: string; id: string } },
): Promise<PropertyRow[]> {
  const where: (SQL | undefined)[] = [eq(properties.hostId, opts.hostId), isNull(properties.deletedAt)];
  if (opts.status) where.push(eq(properties.status, opts.status));
  if (opts.after)
    where.push(afterDescending(properties.createdAt, properties.id, [opts.after.createdAt, opts.after.id]));
  return db
    .select(propertyColumns)
    .from(properties)
    .where(and(...where))
    .orderBy(sql`${properties.createdAt} desc nulls last, ${properties.id} desc nulls last`)
    .limit(opts.limit);
}

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
  const [exact] = await db
    .select({ city: properties.city })
    .from(properties)
    .where(and(sql`lower(${properties.city}) = lower(${name})`, listed))
    .limit(1);
  if (exact) return [exact.city];
  const similar = await db
    .select({ city: properties.city })
    .from(properties)
    .where(and(sql`${properties.city} % ${name}`, listed))
    .limit(500);
  return [...new Set(similar.map((r) => r.city))];
}

export type SearchSortKey = 'relevance' | 'price_asc' | 'price_desc' | 'rating' | 'newest';
/** The sort value of the last row of a page plus its id; the shape depends on the sort. */
export type SearchAfter = [number | string, string];

const EARTH_RADIUS_KM = 6371;

/**
 * One query for every filter and sort. Each sort orders by its key then id (unique tie
 * breaker), and `after` continues strictly after the last row of the previous page, so
 * pages never repeat or skip rows however deep.
 */
export function searchProperties(
  db: Db,
  filters: SearchFilters,
  sort: SearchSortKey,
  limit: number,
  after?: SearchAfter,
): Promise<(PropertyRow & { sortKey: number | string })[]> {
  const p = properties;
  const tsQuery = filters.q ? sql`websearch_to_tsquery('english', ${filters.q})` : undefined;
  const where: (SQL | undefined)[] = [eq(p.status, 'listed'), isNull(p.deletedAt)];
  if (tsQuery) where.push(sql`${p.searchVector} @@ ${tsQuery}`);
  // One city as plain equality, so the (city, sort key) indexes give rows in order.
  if (filters.cities)
    where.push(filters.cities.length === 1 ? eq(p.city, filters.cities[0]!) : inArray(p.city, filters.cities));
  if (filters.country) where.push(eq(p.country, filters.country));
  if (filters.minPrice !== undefined) where.push(gte(p.nightlyPrice, filters.minPrice));
  if (filters.maxPrice !== undefined) where.push(lte(p.nightlyPrice, filters.maxPrice));
  if (filters.guests !== undefined) where.push(gte(p.maxGuests, filters.guests));
  if (filters.propertyType) where.push(eq(p.propertyType, filters.propertyType));
  if (filters.amenities?.length) where.push(sql`${p.amenities} @> ${sql.param(filters.amenities)}::text[]`);
  if (filters.stay) {
    const stay = sql`daterange(${filters.stay.checkIn}::date, ${filters.stay.checkOut}::date)`;
    where.push(
      sql`not exists (select 1 from ${propertyBlocks} b where b.property_id = ${p.id} and daterange(b.start_date, b.end_date) && ${stay})`,
    );
  }
  if (filters.near) {
    // A bounding box the GiST point index answers, refined by great-circle distance. A box
    // reaching over the antimeridian gets a second piece on the other side of it.
    const { lat, lng, radiusKm } = filters.near;
    const dLat = (radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI);
    const dLng = Math.min(dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.01), 180);
    const inBox = (west: number, east: number) =>
      sql`point(${p.longitude}, ${p.latitude}) <@ box(point(${west}, ${lat - dLat}), point(${east}, ${lat + dLat}))`;
    const boxes = [inBox(lng - dLng, lng + dLng)];
    if (lng - dLng < -180) boxes.push(inBox(lng - dLng + 360, 180));
    if (lng + dLng > 180) boxes.push(inBox(-180, lng + dLng - 360));
    where.push(or(...boxes));
    where.push(
      sql`${2 * EARTH_RADIUS_KM} * asin(sqrt(power(sin(radians(${p.latitude} - ${lat}) / 2), 2) + cos(radians(${lat})) * cos(radians(${p.latitude})) * power(sin(radians(${p.longitude} - ${lng}) / 2), 2))) <= ${radiusKm}`,
    );
  }

  const { key, order, direction } = sortSql(sort, tsQuery);
  if (after) {
    const cmp = direction === 'asc' ? sql`>` : sql`<`;
    where.push(sql`(${key}, ${p.id}) ${cmp} (${castAfter(sort, after[0])}, ${after[1]}::uuid)`);
  }
  return db
    .select({ ...propertyColumns, sortKey: sql<number | string>`${key}`.as('sort_key') })
    .from(p)
    .where(and(...where))
    .orderBy(order)
    .limit(limit);
}

function sortSql(sort: SearchSortKey, tsQuery: SQL | undefined): { key: SQL; order: SQL; direction: 'asc' | 'desc' } {
  const p = properties;
  switch (sort) {
    case 'price_asc':
      return { key: sql`${p.nightlyPrice}`, order: sql`${p.nightlyPrice} asc, ${p.id} asc`, direction: 'asc' };
    case 'price_desc':
      return { key: sql`${p.nightlyPrice}`, order: sql`${p.nightlyPrice} desc, ${p.id} desc`, direction: 'desc' };
    case 'rating': {
      // Matches properties_listed_rating_idx exactly (its id column is DESC NULLS LAST).
      const key = sql`coalesce(${p.ratingAverage}, -1)`;
      return { key, order: sql`${key} desc, ${p.id} desc nulls last`, direction: 'desc' };
    }
    case 'relevance': {
      // ts_rank is real (float4); cursors compare in real so the value round-trips exactly.
      const key = sql`ts_rank(${p.searchVector}, ${tsQuery ?? sql`''::tsquery`})`;
      return { key, order: sql`${key} desc, ${p.id} desc`, direction: 'desc' };
    }
    case 'newest':
      return {
        key: sql`${p.createdAt}`,
        order: sql`${p.createdAt} desc nulls last, ${p.id} desc nulls last`,
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

export async function insertBlock(
  db: Db,
  row: { propertyId: string; start: string; end: string; note: string | null },
): Promise<PropertyBlockRow> {
  const [created] = await db.insert(propertyBlocks).values(row).returning();
  return created!;
}

export async function deleteBlock(db: Db, propertyId: string, blockId: string): Promise<boolean> {
  const rows = await db
    .delete(propertyBlocks)
    .where(and(eq(propertyBlocks.id, blockId), eq(propertyBlocks.propertyId, propertyId)))
    .returning({ id: propertyBlocks.id });
  return rows.length > 0;
}

/** Blocks of a property that overlap [from, to), in date order. */
export function findBlocksOverlapping(
  db: Db,
  propertyId: string,
  from: string,
  to: string,
): Promise<PropertyBlockRow[]> {
  return db
    .select()
    .from(propertyBlocks)
    .where(
      and(
        eq(propertyBlocks.propertyId, propertyId),
        lt(propertyBlocks.start, to),
        sql`${propertyBlocks.end} > ${from}`,
      ),
    )
    .orderBy(propertyBlocks.start);
}

/** A property row with its id and timestamps chosen by the caller (seeding). */
export type PropertyBulkRow = NewPropertyRow & { id: string; createdAt: Date };

// One multi-row INSERT per batch (seeding): a round trip and a parse per thousand rows, not per row.
export async function insertPropertiesBulk(db: Db, rows: PropertyBulkRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(properties).values(rows);
}

export async function insertBlocksBulk(db: Db, rows: (typeof propertyBlocks.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await db.insert(propertyBlocks).values(rows);
}

/** Fresh planner statistics: after a bulk load the old ones describe a different table. */
export async function analyzeProperties(db: Db): Promise<void> {
  await db.execute(sql`analyze ${properties}, ${propertyBlocks}`);
}
