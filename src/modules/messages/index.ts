// Messages: one conversation per guest and place between the guest and the place's host,
// with exact per-side unread counters kept on the conversation row, the new-message e-mail
// (one per unread streak), live delivery to GraphQL subscribers after commit, and the
// messages section of the host digest.
import { defineModule } from '../../module.js';
import { bookingsModule } from '../bookings/index.js';
import { propertiesModule } from '../properties/index.js';
import { usersModule } from '../users/index.js';
import { messagesGraphql } from './messages.graphql.js';
import { messagesJobs } from './messages.jobs.js';
import { messagesRoutes } from './messages.routes.js';
import { seedMessages } from './messages.seed.js';
import { createMessagesService } from './messages.service.js';
import { conversations, messages } from './messages.table.js';
import { messagesConstraints } from './messages.errors.js';

export const messagesModule = defineModule({
  name: 'messages',
  // users: e-mail addresses and public profiles; properties: the place written about;
  // bookings: the guest's booking a conversation is linked to.
  dependsOn: [usersModule, propertiesModule, bookingsModule],
  tables: { conversations, messages },
  openapi: { tags: [{ name: 'messages', description: 'Conversations between guests and hosts' }] },
  constraints: messagesConstraints,
  createService: ({ db, clock, counters, config, properties, bookings, users, mailer, publishLive }) =>
    createMessagesService({
      db,
      clock,
      counters,
      properties,
      bookings,
      users,
      mailer,
      publicUrl: config.publicUrl,
      publish: publishLive,
    }),
  routes: (service) => (app) => messagesRoutes(app, { messages: service }),
  jobs: (service) => messagesJobs(service),
  seed: (run, { bookings }) => seedMessages(run, { bookings }),
  graphql: (service, { properties, users }) => messagesGraphql(service, properties, users),
  personalData: (service) => [
    { section: 'conversations', rows: (userId) => service.conversationsOf(userId) },
    { section: 'messages', rows: (userId) => service.messagesOf(userId) },
  ],
});
