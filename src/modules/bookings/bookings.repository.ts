import { and, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { ACTIVE_BOOKING_STATUSES, bookings, type BookingRow, type NewBookingRow } from './bookings.table.js';

type Status = BookingRow['status'];

// The exclusion constraint's expression, repeated so the planner can use its GiST index.
const stayRange = sql`daterange(${bookings.checkIn}, ${bookings.checkOut}, '[)')`;
const dateRange = (from: string, to: string) => sql`daterange(${from}::date, ${to}::date, '[)')`;

/** Throws the database's exclusion violation (bookings_no_overlap) when an active booking overlaps. */
export async function insertBooking(db: Db, row: NewBookingRow): Promise<BookingRow> {
  const [created] = await db.insert(bookings).values(row).returning();
  return created!;
}

// The first key of the guests' advisory locks: 'hold' in ASCII, apart from other lock users.
const GUEST_HOLDS_LOCK = 0x686f6c64;

/**
 * Makes the guest's booking creations take turns until the transaction ends, so that the
 * hold count read next is still true at commit. An advisory lock on a hash of the id: a
 * collision only makes two guests wait for each other briefly.
 */
export async function lockGuestHolds(db: Db, guestId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${GUEST_HOLDS_LOCK}, hashtext(${guestId}))`);
}

/**
 * The guest's unpaid holds: pending ones still running at `now` and requests the host may
 * still answer (both keep nights from everyone else), and those that ended
 * unpaid after `since` — pending past their hold (not yet swept), expired, or canceled by
 * the guest before any payment confirmed them.
 */
export async function countGuestHolds(
  db: Db,
  guestId: string,
  now: Date,
  since: Date,
): Promise<{ active: number; lapsed: number }> {
  const b = bookings;
  const [row] = await db
    .select({
      active: sql<number>`count(*) filter (where (${b.status} = 'pending' and ${b.holdExpiresAt} > ${now})
        or (${b.status} = 'requested' and ${b.respondBy} > ${now}))`.mapWith(Number),
      lapsed: sql<number>`count(*) filter (where
        (${b.status} <> 'canceled' and ${b.holdExpiresAt} <= ${now} and ${b.holdExpiresAt} > ${since})
        or (${b.status} = 'canceled' and ${b.canceledAt} > ${since}))`.mapWith(Number),
    })
    .from(b)
    .where(
      and(
        eq(b.guestId, guestId),
        or(
          inArray(b.status, ['pending', 'requested', 'expired']),
          and(eq(b.status, 'canceled'), eq(b.canceledBy, 'guest'), isNull(b.confirmedAt)),
        ),
      ),
    );
  return { active: row?.active ?? 0, lapsed: row?.lapsed ?? 0 };
}

export async function findBookingById(db: Db, id: string): Promise<BookingRow | undefined> {
  const [row] = await db.select().from(bookings).where(eq(bookings.id, id)).limit(1);
  return row;
}

/** The guest's pending, requested or confirmed booking of the place created last, if any. */
export async function findLatestActiveBookingId(
  db: Db,
  guestId: string,
  propertyId: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        eq(bookings.guestId, guestId),
        eq(bookings.propertyId, propertyId),
        inArray(bookings.status, [...ACTIVE_BOOKING_STATUSES]),
      ),
    )
    .orderBy(sql`${bookings.createdAt} desc, ${bookings.id} desc`)
    .limit(1);
  return row?.id;
}

export function findBookingsByIds(db: Db, ids: readonly string[]): Promise<BookingRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(bookings)
    .where(inArray(bookings.id, [...ids]));
}

/** The booking, locked until the caller's transaction ends (two webhooks confirming it serialise). */
export async function lockBookingById(db: Db, id: string): Promise<BookingRow | undefined> {
  const [row] = await db.select().from(bookings).where(eq(bookings.id, id)).for('update');
  return row;
}

export function listBookings(
  db: Db,
  opts: {
    as: 'guest' | 'host';
    userId: string;
    status?: Status;
    limit: number;
    after?: { createdAt: string; id: string };
  },
): Promise<BookingRow[]> {
  const owner = opts.as === 'guest' ? eq(bookings.guestId, opts.userId) : eq(bookings.hostId, opts.userId);
  const where: (SQL | undefined)[] = [owner];
  if (opts.status) where.push(eq(bookings.status, opts.status));
  if (opts.after) where.push(afterDescending(bookings.createdAt, bookings.id, [opts.after.createdAt, opts.after.id]));
  return db
    .select()
    .from(bookings)
    .where(and(...where))
    .orderBy(sql`${bookings.createdAt} desc, ${bookings.id} desc`)
    .limit(opts.limit);
}

/**
 * Whether the user has a stay, as guest or host, that holds dates (pending, requested or confirmed)
 * and whose check-out day has not passed in the place's zone at `now`.
 */
export async function hasOpenStay(db: Db, userId: string, now: Date): Promise<boolean> {
  const open = (party: SQL) =>
    db
      .select({ id: bookings.id })
      .from(bookings)
      .where(
        and(
          party,
          inArray(bookings.status, [...ACTIVE_BOOKING_STATUSES]),
          sql`${bookings.checkOut} >= (${now.toISOString()}::timestamptz at time zone ${bookings.timezone})::date`,
        ),
      )
      .limit(1);
  // One side at a time: each is a range scan of its own index, and the first hit decides.
  return (await open(eq(bookings.guestId, userId))).length > 0 || (await open(eq(bookings.hostId, userId))).length > 0;
}

/**
 * Expires the pending bookings of a place whose hold has passed and whose stay overlaps
 * [from, to). A conditional update: rows another transaction confirmed or expired first
 * are left alone (it waits for that transaction, then re-checks the status).
 */
export function expireOverdueOverlapping(
  db: Db,
  opts: { propertyId: string; from: string; to: string; now: Date },
): Promise<BookingRow[]> {
  return db
    .update(bookings)
    .set({ status: 'expired', updatedAt: opts.now })
    .where(
      and(
        eq(bookings.propertyId, opts.propertyId),
        eq(bookings.status, 'pending'),
        lte(bookings.holdExpiresAt, opts.now),
        sql`${stayRange} && ${dateRange(opts.from, opts.to)}`,
      ),
    )
    .returning();
}

/**
 * Expires up to `limit` pending bookings whose hold has passed, oldest hold first. Rows
 * another sweep or a booking holds are skipped (SKIP LOCKED), so parallel sweeps share
 * the work instead of queueing behind each other.
 */
export async function expireOverdueHolds(db: Db, opts: { now: Date; limit: number }): Promise<BookingRow[]> {
  const due = db
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(eq(bookings.status, 'pending'), lte(bookings.holdExpiresAt, opts.now)))
    .orderBy(bookings.holdExpiresAt)
    .limit(opts.limit)
    .for('update', { skipLocked: true });
  return db
    .update(bookings)
    .set({ status: 'expired', updatedAt: opts.now })
    .where(and(inArray(bookings.id, due), eq(bookings.status, 'pending')))
    .returning();
}

/**
 * Ids among `ids` of pending bookings whose hold has passed at `now`, and of requests whose
 * answer time has: their dates count as free.
 */
export async function findOverdueHolds(db: Db, ids: readonly string[], now: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        inArray(bookings.id, [...ids]),
        or(
          and(eq(bookings.status, 'pending'), lte(bookings.holdExpiresAt, now)),
          and(eq(bookings.status, 'requested'), lte(bookings.respondBy, now)),
        ),
      ),
    );
  return new Set(rows.map((r) => r.id));
}

/**
 * Cancels the booking if it is still in `expected` status: the condition is what makes
 * two racing cancels give one winner. Undefined when the status had changed.
 */
export async function cancelBookingIfStatus(
  db: Db,
  id: string,
  expected: Status,
  change: { canceledBy: 'guest' | 'host' | 'admin'; reason: string | null; refundAmount: number; now: Date },
): Promise<BookingRow | undefined> {
  const [row] = await db
    .update(bookings)
    .set({
      status: 'canceled',
      canceledAt: change.now,
      canceledBy: change.canceledBy,
      cancellationReason: change.reason,
      refundAmount: change.refundAmount,
      holdExpiresAt: null,
      updatedAt: change.now,
    })
    .where(and(eq(bookings.id, id), eq(bookings.status, expected)))
    .returning();
  return row;
}

/** Confirms the booking if it is in `expected` status; the hold ends with it, and `confirmed_at` is now. */
export async function confirmBookingIfStatus(
  db: Db,
  id: string,
  expected: Status,
  now: Date,
): Promise<BookingRow | undefined> {
  const [row] = await db
    .update(bookings)
    .set({ status: 'confirmed', holdExpiresAt: null, confirmedAt: now, updatedAt: now })
    .where(and(eq(bookings.id, id), eq(bookings.status, expected)))
    .returning();
  return row;
}

/** Confirmed → completed; undefined when the booking is in any other status (canceled stays canceled). */
export async function completeBookingIfConfirmed(db: Db, id: string, now: Date): Promise<BookingRow | undefined> {
  const [row] = await db
    .update(bookings)
    .set({ status: 'completed', updatedAt: now })
    .where(and(eq(bookings.id, id), eq(bookings.status, 'confirmed')))
    .returning();
  return row;
}

// A savepoint on the caller's own transaction handle: a failed statement after it (a
// constraint the database decides) can be undone without aborting the caller's work.
export async function savepoint(db: Db, name: string): Promise<void> {
  await db.execute(sql.raw(`savepoint ${name}`));
}
export async function releaseSavepoint(db: Db, name: string): Promise<void> {
  await db.execute(sql.raw(`release savepoint ${name}`));
}
export async function rollbackToSavepoint(db: Db, name: string): Promise<void> {
  await db.execute(sql.raw(`rollback to savepoint ${name}`));
}
