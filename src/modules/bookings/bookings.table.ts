import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { BOOKING_MODES, CANCELLATION_POLICIES, propertyIdColumn } from '../properties/index.js';
import { userIdColumn } from '../users/index.js';

export const BOOKING_STATUSES = [
  'pending',
  'requested',
  'confirmed',
  'declined',
  'canceled',
  'expired',
  'completed',
] as const;
/** Statuses that hold the dates: the exclusion constraint and the calendar range cover these. */
export const ACTIVE_BOOKING_STATUSES = ['pending', 'requested', 'confirmed'] as const;
export const CANCELED_BY = ['guest', 'host', 'admin'] as const;

const amount = (name: string) => bigint(name, { mode: 'number' }).notNull();
const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * A stay. Prices are copied at creation (the place's price may change later) as bigint
 * minor units: 90 nights of the highest nightly price overflow an int4; so are the
 * cancellation policy and time zone. `host_id` is the
 * place's host at booking time, so host lists and exports need no join.
 *
 * Index choices: guest and host lists walk (…, created_at desc, id desc) keysets; the
 * export walks a host's check-ins in order; the hold sweep reads pending rows by expiry;
 * the host digest reads confirmations and cancellations by host and time.
 * The no-overlap EXCLUDE constraint over active rows is in a custom migration
 * (`bookings_no_overlap`): drizzle-kit cannot express it.
 */
export const bookings = pgTable(
  'bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    propertyId: uuid('property_id').notNull().references(propertyIdColumn),
    guestId: uuid('guest_id').notNull().references(userIdColumn),
    hostId: uuid('host_id').notNull().references(userIdColumn),
    checkIn: date('check_in', { mode: 'string' }).notNull(),
    checkOut: date('check_out', { mode: 'string' }).notNull(),
    guests: integer('guests').notNull(),
    nights: integer('nights').notNull(),
    currency: text('currency').notNull(),
    nightlyPrice: amount('nightly_price'),
    subtotal: amount('subtotal'),
    discount: amount('discount'),
    cleaningFee: amount('cleaning_fee'),
    serviceFee: amount('service_fee'),
    total: amount('total'),
    status: text('status', { enum: BOOKING_STATUSES }).notNull().default('pending'),
    holdExpiresAt: instant('hold_expires_at'),
    /** While requested: when the host's time to accept or decline ends (the request then expires). */
    respondBy: instant('respond_by'),
    /** The place's booking mode when booked: a request is answered by the host before it is confirmed. */
    bookingMode: text('booking_mode', { enum: BOOKING_MODES }).notNull().default('instant'),
    /** When the payment confirmed the stay (a late success included): "new" for the host's digest. */
    confirmedAt: instant('confirmed_at'),
    canceledAt: instant('canceled_at'),
    canceledBy: text('canceled_by', { enum: CANCELED_BY }),
    cancellationReason: text('cancellation_reason'),
    refundAmount: bigint('refund_amount', { mode: 'number' }),
    // The terms the guest booked under: a later change of the place's policy or time zone
    // does not change this stay's refunds or its check-in instant.
    cancellationPolicy: text('cancellation_policy', { enum: CANCELLATION_POLICIES }).notNull(),
    timezone: text('timezone').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('bookings_range_check', sql`check_in < check_out`),
    check('bookings_nights_check', sql`nights = check_out - check_in`),
    check('bookings_guests_check', sql`guests >= 1`),
    check(
      'bookings_status_check',
      sql`status in ('pending', 'requested', 'confirmed', 'declined', 'canceled', 'expired', 'completed')`,
    ),
    check('bookings_booking_mode_check', sql`booking_mode in ('instant', 'request')`),
    check('bookings_canceled_by_check', sql`canceled_by is null or canceled_by in ('guest', 'host', 'admin')`),
    check('bookings_total_check', sql`total = subtotal - discount + cleaning_fee + service_fee`),
    check('bookings_refund_check', sql`refund_amount is null or (refund_amount >= 0 and refund_amount <= total)`),
    index('bookings_guest_idx').on(t.guestId, t.createdAt.desc(), t.id.desc()),
    index('bookings_host_idx').on(t.hostId, t.createdAt.desc(), t.id.desc()),
    index('bookings_host_check_in_idx').on(t.hostId, t.checkIn, t.id),
    index('bookings_property_idx').on(t.propertyId, t.checkIn),
    // The host digest: hosts in id order with a confirmation or a cancellation in a window,
    // then one host's rows of the window. Rows never confirmed or canceled stay out.
    index('bookings_host_confirmed_idx')
      .on(t.hostId, t.confirmedAt)
      .where(sql`confirmed_at is not null`),
    index('bookings_host_canceled_idx')
      .on(t.hostId, t.canceledAt)
      .where(sql`canceled_at is not null`),
    index('bookings_pending_hold_idx')
      .on(t.holdExpiresAt)
      .where(sql`status = 'pending'`),
    // The request sweep reads unanswered requests by their deadline.
    index('bookings_requested_respond_idx')
      .on(t.respondBy)
      .where(sql`status = 'requested'`),
  ],
);

export type BookingRow = typeof bookings.$inferSelect;
export type NewBookingRow = typeof bookings.$inferInsert;
