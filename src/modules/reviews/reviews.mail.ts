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
/** The host's e-mail (review your guest): at most one per booking. */
export const guestReviewRequestKey = (bookingId: string) => `guest-review-request:${bookingId}`;

/**
 * The e-mails asking the guest to review their stay and the host to review their guest
 * (3 h after check-out, each only if that side has not written theirs yet): one job.
 */
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

type Stay = NonNullable<Awaited<ReturnType<BookingsApi['findStay']>>>;

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
     * The job handler: asks each side of a completed stay that has not written its review
     * yet to write it, as things are when it runs (a review written in the 3 hours means no
     * e-mail to its author). Each e-mail has its own de-duplication key.
     */
    async sendReviewRequest(bookingId: string): Promise<void> {
      const stay = await bookings.findStay(db, bookingId);
      if (!stay || stay.booking.status !== 'completed') return;
      const written = await repo.writtenDirections(db, bookingId);
      if (!written.has('guest_to_host')) await askGuest(stay);
      if (!written.has('host_to_guest')) await askHost(stay);
    },
  };

  async function askGuest(stay: Stay): Promise<void> {
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
  }

  async function askHost(stay: Stay): Promise<void> {
    const { booking } = stay;
    const contacts = await users.getContacts([stay.hostId, booking.guestId]);
    const host = contacts.get(stay.hostId);
    if (!host) return;
    const asHost = { actor: { id: stay.hostId, role: 'host' as const } };
    const title = (await properties.getPropertiesByIds([booking.propertyId], asHost)).get(booking.propertyId)?.title;
    const guestName = contacts.get(booking.guestId)?.firstName ?? 'your guest';
    await mailer.send({
      to: host.email,
      dedupeKey: guestReviewRequestKey(booking.id),
      ...renderEmail({
        subject: `How was ${guestName} as a guest?`,
        paragraphs: [
          `Hello ${host.firstName},`,
          `${guestName} stayed at ${title ?? 'your place'} (${stayLine({ ...booking, timezone: stay.timezone })}).`,
          'A short review of your guest helps other hosts. Neither of you sees the other’s review until both are written or the review window closes.',
        ],
        action: { label: 'Review your guest', url: publicLink(publicUrl, `/bookings/${booking.id}`) },
      }),
    });
  }
}
