// Webhooks and events: every change a partner could act on is a numbered event (written in
// the change's transaction, numbered gap-free by one sequencer after commit), readable from
// the events feed and delivered to hosts' and admins' endpoints, signed per Standard
// Webhooks, in order per endpoint, retried for 3 days. Other modules' events become
// partner events through one `relay` line each in `listens` below.
import { defineModule } from '../../module.js';
import { auditModule } from '../audit/index.js';
import { bookingsModule, type BookingChangeEvent } from '../bookings/index.js';
import { ledgerModule } from '../ledger/index.js';
import { paymentsModule, type PaymentSucceededEvent } from '../payments/index.js';
import { propertiesModule } from '../properties/index.js';
import { reviewsModule } from '../reviews/index.js';
import { usersModule } from '../users/index.js';
import { webhooksConstraints } from './webhooks.errors.js';
import { webhooksGraphql } from './webhooks.graphql.js';
import { webhookJobs, webhookSchedules } from './webhooks.jobs.js';
import { webhookDeliveryRoutes, webhooksRoutes } from './webhooks.routes.js';
import { createWebhooksService } from './webhooks.service.js';
import { webhooksSettings } from './webhooks.settings.js';
import { events, webhookDeliveries, webhookEndpoints } from './webhooks.table.js';

export const webhooksModule = defineModule({
  name: 'webhooks',
  // users: an endpoint's owner and the address its "disabled" e-mail goes to; audit: endpoint
  // changes; bookings and properties: the changes that become partner events (an iCal import's
  // sync changes the calendar through properties, which publishes calendar.changed), payments
  // (captures, refunds), the ledger (payouts) and reviews (publications).
  dependsOn: [auditModule, usersModule, bookingsModule, propertiesModule, paymentsModule, ledgerModule, reviewsModule],
  tables: { events, webhookEndpoints, webhookDeliveries },
  settings: webhooksSettings,
  openapi: { tags: [{ name: 'webhooks', description: 'Partner events: the events feed and webhook endpoints' }] },
  constraints: webhooksConstraints,
  createService: ({ db, clock, config, audit, users, mailer, settings }) =>
    createWebhooksService({
      db,
      clock,
      audit,
      users,
      mailer,
      settings,
      jwtSecret: config.jwtSecret,
      publicUrl: config.publicUrl,
    }),
  routes: (service) => async (app) => {
    await webhooksRoutes(app, { webhooks: service });
    await webhookDeliveryRoutes(app, { webhooks: service });
  },
  graphql: (service) => webhooksGraphql(service),
  jobs: (service) => webhookJobs(service),
  schedules: webhookSchedules,
  personalData: (service) => [{ section: 'webhookEndpoints', rows: (userId) => service.endpointsOf(userId) }],
  onAccountClosed: (service) => (userId, tx) => service.onAccountClosed(userId, tx),
  // One line per partner event: its type, its data (the resource as REST shows it) and whom it concerns.
  listens: ({ relay }) => ({
    'booking.created': relay('booking.created', booking),
    'booking.requested': relay('booking.requested', booking),
    'booking.confirmed': relay('booking.confirmed', booking),
    'booking.declined': relay('booking.declined', booking),
    'booking.canceled': relay('booking.canceled', booking),
    'booking.expired': relay('booking.expired', booking),
    'booking.completed': relay('booking.completed', booking),
    'property.updated': relay('property.updated', (e) => ({
      data: { propertyId: e.propertyId, fields: e.fields },
      hostIds: [e.hostId],
    })),
    'calendar.changed': relay('calendar.changed', (e) => ({
      data: { propertyId: e.propertyId, reason: e.reason, from: e.from ?? null, to: e.to ?? null },
      hostIds: [e.hostId],
    })),
    'payment.succeeded': relay('payment.succeeded', (e) => ({ data: e.payment, ...parties(e.booking) })),
    'payment.refunded': relay('payment.refunded', (e) => ({
      data: { ...e.payment, refund: { id: e.refundId, amount: e.amount } },
      ...parties(e.booking),
    })),
    'payout.paid': relay('payout.paid', (e) => ({ data: e.payout, hostIds: [e.payout.hostId] })),
    'review.published': relay('review.published', (e) => ({ data: e.review, hostIds: [e.hostId], guestId: e.guestId })),
  }),
});

/** Whom a payment event concerns: the booking's host and guest. */
function parties(b: PaymentSucceededEvent['booking']) {
  return { hostIds: [b.hostId], guestId: b.guestId };
}

/** A booking event's partner form: the booking, about its host and its guest. */
function booking(e: Pick<BookingChangeEvent, 'booking' | 'hostId'>) {
  return { data: e.booking, hostIds: [e.hostId], guestId: e.booking.guestId };
}
