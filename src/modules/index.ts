import type { ServicesOf } from '../module.js';
import { auditModule } from './audit/index.js';
import { bookingsModule } from './bookings/index.js';
import { messagesModule } from './messages/index.js';
import { notificationsModule } from './notifications/index.js';
import { paymentsModule } from './payments/index.js';
import { photosModule } from './photos/index.js';
import { propertiesModule } from './properties/index.js';
import { reviewsModule } from './reviews/index.js';
import { securityModule } from './security/index.js';
import { usersModule } from './users/index.js';
import { wishlistsModule } from './wishlists/index.js';
import { icalModule } from './ical/index.js';
import { ledgerModule } from './ledger/index.js';
import { webhooksModule } from './webhooks/index.js';

/**
 * Every module, in the order their REST routes and GraphQL parts are registered (services
 * are built in dependency order). Adding a module is one line here.
 */
export const MODULES = [
  usersModule,
  auditModule,
  securityModule,
  propertiesModule,
  photosModule,
  bookingsModule,
  paymentsModule,
  reviewsModule,
  messagesModule,
  notificationsModule,
  wishlistsModule,
  icalModule,
  ledgerModule,
  webhooksModule,
] as const;

/** `container.services`: each module's service under its name. */
export type Services = ServicesOf<typeof MODULES>;
