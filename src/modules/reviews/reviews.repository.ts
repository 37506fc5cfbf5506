import { and, asc, eq, getTableColumns, gt, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { reviews, type NewReviewRow, type ReviewDirection, type ReviewRow } from './reviews.table.js';

type Keyset = { createdAt: string; id: string };

/** Throws the unique violation `reviews_booking_direction_idx` when the booking already has this review. */
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

/** Which directions of the booking's reviews are written. */
export async function writtenDirections(db: Db, bookingId: string): Promise<Set<ReviewDirection>> {
  const rows = await db.select({ direction: reviews.direction }).from(reviews).where(eq(reviews.bookingId, bookingId));
  return new Set(rows.map((r) => r.direction));
}

// The first key of the stays' review advisory locks: 'revw' in ASCII, apart from other lock users.
const REVIEW_STAY_LOCK = 0x72657677;

/**
 * Serializes the writing of a stay's two reviews (held to the end of `tx`): the second
 * writer then sees the first one committed, so a stay whose two reviews are written at the
 * same time still publishes them. A hash collision only makes two stays wait for each other.
 */
export async function lockStayReviews(tx: Db, bookingId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${REVIEW_STAY_LOCK}, hashtext(${bookingId}))`);
}

/**
 * Publishes the stay's reviews at `now` if both are written: one conditional UPDATE, so a
 * review is published once (none returned when one is missing or both already are).
 */
export function publishStayIfComplete(tx: Db, bookingId: string, now: Date): Promise<ReviewRow[]> {
  return tx
    .update(reviews)
    .set({ pending: false, publishedAt: now })
    .where(
      and(
        eq(reviews.bookingId, bookingId),
        eq(reviews.pending, true),
        sql`(select count(*) from ${reviews} r2 where r2.booking_id = ${bookingId}) = 2`,
      ),
    )
    .returning();
}

/** Which pending reviews are overdue: those of a stay's window closed before `now`, within `scope`. */
export type OverdueScope =
  | { propertyIds: readonly string[] }
  | { guestId: string }
  | { bookingIds: readonly string[] }
  | { ids: readonly string[] }
  | 'all';

function overdueWhere(now: Date, scope: OverdueScope): SQL | undefined {
  const scoped =
    scope === 'all'
      ? undefined
      : 'propertyIds' in scope
        ? inArray(reviews.propertyId, [...scope.propertyIds])
        : 'guestId' in scope
          ? eq(reviews.guestId, scope.guestId)
          : 'bookingIds' in scope
            ? inArray(reviews.bookingId, [...scope.bookingIds])
            : inArray(reviews.id, [...scope.ids]);
  return and(eq(reviews.pending, true), lt(reviews.publishBy, now), scoped);
}

/** Whether any review within `scope` is overdue for publication (a read: no lock, no write). */
export async function hasOverdue(db: Db, now: Date, scope: OverdueScope): Promise<boolean> {
  const rows = await db.select({ id: reviews.id }).from(reviews).where(overdueWhere(now, scope)).limit(1);
  return rows.length > 0;
}

/**
 * Publishes up to `limit` overdue reviews within `scope`, each as of its window's end (so
 * both reviews of a stay share the instant): a conditional UPDATE over rows locked with
 * SKIP LOCKED, so concurrent sweeps and readers publish each review exactly once.
 */
export function publishOverdue(tx: Db, now: Date, scope: OverdueScope, limit: number): Promise<ReviewRow[]> {
  const due = tx
    .select({ id: reviews.id })
    .from(reviews)
    .where(overdueWhere(now, scope))
    .orderBy(asc(reviews.publishBy))
    .limit(limit)
    .for('update', { skipLocked: true });
  return tx
    .update(reviews)
    .set({ pending: false, publishedAt: sql`${reviews.publishBy}` })
    .where(and(inArray(reviews.id, due), eq(reviews.pending, true)))
    .returning();
}

/** A guest's published received reviews (written by hosts), newest publication first, after a keyset. */
export function listGuestReviews(
  db: Db,
  opts: { guestId: string; limit: number; after?: Keyset },
): Promise<ReviewRow[]> {
  return db
    .select()
    .from(reviews)
    .where(
      and(
        eq(reviews.guestId, opts.guestId),
        sql`${reviews.direction} = 'host_to_guest' and not ${reviews.pending}`,
        opts.after
          ? afterDescending(reviews.publishedAt, reviews.id, [opts.after.createdAt, opts.after.id])
          : undefined,
      ),
    )
    .orderBy(sql`${reviews.publishedAt} desc, ${reviews.id} desc`)
    .limit(opts.limit);
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

// Published reviews of places; written as in reviews_host_published_idx's predicate, so the planner uses it.
const publishedOfPlace = sql`${reviews.direction} = 'guest_to_host' and not ${reviews.pending}`;

/** A property's published reviews, newest first (creation time, then id), after a keyset. */
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
        publishedOfPlace,
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
        publishedOfPlace,
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

/** Hosts (ascending ids after `afterHostId`) with reviews of their places published in `[from, to)`. */
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
        publishedOfPlace,
        gte(reviews.publishedAt, opts.from),
        lt(reviews.publishedAt, opts.to),
      ),
    )
    .orderBy(asc(reviews.hostId))
    .limit(opts.limit);
  return rows.map((r) => r.hostId);
}

/** The reviews of the host's places published in `[from, to)`, oldest first, at most `limit`, and how many there are in all. */
export async function findHostReviews(
  db: Db,
  opts: { hostId: string; from: Date; to: Date; limit: number },
): Promise<{ rows: ReviewRow[]; count: number }> {
  const inWindow = and(
    eq(reviews.hostId, opts.hostId),
    publishedOfPlace,
    gte(reviews.publishedAt, opts.from),
    lt(reviews.publishedAt, opts.to),
  );
  const [rows, [total]] = await Promise.all([
    db.select().from(reviews).where(inWindow).orderBy(asc(reviews.publishedAt), asc(reviews.id)).limit(opts.limit),
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
