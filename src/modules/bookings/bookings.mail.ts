import { DateTime } from 'luxon';
import { z } from 'zod';
import type { RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import { enqueue } from '../../platform/jobs/index.js';
import { publicLink, renderEmail, type EmailContent, type Mailer } from '../../platform/mail/index.js';
import { formatMoney } from '../../platform/money.js';
import type { PropertiesApi, Property } from '../properties/index.js';
import type { UserContact, UsersApi } from '../users/index.js';
import { CHECK_IN_HOUR, CHECK_OUT_HOUR } from './bookings.policy.js';
import { createGuestStanding, guestStandingLines } from './bookings.guest-standing.js';
import * as repo from './bookings.repository.js';
import type { BookingRow } from './bookings.table.js';

/**
 * The booking e-mails (see the README's e-mail schedule). Each is an outbox job enqueued in the transaction of the
 * change, and its de-duplication key is `<email>:<bookingId>`: each leaves at most once
 * per booking, however often the job runs.
 */
export const BOOKING_EMAILS = [
  'booking-held',
  'booking-confirmed',
  'booking-new-host',
  'booking-canceled-guest',
  'booking-canceled-host',
  'hold-expired',
  'checkin-reminder',
  'booking-requested',
  'request-accepted',
  'request-declined',
  'request-expired',
] as const;
export type BookingEmail = (typeof BOOKING_EMAILS)[number];

export const SEND_BOOKING_EMAIL = 'bookings.send-email';
export const BookingEmailPayload = z.object({ email: z.enum(BOOKING_EMAILS), bookingId: z.uuid() });

export const bookingEmailKey = (email: BookingEmail, bookingId: string) => `${email}:${bookingId}`;

/**
 * Writes the e-mail job into `tx`: it exists only if the change commits. `runAt` is when
 * it is due (a reminder ahead of its time); the job row is keyed like the e-mail, so
 * enqueuing the same e-mail twice leaves one row.
 */
export async function enqueueBookingEmail(tx: Db, email: BookingEmail, bookingId: string, runAt: Date): Promise<void> {
  await enqueue(tx, {
    kind: SEND_BOOKING_EMAIL,
    payload: { email, bookingId },
    runAt,
    key: `job:${bookingEmailKey(email, bookingId)}`,
  });
}

const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** Dates as YYYY-MM-DD with the local check-in and check-out times. */
export const stayLine = (b: Pick<BookingRow, 'checkIn' | 'checkOut' | 'timezone' | 'nights'>) =>
  `${b.checkIn} (check-in from ${hour(CHECK_IN_HOUR)}) to ${b.checkOut} (check-out by ${hour(CHECK_OUT_HOUR)}), ` +
  `${b.nights} night${b.nights === 1 ? '' : 's'}, ${b.timezone} time`;

/** An instant in the place's zone, e.g. `2026-11-26 14:05 (Europe/Lisbon)`. */
export const localInstant = (at: Date, timezone: string) =>
  `${DateTime.fromJSDate(at).setZone(timezone).toFormat('yyyy-MM-dd HH:mm')} (${timezone})`;

/** Who canceled, as the other party reads it. */
const CANCELED_BY_NAME = { guest: 'the guest', host: 'the host', admin: 'Staylane' } as const;

const guestCount = (b: BookingRow) => `${b.guests} guest${b.guests === 1 ? '' : 's'}`;

const addressLine = (p: Property) =>
  [p.address.line1, p.address.postalCode, p.address.city, p.address.region, p.address.country]
    .filter((part) => part)
    .join(', ');

export interface BookingMailDeps {
  db: Db;
  users: Pick<UsersApi, 'getContacts' | 'getPublicProfiles'>;
  properties: Pick<PropertiesApi, 'getPropertiesByIds'>;
  mailer: Mailer;
  publicUrl: string;
}

/** The parties of a booking as the e-mail job found them: undefined when gone or suspended. */
interface Parties {
  guest: UserContact | undefined;
  host: UserContact | undefined;
}

/** What composing an e-mail may look up: the place as a party sees it, and the booking's page. */
interface MailView {
  /** The place as `userId` may see it now: the exact address only if their standing allows it. */
  propertyAs(b: BookingRow, userId: string, role: 'guest' | 'host'): Promise<Property | undefined>;
  bookingLink(b: BookingRow): string;
}

type Composed = { to: UserContact; content: EmailContent };
type Composer = (b: BookingRow, parties: Parties, view: MailView) => Promise<Composed | undefined>;

const money = (b: BookingRow, minor: number) => formatMoney(minor, b.currency);

const bookingHeld: Composer = async (b, { guest }, view) => {
  if (!guest) return undefined;
  // Paid, canceled or expired since: the reminder to pay no longer applies.
  if (b.status !== 'pending' || !b.holdExpiresAt) return undefined;
  const title = (await view.propertyAs(b, b.guestId, 'guest'))?.title ?? 'your stay';
  // A request to book: paying only authorizes the card, and the host then has 24 hours to answer.
  const request = b.bookingMode === 'request';
  return {
    to: guest,
    content: {
      subject: request
        ? `Your request for ${title} is held: pay to send it to the host`
        : `Your booking of ${title} is held: pay to confirm it`,
      paragraphs: [
        `Hello ${guest.firstName},`,
        `We are holding ${title} for you: ${stayLine(b)}, ${guestCount(b)}.`,
        `Total to pay: ${money(b, b.total)}. Pay before ${localInstant(b.holdExpiresAt, b.timezone)}, or the dates are released.`,
      ],
      action: { label: 'Pay now', url: view.bookingLink(b) },
      footer: request
        ? 'Your card is only authorized now; it is charged if the host accepts your request within 24 hours.'
        : 'The booking is confirmed only once the payment succeeds.',
    },
  };
};

const bookingConfirmed: Composer = async (b, { guest }, view) => {
  if (!guest) return undefined;
  if (b.status !== 'confirmed') return undefined;
  // The guest's own view: a confirmed booking reveals the exact address to them.
  const place = await view.propertyAs(b, b.guestId, 'guest');
  const title = place?.title ?? 'your stay';
  return {
    to: guest,
    content: {
      subject: `Booking confirmed: ${title}`,
      paragraphs: [
        `Hello ${guest.firstName},`,
        `Your booking of ${title} is confirmed: ${stayLine(b)}, ${guestCount(b)}.`,
        ...(place?.address.line1 ? [`Address: ${addressLine(place)}.`] : []),
        `Total paid: ${money(b, b.total)}.`,
      ],
      action: { label: 'See your booking', url: view.bookingLink(b) },
    },
  };
};

const bookingNewHost: Composer = async (b, { guest, host }, view) => {
  if (!host) return undefined;
  if (b.status !== 'confirmed') return undefined;
  const title = (await view.propertyAs(b, b.hostId, 'host'))?.title ?? 'your place';
  return {
    to: host,
    content: {
      subject: `New booking: ${title}, ${b.checkIn} to ${b.checkOut}`,
      paragraphs: [
        `Hello ${host.firstName},`,
        `${guest?.firstName ?? 'A guest'} booked ${title}: ${stayLine(b)}, ${guestCount(b)}.`,
        `Total paid by the guest: ${money(b, b.total)}.`,
      ],
      action: { label: 'See the booking', url: view.bookingLink(b) },
    },
  };
};

/** The cancel e-mail to one party: the guest's or the host's. */
const bookingCanceled =
  (toGuest: boolean): Composer =>
  async (b, { guest, host }, view) => {
    if (b.status !== 'canceled') return undefined;
    const who = toGuest ? guest : host;
    if (!who) return undefined;
    const title = (await view.propertyAs(b, toGuest ? b.guestId : b.hostId, toGuest ? 'guest' : 'host'))?.title;
    const place = title ?? (toGuest ? 'your stay' : 'your place');
    const by = b.canceledBy === (toGuest ? 'guest' : 'host') ? 'you' : CANCELED_BY_NAME[b.canceledBy ?? 'admin'];
    const refund = b.refundAmount ?? 0;
    return {
      to: who,
      content: {
        subject: `Booking canceled: ${place}, ${b.checkIn} to ${b.checkOut}`,
        paragraphs: [
          `Hello ${who.firstName},`,
          `The booking of ${place} (${stayLine(b)}) was canceled by ${by}.`,
          ...(b.cancellationReason ? [`Reason given: ${b.cancellationReason}`] : []),
          toGuest ? `Your refund: ${money(b, refund)}.` : `Refund to the guest: ${money(b, refund)}.`,
          ...(!toGuest ? [`The dates are free again.`] : []),
        ],
        action: { label: 'See the booking', url: view.bookingLink(b) },
      },
    };
  };

const checkinReminder: Composer = async (b, { guest }, view) => {
  if (!guest) return undefined;
  // Canceled since it was enqueued (or completed, for a job run very late): no reminder.
  if (b.status !== 'confirmed') return undefined;
  const place = await view.propertyAs(b, b.guestId, 'guest');
  const title = place?.title ?? 'your stay';
  return {
    to: guest,
    content: {
      subject: `Your stay at ${title} begins tomorrow`,
      paragraphs: [
        `Hello ${guest.firstName},`,
        `Your stay at ${title} begins tomorrow: ${stayLine(b)}, ${guestCount(b)}.`,
        ...(place?.address.line1 ? [`Address: ${addressLine(place)}.`] : []),
      ],
      action: { label: 'See your booking', url: view.bookingLink(b) },
    },
  };
};

const holdExpired: Composer = async (b, { guest }, view) => {
  if (!guest) return undefined;
  if (b.status !== 'expired') return undefined;
  const title = (await view.propertyAs(b, b.guestId, 'guest'))?.title ?? 'your stay';
  return {
    to: guest,
    content: {
      subject: `Your hold on ${title} has expired`,
      paragraphs: [
        `Hello ${guest.firstName},`,
        `We held ${title} for you (${stayLine(b)}), but no payment arrived in time, so the dates were released.`,
        'Nothing was charged. You can book again if the dates are still free.',
      ],
    },
  };
};

/** What the host is told of the guest who asks: their rating as a guest (see bookings.guest-standing.ts). */
const guestStanding = guestStandingLines;

const bookingRequested: Composer = async (b, { guest, host }, view) => {
  if (!host) return undefined;
  // Answered, canceled or expired since: nothing left to ask.
  if (b.status !== 'requested' || !b.respondBy) return undefined;
  const title = (await view.propertyAs(b, b.hostId, 'host'))?.title ?? 'your place';
  return {
    to: host,
    content: {
      subject: `Booking request: ${title}, ${b.checkIn} to ${b.checkOut}`,
      paragraphs: [
        `Hello ${host.firstName},`,
        `${guest?.firstName ?? 'A guest'} asks to book ${title}: ${stayLine(b)}, ${guestCount(b)}.`,
        ...guestStanding(guest),
        `Total: ${money(b, b.total)}. Accept or decline before ${localInstant(b.respondBy, b.timezone)}; after that the request expires and the dates are released.`,
      ],
      action: { label: 'Answer the request', url: view.bookingLink(b) },
    },
  };
};

const requestAccepted: Composer = async (b, { guest }, view) => {
  if (!guest) return undefined;
  // Confirmed (the authorized payment is captured), or pending: pay within the new hold.
  const payNow = b.status === 'pending' && b.holdExpiresAt !== null && b.respondBy !== null;
  if (b.status !== 'confirmed' && !payNow) return undefined;
  const place = await view.propertyAs(b, b.guestId, 'guest');
  const title = place?.title ?? 'your stay';
  return {
    to: guest,
    content: {
      subject: `Request accepted: ${title}`,
      paragraphs: [
        `Hello ${guest.firstName},`,
        `The host accepted your request to book ${title}: ${stayLine(b)}, ${guestCount(b)}.`,
        ...(payNow
          ? [`Pay ${money(b, b.total)} before ${localInstant(b.holdExpiresAt!, b.timezone)} to confirm it.`]
          : [
              ...(place?.address.line1 ? [`Address: ${addressLine(place)}.`] : []),
              `Your booking is confirmed; ${money(b, b.total)} is charged to the card you authorized.`,
            ]),
      ],
      action: { label: payNow ? 'Pay now' : 'See your booking', url: view.bookingLink(b) },
    },
  };
};

/** The guest's e-mail when a request ends without a stay: declined by the host, or unanswered. */
const requestEnded =
  (status: 'declined' | 'expired'): Composer =>
  async (b, { guest }, view) => {
    if (!guest || b.status !== status || b.bookingMode !== 'request') return undefined;
    const title = (await view.propertyAs(b, b.guestId, 'guest'))?.title ?? 'your stay';
    return {
      to: guest,
      content: {
        subject: status === 'declined' ? `Request declined: ${title}` : `Your request for ${title} has expired`,
        paragraphs: [
          `Hello ${guest.firstName},`,
          status === 'declined'
            ? `The host declined your request to book ${title} (${stayLine(b)}).`
            : `The host did not answer your request to book ${title} (${stayLine(b)}) in time, so it has expired.`,
          ...(status === 'declined' && b.cancellationReason ? [`Reason given: ${b.cancellationReason}`] : []),
          'Nothing was charged: the amount reserved on your card is released.',
        ],
      },
    };
  };

const COMPOSERS: Record<BookingEmail, Composer> = {
  'booking-held': bookingHeld,
  'booking-confirmed': bookingConfirmed,
  'booking-new-host': bookingNewHost,
  'booking-canceled-guest': bookingCanceled(true),
  'booking-canceled-host': bookingCanceled(false),
  'checkin-reminder': checkinReminder,
  'hold-expired': holdExpired,
  'booking-requested': bookingRequested,
  'request-accepted': requestAccepted,
  'request-declined': requestEnded('declined'),
  'request-expired': requestEnded('expired'),
};

/** The job handler: loads the booking as it is now, and sends the e-mail if it still applies. */
export function createBookingMail(deps: BookingMailDeps) {
  const { db, users, properties, mailer, publicUrl } = deps;
  const view: MailView = {
    async propertyAs(b, userId, role) {
      const ctx: RequestContext = { actor: { id: userId, role } };
      return (await properties.getPropertiesByIds([b.propertyId], ctx)).get(b.propertyId);
    },
    bookingLink: (b) => publicLink(publicUrl, `/bookings/${b.id}`),
  };

  return {
    // The host's view of the guest (their rating), built from the same users API as the e-mails.
    ...createGuestStanding({ db, users }),
    async sendBookingEmail(email: BookingEmail, bookingId: string): Promise<void> {
      const b = await repo.findBookingById(db, bookingId);
      if (!b) return;
      const contacts = await users.getContacts([b.guestId, b.hostId]);
      // An account gone or suspended since gets nothing.
      const composed = await COMPOSERS[email](
        b,
        { guest: contacts.get(b.guestId), host: contacts.get(b.hostId) },
        view,
      );
      if (!composed) return;
      await mailer.send({
        to: composed.to.email,
        dedupeKey: bookingEmailKey(email, b.id),
        ...renderEmail(composed.content),
      });
    },
  };
}

export type BookingMail = ReturnType<typeof createBookingMail>;
