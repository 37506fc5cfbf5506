import type { RequestContext } from '../../platform/context.js';
import { declareEvents } from '../../module.js';
import type { CanceledBy } from './bookings.policy.js';
import type { Booking } from './bookings.schemas.js';

/** `booking.canceled`: published inside the cancel's transaction, after the row is canceled and its refund decided. */
export interface CancellationEvent {
  booking: Booking;
  refundAmount: number;
  canceledBy: CanceledBy;
  ctx: RequestContext;
}

/** `booking.completed`: published inside the completion's transaction, once per stay. */
export interface CompletionEvent {
  booking: Booking;
  /** The stay's check-out instant (11:00 in the place's zone at booking time). */
  checkOutAt: Date;
}

/**
 * `booking.accepted` (the host accepted a request: its authorized payment is to be captured)
 * and `booking.released` (a request declined or expired: its authorization is to be voided),
 * published inside the transaction of the change, once per booking.
 */
export interface RequestAnsweredEvent {
  booking: Booking;
  outcome: 'accepted' | 'declined' | 'expired';
}

/** The events bookings publishes; a handler that throws rolls the change back. */
export type BookingEvents = {
  'booking.canceled': CancellationEvent;
  'booking.completed': CompletionEvent;
  'booking.accepted': RequestAnsweredEvent;
  'booking.released': RequestAnsweredEvent;
};

export const bookingEvents = declareEvents<BookingEvents>(
  'booking.canceled',
  'booking.completed',
  'booking.accepted',
  'booking.released',
);
