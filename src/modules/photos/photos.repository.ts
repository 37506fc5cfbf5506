import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { photos, type NewPhotoRow, type PhotoRow } from './photos.table.js';

/**
 * Serialises the writes to one place's photos (count and next position, reorder, delete)
 * until `tx` ends: a transaction-scoped advisory lock keyed by the place.
 */
export async function lockPlacePhotos(tx: Db, propertyId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`photos:${propertyId}`}, 0))`);
}

export async function countPhotos(db: Db, propertyId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(photos)
    .where(eq(photos.propertyId, propertyId));
  return row?.count ?? 0;
}

export async function insertPhoto(db: Db, row: NewPhotoRow): Promise<PhotoRow> {
  const [created] = await db.insert(photos).values(row).returning();
  return created!;
}

export async function findPhoto(db: Db, id: string): Promise<PhotoRow | undefined> {
  const [row] = await db.select().from(photos).where(eq(photos.id, id)).limit(1);
  return row;
}

/** A place's photos by position; only ready ones when `readyOnly`. */
export function listPhotos(db: Db, propertyId: string, readyOnly: boolean): Promise<PhotoRow[]> {
  return db
    .select()
    .from(photos)
    .where(and(eq(photos.propertyId, propertyId), readyOnly ? eq(photos.status, 'ready') : undefined))
    .orderBy(asc(photos.position), asc(photos.id));
}

/**
 * The ready photos of the places `ids` names (a uuid array parameter), by place and position.
 * Exported for the benchmark's ceiling server, which runs this very statement.
 */
export const readyPhotosQuery = (db: Db) =>
  db
    .select()
    .from(photos)
    .where(and(sql`${photos.propertyId} = any(${sql.placeholder('ids')}::uuid[])`, eq(photos.status, 'ready')))
    .orderBy(asc(photos.propertyId), asc(photos.position), asc(photos.id));

// Read with every uncached detail of a place: prepared once per database handle (one
// statement for any number of places), so Drizzle builds its SQL once and PostgreSQL
// plans it once per connection.
const preparedReadyPhotos = new WeakMap<Db, ReturnType<typeof prepareReadyPhotos>>();
const prepareReadyPhotos = (db: Db) => readyPhotosQuery(db).prepare('ready_photos_of');

/** The ready photos of several places, by place and position, in one query. */
export async function listReadyPhotosOf(db: Db, propertyIds: readonly string[]): Promise<PhotoRow[]> {
  if (propertyIds.length === 0) return [];
  let query = preparedReadyPhotos.get(db);
  if (!query) preparedReadyPhotos.set(db, (query = prepareReadyPhotos(db)));
  return query.execute({ ids: [...propertyIds] });
}

/** Each place's first ready photo by position, in one query (a `distinct on` over the partial cover index). */
export async function findCovers(db: Db, propertyIds: readonly string[]): Promise<PhotoRow[]> {
  if (propertyIds.length === 0) return [];
  return db
    .selectDistinctOn([photos.propertyId])
    .from(photos)
    .where(and(inArray(photos.propertyId, [...propertyIds]), eq(photos.status, 'ready')))
    .orderBy(asc(photos.propertyId), asc(photos.position), asc(photos.id));
}

export async function updateCaption(
  db: Db,
  id: string,
  caption: string | null,
  now: Date,
): Promise<PhotoRow | undefined> {
  const [row] = await db.update(photos).set({ caption, updatedAt: now }).where(eq(photos.id, id)).returning();
  return row;
}

/** Positions 0..n-1 in the order of `ids` (all of the place's photos), in one statement. */
export async function setPositions(db: Db, propertyId: string, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    update ${photos} set position = o.ordinality - 1, updated_at = ${now}
    from unnest(${sql.param([...ids])}::uuid[]) with ordinality as o(id, ordinality)
    where ${photos.id} = o.id and ${photos.propertyId} = ${propertyId}`);
}

