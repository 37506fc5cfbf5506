import { and, asc, eq, gt, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { bookings, type BookingRow } from './bookings.table.js';

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
