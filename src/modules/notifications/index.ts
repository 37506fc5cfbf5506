// Notifications: e-mail that gathers news from several modules. Today the host daily digest
// (see the README's e-mail schedule), built from the digest sections the services it depends on expose; it owns the
// digest's sweep, send jobs and 07:00 UTC schedule.
import { defineModule } from '../../module.js';
import { bookingsModule } from '../bookings/index.js';
import { messagesModule } from '../messages/index.js';
import { reviewsModule } from '../reviews/index.js';
import { usersModule } from '../users/index.js';
import { createHostDigest } from './notifications.digest.js';
import { notificationsJobs, notificationsSchedules } from './notifications.jobs.js';

export const notificationsModule = defineModule({
  name: 'notifications',
  // users: the hosts' addresses; every other dependency is here for its digest section.
  dependsOn: [usersModule, bookingsModule, reviewsModule, messagesModule],
  tables: {},
  createService: ({ db, config, mailer, users, bookings, reviews, messages }) =>
    createHostDigest({
      db,
      users,
      mailer,
      publicUrl: config.publicUrl,
      // One line per module with news for hosts (its module added to dependsOn), in the
      // order the e-mail shows them, e.g. `reviews.digestSection,` and `messages.digestSection,`.
      sections: [bookings.digestSection, reviews.digestSection, messages.digestSection],
    }),
  jobs: (service) => notificationsJobs(service),
  schedules: notificationsSchedules,
});