/** Deletes one photo of a place and closes the gap in the positions after it. */
export async function deletePhoto(db: Db, propertyId: string, id: string): Promise<PhotoRow | undefined> {
  const [row] = await db
    .delete(photos)
    .where(and(eq(photos.id, id), eq(photos.propertyId, propertyId)))
    .returning();
  if (row) {
    await db
      .update(photos)
      .set({ position: sql`${photos.position} - 1` })
      .where(and(eq(photos.propertyId, propertyId), sql`${photos.position} > ${row.position}`));
  }
  return row;
}

/** Deletes every photo of a place; returns what their objects' deletion needs. */
export function deletePlacePhotos(db: Db, propertyId: string): Promise<Pick<PhotoRow, 'keyPrefix' | 'originalKey'>[]> {
  return db
    .delete(photos)
    .where(eq(photos.propertyId, propertyId))
    .returning({ keyPrefix: photos.keyPrefix, originalKey: photos.originalKey });
}

/** Marks a processing photo ready; undefined when it is no longer processing (deleted, or done already). */
export async function markReady(
  db: Db,
  id: string,
  result: { width: number; height: number; blurhash: string },
  now: Date,
): Promise<PhotoRow | undefined> {
  const [row] = await db
    .update(photos)
    .set({ ...result, status: 'ready', originalKey: null, failureReason: null, updatedAt: now })
    .where(and(eq(photos.id, id), eq(photos.status, 'processing')))
    .returning();
  return row;
}

export async function markFailed(db: Db, id: string, reason: string, now: Date): Promise<PhotoRow | undefined> {
  const [row] = await db
    .update(photos)
    .set({ status: 'failed', failureReason: reason, originalKey: null, updatedAt: now })
    .where(and(eq(photos.id, id), eq(photos.status, 'processing')))
    .returning();
  return row;
}

/** Of these key prefixes, those some photo row still names. */
export async function prefixesInUse(db: Db, prefixes: readonly string[]): Promise<Set<string>> {
  if (prefixes.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ keyPrefix: photos.keyPrefix })
    .from(photos)
    .where(inArray(photos.keyPrefix, [...prefixes]));
  return new Set(rows.map((r) => r.keyPrefix));
}

export interface SeedPoolImage {
  keyPrefix: string;
  width: number;
  height: number;
  blurhash: string;
}

/**
 * Seeding: `perPlace` ready photos for each place, place i's photo j showing pool image
 * (first_i + j) mod pool size, with captions taken in turn, in one statement whatever the
 * number of places (the rows are made by the database from three arrays and the pool).
 */
export async function insertSeedPhotos(
  db: Db,
  opts: {
    places: readonly { id: string; createdAt: Date; first: number }[];
    perPlace: number;
    pool: readonly SeedPoolImage[];
    captions: readonly (string | null)[];
  },
): Promise<void> {
  if (opts.places.length === 0 || opts.perPlace === 0) return;
  const pool = JSON.stringify(opts.pool.map((image, i) => ({ i, ...image })));
  await db.execute(sql`
    insert into ${photos} (property_id, status, position, caption, original_type, key_prefix, width, height, blurhash, created_at, updated_at)
    select p.id, 'ready', g.pos, (${sql.param([...opts.captions])}::text[])[1 + (p.n + g.pos) % ${opts.captions.length}],
           'image/png', pool."keyPrefix", pool.width, pool.height, pool.blurhash, p.created_at, p.created_at
    from unnest(${sql.param(opts.places.map((p) => p.id))}::uuid[],
                ${sql.param(opts.places.map((p) => p.createdAt.toISOString()))}::timestamptz[],
                ${sql.param(opts.places.map((p) => p.first))}::int[]) with ordinality as p(id, created_at, first, n)
    cross join generate_series(0, ${opts.perPlace - 1}) as g(pos)
    join jsonb_to_recordset(${pool}::jsonb) as pool(i int, "keyPrefix" text, width int, height int, blurhash text)
      on pool.i = (p.first + g.pos) % ${opts.pool.length}`);
}

/** Fresh planner statistics after a bulk load. */
export async function analyzePhotos(db: Db): Promise<void> {
  await db.execute(sql`analyze ${photos}`);
}
