import { sql } from 'drizzle-orm';
import { check, index, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bookingIdColumn } from '../bookings/index.js';
import { propertyIdColumn } from '../properties/index.js';
import { userIdColumn } from '../users/index.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** Who reviews whom: the guest reviews the stay (and its place), or the host reviews the guest. */
export const REVIEW_DIRECTIONS = ['guest_to_host', 'host_to_guest'] as const;
export type ReviewDirection = (typeof REVIEW_DIRECTIONS)[number];

/**
 * The reviews of a completed stay, both ways: the guest's review of the place (with the
 * host's one response) and the host's review of the guest. `host_id` and `guest_id` are
 * the booking's, copied so that the digest and a guest's received reviews need no join.
 *
 * Double-blind: `published_at` stays null (the review is seen by its author only) until
 * both directions are written or `publish_by` (the end of the review window) passes; both
 * reviews of a stay then get the same `published_at`.
 *
 * Index choices: `reviews_booking_direction_idx` (unique) is the one-review-per-stay-per-
 * direction rule, decided by the database; the property's list walks (property_id,
 * created_at desc, id desc) keysets of published reviews of places, also per property in
 * the GraphQL batch (a lateral join); a guest's received reviews walk (guest_id,
 * published_at desc, id desc); the digest walks host ids in order with the publication
 * time; `reviews_unpublished_idx` holds only reviews waiting for publication, so finding
 * the overdue ones is a short range scan.
 */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookingId: uuid('booking_id').notNull().references(bookingIdColumn),
    propertyId: uuid('property_id').notNull().references(propertyIdColumn),
    authorId: uuid('author_id').notNull().references(userIdColumn),
    hostId: uuid('host_id').notNull().references(userIdColumn),
    guestId: uuid('guest_id').notNull().references(userIdColumn),
    direction: text('direction', { enum: REVIEW_DIRECTIONS }).notNull(),
    rating: smallint('rating').notNull(),
    comment: text('comment').notNull().default(''),
    hostResponse: text('host_response'),
    hostRespondedAt: instant('host_responded_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
    /** The end of the stay's review window: published then at the latest. */
    publishBy: instant('publish_by').notNull(),
    /** Null while only its author may see it. */
    publishedAt: instant('published_at'),
  },
  (t) => [
    uniqueIndex('reviews_booking_direction_idx').on(t.bookingId, t.direction),
    index('reviews_property_published_idx')
      .on(t.propertyId, t.createdAt.desc(), t.id.desc())
      .where(sql`direction = 'guest_to_host' and published_at is not null`),
    index('reviews_guest_published_idx')
      .on(t.guestId, t.publishedAt.desc(), t.id.desc())
      .where(sql`direction = 'host_to_guest' and published_at is not null`),
    index('reviews_host_published_idx')
      .on(t.hostId, t.publishedAt)
      .where(sql`direction = 'guest_to_host' and published_at is not null`),
    index('reviews_unpublished_idx')
      .on(t.publishBy)
      .where(sql`published_at is null`),
    check('reviews_rating_check', sql`rating between 1 and 5`),
    check('reviews_comment_check', sql`char_length(comment) <= 2000`),
    check('reviews_response_check', sql`(host_response is null) = (host_responded_at is null)`),
    check('reviews_response_direction_check', sql`host_response is null or direction = 'guest_to_host'`),
  ],
);

export type ReviewRow = typeof reviews.$inferSelect;
export type NewReviewRow = typeof reviews.$inferInsert;
