import { and, asc, eq, inArray, ne, notExists, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { paymentEvents, paymentRefunds, payments, type PaymentRefundRow, type PaymentRow } from './payments.table.js';

type NewPayment = typeof payments.$inferInsert;
type Provider = PaymentRow['provider'];
type Reason = PaymentRefundRow['reason'];

/** Statuses of a payment whose money was captured. */
export const CAPTURED_STATUSES = ['succeeded', 'refunded', 'partially_refunded'] as const;

export async function insertPayment(db: Db, row: NewPayment): Promise<PaymentRow> {
  const [created] = await db.insert(payments).values(row).returning();
  return created!;
}

export async function findPaymentById(db: Db, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id)).limit(1);
  return row;
}

/** The payment a provider knows by `reference`; with `lock`, locked until the caller's transaction ends (a webhook). */
export async function findPaymentByReference(
  db: Db,
  provider: Provider,
  reference: string,
  options: { lock?: boolean } = {},
): Promise<PaymentRow | undefined> {
  const query = db
    .select()
    .from(payments)
    .where(and(eq(payments.provider, provider), eq(payments.providerReference, reference)))
    .limit(1);
  const [row] = await (options.lock ? query.for('update') : query);
  return row;
}

/** The booking's captured payment (at most one, by the partial unique index), locked. */
/**
 * The payment that paid for the booking, locked: captured and not itself being given back
 * in full (a second payment, or one for dates no longer held). The first such capture.
 */
export async function lockCapturedPayment(db: Db, bookingId: string): Promise<PaymentRow | undefined> {
  const givenBack = db
    .select({ one: sql`1` })
    .from(paymentRefunds)
    .where(
      and(eq(paymentRefunds.paymentId, payments.id), inArray(paymentRefunds.reason, ['dates_taken', 'paid_twice'])),
    );
  const [row] = await db
    .select()
    .from(payments)
    .where(
      and(eq(payments.bookingId, bookingId), inArray(payments.status, [...CAPTURED_STATUSES]), notExists(givenBack)),
    )
    .orderBy(asc(payments.createdAt), asc(payments.id))
    .limit(1)
    .for('update');
  return row;
}

export async function hasCapturedPayment(db: Db, bookingId: string): Promise<boolean> {
  const rows = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), inArray(payments.status, [...CAPTURED_STATUSES])))
    .limit(1);
  return rows.length > 0;
}

/** How many payments the booking has, of any status. */
export async function countPayments(db: Db, bookingId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(payments)
    .where(eq(payments.bookingId, bookingId));
  return row?.n ?? 0;
}

export async function updateCheckout(
  db: Db,
  id: string,
  fields: { providerReference: string; checkoutUrl: string; now: Date },
): Promise<PaymentRow> {
  const [row] = await db
    .update(payments)
    .set({ providerReference: fields.providerReference, checkoutUrl: fields.checkoutUrl, updatedAt: fields.now })
    .where(eq(payments.id, id))
    .returning();
  return row!;
}

export async function markFailed(db: Db, id: string, now: Date, onlyIfInitiated = true): Promise<boolean> {
  const rows = await db
    .update(payments)
    .set({ status: 'failed', updatedAt: now })
    .where(and(eq(payments.id, id), onlyIfInitiated ? eq(payments.status, 'initiated') : undefined))
    .returning({ id: payments.id });
  return rows.length > 0;
}

/** Records the capture: the payment succeeded, with the provider's charge id when it gave one. */
export async function markCaptured(
  db: Db,
  payment: PaymentRow,
  chargeId: string | undefined,
  now: Date,
): Promise<void> {
  await db
    .update(payments)
    .set({ status: 'succeeded', providerChargeId: chargeId ?? payment.providerChargeId, updatedAt: now })
    .where(eq(payments.id, payment.id));
}

