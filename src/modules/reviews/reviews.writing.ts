import type { Clock } from '../../platform/clock.js';
import { requireActor, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { mapConstraintError } from '../../platform/errors.js';
import type { BookingsApi } from '../bookings/index.js';
import type { PropertiesApi } from '../properties/index.js';
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
import { toReviewDto, type CreateReviewInput, type RespondToReviewInput, type Review } from './reviews.schemas.js';
import type { ReviewRow } from './reviews.table.js';

export interface ReviewWritingDeps {
  db: Db;
  clock: Clock;
  bookings: Pick<BookingsApi, 'findStay'>;
  properties: Pick<PropertiesApi, 'addRating'>;
}

/** The guest's review of a completed stay and the host's one response to it. */
export function createReviewWriting(deps: ReviewWritingDeps) {
  const { db, clock, bookings, properties } = deps;

  return {
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
  };
}
