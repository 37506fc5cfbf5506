import { sql } from 'drizzle-orm';
import { check, index, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bookingIdColumn } from '../bookings/index.js';
import { propertyIdColumn } from '../properties/index.js';
import { userIdColumn } from '../users/index.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * A guest's review of a completed stay, and the host's one response to it.
 * `host_id` is the booking's host, copied so that the digest finds the hosts with new
 * reviews without a join.
 *
 * Index choices: `reviews_booking_idx` (unique) is the one-review-per-booking rule, decided
 * by the database; the property's list walks (property_id, created_at desc, id desc)
 * keysets, also per property in the GraphQL batch (a lateral join); the digest walks host
 * ids in order with the creation time in the same index, so finding the hosts with reviews
 * in a window is one index scan.
 */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookingId: uuid('booking_id').notNull().references(bookingIdColumn),
    propertyId: uuid('property_id').notNull().references(propertyIdColumn),
    authorId: uuid('author_id').notNull().references(userIdColumn),
    hostId: uuid('host_id').notNull().references(userIdColumn),
    rating: smallint('rating').notNull(),
    comment: text('comment').notNull().default(''),
    hostResponse: text('host_response'),
    hostRespondedAt: instant('host_responded_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reviews_booking_idx').on(t.bookingId),
    index('reviews_property_idx').on(t.propertyId, t.createdAt.desc(), t.id.desc()),
    index('reviews_host_created_idx').on(t.hostId, t.createdAt),
    check('reviews_rating_check', sql`rating between 1 and 5`),
    check('reviews_comment_check', sql`char_length(comment) <= 2000`),
    check('reviews_response_check', sql`(host_response is null) = (host_responded_at is null)`),
  ],
);

export type ReviewRow = typeof reviews.$inferSelect;
export type NewReviewRow = typeof reviews.$inferInsert;
