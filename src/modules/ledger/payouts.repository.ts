import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { payoutAccounts, payouts, type PayoutAccountRow, type PayoutRow } from './ledger.table.js';

export async function findPayoutAccount(db: Db, hostId: string): Promise<PayoutAccountRow | undefined> {
  const [row] = await db.select().from(payoutAccounts).where(eq(payoutAccounts.hostId, hostId));
  return row;
}

/** The host's account (the one stored first wins a race). */
export async function insertPayoutAccount(
  db: Db,
  row: Omit<PayoutAccountRow, 'createdAt' | 'updatedAt'>,
  now: Date,
): Promise<PayoutAccountRow> {
  await db
    .insert(payoutAccounts)
    .values({ ...row, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: payoutAccounts.hostId });
  return (await findPayoutAccount(db, row.hostId))!;
}

export async function setPayoutAccountReady(db: Db, hostId: string, ready: boolean, now: Date): Promise<void> {
  await db.update(payoutAccounts).set({ ready, updatedAt: now }).where(eq(payoutAccounts.hostId, hostId));
}

export async function findPayout(db: Db, id: string): Promise<PayoutRow | undefined> {
  const [row] = await db.select().from(payouts).where(eq(payouts.id, id));
  return row;
}

export async function findPendingPayout(db: Db, hostId: string, currency: string): Promise<PayoutRow | undefined> {
  const [row] = await db
    .select()
    .from(payouts)
    .where(and(eq(payouts.hostId, hostId), eq(payouts.currency, currency), eq(payouts.status, 'pending')));
  return row;
}

export async function insertPayout(
  db: Db,
  row: Pick<PayoutRow, 'hostId' | 'amount' | 'currency' | 'provider' | 'accountId'>,
  now: Date,
): Promise<PayoutRow> {
  const [created] = await db
    .insert(payouts)
    .values({ ...row, status: 'pending', createdAt: now, updatedAt: now })
    .returning();
  return created!;
}

/** pending → paid, once. */
export async function markPayoutPaid(db: Db, id: string, reference: string, now: Date): Promise<PayoutRow | undefined> {
  const [row] = await db
    .update(payouts)
    .set({ status: 'paid', providerReference: reference, paidAt: now, updatedAt: now })
    .where(and(eq(payouts.id, id), eq(payouts.status, 'pending')))
    .returning();
  return row;
}

/** pending (refused) or paid (reversed) → failed, once. */
export async function markPayoutFailed(
  db: Db,
  id: string,
  from: 'pending' | 'paid',
  reason: string,
  now: Date,
): Promise<PayoutRow | undefined> {
  const [row] = await db
    .update(payouts)
    .set({ status: 'failed', failureReason: reason.slice(0, 500), updatedAt: now })
    .where(and(eq(payouts.id, id), eq(payouts.status, from)))
    .returning();
  return row;
}

/** Payouts left pending (a run that stopped after starting them), oldest first. */
export async function pendingPayouts(db: Db, limit: number): Promise<PayoutRow[]> {
  return db.select().from(payouts).where(eq(payouts.status, 'pending')).orderBy(asc(payouts.createdAt)).limit(limit);
}

/** A host's payouts, newest first, keyset after (createdAt, id). */
export async function listPayouts(
  db: Db,
  hostId: string,
  limit: number,
  after?: { createdAt: Date; id: string },
): Promise<PayoutRow[]> {
  return db
    .select()
    .from(payouts)
    .where(
      and(
        eq(payouts.hostId, hostId),
        after ? afterDescending(payouts.createdAt, payouts.id, [after.createdAt, after.id]) : undefined,
      ),
    )
    .orderBy(desc(payouts.createdAt), desc(payouts.id))
    .limit(limit);
}

/** Per currency: paid and in-transit (pending) payout sums of a host. */
export async function payoutSums(
  db: Db,
  hostId: string,
): Promise<{ currency: string; paid: number; inTransit: number }[]> {
  const rows = await db
    .select({
      currency: payouts.currency,
      paid: sql<string>`coalesce(sum(${payouts.amount}) filter (where ${payouts.status} = 'paid'), 0)`,
      inTransit: sql<string>`coalesce(sum(${payouts.amount}) filter (where ${payouts.status} = 'pending'), 0)`,
    })
    .from(payouts)
    .where(eq(payouts.hostId, hostId))
    .groupBy(payouts.currency);
  return rows.map((r) => ({ currency: r.currency, paid: Number(r.paid), inTransit: Number(r.inTransit) }));
}
