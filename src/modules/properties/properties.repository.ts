import { and, eq, getTableColumns, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { properties, propertyCalendar, type PropertyRow } from './properties.table.js';

// Every column but the search vector, which only the database reads.
const { searchVector: _searchVector, ...columns } = getTableColumns(properties);
export const propertyColumns = columns;

export type NewPropertyRow = Omit<typeof properties.$inferInsert, 'id' | 'ratingAverage' | 'searchVector'>;
export type PropertyPatch = Partial<Omit<NewPropertyRow, 'hostId' | 'createdAt' | 'updatedAt' | 'deletedAt'>>;

export async function insertProperty(db: Db, row: NewPropertyRow): Promise<PropertyRow> {
  const [created] = await db.insert(properties).values(row).returning(propertyColumns);
  return created!;
}

// The detail read is the hottest query: prepared once per database handle, so Drizzle
// builds its SQL once and PostgreSQL plans it once per connection.
/** The place `id` names, not deleted. Exported for the benchmark's ceiling server, which runs this very statement. */
export const findByIdQuery = (db: Db) =>
  db
    .select(propertyColumns)
    .from(properties)
    .where(and(eq(properties.id, sql.placeholder('id')), isNull(properties.deletedAt)))
    .limit(1);
const preparedById = new WeakMap<Db, ReturnType<typeof prepareFindById>>();
const prepareFindById = (db: Db) => findByIdQuery(db).prepare('find_property_by_id');

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

/** A property row with its id and timestamps chosen by the caller (seeding). */
export type PropertyBulkRow = NewPropertyRow & { id: string; createdAt: Date };

// One multi-row INSERT per batch (seeding): a round trip and a parse per thousand rows, not per row.
export async function insertPropertiesBulk(db: Db, rows: PropertyBulkRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(properties).values(rows);
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

/** Adds many ratings at once (seeding): one statement for every place, `sum` over `count` ratings each. */
export async function addPropertyRatingsBulk(
  db: Db,
  rows: readonly { propertyId: string; sum: number; count: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`
    update ${properties} p
    set rating_sum = p.rating_sum + r.sum, rating_count = p.rating_count + r.count
    from unnest(
      ${sql.param(rows.map((r) => r.propertyId))}::uuid[],
      ${sql.param(rows.map((r) => r.sum))}::int4[],
      ${sql.param(rows.map((r) => r.count))}::int4[]
    ) as r(id, sum, count)
    where p.id = r.id`);
}
