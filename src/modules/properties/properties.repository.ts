import { and, type AnyColumn, eq, getTableColumns, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import type { SEARCH_SORTS } from './properties.constants.js';
import { properties, propertyCalendar, type CalendarRangeRow, type PropertyRow } from './properties.table.js';

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

/** Unlists every listed, undeleted place of a host; returns their ids. */
export async function unlistHostProperties(db: Db, hostId: string): Promise<string[]> {
  const rows = await db
    .update(properties)
    .set({ status: 'unlisted', updatedAt: sql`now()` })
    .where(and(eq(properties.hostId, hostId), eq(properties.status, 'listed'), isNull(properties.deletedAt)))
    .returning({ id: properties.id });
  return rows.map((r) => r.id);
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
  const c = propertyCalendar;
  const stay = filters.stay && dateRange(filters.stay.checkIn, filters.stay.checkOut);
  const free = (id: SQL | AnyColumn) =>
    sql`not exists (select 1 from ${c} where ${c.propertyId} = ${id} and ${occupiedRange} && ${stay} and ${isActive})`;
  // Radius with dates is checked against the calendar below, after ordering.
  if (stay && !filters.near) where.push(free(p.id));
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

  const { key, order, direction } = sortSql(sort, tsQuery);
  if (after) {
    const cmp = direction === 'asc' ? sql`>` : sql`<`;
    where.push(sql`(${key}, ${p.id}) ${cmp} (${castAfter(sort, after[0])}, ${after[1]}::uuid)`);
  }
  const selection = { ...propertyColumns, sortKey: sql<number | string>`${key}`.as('sort_key') };
  if (stay && filters.near) {
    // The box yields its places in no useful order, so every one of them must be sorted;
    // probing the calendar for each before the sort (the shape a single query gets) costs
    // a GiST probe per place in the circle. Sorted first in a subquery the planner keeps
    // apart (`offset 0`), the calendar is probed in page order only until the page is full.
    const candidates = db
      .select(selection)
      .from(p)
      .where(and(...where))
      .orderBy(order(key, p.id))
      .offset(sql`0` as unknown as number) // a fence: drizzle drops a numeric `offset 0`
      .as('candidates');
    return db
      .select()
      .from(candidates)
      .where(free(candidates.id))
      .orderBy(order(candidates.sortKey, candidates.id))
      .limit(limit);
  }
  return db
    .select(selection)
    .from(p)
    .where(and(...where))
    .orderBy(order(key, p.id))
    .limit(limit);
}

type SortOrder = (key: SQL | SQL.Aliased, id: SQL | AnyColumn) => SQL;

function sortSql(
  sort: SearchSortKey,
  tsQuery: SQL | undefined,
): { key: SQL; order: SortOrder; direction: 'asc' | 'desc' } {
  const p = properties;
  switch (sort) {
    case 'price_asc':
      return { key: sql`${p.nightlyPrice}`, order: (k, id) => sql`${k} asc, ${id} asc`, direction: 'asc' };
    case 'price_desc':
      return { key: sql`${p.nightlyPrice}`, order: (k, id) => sql`${k} desc, ${id} desc`, direction: 'desc' };
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

// The calendar. Every look-up repeats the exclusion constraint's expression and predicate
// (property_calendar_no_overlap: property_id, daterange(start_date, end_date, '[)'), active
// rows), so the planner answers it from that constraint's GiST index.
const occupiedRange = sql`daterange(${propertyCalendar.start}, ${propertyCalendar.end}, '[)')`;
const isActive = isNull(propertyCalendar.releasedAt);
/** [from, to); an open end (null) reaches forever. */
const dateRange = (from: string, to: string | null) => sql`daterange(${from}::date, ${to}::date, '[)')`;

export type NewCalendarRange = Pick<typeof propertyCalendar.$inferInsert, 'propertyId' | 'kind' | 'start' | 'end'> & {
  note?: string | null;
  refId?: string | null;
  occupantId?: string | null;
};

/** Throws the database's exclusion violation when the range overlaps an active one. */
export async function insertCalendarRange(db: Db, row: NewCalendarRange): Promise<CalendarRangeRow> {
  const [created] = await db.insert(propertyCalendar).values(row).returning();
  return created!;
}

/** Marks a booking's active range as revealing the exact location to its occupant. */
export async function revealCalendarLocation(db: Db, refId: string): Promise<number> {
  const rows = await db
    .update(propertyCalendar)
    .set({ revealsLocation: true })
    .where(and(eq(propertyCalendar.refId, refId), isActive))
    .returning({ id: propertyCalendar.id });
  return rows.length;
}

/**
 * Which of `propertyIds` an active range of `occupantId` reveals the exact location of:
 * one query for a whole page, answered from property_calendar_occupant_idx (its predicate
 * repeated here so the planner can use that partial index).
 */
export async function findRevealedPropertyIds(
  db: Db,
  occupantId: string,
  propertyIds: readonly string[],
): Promise<Set<string>> {
  if (propertyIds.length === 0) return new Set();
  const c = propertyCalendar;
  const rows = await db
    .selectDistinct({ propertyId: c.propertyId })
    .from(c)
    .where(
      and(
        eq(c.occupantId, occupantId),
        sql`${c.propertyId} = any(${sql.param([...propertyIds])}::uuid[])`,
        sql`${c.revealsLocation}`,
        isActive,
      ),
    );
  return new Set(rows.map((r) => r.propertyId));
}

/**
 * Locks the property's calendar until the caller's transaction ends: FOR NO KEY UPDATE, so
 * writers of one place's calendar (blocks, bookings) and its delete take turns. Concurrent
 * inserts that conflict under an exclusion constraint can otherwise deadlock each other
 * (each waits for the other's uncommitted row); taken in turn, the later one simply sees
 * the earlier one's range. The foreign keys' own KEY SHARE locks do not conflict with it.
 * False when the property does not exist or is deleted.
 */
export async function lockPropertyForCalendar(db: Db, propertyId: string): Promise<boolean> {
  const rows = await db
    .select({ id: properties.id })
    .from(properties)
    .where(and(eq(properties.id, propertyId), isNull(properties.deletedAt)))
    .for('no key update');
  return rows.length > 0;
}

/** Releases active ranges of one kind, by id (optionally within a property) or by reference. */
export async function releaseCalendarRanges(
  db: Db,
  kind: CalendarRangeRow['kind'],
  which: { rangeId: string; propertyId?: string } | { refId: string },
): Promise<{ id: string; propertyId: string }[]> {
  const c = propertyCalendar;
  const match =
    'refId' in which
      ? eq(c.refId, which.refId)
      : and(eq(c.id, which.rangeId), which.propertyId === undefined ? undefined : eq(c.propertyId, which.propertyId));
  return db
    .update(c)
    .set({ releasedAt: sql`now()` })
    .where(and(match, eq(c.kind, kind), isActive))
    .returning({ id: c.id, propertyId: c.propertyId });
}

/** Active ranges of a property that overlap [from, to), in date order. */
export function findCalendarRangesOverlapping(
  db: Db,
  propertyId: string,
  from: string,
  to: string,
): Promise<CalendarRangeRow[]> {
  const c = propertyCalendar;
  return db
    .select()
    .from(c)
    .where(and(eq(c.propertyId, propertyId), sql`${occupiedRange} && ${dateRange(from, to)}`, isActive))
    .orderBy(c.start, c.id);
}

/** Whether an active booking range of the property ends after `date` (its last night is `date` or later). */
export async function hasBookingEndingAfter(db: Db, propertyId: string, date: string): Promise<boolean> {
  const c = propertyCalendar;
  // A range ends after `date` exactly when it overlaps [date, ∞).
  const rows = await db
    .select({ id: c.id })
    .from(c)
    .where(
      and(
        eq(c.propertyId, propertyId),
        eq(c.kind, 'booking'),
        sql`${occupiedRange} && ${dateRange(date, null)}`,
        isActive,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** A property row with its id and timestamps chosen by the caller (seeding). */
export type PropertyBulkRow = NewPropertyRow & { id: string; createdAt: Date };

// One multi-row INSERT per batch (seeding): a round trip and a parse per thousand rows, not per row.
export async function insertPropertiesBulk(db: Db, rows: PropertyBulkRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(properties).values(rows);
}

export async function insertBlocksBulk(
  db: Db,
  rows: (typeof propertyCalendar.$inferInsert & { kind: 'block' })[],
): Promise<void> {
  if (rows.length > 0) await db.insert(propertyCalendar).values(rows);
}

/** A booking's range on the calendar, written by another module's seed step. */
export interface CalendarRangeBulkRow {
  propertyId: string;
  start: string;
  end: string;
  /** The booking. */
  refId: string;
  /** The booking's guest. */
  occupantId: string;
  /** Confirmed (or completed) stays show their guest the exact address. */
  revealsLocation: boolean;
  createdAt: Date;
}

/**
 * Booking ranges in one statement per batch: one array parameter per column (`unnest`),
 * so the statement is the same whatever the batch size and meets no parameter limit.
 * Throws the exclusion violation if a range overlaps an active one.
 */
export async function insertCalendarRangesBulk(db: Db, rows: readonly CalendarRangeBulkRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(pick: (r: CalendarRangeBulkRow) => T) => sql.param(rows.map(pick));
  await db.execute(sql`
    insert into ${propertyCalendar} (property_id, kind, start_date, end_date, ref_id, occupant_id, reveals_location, created_at)
    select property_id, 'booking', start_date, end_date, ref_id, occupant_id, reveals_location, created_at
    from unnest(
      ${col((r) => r.propertyId)}::uuid[], ${col((r) => r.start)}::date[], ${col((r) => r.end)}::date[],
      ${col((r) => r.refId)}::uuid[], ${col((r) => r.occupantId)}::uuid[], ${col((r) => r.revealsLocation)}::boolean[],
      ${col((r) => r.createdAt.toISOString())}::timestamptz[]
    ) as t(property_id, start_date, end_date, ref_id, occupant_id, reveals_location, created_at)`);
}

/** Fresh planner statistics: after a bulk load the old ones describe a different table. */
export async function analyzeProperties(db: Db): Promise<void> {
  await db.execute(sql`analyze ${properties}, ${propertyCalendar}`);
}

/**
 * Adds one rating to the place in a single statement: the row lock the UPDATE takes makes
 * concurrent additions queue, and each reads the sum and count the previous one wrote, so
 * none is lost. `rating_average` is a generated column: recomputed by the same statement.
 */
export async function addPropertyRating(
  db: Db,
  propertyId: string,
  rating: number,
): Promise<{ ratingSum: number; ratingCount: number } | undefined> {
  const [row] = await db
    .update(properties)
    .set({
      ratingSum: sql`${properties.ratingSum} + ${rating}`,
      ratingCount: sql`${properties.ratingCount} + 1`,
    })
    .where(eq(properties.id, propertyId))
    .returning({ ratingSum: properties.ratingSum, ratingCount: properties.ratingCount });
  return row;
}
