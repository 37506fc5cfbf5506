/** Pure rules of a review: who may write one, and until when. */

/** How long after check-out time a stay may be reviewed. */
export const REVIEW_WINDOW_DAYS = 30;
/** How long after check-out time the guest is asked for a review. */
export const REVIEW_REQUEST_DELAY_MS = 3 * 3_600_000;

const DAY_MS = 86_400_000;

export type ReviewRuleViolation =
  { rule: 'not_author' } | { rule: 'not_completed'; status: string } | { rule: 'window_closed' };

/** The end of a stay's review window: its last instant, and when its reviews publish at the latest. */
export const reviewWindowEnd = (checkOutAt: Date) => new Date(checkOutAt.getTime() + REVIEW_WINDOW_DAYS * DAY_MS);

/**
 * Why `actorId` may not write this review of the stay now, or undefined when they may:
 * only its author (the guest for the place, the host for the guest), only once completed,
 * only within REVIEW_WINDOW_DAYS of its check-out time (the last instant included).
 */
export function reviewRuleViolation(
  stay: { authorId: string; status: string; checkOutAt: Date },
  actorId: string,
  now: Date,
): ReviewRuleViolation | undefined {
  if (stay.authorId !== actorId) return { rule: 'not_author' };
  if (stay.status !== 'completed') return { rule: 'not_completed', status: stay.status };
  if (now.getTime() > reviewWindowEnd(stay.checkOutAt).getTime()) return { rule: 'window_closed' };
  return undefined;
}

/** When the review request is due: counted from the check-out time, so a late completion does not delay it. */
export const reviewRequestAt = (checkOutAt: Date) => new Date(checkOutAt.getTime() + REVIEW_REQUEST_DELAY_MS);

/** One line of the host digest: the stars, the place and the start of the comment (plain text). */
export function digestLine(rating: number, title: string, comment: string): string {
  const chars = [...comment.replace(/\s+/g, ' ').trim()];
  const head = chars.slice(0, 80).join('');
  return `★${rating} — ${title}: ${head}${chars.length > 80 ? '…' : ''}`;
}
