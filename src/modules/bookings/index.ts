// Bookings: stays from quote to completion — pricing and refund rules, the hold on the
// dates (a range on the place's calendar, and an exclusion constraint of its own), guest
// and host lists, cancellation and the export of a host's bookings.
import { defineModule } from '../../module.js';
import { auditModule } from '../audit/index.js';
import { propertiesModule } from '../properties/index.js';
import { usersModule } from '../users/index.js';
import { bookingExportRoutes } from './bookings.export-routes.js';
import { createBookingExporter } from './bookings.export.js';
import { bookings } from './bookings.table.js';

export { BOOKING_STATUSES, type BookingRow } from './bookings.table.js';
export { type BookingExporter, type BookingExport, type ExportedBooking } from './bookings.export.js';
export { ExportBookingsQuery } from './bookings.export-schemas.js';

/** For other modules' foreign keys to a booking. */
export const bookingIdColumn = () => bookings.id;

export const bookingsModule = defineModule({
  name: 'bookings',
  dependsOn: [auditModule, usersModule, propertiesModule],
  tables: { bookings },
  createService: ({ db }) => createBookingExporter({ db }),
  routes: (service) => (app) => bookingExportRoutes(app, { bookings: service }),
});
