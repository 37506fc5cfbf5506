import type { RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import { publicLink, renderEmail, type Mailer } from '../../platform/mail/index.js';
import { formatMoney } from '../../platform/money.js';
import { stayLine, type BookingsApi } from '../bookings/index.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import { PAYMENT_READER, TOLD_REFUNDS } from './payments.policy.js';
import * as repo from './payments.repository.js';

export const SEND_PAYMENT_RECEIPT = 'payments.send-receipt';
export const SEND_REFUND_EMAIL = 'payments.send-refund-email';

/** `payment-refunded:<refundId>`: the e-mail leaves once per refund. */
export const refundEmailKey = (refundId: string) => `payment-refunded:${refundId}`;

export interface PaymentsMailDeps {
  db: Db;
  bookings: Pick<BookingsApi, 'getBooking'>;
  users: Pick<UsersApi, 'getContacts'>;
  properties: Pick<PropertiesApi, 'getPropertiesByIds'>;
  mailer: Mailer;
  publicUrl: string;
}

/** The guest's e-mails about their money: the receipt, and a refund they did not ask for. */
export function createPaymentsMail(deps: PaymentsMailDeps) {
  const { db, bookings, users, properties, mailer, publicUrl } = deps;

  return {
    /**
     * Job handler: the guest's receipt for the payment that confirmed their booking, keyed
     * `payment-receipt:<bookingId>` (only a confirming payment gets one, so one per booking).
     */
    async sendPaymentReceipt(paymentId: string): Promise<void> {
      const payment = await repo.findPaymentById(db, paymentId);
      if (!payment || !(repo.CAPTURED_STATUSES as readonly string[]).includes(payment.status)) return;
      const booking = await bookings.getBooking(payment.bookingId, PAYMENT_READER);
      const guest = (await users.getContacts([booking.guestId])).get(booking.guestId);
      if (!guest) return;
      const guestCtx: RequestContext = { actor: { id: booking.guestId, role: 'guest' } };
      const place = (await properties.getPropertiesByIds([booking.propertyId], guestCtx)).get(booking.propertyId);
      const title = place?.title;
      const timezone = place?.timezone ?? 'UTC';
      const money = (minor: number) => formatMoney(minor, payment.currency);
      await mailer.send({
        to: guest.email,
        dedupeKey: `payment-receipt:${booking.id}`,
        ...renderEmail({
          subject: `Receipt: ${money(payment.amount)} for ${title ?? 'your stay'}`,
          paragraphs: [
            `Hello ${guest.firstName},`,
            `We received your payment of ${money(payment.amount)} for ${title ?? 'your stay'}: ${stayLine({ ...booking, timezone })}.`,
            `Nightly ${money(booking.price.nightly)} × ${booking.nights}: ${money(booking.price.subtotal)}` +
              (booking.price.discount > 0 ? `; weekly discount −${money(booking.price.discount)}` : '') +
              `; cleaning fee ${money(booking.price.cleaningFee)}; service fee ${money(booking.price.serviceFee)}; total ${money(booking.price.total)}.`,
            `Payment reference: ${payment.id} (${payment.provider}).`,
          ],
          action: { label: 'See your booking', url: publicLink(publicUrl, `/bookings/${booking.id}`) },
        }),
      });
    },

    /**
     * Job handler: tells the guest a payment was refunded in full because the dates were
     * taken meanwhile (a success after the hold ended) or the booking was already paid.
     * Enqueued by the transaction that records the refund as sent; nothing for a refund
     * that is not (yet) succeeded.
     */
    async sendRefundEmail(refundId: string): Promise<void> {
      const refund = await repo.findRefund(db, refundId);
      if (!refund || refund.status !== 'succeeded' || !TOLD_REFUNDS.includes(refund.reason)) return;
      const payment = await repo.findPaymentById(db, refund.paymentId);
      if (!payment) return;
      const booking = await bookings.getBooking(payment.bookingId, PAYMENT_READER);
      const guest = (await users.getContacts([booking.guestId])).get(booking.guestId);
      if (!guest) return;
      const guestCtx: RequestContext = { actor: { id: booking.guestId, role: 'guest' } };
      const place = (await properties.getPropertiesByIds([booking.propertyId], guestCtx)).get(booking.propertyId);
      const title = place?.title ?? 'your stay';
      const stay = stayLine({ ...booking, timezone: place?.timezone ?? 'UTC' });
      const amount = formatMoney(refund.amount, payment.currency);
      const datesTaken = refund.reason === 'dates_taken';
      await mailer.send({
        to: guest.email,
        dedupeKey: refundEmailKey(refund.id),
        ...renderEmail({
          subject: `Refunded in full: ${amount} for ${title}`,
          paragraphs: [
            `Hello ${guest.firstName},`,
            // dates_taken is also the reason for a success arriving after the booking was canceled.
            datesTaken && booking.status === 'canceled'
              ? `Your payment for ${title} (${stay}) arrived after the booking had been canceled, so we could not confirm it.`
              : datesTaken
                ? `Your payment for ${title} (${stay}) arrived after your hold on the dates had ended, and ` +
                  'someone else had booked them in the meantime, so we could not confirm your booking.'
                : `Your booking of ${title} (${stay}) was already paid, so we did not keep this second ` +
                  'payment. Your booking stays confirmed.',
            `We refunded the payment in full: ${amount} (payment reference ${payment.id}). Your bank may take a few days to show it.`,
          ],
          action: datesTaken
            ? {
                label: 'Find other places for these dates',
                url: publicLink(publicUrl, '/properties', {
                  checkIn: booking.checkIn,
                  checkOut: booking.checkOut,
                  guests: String(booking.guests),
                }),
              }
            : { label: 'See your booking', url: publicLink(publicUrl, `/bookings/${booking.id}`) },
        }),
      });
    },
  };
}
