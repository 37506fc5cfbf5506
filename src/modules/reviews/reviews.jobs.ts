import { defineJob, type JobDefinition } from '../../platform/jobs/index.js';
import { ReviewRequestPayload, SEND_REVIEW_REQUEST } from './reviews.mail.js';
import type { ReviewsApi } from './reviews.service.js';

export function reviewsJobs(mail: Pick<ReviewsApi, 'sendReviewRequest'>): JobDefinition[] {
  return [
    defineJob({
      kind: SEND_REVIEW_REQUEST,
      schema: ReviewRequestPayload,
      handle: (payload) => mail.sendReviewRequest(payload.bookingId),
    }),
  ];
}
