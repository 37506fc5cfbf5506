import { and, asc, eq, getTableColumns, gt, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { reviews, type NewReviewRow, type ReviewRow } from './reviews.table.js';

type Keyset = { createdAt: string; id: string };

/** Throws the unique violation `reviews_booking_idx` when the booking already has a review. */
export async function insertReview(db: Db, row: NewReviewRow): Promise<ReviewRow> {
  const [created] = await db.insert(reviews).values(row).returning();
  return created!;
}

export async function findReviewById(db: Db, id: string): Promise<ReviewRow | undefined> {
  const [row] = await db.select().from(reviews).where(eq(reviews.id, id)).limit(1);
  return row;
}

export function findReviewsByBookingIds(db: Db, bookingIds: readonly string[]): Promise<ReviewRow[]> {
  if (bookingIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(reviews)
    .where(inArray(reviews.bookingId, [...bookingIds]));
}

export async function hasReviewForBooking(db: Db, bookingId: string): Promise<boolean> {
  const rows = await db.select({ id: reviews.id }).from(reviews).where(eq(reviews.bookingId, bookingId)).limit(1);
  return rows.length > 0;
}

/**
 * Sets the host's response unless one exists: a conditional update, so of two racing
 * responses exactly one is stored. Undefined when there was one already (or no such review).
 */
export async function setHostResponseIfNone(
  db: Db,
  id: string,
  body: string,
  now: Date,
): Promise<ReviewRow | undefined> {
  const [row] = await db
    .update(reviews)
    .set({ hostResponse: body, hostRespondedAt: now })
    .where(and(eq(reviews.id, id), isNull(reviews.hostResponse)))
    .returning();
  return row;
}

/** A property's reviews, newest first (creation time, then id), after a keyset. */
export function listPropertyReviews(
  db: Db,
  opts: { propertyId: string; limit: number; after?: Keyset },
): Promise<ReviewRow[]> {
  return db
    .select()
    .from(reviews)
    .where(
      and(
        eq(reviews.propertyId, opts.propertyId),
        opts.after ? afterDescending(reviews.createdAt, reviews.id, [opts.after.createdAt, opts.after.id]) : undefined,
      ),
    )
    .orderBy(sql`${reviews.createdAt} desc, ${reviews.id} desc`)
    .limit(opts.limit);
}

/**
 * The first `limit` reviews (after a keyset) of each of several properties, newest first,
 * in one statement: a lateral join runs the single-property keyset read once per id, each
 * an index range scan of reviews_property_idx that stops after `limit` rows.
 */
export async function listReviewsOfProperties(
  db: Db,
  opts: { propertyIds: readonly string[]; limit: number; after?: Keyset },
): Promise<ReviewRow[]> {
  if (opts.propertyIds.length === 0) return [];
  const page = db
    .select()
    .from(reviews)
    .where(
      and(
        sql`${reviews.propertyId} = ids.id`,
        opts.after ? afterDescending(reviews.createdAt, reviews.id, [opts.after.createdAt, opts.after.id]) : undefined,
      ),
    )
    .orderBy(sql`${reviews.createdAt} desc, ${reviews.id} desc`)
    .limit(opts.limit)
    .as('r');
  // The subquery's columns, named as the table's, so that rows come back as ReviewRows.
  const fields = Object.fromEntries(
    Object.keys(getTableColumns(reviews)).map((name) => [name, page[name as keyof ReviewRow]]),
  ) as { [K in keyof ReviewRow]: (typeof page)[K] };
  const rows = await db
    .select(fields)
    .from(sql`unnest(${sql.param([...opts.propertyIds])}::uuid[]) as ids(id)`)
    .crossJoinLateral(page);
  return rows;
}

/** Hosts (ascending ids after `afterHostId`) with reviews created in `[from, to)`. */
export async function findHostsWithReviews(
  db: Db,
  opts: { from: Date; to: Date; afterHostId: string | null; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectDistinct({ hostId: reviews.hostId })
    .from(reviews)
    .where(
      and(
        opts.afterHostId ? gt(reviews.hostId, opts.afterHostId) : undefined,
        gte(reviews.createdAt, opts.from),
        lt(reviews.createdAt, opts.to),
      ),
    )
    .orderBy(asc(reviews.hostId))
    .limit(opts.limit);
  return rows.map((r) => r.hostId);
}

/** The host's reviews created in `[from, to)`, oldest first, at most `limit`, and how many there are in all. */
export async function findHostReviews(
  db: Db,
  opts: { hostId: string; from: Date; to: Date; limit: number },
): Promise<{ rows: ReviewRow[]; count: number }> {
  const inWindow = and(
    eq(reviews.hostId, opts.hostId),
    gte(reviews.createdAt, opts.from),
    lt(reviews.createdAt, opts.to),
  );
  const [rows, [total]] = await Promise.all([
    db.select().from(reviews).where(inWindow).orderBy(asc(reviews.createdAt), asc(reviews.id)).limit(opts.limit),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(reviews)
      .where(inWindow),
  ]);
  return { rows, count: total?.count ?? 0 };
}

/** Writes many reviews in one statement (seeding). */
export async function insertReviewsBulk(db: Db, rows: readonly NewReviewRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(reviews).values([...rows]);
}
