import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
 * Double-blind: a review is written `pending` (seen by its author only) until both
 * directions are written or `publish_by` (the end of the review window) passes; both
 * reviews of a stay then get the same `published_at`. Reviews from before double-blind
 * publication are not pending and have no `published_at`: published as of their creation.
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
    /** The booking's guest; null on guests' reviews written before reviews went both ways (the author then). */
    guestId: uuid('guest_id').references(userIdColumn),
    direction: text('direction', { enum: REVIEW_DIRECTIONS }).notNull().default('guest_to_host'),
    rating: smallint('rating').notNull(),
    comment: text('comment').notNull().default(''),
    hostResponse: text('host_response'),
    hostRespondedAt: instant('host_responded_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
    /**
     * True while only its author may see it. Written true by the service; the column's
     * default (false) is what reviews from before double-blind publication got: public.
     */
    pending: boolean('pending').notNull().default(false),
    /** The end of the stay's review window: published then at the latest (null on reviews from before). */
    publishBy: instant('publish_by'),
    /** When it was published (null while pending, and on reviews from before: their creation time). */
    publishedAt: instant('published_at'),
  },
  (t) => [
    uniqueIndex('reviews_booking_direction_idx').on(t.bookingId, t.direction),
    index('reviews_property_idx').on(t.propertyId, t.createdAt.desc(), t.id.desc()),
    // Unused since the digest counts publications (reviews_host_published_idx); kept while
    // the release before double-blind reviews may still run, to be dropped after it.
    index('reviews_host_created_idx').on(t.hostId, t.createdAt),
    index('reviews_guest_published_idx')
      .on(t.guestId, t.publishedAt.desc(), t.id.desc())
      .where(sql`direction = 'host_to_guest' and not pending`),
    index('reviews_host_published_idx')
      .on(t.hostId, t.publishedAt)
      .where(sql`direction = 'guest_to_host' and not pending`),
    index('reviews_unpublished_idx')
      .on(t.publishBy)
      .where(sql`pending`),
    check('reviews_rating_check', sql`rating between 1 and 5`),
    check('reviews_comment_check', sql`char_length(comment) <= 2000`),
    check('reviews_response_check', sql`(host_response is null) = (host_responded_at is null)`),
    check('reviews_response_direction_check', sql`host_response is null or direction = 'guest_to_host'`),
    check('reviews_direction_check', sql`direction in ('guest_to_host', 'host_to_guest')`),
    check('reviews_pending_check', sql`pending = (published_at is null and publish_by is not null)`),
  ],
);

export type ReviewRow = typeof reviews.$inferSelect;
export type NewReviewRow = typeof reviews.$inferInsert;
