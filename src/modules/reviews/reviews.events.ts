import { declareEvents, type Publish } from '../../module.js';
import type { Review } from './reviews.schemas.js';
import type { ReviewDirection } from './reviews.table.js';

/**
 * `review.published`: a review became visible (both of its stay's reviews written, or the
 * review window closed). Published inside the publishing transaction, once per review.
 */
export interface ReviewPublishedEvent {
  review: Review;
  propertyId: string;
  hostId: string;
  guestId: string;
  direction: ReviewDirection;
}

/** The events reviews publishes; a handler that throws rolls the publication back. */
export type ReviewEvents = {
  'review.published': ReviewPublishedEvent;
};

export const reviewEvents = declareEvents<ReviewEvents>('review.published');

export type PublishReviewEvent = Publish<ReviewEvents>;
