import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { payments, type PaymentRow } from './payments.table.js';

type Provider = PaymentRow['provider'];

/** The payment by our own reference (its id) at this provider, locked until the caller's transaction ends. */
export async function lockPaymentById(db: Db, provider: Provider, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.id, id), eq(payments.provider, provider)))
    .for('update');
  return row;
}

/** initiated → authorized, with the provider's id of the authorization; false when it was not initiated. */
export async function markAuthorized(
  db: Db,
  id: string,
  authorizationReference: string | null,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(payments)
    .set({ status: 'authorized', authorizationReference, authorizedAt: now, updatedAt: now })
    .where(and(eq(payments.id, id), eq(payments.status, 'initiated')))
    .returning({ id: payments.id });
  return rows.length > 0;
}

/** The booking's authorizations not yet decided, oldest first, locked. */
export function lockOpenAuthorizations(db: Db, bookingId: string): Promise<PaymentRow[]> {
  return db
    .select()
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), eq(payments.status, 'authorized'), isNull(payments.settlement)))
    .orderBy(asc(payments.createdAt), asc(payments.id))
    .for('update');
}

/** Decides an authorization's fate once: false when it was decided already (or is no longer authorized). */
export async function decideSettlement(
  db: Db,
  id: string,
  settlement: 'capture' | 'void',
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(payments)
    .set({ settlement, updatedAt: now })
    .where(and(eq(payments.id, id), eq(payments.status, 'authorized'), isNull(payments.settlement)))
    .returning({ id: payments.id });
  return rows.length > 0;
}

/**
 * The provider captured or voided the authorization: authorized → succeeded | voided, once
 * (conditional on still being authorized). With the captured charge's id for refunds.
 */
export async function completeSettlement(
  db: Db,
  id: string,
  status: 'succeeded' | 'voided',
  now: Date,
): Promise<PaymentRow | undefined> {
  const [row] = await db
    .update(payments)
    .set({
      status,
      ...(status === 'succeeded' && { providerChargeId: sql`${payments.authorizationReference}` }),
      updatedAt: now,
    })
    .where(and(eq(payments.id, id), eq(payments.status, 'authorized')))
    .returning();
  return row;
}

/** The booking's authorization whose capture is decided but not yet done (an accepted request), locked. */
export async function lockCapturePending(db: Db, bookingId: string): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(
      and(eq(payments.bookingId, bookingId), eq(payments.status, 'authorized'), eq(payments.settlement, 'capture')),
    )
    .limit(1)
    .for('update');
  return row;
}
