import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/types.js';
import type { PlatformDeps, Publish } from '../../module.js';
import type { AuditService } from '../audit/index.js';
import type { PropertiesApi } from '../properties/index.js';
import type { BookingEvents } from './bookings.events.js';

/** What the bookings use cases are built from. */
export interface BookingsServiceDeps {
  db: Db;
  clock: Clock;
  /** The place being booked, and its calendar: reserved and freed in the booking's own transaction. */
  properties: Pick<
    PropertiesApi,
    'getProperty' | 'findOccupiedRanges' | 'reserveDates' | 'freeDates' | 'revealLocation' | 'stayTerms'
  >;
  audit: AuditService;
  /** Publishes the booking events (bookings.events.ts) inside their transaction. */
  publish: Publish<BookingEvents>;
  /** After commit: bookingChanged to the booking's guest and host (see bookings.changes.ts). */
  publishLive: PlatformDeps['publishLive'];
  /** SERVICE_FEE_PERCENT. */
  serviceFeePercent: number;
  /** BOOKING_HOLD_MINUTES: how long a pending booking holds its dates unpaid. */
  holdMinutes: number;
  /**
   * The payment provider cannot authorize without capturing (Chapa): a request to book is
   * made at booking time and paid once the host accepts it (see bookings.requests.ts).
   */
  payOnAccept: boolean;
}
