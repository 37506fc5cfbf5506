// Bookings: stays from quote to completion — pricing and refund rules, the hold on the
// dates (a range on the place's calendar, and an exclusion constraint of its own), guest
// and host lists, cancellation and the export of a host's bookings.
import { bookings } from './bookings.table.js';

export { BOOKING_STATUSES, type BookingRow } from './bookings.table.js';

/** For other modules' foreign keys to a booking. */
export const bookingIdColumn = () => bookings.id;