/** Adds a completed refund to the payment; a captured payment becomes (partially) refunded. */
export async function addRefunded(db: Db, id: string, amount: number, now: Date): Promise<PaymentRow | undefined> {
  const [row] = await db
    .update(payments)
    .set({
      refundedAmount: sql`${payments.refundedAmount} + ${amount}`,
      status: sql`case when ${payments.status} in ('succeeded', 'refunded', 'partially_refunded')
        then (case when ${payments.refundedAmount} + ${amount} >= ${payments.amount} then 'refunded' else 'partially_refunded' end)
        else ${payments.status} end`,
      updatedAt: now,
    })
    .where(eq(payments.id, id))
    .returning();
  return row;
}

/** The event, unless the provider delivered it before: then nothing (the caller acknowledges). */
export async function insertEventOnce(
  db: Db,
  event: { provider: Provider; eventId: string; type: string; paymentId: string | null; payload: unknown },
): Promise<boolean> {
  const rows = await db
    .insert(paymentEvents)
    .values(event)
    .onConflictDoNothing({ target: [paymentEvents.provider, paymentEvents.eventId] })
    .returning({ id: paymentEvents.id });
  return rows.length > 0;
}

export async function setEventPayment(db: Db, provider: Provider, eventId: string, paymentId: string): Promise<void> {
  await db
    .update(paymentEvents)
    .set({ paymentId })
    .where(and(eq(paymentEvents.provider, provider), eq(paymentEvents.eventId, eventId)));
}

/** Refunds asked of this payment and not failed: what is already promised back. */
export async function sumOpenRefunds(db: Db, paymentId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${paymentRefunds.amount}), 0)` })
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.paymentId, paymentId), ne(paymentRefunds.status, 'failed')));
  return Number(row?.total ?? 0);
}

/** A refund row, unless this payment already has one for the reason (a repeat cancel or webhook). */
export async function insertRefundOnce(
  db: Db,
  row: { paymentId: string; amount: number; reason: Reason; now: Date },
): Promise<PaymentRefundRow | undefined> {
  const [created] = await db
    .insert(paymentRefunds)
    .values({
      paymentId: row.paymentId,
      amount: row.amount,
      reason: row.reason,
      createdAt: row.now,
      updatedAt: row.now,
    })
    .onConflictDoNothing({ target: [paymentRefunds.paymentId, paymentRefunds.reason] })
    .returning();
  return created;
}

export async function findRefund(db: Db, id: string): Promise<PaymentRefundRow | undefined> {
  const [row] = await db.select().from(paymentRefunds).where(eq(paymentRefunds.id, id)).limit(1);
  return row;
}

/** Every payment of these bookings (payments_booking_idx), oldest first per booking. */
export function findPaymentsByBookingIds(db: Db, bookingIds: readonly string[]): Promise<PaymentRow[]> {
  if (bookingIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(payments)
    .where(inArray(payments.bookingId, [...bookingIds]))
    .orderBy(asc(payments.bookingId), asc(payments.createdAt), asc(payments.id));
}

export function findRefundsOfPayment(db: Db, paymentId: string): Promise<PaymentRefundRow[]> {
  return db
    .select()
    .from(paymentRefunds)
    .where(eq(paymentRefunds.paymentId, paymentId))
    .orderBy(asc(paymentRefunds.createdAt));
}

export function findPendingRefunds(db: Db, limit: number): Promise<PaymentRefundRow[]> {
  return db
    .select()
    .from(paymentRefunds)
    .where(eq(paymentRefunds.status, 'pending'))
    .orderBy(asc(paymentRefunds.createdAt))
    .limit(limit);
}

/** Marks a pending refund done; false when another attempt got there first. */
export async function completeRefund(db: Db, id: string, providerRefundId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(paymentRefunds)
    .set({ status: 'succeeded', providerRefundId, lastError: null, updatedAt: now })
    .where(and(eq(paymentRefunds.id, id), eq(paymentRefunds.status, 'pending')))
    .returning({ id: paymentRefunds.id });
  return rows.length > 0;
}

export async function recordRefundError(db: Db, id: string, error: string, now: Date): Promise<void> {
  await db
    .update(paymentRefunds)
    .set({ lastError: error.slice(0, 500), updatedAt: now })
    .where(and(eq(paymentRefunds.id, id), eq(paymentRefunds.status, 'pending')));
}
