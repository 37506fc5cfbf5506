import { z } from 'zod';
import type { Db } from '../../platform/db/types.js';
import { enqueue } from '../../platform/jobs/index.js';
import { publicLink, renderEmail, type Mailer } from '../../platform/mail/index.js';
import { stayLine, type BookingsApi } from '../bookings/index.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import { reviewRequestAt } from './reviews.policy.js';
import * as repo from './reviews.repository.js';

/** The e-mail's de-duplication key (as when bookings sent it): at most one request per booking. */
export const reviewRequestKey = (bookingId: string) => `review-request:${bookingId}`;

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

export interface ReviewMailDeps {
  db: Db;
  bookings: Pick<BookingsApi, 'findStay'>;
  properties: Pick<PropertiesApi, 'getPropertiesByIds'>;
  users: Pick<UsersApi, 'getContacts'>;
  mailer: Mailer;
  publicUrl: string;
}

export function createReviewMail(deps: ReviewMailDeps) {
  const { db, bookings, properties, users, mailer, publicUrl } = deps;
  return {
    /**
     * The job handler: asks the guest to review the stay if it is completed and not yet
     * reviewed, as things are when it runs (a review written in the 3 hours means no e-mail).
     */
    async sendReviewRequest(bookingId: string): Promise<void> {
      const stay = await bookings.findStay(db, bookingId);
      if (!stay || stay.booking.status !== 'completed') return;
      if (await repo.hasReviewForBooking(db, bookingId)) return;
      const { booking } = stay;
      // An account gone or suspended since gets nothing.
      const guest = (await users.getContacts([booking.guestId])).get(booking.guestId);
      if (!guest) return;
      const asGuest = { actor: { id: booking.guestId, role: 'guest' as const } };
      const title = (await properties.getPropertiesByIds([booking.propertyId], asGuest)).get(booking.propertyId)?.title;
      const place = title ?? 'your stay';
      await mailer.send({
        to: guest.email,
        dedupeKey: reviewRequestKey(booking.id),
        ...renderEmail({
          subject: `How was your stay at ${place}?`,
          paragraphs: [
            `Hello ${guest.firstName},`,
            `We hope you enjoyed ${place} (${stayLine({ ...booking, timezone: stay.timezone })}).`,
            'A short review helps your host and future guests.',
          ],
          action: { label: 'Write a review', url: publicLink(publicUrl, `/bookings/${booking.id}`) },
        }),
      });
    },
  };
}
