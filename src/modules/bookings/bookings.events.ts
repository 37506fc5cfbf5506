import type { RequestContext } from '../../platform/context.js';
import { declareEvents } from '../../module.js';
import type { CanceledBy } from './bookings.policy.js';
import type { Booking } from './bookings.schemas.js';

/** `booking.canceled`: published inside the cancel's transaction, after the row is canceled and its refund decided. */
export interface CancellationEvent {
  booking: Booking;
  /** The place's host (whom partner events about the booking concern). */
  hostId: string;
  refundAmount: number;
  canceledBy: CanceledBy;
  ctx: RequestContext;
}

/** `booking.completed`: published inside the completion's transaction, once per stay. */
export interface CompletionEvent {
  booking: Booking;
  hostId: string;
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

/**
 * `booking.created` (held or, for a request without authorization, requested at once),
 * `booking.requested` (a request awaits its host), `booking.confirmed`, `booking.declined`,
 * `booking.expired` (a hold or a request that ran out): published inside the change's
 * transaction, with the booking as it is now and its place's host.
 */
export interface BookingChangeEvent {
  booking: Booking;
  hostId: string;
}

/** The events bookings publishes; a handler that throws rolls the change back. */
export type BookingEvents = {
  'booking.canceled': CancellationEvent;
  'booking.completed': CompletionEvent;
  'booking.accepted': RequestAnsweredEvent;
  'booking.released': RequestAnsweredEvent;
  'booking.created': BookingChangeEvent;
  'booking.requested': BookingChangeEvent;
  'booking.confirmed': BookingChangeEvent;
  'booking.declined': BookingChangeEvent;
  'booking.expired': BookingChangeEvent;
};

export const bookingEvents = declareEvents<BookingEvents>(
  'booking.canceled',
  'booking.completed',
  'booking.accepted',
  'booking.released',
  'booking.created',
  'booking.requested',
  'booking.confirmed',
  'booking.declined',
  'booking.expired',
);
