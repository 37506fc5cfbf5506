import { and, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { bookings, type BookingRow } from './bookings.table.js';

// The exclusion constraint's expression, repeated so the planner can use its GiST index.
const stayRange = sql`daterange(${bookings.checkIn}, ${bookings.checkOut}, '[)')`;
const dateRange = (from: string, to: string) => sql`daterange(${from}::date, ${to}::date, '[)')`;

/** A request past its answer time: `requested` with `respond_by` at or before `now`. */
const overdue = (now: Date) => and(eq(bookings.status, 'requested'), lte(bookings.respondBy, now));
/** A request the host may still answer. */
const open = (now: Date) => and(eq(bookings.status, 'requested'), gt(bookings.respondBy, now));

const expired = (now: Date) => ({ status: 'expired' as const, updatedAt: now });

/**
 * pending → requested: the payment is authorized (or, with a provider that cannot authorize,
 * the booking was just made). The hold ends; the host answers by `respondBy`. Undefined when
 * the booking was no longer pending.
 */
export async function requestBookingIfPending(
  db: Db,
  id: string,
  change: { respondBy: Date; now: Date },
): Promise<BookingRow | undefined> {
  const [row] = await db
    .update(bookings)
    .set({ status: 'requested', respondBy: change.respondBy, holdExpiresAt: null, updatedAt: change.now })
    .where(and(eq(bookings.id, id), eq(bookings.status, 'pending')))
    .returning();
  return row;
}

/**
 * The host's answer to a request still open at `now`: confirmed (the authorization is
 * captured next), pending with a new hold (pay on acceptance), or declined. Conditional on
 * the request being open, so of an answer, a cancel and the expiry racing one wins.
 */
export async function answerRequest(
  db: Db,
  id: string,
  answer:
    | { status: 'confirmed'; now: Date }
    | { status: 'pending'; holdExpiresAt: Date; now: Date }
    | { status: 'declined'; reason: string | null; now: Date },
): Promise<BookingRow | undefined> {
  const { now } = answer;
  const set =
    answer.status === 'confirmed'
      ? { status: answer.status, confirmedAt: now, updatedAt: now }
      : answer.status === 'pending'
        ? { status: answer.status, holdExpiresAt: answer.holdExpiresAt, updatedAt: now }
        : { status: answer.status, cancellationReason: answer.reason, updatedAt: now };
  const [row] = await db
    .update(bookings)
    .set(set)
    .where(and(eq(bookings.id, id), open(now)))
    .returning();
  return row;
}

/** Expires these bookings if they are overdue requests at `now` (rows answered meanwhile are left alone). */
export function expireOverdueRequestsByIds(db: Db, ids: readonly string[], now: Date): Promise<BookingRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .update(bookings)
    .set(expired(now))
    .where(and(inArray(bookings.id, [...ids]), overdue(now)))
    .returning();
}

/** Expires the place's overdue requests whose stay overlaps [from, to): their nights become free. */
export function expireOverdueRequestsOverlapping(
  db: Db,
  opts: { propertyId: string; from: string; to: string; now: Date },
): Promise<BookingRow[]> {
  return db
    .update(bookings)
    .set(expired(opts.now))
    .where(
      and(
        eq(bookings.propertyId, opts.propertyId),
        overdue(opts.now),
        sql`${stayRange} && ${dateRange(opts.from, opts.to)}`,
      ),
    )
    .returning();
}

/**
 * Expires up to `limit` overdue requests, oldest deadline first (bookings_requested_respond_idx).
 * Rows locked by another sweep or an answer are skipped, so parallel sweeps share the work.
 */
export function expireOverdueRequests(db: Db, opts: { now: Date; limit: number }): Promise<BookingRow[]> {
  const due = db
    .select({ id: bookings.id })
    .from(bookings)
    .where(overdue(opts.now))
    .orderBy(bookings.respondBy)
    .limit(opts.limit)
    .for('update', { skipLocked: true });
  return db
    .update(bookings)
    .set(expired(opts.now))
    .where(and(inArray(bookings.id, due), overdue(opts.now)))
    .returning();
}
