import { and, desc, eq, getTableColumns, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { resultRows } from '../db/batch.js';
import type { Db } from '../db/types.js';
import { mailDeliveries, type MailDeliveryRow } from './deliveries.table.js';

// What operators see and do with the delivery log: keys in doubt (claimed long ago and
// never marked sent: their sender may have died before or after the server took the
// message), counted, listed and resolved.

/** The lists an admin can ask for: keys in doubt, or keys in one state. */
export const DELIVERY_FILTERS = ['in_doubt', 'sending', 'failed', 'sent'] as const;
export type DeliveryFilter = (typeof DELIVERY_FILTERS)[number];

const d = mailDeliveries;

/** When the key was last claimed; a key claimed before claims were timed counts from its creation. */
const claimTime = sql`coalesce(${d.claimedAt}, ${d.createdAt})`;

/**
 * `sending`, claimed before `claimedBefore`. Both arms are answered by the partial index
 * mail_deliveries_sending_idx (claimed_at where state = 'sending'), so the keys in doubt are
 * found without reading the log.
 */
const inDoubt = (claimedBefore: Date): SQL =>
  and(
    eq(d.state, 'sending'),
    or(lt(d.claimedAt, claimedBefore), and(isNull(d.claimedAt), lt(d.createdAt, claimedBefore))),
  )!;

/** A delivery as operators see it: the row, when it was last claimed, and whether it is in doubt. */
export type DeliveryView = MailDeliveryRow & { claimTime: Date; inDoubt: boolean };

const viewColumns = (claimedBefore: Date) => ({
  ...getTableColumns(d),
  claimTime: sql<Date>`${claimTime}`.mapWith(d.createdAt),
  inDoubt: sql<boolean>`(${inDoubt(claimedBefore)})`.mapWith(Boolean),
});

/**
 * How many keys are in doubt (at most `cap`) and the oldest claim among those counted: one
 * bounded read of the partial index, cheap enough for every metrics scrape.
 */
export async function summarizeDeliveriesInDoubt(
  db: Db,
  claimedBefore: Date,
  cap: number,
): Promise<{ count: number; oldestClaim: Date | null }> {
  const [row] = resultRows<{ count: number | string; oldest: string | Date | null }>(
    await db.execute(sql`
      select count(*)::int as count, min(claim) as oldest
      from (select ${claimTime} as claim from ${d} where ${inDoubt(claimedBefore)} limit ${cap}) as doubtful`),
  );
  const oldest = row?.oldest ?? null;
  return { count: Number(row?.count ?? 0), oldestClaim: oldest === null ? null : new Date(oldest) };
}

/** Deliveries, latest claim first (claim time desc, key desc), after a keyset position when given. */
export function listDeliveries(
  db: Db,
  opts: {
    limit: number;
    claimedBefore: Date;
    filter?: DeliveryFilter;
    after?: { claimTime: Date; key: string };
  },
): Promise<DeliveryView[]> {
  const where: (SQL | undefined)[] = [];
  if (opts.filter === 'in_doubt') where.push(inDoubt(opts.claimedBefore));
  else if (opts.filter) where.push(eq(d.state, opts.filter));
  if (opts.after) {
    where.push(
      sql`(${claimTime}, ${d.dedupeKey}) < (${opts.after.claimTime.toISOString()}::timestamptz, ${opts.after.key})`,
    );
  }
  return db
    .select(viewColumns(opts.claimedBefore))
    .from(d)
    .where(and(...where))
    .orderBy(desc(claimTime), desc(d.dedupeKey))
    .limit(opts.limit);
}

/** One delivery, locked until the transaction ends (an admin resolving it). */
export async function lockDelivery(db: Db, key: string, claimedBefore: Date): Promise<DeliveryView | undefined> {
  const [row] = await db.select(viewColumns(claimedBefore)).from(d).where(eq(d.dedupeKey, key)).for('update');
  return row;
}

/** A key in doubt is `sent` as of `at` (an admin found it in the mail server's log); undefined when it is not in doubt. */
export async function resolveDeliveryAsSent(
  db: Db,
  key: string,
  at: Date,
  claimedBefore: Date,
): Promise<DeliveryView | undefined> {
  const [row] = await db
    .update(d)
    .set({ state: 'sent', sentAt: at, lastError: null })
    .where(and(eq(d.dedupeKey, key), inDoubt(claimedBefore)))
    .returning(viewColumns(claimedBefore));
  return row;
}

/**
 * A key in doubt is `failed` with `reason`, so the next send of it claims it and sends;
 * undefined when it is not in doubt.
 */
export async function releaseDelivery(
  db: Db,
  key: string,
  reason: string,
  claimedBefore: Date,
): Promise<DeliveryView | undefined> {
  const [row] = await db
    .update(d)
    .set({ state: 'failed', lastError: reason })
    .where(and(eq(d.dedupeKey, key), inDoubt(claimedBefore)))
    .returning(viewColumns(claimedBefore));
  return row;
}
