// Bookings: stays from quote to completion — pricing and refund rules, the hold on the
// dates (a range on the place's calendar, and an exclusion constraint of its own), guest
// and host lists, cancellation and the export of a host's bookings.
import { defineModule } from '../../module.js';
import { auditModule } from '../audit/index.js';
import { propertiesModule } from '../properties/index.js';
import { usersModule } from '../users/index.js';
import { createBookingsAccount } from './bookings.account.js';
import { bookingExportRoutes } from './bookings.export-routes.js';
import { createBookingsDigestSection } from './bookings.digest.js';
import { createBookingExporter } from './bookings.export.js';
import { bookingsGraphql } from './bookings.graphql.js';
import { bookingsJobs, bookingsSchedules } from './bookings.jobs.js';
import { createBookingMail } from './bookings.mail.js';
import { bookingsRoutes } from './bookings.routes.js';
import { bookingRequestRoutes } from './bookings.request-routes.js';
import { seedBookings } from './bookings.seed.js';
import { bookingEvents } from './bookings.events.js';
import { createBookingsService, type BookingsApi } from './bookings.service.js';
import { bookings } from './bookings.table.js';
import { bookingsConstraints } from './bookings.errors.js';
import { bookingsSettings } from './bookings.settings.js';

export { type BookingsApi } from './bookings.service.js';
export { type BookingChangeEvent, type CancellationEvent, type RequestAnsweredEvent } from './bookings.events.js';
export { Booking } from './bookings.schemas.js';
export { stayLine } from './bookings.mail.js';
export { type BookingsAccount } from './bookings.account.js';
export { type BookingsSeeded } from './bookings.seed.js';
export { type SeededStay } from './bookings.seed-sample.js';

/** For other modules' foreign keys to a booking. */
export const bookingIdColumn = () => bookings.id;

export const bookingsModule = defineModule({
  name: 'bookings',
  // users: a booking's guest, resolved by the GraphQL loader, and the e-mails' addresses.
  dependsOn: [auditModule, usersModule, propertiesModule],
  tables: { bookings },
  settings: bookingsSettings,
  openapi: { tags: [{ name: 'bookings', description: 'Quotes, bookings, holds and cancellations' }] },
  constraints: bookingsConstraints,
  createService: ({
    db,
    clock,
    config,
    settings,
    audit,
    properties,
    users,
    mailer,
    publish,
    publishLive,
  }): BookingsApi => ({
    ...createBookingsService({
      db,
      clock,
      audit,
      properties,
      publish,
      publishLive,
      serviceFeePercent: settings.serviceFeePercent,
      holdMinutes: settings.holdMinutes,
      payOnAccept: settings.payOnAccept,
    }),
    ...createBookingExporter({ db }),
    ...createBookingsAccount({ db, clock }),
    ...createBookingMail({ db, users, properties, mailer, publicUrl: config.publicUrl }),
    // Read by the host digest (notifications), which bookings cannot know of.
    ...createBookingsDigestSection({ db }),
  }),
  routes: (service) => async (app) => {
    await bookingsRoutes(app, { bookings: service });
    await bookingExportRoutes(app, { bookings: service });
    await bookingRequestRoutes(app, { bookings: service });
  },
  jobs: (service) => bookingsJobs(service),
  schedules: bookingsSchedules,
  graphql: (service, { properties, users }) => bookingsGraphql(service, properties, users),
  seed: (run, { users, properties }) => seedBookings(run, { users, properties }),
  personalData: (service) => [
    { section: 'bookingsAsGuest', rows: (userId) => service.bookingsOf(userId, 'guest') },
    { section: 'bookingsAsHost', rows: (userId) => service.bookingsOf(userId, 'host') },
  ],
  onAccountClosed: (service) => (userId, tx, ctx) => service.refuseClosureWithOpenStays(userId, tx, ctx),
  events: bookingEvents,
});
