// Reviews: both sides of a completed stay review each other (one review per direction,
// within 30 days of check-out), double-blind: neither review is shown to anyone but its
// author until both are written or the window closes. Then they publish together, count in
// the place's exact rating figures (the properties module's atomic `addRating`) and the
// guest's rating (the users module's atomic `addGuestRating`), and `review.published` is
// announced. Also: the host's one response, the review-request e-mails after check-out and
// the reviews section of the host digest.
import { defineModule } from '../../module.js';
import { bookingsModule } from '../bookings/index.js';
import { propertiesModule } from '../properties/index.js';
import { usersModule } from '../users/index.js';
import { reviewsGraphql } from './reviews.graphql.js';
import { reviewEvents } from './reviews.events.js';
import { reviewsJobs, reviewsSchedules } from './reviews.jobs.js';
import { enqueueReviewRequest } from './reviews.mail.js';
import { reviewsRoutes } from './reviews.routes.js';
import { seedReviews } from './reviews.seed.js';
import { createReviewsService } from './reviews.service.js';
import { reviews } from './reviews.table.js';
import { reviewsConstraints } from './reviews.errors.js';

export const reviewsModule = defineModule({
  name: 'reviews',
  // users: authors' public profiles and the guest's e-mail; properties: ratings and titles.
  dependsOn: [usersModule, propertiesModule, bookingsModule],
  tables: { reviews },
  openapi: { tags: [{ name: 'reviews', description: 'Reviews of completed stays and hosts’ responses' }] },
  constraints: reviewsConstraints,
  createService: ({ db, clock, config, mailer, users, properties, bookings, publish }) =>
    createReviewsService({ db, clock, bookings, properties, users, mailer, publish, publicUrl: config.publicUrl }),
  routes: (service) => (app) => reviewsRoutes(app, { reviews: service }),
  jobs: (service) => reviewsJobs(service),
  schedules: reviewsSchedules,
  events: reviewEvents,
  seed: (run, { bookings }) => seedReviews(run, { bookings }),
  graphql: (service, { users }) => reviewsGraphql(service, users),
  personalData: (service) => [
    { section: 'reviewsWritten', rows: (userId) => service.reviewsOf(userId, 'written') },
    { section: 'reviewsReceived', rows: (userId) => service.reviewsOf(userId, 'received') },
  ],
  // The review request is scheduled by the completion itself, in its transaction: a stay
  // completed is a request written, and a rolled-back completion writes none.
  listens: () => ({
    'booking.completed': (tx, { booking, checkOutAt }) => enqueueReviewRequest(tx, booking.id, checkOutAt),
  }),
});
