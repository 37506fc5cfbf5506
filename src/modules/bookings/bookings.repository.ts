import { and, asc, eq, gt, gte, inArray, isNull, lt, lte, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
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
 * The guest's unpaid holds: pending ones still running at `now`, and those that ended
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
      active: sql<number>`count(*) filter (where ${b.status} = 'pending' and ${b.holdExpiresAt} > ${now})`.mapWith(
        Number,
      ),
      lapsed: sql<number>`count(*) filter (where
        (${b.status} <> 'canceled' and ${b.holdExpiresAt} <= ${now} and ${b.holdExpiresAt} > ${since})
        or (${b.status} = 'canceled' and ${b.canceledAt} > ${since}))`.mapWith(Number),
    })
    .from(b)
    .where(
      and(
        eq(b.guestId, guestId),
        or(
          inArray(b.status, ['pending', 'expired']),
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

/** The guest's pending or confirmed booking of the place created last, if any. */
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
        inArray(bookings.status, ['pending', 'confirmed']),
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
 * Whether the user has a stay, as guest or host, that holds dates (pending or confirmed)
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
): Promise<{ id: string; propertyId: string }[]> {
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
    .returning({ id: bookings.id, propertyId: bookings.propertyId });
}

/**
 * Expires up to `limit` pending bookings whose hold has passed, oldest hold first. Rows
 * another sweep or a booking holds are skipped (SKIP LOCKED), so parallel sweeps share
 * the work instead of queueing behind each other.
 */
export async function expireOverdueHolds(
  db: Db,
  opts: { now: Date; limit: number },
): Promise<{ id: string; propertyId: string }[]> {
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
    .returning({ id: bookings.id, propertyId: bookings.propertyId });
}

/** Ids among `ids` of pending bookings whose hold has passed at `now`: their dates count as free. */
export async function findOverdueHolds(db: Db, ids: readonly string[], now: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(inArray(bookings.id, [...ids]), eq(bookings.status, 'pending'), lte(bookings.holdExpiresAt, now)));
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

/**
 * A booking as the export writes it: the Booking resource's fields, instants as epoch
 * milliseconds. Read without the ORM's row mapping, which took a quarter of an export's CPU
 * (a type check per column per row, over millions of rows); every value comes out of
 * PostgreSQL in the JavaScript type it needs (text, int4 or float8), the same on PGlite.
 */
export interface BookingExportRow {
  id: string;
  propertyId: string;
  guestId: string;
  checkIn: string;
  checkOut: string;
  guests: number;
  nights: number;
  currency: string;
  nightlyPrice: number;
  subtotal: number;
  discount: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  status: BookingRow['status'];
  holdExpiresAt: number | null;
  canceledAt: number | null;
  canceledBy: BookingRow['canceledBy'];
  cancellationReason: string | null;
  refundAmount: number | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * One page of a host's bookings whose check-in is in [from, to), in (check_in, id) order,
 * strictly after `after`, for the export. The row comparison plus `host_id = …` is one range
 * scan of bookings_host_check_in_idx (host_id, check_in, id), however deep the page: the
 * export walks these pages instead of holding a cursor (and a transaction) open for minutes.
 */
export async function findHostBookingsExportPage(
  db: Db,
  opts: { hostId: string; from: string; to: string; limit: number; after?: { checkIn: string; id: string } },
): Promise<BookingExportRow[]> {
  const b = bookings;
  const after = opts.after
    ? sql`and (${b.checkIn}, ${b.id}) > (${opts.after.checkIn}::date, ${opts.after.id}::uuid)`
    : sql``;
  // Whole milliseconds, as Date keeps them.
  const ms = (column: SQLWrapper) => sql`floor(extract(epoch from ${column}) * 1000)::float8`;
  const result: unknown = await db.execute(sql`
    select ${b.id}::text as "id", ${b.propertyId}::text as "propertyId", ${b.guestId}::text as "guestId",
      ${b.checkIn}::text as "checkIn", ${b.checkOut}::text as "checkOut", ${b.guests} as "guests",
      ${b.nights} as "nights", ${b.currency} as "currency", ${b.nightlyPrice}::float8 as "nightlyPrice",
      ${b.subtotal}::float8 as "subtotal", ${b.discount}::float8 as "discount",
      ${b.cleaningFee}::float8 as "cleaningFee", ${b.serviceFee}::float8 as "serviceFee",
      ${b.total}::float8 as "total", ${b.status} as "status", ${ms(b.holdExpiresAt)} as "holdExpiresAt",
      ${ms(b.canceledAt)} as "canceledAt", ${b.canceledBy} as "canceledBy",
      ${b.cancellationReason} as "cancellationReason", ${b.refundAmount}::float8 as "refundAmount",
      ${ms(b.createdAt)} as "createdAt", ${ms(b.updatedAt)} as "updatedAt"
    from ${b}
    where ${b.hostId} = ${opts.hostId} and ${b.checkIn} >= ${opts.from}::date and ${b.checkIn} < ${opts.to}::date ${after}
    order by ${b.checkIn}, ${b.id}
    limit ${opts.limit}`);
  return (result as { rows: BookingExportRow[] }).rows;
}

/** A booking row with every column chosen by the caller (seeding). */
export type BookingBulkRow = Required<
  Pick<
    NewBookingRow,
    | 'id'
    | 'propertyId'
    | 'guestId'
    | 'hostId'
    | 'checkIn'
    | 'checkOut'
    | 'guests'
    | 'nights'
    | 'currency'
    | 'cancellationPolicy'
    | 'timezone'
    | 'nightlyPrice'
    | 'subtotal'
    | 'discount'
    | 'cleaningFee'
    | 'serviceFee'
    | 'total'
    | 'status'
  >
> & {
  holdExpiresAt: Date | null;
  confirmedAt: Date | null;
  canceledAt: Date | null;
  canceledBy: BookingRow['canceledBy'];
  cancellationReason: string | null;
  refundAmount: number | null;
  createdAt: Date;
  updatedAt: Date;
};

const BULK_COLUMNS = [
  ['id', 'uuid'],
  ['property_id', 'uuid'],
  ['guest_id', 'uuid'],
  ['host_id', 'uuid'],
  ['check_in', 'date'],
  ['check_out', 'date'],
  ['guests', 'int4'],
  ['nights', 'int4'],
  ['currency', 'text'],
  ['cancellation_policy', 'text'],
  ['timezone', 'text'],
  ['nightly_price', 'int8'],
  ['subtotal', 'int8'],
  ['discount', 'int8'],
  ['cleaning_fee', 'int8'],
  ['service_fee', 'int8'],
  ['total', 'int8'],
  ['status', 'text'],
  ['hold_expires_at', 'timestamptz'],
  ['confirmed_at', 'timestamptz'],
  ['canceled_at', 'timestamptz'],
  ['canceled_by', 'text'],
  ['cancellation_reason', 'text'],
  ['refund_amount', 'int8'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
] as const;

const bulkValue = (r: BookingBulkRow): unknown[] => [
  r.id,
  r.propertyId,
  r.guestId,
  r.hostId,
  r.checkIn,
  r.checkOut,
  r.guests,
  r.nights,
  r.currency,
  r.cancellationPolicy,
  r.timezone,
  r.nightlyPrice,
  r.subtotal,
  r.discount,
  r.cleaningFee,
  r.serviceFee,
  r.total,
  r.status,
  r.holdExpiresAt?.toISOString() ?? null,
  r.confirmedAt?.toISOString() ?? null,
  r.canceledAt?.toISOString() ?? null,
  r.canceledBy,
  r.cancellationReason,
  r.refundAmount,
  r.createdAt.toISOString(),
  r.updatedAt.toISOString(),
];

/**
 * Writes a batch in one statement of one array parameter per column (`unnest`): the SQL
 * text and its plan are the same for every batch whatever its size, and no batch meets
 * the 65,535-parameter limit a multi-row VALUES list has.
 */
export async function insertBookingsBulk(db: Db, rows: readonly BookingBulkRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns: unknown[][] = BULK_COLUMNS.map(() => new Array<unknown>(rows.length));
  rows.forEach((row, i) => bulkValue(row).forEach((v, c) => (columns[c]![i] = v)));
  const names = sql.raw(BULK_COLUMNS.map(([name]) => `"${name}"`).join(', '));
  const arrays = sql.join(
    BULK_COLUMNS.map(([, type], c) => sql`${sql.param(columns[c])}::${sql.raw(type)}[]`),
    sql`, `,
  );
  await db.execute(sql`insert into ${bookings} (${names}) select * from unnest(${arrays})`);
}

/** Fresh planner statistics after a bulk load. */
export async function analyzeBookings(db: Db): Promise<void> {
  await db.execute(sql`analyze ${bookings}`);
}

// The host digest. A booking is new in a window when its payment confirmed it then (a
// stay booked at 06:50 and paid at 07:05 is new in the next window, not lost between two),
// whatever it became since; canceled when it was canceled then, whoever canceled and
// whatever the status before.
const confirmedIn = (from: Date, to: Date) => and(gte(bookings.confirmedAt, from), lt(bookings.confirmedAt, to));
const canceledIn = (from: Date, to: Date) => and(gte(bookings.canceledAt, from), lt(bookings.canceledAt, to));

/**
 * Up to `limit` hosts, ascending by id after `afterHostId`, with a booking confirmed or
 * canceled in `[from, to)`. Each branch is cut at `limit` on its own, a scan of its partial
 * (host_id, time) index whose condition holds both the keyset bound and the window; the
 * union of at most 2 × limit ids is then ordered and cut. A keyset walk: the sweep reads
 * any number of hosts a page at a time, each page as cheap as the first.
 */
export async function findDigestHostIds(
  db: Db,
  opts: { from: Date; to: Date; afterHostId: string | null; limit: number },
): Promise<string[]> {
  const after = opts.afterHostId ? gt(bookings.hostId, opts.afterHostId) : undefined;
  const branch = (inWindow: SQL | undefined) =>
    db
      .selectDistinct({ hostId: bookings.hostId })
      .from(bookings)
      .where(and(inWindow, after))
      .orderBy(asc(bookings.hostId))
      .limit(opts.limit);
  const hosts = branch(confirmedIn(opts.from, opts.to))
    .union(branch(canceledIn(opts.from, opts.to)))
    .as('hosts');
  const rows = await db.select({ hostId: hosts.hostId }).from(hosts).orderBy(asc(hosts.hostId)).limit(opts.limit);
  return rows.map((r) => r.hostId);
}

/** How many of the host's bookings were confirmed, and how many canceled, in `[from, to)`. */
export async function countHostActivity(
  db: Db,
  opts: { hostId: string; from: Date; to: Date },
): Promise<{ confirmed: number; canceled: number }> {
  const isConfirmed = confirmedIn(opts.from, opts.to)!;
  const isCanceled = canceledIn(opts.from, opts.to)!;
  const [row] = await db
    .select({
      confirmed: sql<number>`(count(*) filter (where ${isConfirmed}))::int`,
      canceled: sql<number>`(count(*) filter (where ${isCanceled}))::int`,
    })
    .from(bookings)
    .where(and(eq(bookings.hostId, opts.hostId), or(isConfirmed, isCanceled)));
  return row ?? { confirmed: 0, canceled: 0 };
}

/** The host's bookings confirmed or canceled in `[from, to)`, earliest check-in first, at most `limit`. */
export async function findHostActivity(
  db: Db,
  opts: { hostId: string; from: Date; to: Date; limit: number },
): Promise<BookingRow[]> {
  return db
    .select()
    .from(bookings)
    .where(and(eq(bookings.hostId, opts.hostId), or(confirmedIn(opts.from, opts.to), canceledIn(opts.from, opts.to))))
    .orderBy(asc(bookings.checkIn), asc(bookings.id))
    .limit(opts.limit);
}
