import { z } from 'zod';
import type { Db } from '../../platform/db/types.js';
import { defineJob, enqueue, type JobDefinition } from '../../platform/jobs/index.js';
import { reviewRequestAt } from './reviews.policy.js';
import { reviewRequestKey, type ReviewMail } from './reviews.mail.js';

/** The e-mail asking a guest to review their stay (3 h after check-out, only if no review yet). */
export const SEND_REVIEW_REQUEST = 'reviews.send-review-request';
export const ReviewRequestPayload = z.object({ bookingId: z.uuid() });

/**
 * Written in the stay's completion transaction, due 3 h after its check-out time. The job
 * row is keyed like the e-mail, so a completion run again adds nothing.
 */
export async function enqueueReviewRequest(tx: Db, bookingId: string, checkOutAt: Date): Promise<void> {
  await enqueue(tx, {
    kind: SEND_REVIEW_REQUEST,
    payload: { bookingId },
    runAt: reviewRequestAt(checkOutAt),
    key: `job:${reviewRequestKey(bookingId)}`,
  });
}

export function reviewsJobs(mail: Pick<ReviewMail, 'sendReviewRequest'>): JobDefinition[] {
  return [
    defineJob({
      kind: SEND_REVIEW_REQUEST,
      schema: ReviewRequestPayload,
      handle: (payload) => mail.sendReviewRequest(payload.bookingId),
    }),
  ];
}
