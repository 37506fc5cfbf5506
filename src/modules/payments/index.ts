// Payments: checkout at a provider (sandbox, Chapa, Stripe) behind one interface, the
// provider's signed webhooks applied exactly once, and refunds (cancellations, and
// successes that arrive for dates no longer held), sent after commit and retried.
import { defineModule } from '../../module.js';
import { createPaymentProviders } from '../../platform/payments/index.js';
import { auditModule } from '../audit/index.js';
import { bookingsModule } from '../bookings/index.js';
import { propertiesModule } from '../properties/index.js';
import { usersModule } from '../users/index.js';
import { paymentsGraphql } from './payments.graphql.js';
import { paymentsJobs, paymentsSchedules } from './payments.jobs.js';
import { paymentsRoutes } from './payments.routes.js';
import { createPaymentsService } from './payments.service.js';
import { paymentEvents, paymentRefunds, payments } from './payments.table.js';
import { paymentsSettings } from './payments.settings.js';
import { paymentHubEvents } from './payments.events.js';

export { Payment } from './payments.schemas.js';
export type { PaymentRefundedEvent, PaymentSucceededEvent } from './payments.events.js';

export const paymentsModule = defineModule({
  name: 'payments',
  // properties: the place's title on the checkout; users: the payer's name and e-mail.
  dependsOn: [auditModule, usersModule, propertiesModule, bookingsModule],
  tables: { payments, paymentEvents, paymentRefunds },
  settings: paymentsSettings,
  openapi: { tags: [{ name: 'payments', description: 'Checkout, provider webhooks and refunds' }] },
  constraints: {},
  createService: ({ db, clock, config, settings, audit, users, properties, bookings, mailer, publish }) =>
    createPaymentsService({
      db,
      publish,
      clock,
      audit,
      users,
      properties,
      bookings,
      mailer,
      active: settings.provider,
      webhookSecret: settings.webhookSecret,
      publicUrl: config.publicUrl,
      providers: createPaymentProviders({
        active: settings.provider,
        webhookSecret: settings.webhookSecret,
        publicUrl: config.publicUrl,
        chapa: settings.chapa,
        stripe: settings.stripe,
        nowSeconds: () => Math.floor(clock.now().getTime() / 1000),
      }),
    }),
  events: paymentHubEvents,
  routes: (service) => (app) => paymentsRoutes(app, { payments: service }),
  jobs: (service) => paymentsJobs(service),
  schedules: paymentsSchedules,
  graphql: (service) => paymentsGraphql(service),
  personalData: (service) => [
    { section: 'payments', rows: (userId) => service.paymentsOf(userId, 'guest') },
    { section: 'paymentsReceived', rows: (userId) => service.paymentsOf(userId, 'host') },
  ],
  // A cancel's refund is recorded in the cancel's transaction.
  // A request's answer captures or voids its authorization (after commit, through a job).
  listens: (service) => ({
    'booking.canceled': (tx, event) => service.onBookingCanceled(tx, event),
    'booking.accepted': (tx, event) => service.onRequestAnswered(tx, event),
    'booking.released': (tx, event) => service.onRequestAnswered(tx, event),
  }),
});
