import type { RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import type { BookingsAccount } from './bookings.account.js';
import { createBookingFlow } from './bookings.booking.js';
import type { BookingsServiceDeps } from './bookings.deps.js';
import { createBookingRequests, type RequestOutcome } from './bookings.requests.js';
import type { BookingsDigestSection } from './bookings.digest.js';
import type { BookingExporter } from './bookings.export.js';
import { createBookingLifecycle, type ConfirmOutcome } from './bookings.lifecycle.js';
import type { BookingMail } from './bookings.mail.js';
import { createBookingQueries, type BookingsPage, type Stay } from './bookings.queries.js';
import type {
  Booking,
  CancelBookingInput,
  CreateBookingInput,
  DeclineBookingInput,
  ListBookingsQuery,
  Quote,
  QuoteInput,
} from './bookings.schemas.js';

export type { BookingsServiceDeps } from './bookings.deps.js';
export type { ConfirmOutcome } from './bookings.lifecycle.js';
export type { RequestOutcome } from './bookings.requests.js';
export type { BookingsPage, Stay } from './bookings.queries.js';

/**
 * What other modules and the composition call of the bookings module: its routes, GraphQL
 * part, jobs and account hooks, and the modules that build on bookings (payments confirm
 * and read them, reviews read stays, messages link conversations, notifications read the
 * digest section). Reactions to a cancel or a completion are events (`BookingEvents`).
 */
export interface BookingsApi extends BookingExporter, BookingsAccount, BookingMail, BookingsDigestSection {
  quote(input: QuoteInput, ctx: RequestContext): Promise<Quote>;
  createBooking(input: CreateBookingInput, ctx: RequestContext): Promise<Booking>;
  listBookings(query: ListBookingsQuery, ctx: RequestContext): Promise<BookingsPage>;
  getBooking(id: string, ctx: RequestContext): Promise<Booking>;
  findLatestActiveBookingId(db: Db, guestId: string, propertyId: string): Promise<string | undefined>;
  findStay(db: Db, bookingId: string): Promise<Stay | undefined>;
  findStays(db: Db, bookingIds: readonly string[]): Promise<Map<string, Stay>>;
  cancelBooking(id: string, input: CancelBookingInput, ctx: RequestContext): Promise<Booking>;
  confirmPaid(tx: Db, bookingId: string): Promise<{ outcome: ConfirmOutcome; booking: Booking }>;
  completeStay(bookingId: string): Promise<boolean>;
  expireOverdueHolds(limit?: number): Promise<number>;
  /** Request to book: the host's answer, the authorization that makes a request, and the expiry sweep. */
  acceptBooking(id: string, ctx: RequestContext): Promise<Booking>;
  declineBooking(id: string, input: DeclineBookingInput, ctx: RequestContext): Promise<Booking>;
  markRequested(tx: Db, bookingId: string): Promise<{ outcome: RequestOutcome; booking: Booking }>;
  expireOverdueRequests(limit?: number): Promise<number>;
}

/**
 * The booking use cases: pricing and holding, reads, the lifecycle and requests to book
 * (e-mail and export are apart).
 */
export function createBookingsService(deps: BookingsServiceDeps) {
  const flow = createBookingFlow(deps);
  const requests = createBookingRequests(deps);
  return {
    ...flow,
    ...createBookingQueries(deps),
    ...createBookingLifecycle(deps),
    ...requests,
    /** Requests on these nights past their answer time expire first: their nights are free. */
    async createBooking(input: CreateBookingInput, ctx: RequestContext): Promise<Booking> {
      await requests.expireRequestsOverlapping(input.propertyId, input.checkIn, input.checkOut);
      return flow.createBooking(input, ctx);
    },
  };
}
