import { z } from 'zod';
import { defineJob, type JobDefinition, type Schedule } from '../../platform/jobs/index.js';
import { ReviewRequestPayload, SEND_REVIEW_REQUEST } from './reviews.mail.js';
import type { ReviewsApi } from './reviews.service.js';

/** Publishes the reviews of stays whose review window has closed (bounded batches per run). */
export const PUBLISH_OVERDUE_REVIEWS = 'reviews.publish-overdue';

export function reviewsJobs(reviews: Pick<ReviewsApi, 'sendReviewRequest' | 'publishOverdueReviews'>): JobDefinition[] {
  return [
    defineJob({
      kind: SEND_REVIEW_REQUEST,
      schema: ReviewRequestPayload,
      handle: (payload) => reviews.sendReviewRequest(payload.bookingId),
    }),
    defineJob({
      kind: PUBLISH_OVERDUE_REVIEWS,
      schema: z.object({}),
      async handle() {
        await reviews.publishOverdueReviews();
      },
    }),
  ];
}

// Every ten minutes, off the round minutes. Readers do not wait for it: every read that
// would show a stay's reviews publishes the overdue ones first.
export const reviewsSchedules: Schedule[] = [
  { name: PUBLISH_OVERDUE_REVIEWS, cron: '7-59/10 * * * *', kind: PUBLISH_OVERDUE_REVIEWS },
];
