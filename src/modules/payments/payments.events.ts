import { declareEvents, type Publish } from '../../module.js';
import type { Db } from '../../platform/db/types.js';
import type { Booking, BookingsApi } from '../bookings/index.js';
import type { Payment } from './payments.schemas.js';

/** The booking a payment event is about: its parties, its dates and its price. */
export interface PaymentEventBooking {
  id: string;
  propertyId: string;
  guestId: string;
  hostId: string;
  checkIn: string;
  checkOut: string;
  /** The place's IANA zone (check-in is 15:00 there). */
  timezone: string;
  status: Booking['status'];
  currency: string;
  price: Booking['price'];
}

/**
 * `payment.succeeded`: a payment's money was captured (an instant checkout's success, or a
 * request's authorization captured), published once per payment inside the capture's
 * transaction. `keeps` is false when the capture cannot stay (the dates were taken, or
 * the booking was paid already): its full refund is recorded in the same transaction.
 */
export interface PaymentSucceededEvent {
  payment: Payment;
  booking: PaymentEventBooking;
  keeps: boolean;
}

/** `payment.refunded`: a refund was sent and recorded, published once per refund inside that transaction. */
export interface PaymentRefundedEvent {
  payment: Payment;
  refundId: string;
  /** Minor units of the payment's currency. */
  amount: number;
  booking: PaymentEventBooking;
}

export type PaymentEvents = {
  'payment.succeeded': PaymentSucceededEvent;
  'payment.refunded': PaymentRefundedEvent;
};

export const paymentHubEvents = declareEvents<PaymentEvents>('payment.succeeded', 'payment.refunded');

export type PublishPaymentEvent = Publish<PaymentEvents>;

/** The booking's part of a payment event, read inside `tx`. */
export async function eventBooking(
  bookings: Pick<BookingsApi, 'findStay'>,
  tx: Db,
  bookingId: string,
): Promise<PaymentEventBooking> {
  const stay = await bookings.findStay(tx, bookingId);
  if (!stay) throw new Error(`payment event: booking ${bookingId} not found`);
  const b = stay.booking;
  return {
    id: b.id,
    propertyId: b.propertyId,
    guestId: b.guestId,
    hostId: stay.hostId,
    checkIn: b.checkIn,
    checkOut: b.checkOut,
    timezone: stay.timezone,
    status: b.status,
    currency: b.currency,
    price: b.price,
  };
}
