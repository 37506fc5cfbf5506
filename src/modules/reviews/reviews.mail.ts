import type { Db } from '../../platform/db/types.js';
import { publicLink, renderEmail, type Mailer } from '../../platform/mail/index.js';
import { stayLine, type BookingsService } from '../bookings/index.js';
import type { PropertiesService } from '../properties/index.js';
import type { UsersService } from '../users/index.js';
import * as repo from './reviews.repository.js';

/** The e-mail's de-duplication key (as when bookings sent it): at most one request per booking. */
export const reviewRequestKey = (bookingId: string) => `review-request:${bookingId}`;

export interface ReviewMailDeps {
  db: Db;
  bookings: Pick<BookingsService, 'findStay'>;
  properties: Pick<PropertiesService, 'getPropertiesByIds'>;
  users: Pick<UsersService, 'getContacts'>;
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

export type ReviewMail = ReturnType<typeof createReviewMail>;
