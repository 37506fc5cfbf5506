import { z } from 'zod';
import { EXAMPLE_ID, idParam } from '../../platform/openapi-examples.js';
import { pageQuerySchema } from '../../platform/pagination.js';
import { isoDate } from '../../platform/validation.js';
import { nightsError } from './bookings.policy.js';
import { BOOKING_MODES } from '../properties/index.js';
import { GuestRating } from '../users/index.js';
import { BOOKING_STATUSES, CANCELED_BY, type BookingRow } from './bookings.table.js';

export const BookingStatus = z.enum(BOOKING_STATUSES);
export const CanceledBy = z.enum(CANCELED_BY);
export const BookingMode = z.enum(BOOKING_MODES);

const stayFields = {
  propertyId: z.uuid(),
  checkIn: isoDate.describe('Arrival date (property local), from today to 365 days ahead; check-in is at 15:00.'),
  checkOut: isoDate.describe('Departure date (property local), 1 to 90 nights after checkIn; check-out is at 11:00.'),
  guests: z.number().int().min(1).max(50).describe('1 to the property’s `maxGuests`.'),
};

// The night count is a rule of the stay alone, so it is checked with the input (422 with
// its field) before anything is read.
const withNights = <T extends z.ZodType<{ checkIn: string; checkOut: string }>>(schema: T) =>
  schema.superRefine((v, ctx) => {
    const error = nightsError(v.checkIn, v.checkOut);
    if (error) ctx.addIssue({ code: 'custom', path: [error.path], message: error.message });
  });

// Not `QuoteInput`: the OpenAPI generator names the input form of `Quote` so.
const STAY_EXAMPLE = { propertyId: EXAMPLE_ID.property, checkIn: '2027-03-12', checkOut: '2027-03-19', guests: 2 };

export const QuoteInput = withNights(z.strictObject(stayFields)).meta({ id: 'QuoteRequest', examples: [STAY_EXAMPLE] });
export type QuoteInput = z.infer<typeof QuoteInput>;

export const CreateBookingInput = withNights(z.strictObject(stayFields)).meta({
  id: 'CreateBookingInput',
  examples: [STAY_EXAMPLE],
});
export type CreateBookingInput = z.infer<typeof CreateBookingInput>;

export const CancelBookingInput = z
  .strictObject({
    reason: z.string().trim().max(1000).optional().describe('Shown to the other party; up to 1000 characters.'),
  })
  .meta({ id: 'CancelBookingInput', examples: [{ reason: 'Our plans changed; sorry for the short notice.' }] });
export type CancelBookingInput = z.infer<typeof CancelBookingInput>;

export const DeclineBookingInput = z
  .strictObject({
    reason: z.string().trim().max(1000).optional().describe('Told to the guest; up to 1000 characters.'),
  })
  .meta({
    id: 'DeclineBookingInput',
    examples: [{ reason: 'Sorry, the place is not available for a group that size.' }],
  });
export type DeclineBookingInput = z.infer<typeof DeclineBookingInput>;

export const ListBookingsQuery = pageQuerySchema.extend({
  as: z
    .enum(['guest', 'host'])
    .default('guest')
    .describe('`guest` (default): your own trips. `host`: bookings of your properties.'),
  status: BookingStatus.optional().describe('Only bookings in this status.'),
});
export type ListBookingsQuery = z.infer<typeof ListBookingsQuery>;

export const BookingIdParams = z.object({ id: idParam('booking') });

export const NightPrice = z
  .object({
    date: z.iso.date().describe('The day the night begins.'),
    price: z.number().int().describe('Its price, minor units.'),
  })
  .meta({ id: 'NightPrice', description: 'One night of a stay and its price.' });

export const PriceBreakdown = z
  .object({
    nightly: z.number().int().describe('The place’s nightly price, minor units (weekend nights may differ).'),
    subtotal: z
      .number()
      .int()
      .describe(
        'The sum of the nights’ prices: `weekendPrice` on Friday and Saturday nights when set, else `nightlyPrice`.',
      ),
    discount: z.number().int().describe('Weekly discount (7 nights or more), rounded half up.'),
    cleaningFee: z.number().int(),
    serviceFee: z
      .number()
      .int()
      .describe('SERVICE_FEE_PERCENT of (subtotal − discount + cleaningFee), rounded half up.'),
    total: z.number().int().describe('subtotal − discount + cleaningFee + serviceFee.'),
    nights: z
      .array(NightPrice)
      .nullable()
      .describe('Each night and its price, in order, on a quote; null on a booking (it keeps the totals only).'),
  })
  .meta({ id: 'PriceBreakdown', description: 'Integers in the currency’s minor units.' });
