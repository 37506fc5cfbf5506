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

/** The ready photos of several places, by place and position, in one query. */
export function listReadyPhotosOf(db: Db, propertyIds: readonly string[]): Promise<PhotoRow[]> {
  if (propertyIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(photos)
    .where(and(inArray(photos.propertyId, [...propertyIds]), eq(photos.status, 'ready')))
    .orderBy(asc(photos.propertyId), asc(photos.position), asc(photos.id));
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

/** Writes many photo rows in one statement (seeding). */
export async function insertPhotosBulk(db: Db, rows: readonly NewPhotoRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(photos).values([...rows]);
}
