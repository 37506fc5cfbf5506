import type { Clock } from '../../platform/clock.js';
import { requireActor, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { mapConstraintError } from '../../platform/errors.js';
import type { BookingsApi } from '../bookings/index.js';
import {
  alreadyResponded,
  bookingNotFound,
  guestAlreadyReviewed,
  notBookingGuest,
  notBookingHost,
  notPropertyHost,
  notRespondable,
  reviewNotFound,
  reviewNotPublished,
  reviewsConstraints,
  reviewWindowClosed,
  stayNotCompleted,
} from './reviews.errors.js';
import { reviewRuleViolation, reviewWindowEnd } from './reviews.policy.js';
import type { ReviewPublication } from './reviews.publication.js';
import * as repo from './reviews.repository.js';
import { toReviewDto, type CreateReviewInput, type RespondToReviewInput, type Review } from './reviews.schemas.js';
import type { ReviewDirection, ReviewRow } from './reviews.table.js';

export interface ReviewWritingDeps {
  db: Db;
  clock: Clock;
  bookings: Pick<BookingsApi, 'findStay'>;
  publication: Pick<ReviewPublication, 'publishIfComplete' | 'publishOverdueBeforeRead'>;
}

/** The guest's review of a completed stay, the host's review of its guest, and the host's one response. */
export function createReviewWriting(deps: ReviewWritingDeps) {
  const { db, clock, bookings, publication } = deps;

  /**
   * One review of a completed stay, within REVIEW_WINDOW_DAYS of its check-out time, once
   * per direction (the unique index on (booking_id, direction) decides, however
   * concurrent). Written unpublished; the transaction then publishes the stay's two
   * reviews together if this one is the second (under a per-stay lock, so two reviews
   * written at the same moment still see each other). A booking the caller cannot see is
   * 404; the other side or an admin, who can, get 403.
   */
  async function write(
    direction: ReviewDirection,
    bookingId: string,
    input: CreateReviewInput,
    ctx: RequestContext,
  ): Promise<Review> {
    const actor = requireActor(ctx);
    const stay = await bookings.findStay(db, bookingId);
    const sees = stay && (stay.booking.guestId === actor.id || stay.hostId === actor.id || actor.role === 'admin');
    if (!stay || !sees) throw bookingNotFound();
    const now = clock.now();
    const authorId = direction === 'guest_to_host' ? stay.booking.guestId : stay.hostId;
    const violation = reviewRuleViolation(
      { authorId, status: stay.booking.status, checkOutAt: stay.checkOutAt },
      actor.id,
      now,
    );
    if (violation?.rule === 'not_author') throw direction === 'guest_to_host' ? notBookingGuest() : notBookingHost();
    if (violation?.rule === 'not_completed') throw stayNotCompleted(violation.status);
    if (violation?.rule === 'window_closed') throw reviewWindowClosed();
    const row = await withTransaction(db, async (tx) => {
      await repo.lockStayReviews(tx, bookingId);
      let created: ReviewRow;
      try {
        created = await repo.insertReview(tx, {
          bookingId,
          propertyId: stay.booking.propertyId,
          authorId: actor.id,
          hostId: stay.hostId,
          guestId: stay.booking.guestId,
          direction,
          rating: input.rating,
          comment: input.comment,
          createdAt: now,
          pending: true,
          publishBy: reviewWindowEnd(stay.checkOutAt),
        });
      } catch (e) {
        const mapped = mapConstraintError(e, reviewsConstraints);
        throw direction === 'host_to_guest' && mapped !== e ? guestAlreadyReviewed() : mapped;
      }
      const publishedNow = await publication.publishIfComplete(tx, bookingId, now);
      return publishedNow.find((r) => r.id === created.id) ?? created;
    });
    return toReviewDto(row);
  }

  return {
    /** The guest reviews their completed stay (and its place). */
    createReview(bookingId: string, input: CreateReviewInput, ctx: RequestContext): Promise<Review> {
      return write('guest_to_host', bookingId, input, ctx);
    },

    /** The booking's host reviews its guest. */
    createGuestReview(bookingId: string, input: CreateReviewInput, ctx: RequestContext): Promise<Review> {
      return write('host_to_guest', bookingId, input, ctx);
    },

    /**
     * The host of the reviewed place responds, once, to a published review of the place: a
     * conditional UPDATE (… where host_response is null), so of racing responses one is
     * stored and the others get 409. Before publication the place's host gets 409
     * review_not_published (that the guest wrote one is no secret, its content is) and
     * anyone but the stay's two sides 404.
     */
    async respondToReview(reviewId: string, input: RespondToReviewInput, ctx: RequestContext): Promise<Review> {
      const actor = requireActor(ctx);
      await publication.publishOverdueBeforeRead({ ids: [reviewId] });
      const review = await repo.findReviewById(db, reviewId);
      const side = review && (review.hostId === actor.id || (review.guestId ?? review.authorId) === actor.id);
      if (!review || (review.pending && !side)) throw reviewNotFound();
      if (review.direction !== 'guest_to_host') throw review.hostId === actor.id ? notRespondable() : notPropertyHost();
      if (review.hostId !== actor.id) throw notPropertyHost();
      if (review.pending) throw reviewNotPublished();
      const row = await repo.setHostResponseIfNone(db, reviewId, input.body, clock.now());
      if (!row) throw alreadyResponded();
      return toReviewDto(row);
    },
  };
}
