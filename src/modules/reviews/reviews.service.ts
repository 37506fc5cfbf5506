import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { requireActor, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { mapConstraintError } from '../../platform/errors.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import type { BookingsAccount, BookingsService } from '../bookings/index.js';
import type { PropertiesService } from '../properties/index.js';
import type { UsersService } from '../users/index.js';
import {
  alreadyResponded,
  bookingNotFound,
  notBookingGuest,
  notPropertyHost,
  reviewNotFound,
  reviewsConstraints,
  reviewWindowClosed,
  stayNotCompleted,
} from './reviews.errors.js';
import { reviewRuleViolation } from './reviews.policy.js';
import * as repo from './reviews.repository.js';
import {
  toReviewDto,
  type CreateReviewInput,
  type ListReviewsQuery,
  type PublicReview,
  type RespondToReviewInput,
  type Review,
} from './reviews.schemas.js';
import type { ReviewRow } from './reviews.table.js';

export interface ReviewsServiceDeps {
  db: Db;
  clock: Clock;
  bookings: Pick<BookingsService, 'findStay'> & Pick<BookingsAccount, 'bookingIdPages'>;
  properties: Pick<PropertiesService, 'getProperty' | 'getPropertiesByIds' | 'addRating'>;
  users: Pick<UsersService, 'getPublicProfiles'>;
}

export type ReviewsService = ReturnType<typeof createReviewsService>;
/** A page of reviews with the cursor after each row, for GraphQL edges. */
export type ReviewsPage = Page<Review> & { cursors: string[] };

const listCursor = z.tuple([isoInstant, z.uuid()]);
const cursorOf = (r: ReviewRow) => [r.createdAt.toISOString(), r.id];

export function createReviewsService(deps: ReviewsServiceDeps) {
  const { db, clock, bookings, properties, users } = deps;

  async function withAuthors(reviews: Review[]): Promise<PublicReview[]> {
    const authors = await users.getPublicProfiles([...new Set(reviews.map((r) => r.authorId))]);
    return reviews.map((r) => ({ ...r, author: authors.get(r.authorId) ?? null }));
  }

  const afterKey = (cursor: string | undefined) => {
    const after = cursor ? decodeCursor(cursor, listCursor) : undefined;
    return after && { createdAt: after[0], id: after[1] };
  };

  return {
    /**
     * Reviews of the user's stays, for their personal-data export: written (as the stay's
     * guest) or received (as its host), walked through the user's bookings.
     */
    async *reviewsOf(userId: string, as: 'guest' | 'host'): AsyncGenerator<Review> {
      for await (const ids of bookings.bookingIdPages(userId, as)) {
        for (const row of await repo.findReviewsByBookingIds(db, ids)) yield toReviewDto(row);
      }
    },

    /**
     * The guest reviews their completed stay, within REVIEW_WINDOW_DAYS of its check-out
     * time, once. One transaction inserts the review and adds its rating to the place (one
     * atomic UPDATE), so concurrent reviews keep count and average exact; the unique index
     * on booking_id turns a second review, however concurrent, into 409 already_reviewed.
     * A booking the caller cannot see is 404; its host or an admin, who can, get 403.
     */
    async createReview(bookingId: string, input: CreateReviewInput, ctx: RequestContext): Promise<Review> {
      const actor = requireActor(ctx);
      const stay = await bookings.findStay(db, bookingId);
      const sees = stay && (stay.booking.guestId === actor.id || stay.hostId === actor.id || actor.role === 'admin');
      if (!stay || !sees) throw bookingNotFound();
      const now = clock.now();
      const violation = reviewRuleViolation({ ...stay.booking, checkOutAt: stay.checkOutAt }, actor.id, now);
      if (violation?.rule === 'not_guest') throw notBookingGuest();
      if (violation?.rule === 'not_completed') throw stayNotCompleted(violation.status);
      if (violation?.rule === 'window_closed') throw reviewWindowClosed();
      const row = await withTransaction(db, async (tx) => {
        let created: ReviewRow;
        try {
          created = await repo.insertReview(tx, {
            bookingId,
            propertyId: stay.booking.propertyId,
            authorId: actor.id,
            hostId: stay.hostId,
            rating: input.rating,
            comment: input.comment,
            createdAt: now,
          });
        } catch (e) {
          throw mapConstraintError(e, reviewsConstraints);
        }
        await properties.addRating(tx, stay.booking.propertyId, input.rating);
        return created;
      });
      return toReviewDto(row);
    },

    /**
     * The host of the reviewed place responds, once: a conditional UPDATE (… where
     * host_response is null), so of racing responses one is stored and the others get 409.
     */
    async respondToReview(reviewId: string, input: RespondToReviewInput, ctx: RequestContext): Promise<Review> {
      const actor = requireActor(ctx);
      const review = await repo.findReviewById(db, reviewId);
      if (!review) throw reviewNotFound();
      if (review.hostId !== actor.id) throw notPropertyHost();
      const row = await repo.setHostResponseIfNone(db, reviewId, input.body, clock.now());
      if (!row) throw alreadyResponded();
      return toReviewDto(row);
    },

    /** A review whose place the caller may see, with its author's public profile; else not found. */
    async getReview(id: string, ctx: RequestContext): Promise<PublicReview> {
      const row = await repo.findReviewById(db, id);
      if (!row || !(await properties.getPropertiesByIds([row.propertyId], ctx)).has(row.propertyId)) {
        throw reviewNotFound();
      }
      const [shown] = await withAuthors([toReviewDto(row)]);
      return shown!;
    },

    /** A visible place's reviews, newest first, each with its author's public profile. */
    async listPropertyReviews(
      propertyId: string,
      query: ListReviewsQuery,
      ctx: RequestContext,
    ): Promise<Page<PublicReview>> {
      await properties.getProperty(propertyId, ctx);
      const rows = await repo.listPropertyReviews(db, {
        propertyId,
        limit: query.limit + 1,
        after: afterKey(query.cursor),
      });
      const { data, page } = toPage(rows, query.limit, cursorOf, toReviewDto);
      return { data: await withAuthors(data), page };
    },

    /**
     * A page of reviews for each of these places (already visible to the caller), newest
     * first, in one query whatever their number. Authors are left to the caller (loaders).
     */
    async reviewsOfProperties(
      propertyIds: readonly string[],
      query: ListReviewsQuery,
    ): Promise<Map<string, ReviewsPage>> {
      const rows = await repo.listReviewsOfProperties(db, {
        propertyIds,
        limit: query.limit + 1,
        after: afterKey(query.cursor),
      });
      const byProperty = new Map<string, ReviewRow[]>(propertyIds.map((id) => [id, []]));
      for (const r of rows) byProperty.get(r.propertyId)?.push(r);
      return new Map(
        [...byProperty].map(([id, list]) => [id, toPage(list, query.limit, cursorOf, toReviewDto)] as const),
      );
    },

    /** The review of each of these bookings that has one. */
    async reviewsOfBookings(bookingIds: readonly string[]): Promise<Map<string, Review>> {
      const rows = await repo.findReviewsByBookingIds(db, bookingIds);
      return new Map(rows.map((r) => [r.bookingId, toReviewDto(r)]));
    },
  };
}
