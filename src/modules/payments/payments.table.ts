import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { PAYMENT_PROVIDER_NAMES } from '../../platform/payments/index.js';
import { bookingIdColumn } from '../bookings/index.js';

export const PAYMENT_STATUSES = [
  'initiated',
  'authorized',
  'succeeded',
  'voided',
  'failed',
  'refunded',
  'partially_refunded',
] as const;
/** `automatic`: captured at checkout; `manual`: authorized at checkout, captured or voided later (requests). */
export const CAPTURE_METHODS = ['automatic', 'manual'] as const;
/** What is to be done with an authorization: decided in a transaction, sent to the provider after it. */
export const SETTLEMENTS = ['capture', 'void'] as const;
export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
/**
 * Why money goes back: a cancel (by whom), a success for dates no longer held, or a second
 * payment of a booking already paid (a capture is a fact we record, then undo).
 */
export const REFUND_REASONS = [
  'canceled_by_guest',
  'canceled_by_host',
  'canceled_by_admin',
  'dates_taken',
  'paid_twice',
] as const;

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * One checkout attempt for a booking at a provider. `provider_reference` is what the
 * provider knows it by (our `tx_ref` at Chapa, the Checkout Session id at Stripe); the
 * webhook finds the payment by it.
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookingId: uuid('booking_id').notNull().references(bookingIdColumn),
    provider: text('provider', { enum: PAYMENT_PROVIDER_NAMES }).notNull(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('initiated'),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    refundedAmount: bigint('refunded_amount', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull(),
    checkoutUrl: text('checkout_url'),
    providerReference: text('provider_reference').notNull(),
    /** The provider's id of the captured charge (Stripe payment intent), needed to refund. */
    providerChargeId: text('provider_charge_id'),
    captureMethod: text('capture_method', { enum: CAPTURE_METHODS }).notNull().default('automatic'),
    /** The provider's id of the authorization (Stripe payment intent), to capture or void it. */
    authorizationReference: text('authorization_reference'),
    authorizedAt: instant('authorized_at'),
    /** Set when the booking's fate decides the authorization's: capture (accepted) or void. */
    settlement: text('settlement', { enum: SETTLEMENTS }),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('payments_amount_check', sql`amount > 0`),
    check('payments_refunded_check', sql`refunded_amount >= 0 and refunded_amount <= amount`),
    check('payments_capture_method_check', sql`capture_method in ('automatic', 'manual')`),
    check('payments_settlement_check', sql`settlement is null or settlement in ('capture', 'void')`),
    uniqueIndex('payments_provider_reference_key').on(t.provider, t.providerReference),
    index('payments_booking_idx').on(t.bookingId, t.createdAt.desc()),
  ],
);

/**
 * Every provider event we applied, by the provider's own event id: a repeat delivery
 * finds its row and is acknowledged without being applied twice.
 */
export const paymentEvents = pgTable(
  'payment_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider', { enum: PAYMENT_PROVIDER_NAMES }).notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    paymentId: uuid('payment_id').references(() => payments.id),
    payload: jsonb('payload'),
    receivedAt: instant('received_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('payment_events_provider_event_key').on(t.provider, t.eventId)],
);

/**
 * A refund asked of the provider. Written in the transaction that decides it (a cancel, a
 * late success), sent to the provider after commit; `pending` rows are what a retry picks up.
 */
export const paymentRefunds = pgTable(
  'payment_refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    reason: text('reason', { enum: REFUND_REASONS }).notNull(),
    status: text('status', { enum: REFUND_STATUSES }).notNull().default('pending'),
    providerRefundId: text('provider_refund_id'),
    lastError: text('last_error'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('payment_refunds_amount_check', sql`amount > 0`),
    index('payment_refunds_pending_idx')
      .on(t.createdAt)
      .where(sql`status = 'pending'`),
    // One refund per payment and reason: a repeated cancel or webhook cannot refund twice.
    uniqueIndex('payment_refunds_payment_reason_key').on(t.paymentId, t.reason),
  ],
);

export type PaymentRow = typeof payments.$inferSelect;
export type PaymentEventRow = typeof paymentEvents.$inferSelect;
export type PaymentRefundRow = typeof paymentRefunds.$inferSelect;