export type PriceBreakdown = z.infer<typeof PriceBreakdown>;

export const Booking = z
  .object({
    id: z.uuid(),
    propertyId: z.uuid(),
    guestId: z.uuid(),
    checkIn: z.string(),
    checkOut: z.string(),
    guests: z.number().int(),
    nights: z.number().int(),
    currency: z.string(),
    price: PriceBreakdown,
    status: BookingStatus,
    holdExpiresAt: z.iso
      .datetime()
      .nullable()
      .describe('While pending: when the unpaid hold ends and the booking expires.'),
    respondBy: z.iso
      .datetime()
      .nullable()
      .describe('While requested: when the host’s time to accept or decline ends; the request then expires.'),
    bookingMode: BookingMode.describe(
      'The place’s booking mode when booked: `instant` (confirmed by payment) or `request` (the host accepts or declines).',
    ),
    canceledAt: z.iso.datetime().nullable(),
    canceledBy: CanceledBy.nullable(),
    cancellationReason: z.string().nullable(),
    refundAmount: z.number().int().nullable().describe('Set when canceled: minor units refunded.'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Booking' });
export type Booking = z.infer<typeof Booking>;

/** A booking as `GET /v1/bookings/{id}` answers it: with the guest's rating when its host reads it. */
export const BookingDetail = Booking.extend({
  guestRating: GuestRating.nullable().describe(
    'For the place’s host only: the guest’s rating from the published reviews hosts wrote of their stays (`count` 0: no reviews yet). Null for the guest and admins.',
  ),
}).meta({ id: 'BookingDetail' });
export type BookingDetail = z.infer<typeof BookingDetail>;

export const Quote = Booking.pick({
  propertyId: true,
  checkIn: true,
  checkOut: true,
  guests: true,
  nights: true,
  currency: true,
  price: true,
})
  .extend({
    available: z
      .boolean()
      .describe(
        'Whether every night is free now (no pending or confirmed booking, no block; overdue holds count as free).',
      ),
  })
  .meta({ id: 'BookingQuote' });
export type Quote = z.infer<typeof Quote>;

type Instant = Date | number;
/**
 * What the Booking resource is made of: a booking row as the ORM reads it (instants as
 * Dates), or as the export reads it (instants as epoch milliseconds).
 */
export type BookingSource = Omit<
  BookingRow,
  | 'hostId'
  | 'cancellationPolicy'
  | 'timezone'
  | 'confirmedAt'
  | 'holdExpiresAt'
  | 'respondBy'
  | 'canceledAt'
  | 'createdAt'
  | 'updatedAt'
> & {
  holdExpiresAt: Instant | null;
  respondBy: Instant | null;
  canceledAt: Instant | null;
  createdAt: Instant;
  updatedAt: Instant;
};

const iso = (at: Instant) => new Date(at).toISOString();

export function toBookingDto(row: BookingSource): Booking {
  return {
    id: row.id,
    propertyId: row.propertyId,
    guestId: row.guestId,
    checkIn: row.checkIn,
    checkOut: row.checkOut,
    guests: row.guests,
    nights: row.nights,
    currency: row.currency,
    price: {
      nightly: row.nightlyPrice,
      subtotal: row.subtotal,
      discount: row.discount,
      cleaningFee: row.cleaningFee,
      serviceFee: row.serviceFee,
      total: row.total,
      nights: null,
    },
    status: row.status,
    holdExpiresAt: row.holdExpiresAt === null ? null : iso(row.holdExpiresAt),
    respondBy: row.respondBy === null ? null : iso(row.respondBy),
    bookingMode: row.bookingMode,
    canceledAt: row.canceledAt === null ? null : iso(row.canceledAt),
    canceledBy: row.canceledBy,
    cancellationReason: row.cancellationReason,
    refundAmount: row.refundAmount,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
