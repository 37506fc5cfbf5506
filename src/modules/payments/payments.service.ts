import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../../platform/clock.js';
import { requireActor, systemContext, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { isAppError } from '../../platform/errors.js';
import {
  providerUnavailable,
  sandboxEvent,
  signSandboxEvent,
  type PaymentProvider,
  type PaymentProviderName,
  type SandboxOutcome,
  type WebhookEvent,
} from '../../platform/payments/index.js';
import { enqueue } from '../../platform/jobs/index.js';
import { publicLink, renderEmail, type Mailer } from '../../platform/mail/index.js';
import { formatMoney } from '../../platform/money.js';
import type { AuditService } from '../audit/index.js';
import {
  stayLine,
  type Booking,
  type BookingsAccount,
  type BookingsService,
  type CancellationEvent,
} from '../bookings/index.js';
import type { PropertiesService } from '../properties/index.js';
import type { UsersService } from '../users/index.js';
import {
  bookingNotPayable,
  checkoutNotFound,
  checkoutSettled,
  notBookingGuest,
  paymentNotFound,
  providerNotFound,
} from './payments.errors.js';
import * as repo from './payments.repository.js';
import { toPaymentDto, type Payment } from './payments.schemas.js';
import type { PaymentRefundRow, PaymentRow } from './payments.table.js';

type RefundReason = PaymentRefundRow['reason'];

/** Checkouts one booking may open (declined or abandoned ones included). */
export const MAX_PAYMENTS_PER_BOOKING = 10;

export interface PaymentsServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  bookings: BookingsService & Pick<BookingsAccount, 'bookingIdPages'>;
  users: UsersService;
  properties: PropertiesService;
  mailer: Mailer;
  /** The providers this process can reach (see createPaymentProviders); `active` takes new checkouts. */
  providers: ReadonlyMap<PaymentProviderName, PaymentProvider>;
  active: PaymentProviderName;
  webhookSecret: string;
  /** PUBLIC_URL: where the sandbox page posts its webhook and providers send the guest back. */
  publicUrl: string;
  /** Deadline of the sandbox's own webhook delivery. */
  deliveryTimeoutMs?: number;
}

export const SEND_PAYMENT_RECEIPT = 'payments.send-receipt';
export const SEND_REFUND_EMAIL = 'payments.send-refund-email';

/**
 * Refunds the guest did not ask for, told by an e-mail of their own. A cancel's refund is
 * already in the cancel e-mail.
 */
const TOLD_REFUNDS: readonly RefundReason[] = ['dates_taken', 'paid_twice'];

/** `payment-refunded:<refundId>`: the e-mail leaves once per refund. */
export const refundEmailKey = (refundId: string) => `payment-refunded:${refundId}`;

export type PaymentsService = ReturnType<typeof createPaymentsService>;

export type WebhookResult = { duplicate: boolean };

/** What the sandbox checkout page shows. */
export interface SandboxCheckout {
  reference: string;
  title: string;
  checkIn: string;
  checkOut: string;
  amount: number;
  currency: string;
  status: PaymentRow['status'];
}

// The sandbox page is opened by whoever holds the checkout link, as a provider's hosted
// page is: it reads the booking with the payment's own standing, not a caller's.
const PAYMENT_READER: RequestContext = {
  actor: { id: '00000000-0000-0000-0000-000000000000', role: 'admin' },
  system: true,
};

export function createPaymentsService(deps: PaymentsServiceDeps) {
  const { db, clock, audit, bookings, users, properties, providers, active, mailer, publicUrl } = deps;

  const providerOf = (name: PaymentProviderName): PaymentProvider => {
    const provider = providers.get(name);
    if (!provider) throw providerNotFound();
    return provider;
  };

  async function propertyTitle(booking: Booking, ctx: RequestContext): Promise<string> {
    const found = await properties.getPropertiesByIds([booking.propertyId], ctx);
    return found.get(booking.propertyId)?.title ?? 'Your stay';
  }

  /**
   * Sends a recorded refund to the provider, then applies it. Never throws: a failure stays
   * on the pending row (`last_error`) for `retryPendingRefunds`. The provider call is keyed
   * by the refund's id, and applying it is conditional on the row still being pending, so
   * two attempts at once refund and count it once.
   */
  async function sendRefund(refundId: string, ctx: RequestContext): Promise<boolean> {
    const refund = await repo.findRefund(db, refundId);
    if (!refund || refund.status !== 'pending') return false;
    const payment = await repo.findPaymentById(db, refund.paymentId);
    if (!payment) return false;
    try {
      const provider = providers.get(payment.provider);
      if (!provider) throw providerUnavailable(payment.provider);
      const { refundId: providerRefundId } = await provider.refund({
        providerReference: payment.providerReference,
        chargeId: payment.providerChargeId,
        amount: refund.amount,
        currency: payment.currency,
        idempotencyKey: refund.id,
      });
      await withTransaction(db, async (tx) => {
        const now = clock.now();
        if (!(await repo.completeRefund(tx, refund.id, providerRefundId, now))) return;
        const updated = await repo.addRefunded(tx, payment.id, refund.amount, now);
        // Told when the money has actually gone back, not when the refund was decided: a
        // refund the provider refuses stays pending (and untold) until a retry sends it.
        if (TOLD_REFUNDS.includes(refund.reason)) {
          await enqueue(tx, {
            kind: SEND_REFUND_EMAIL,
            payload: { refundId: refund.id },
            runAt: now,
            key: `job:${refundEmailKey(refund.id)}`,
          });
        }
        await audit.record(
          ctx,
          {
            action: 'payment.refunded',
            entity: 'payment',
            entityId: payment.id,
            detail: {
              refundId: refund.id,
              bookingId: payment.bookingId,
              amount: refund.amount,
              currency: payment.currency,
              reason: refund.reason,
              status: updated?.status,
            },
          },
          tx,
        );
      });
      return true;
    } catch (e) {
      const message = isAppError(e) ? e.message : 'The refund could not be completed.';
      // Best effort: the row is still pending either way, so the retry finds it.
      await repo.recordRefundError(db, refund.id, message, clock.now()).catch(() => undefined);
      return false;
    }
  }

  /** Records a refund inside `tx` and sends it once the transaction has committed. */
  async function recordRefund(
    tx: Db,
    payment: PaymentRow,
    amount: number,
    reason: RefundReason,
    ctx: RequestContext,
  ): Promise<void> {
    await withTransaction(tx, async (tx, { afterCommit }) => {
      const left = payment.amount - payment.refundedAmount - (await repo.sumOpenRefunds(tx, payment.id));
      const refundable = Math.min(amount, left);
      if (refundable <= 0) return;
      const refund = await repo.insertRefundOnce(tx, {
        paymentId: payment.id,
        amount: refundable,
        reason,
        now: clock.now(),
      });
      if (refund) afterCommit(() => sendRefund(refund.id, ctx));
    });
  }

  async function applyEvent(tx: Db, provider: PaymentProviderName, event: WebhookEvent): Promise<void> {
    if (!event.providerReference) return;
    const payment = await repo.findPaymentByReference(tx, provider, event.providerReference, { lock: true });
    // Not ours (another environment sharing the account, or a checkout we never stored): acknowledged.
    if (!payment) return;
    await repo.setEventPayment(tx, provider, event.eventId, payment.id);
    const now = clock.now();
    if (event.kind === 'failed') {
      // A decline after a capture (or a late expiry notice) changes nothing.
      if (await repo.markFailed(tx, payment.id, now)) {
        await audit.record(
          systemContext(),
          {
            action: 'payment.failed',
            entity: 'payment',
            entityId: payment.id,
            detail: { bookingId: payment.bookingId },
          },
          tx,
        );
      }
      return;
    }
    if ((repo.CAPTURED_STATUSES as readonly string[]).includes(payment.status)) return;
    const { outcome } = await bookings.confirmPaid(tx, payment.bookingId);
    await repo.markCaptured(tx, payment, event.chargeId, now);
    await audit.record(
      systemContext(),
      {
        action: 'payment.succeeded',
        entity: 'payment',
        entityId: payment.id,
        detail: { bookingId: payment.bookingId, amount: payment.amount, outcome },
      },
      tx,
    );
    if (outcome === 'confirmed') {
      await enqueue(tx, { kind: SEND_PAYMENT_RECEIPT, payload: { paymentId: payment.id }, runAt: now });
    }
    // Paid for dates no longer held, or paid twice: the money goes back in full.
    if (outcome !== 'confirmed') {
      const reason = outcome === 'already_confirmed' ? 'paid_twice' : 'dates_taken';
      await recordRefund(tx, { ...payment, status: 'succeeded' }, payment.amount, reason, systemContext());
    }
  }

  async function onCanceled(tx: Db, e: CancellationEvent): Promise<void> {
    if (e.refundAmount <= 0) return;
    const payment = await repo.lockCapturedPayment(tx, e.booking.id);
    if (!payment) return;
    await recordRefund(tx, payment, e.refundAmount, `canceled_by_${e.canceledBy}`, e.ctx);
  }

  async function sandboxCheckout(reference: string): Promise<SandboxCheckout> {
    const payment = await sandboxPayment(reference);
    const booking = await bookings.getBooking(payment.bookingId, PAYMENT_READER);
    return {
      reference,
      title: await propertyTitle(booking, PAYMENT_READER),
      checkIn: booking.checkIn,
      checkOut: booking.checkOut,
      amount: payment.amount,
      currency: payment.currency,
      status: payment.status,
    };
  }

  async function sandboxPayment(reference: string): Promise<PaymentRow> {
    if (active !== 'sandbox') throw checkoutNotFound();
    const payment = await repo.findPaymentByReference(db, 'sandbox', reference);
    if (!payment) throw checkoutNotFound();
    return payment;
  }

  return {
    /** Handles `booking.canceled` (declared in the module's `listens`), inside the cancel's transaction. */
    onBookingCanceled: onCanceled,

    /**
     * The payments of the user's bookings on one side, for their personal-data export. A
     * host sees their guests' payments without the checkout link, which is the guest's.
     */
    async *paymentsOf(userId: string, as: 'guest' | 'host'): AsyncGenerator<Payment> {
      for await (const ids of bookings.bookingIdPages(userId, as)) {
        for (const row of await repo.findPaymentsByBookingIds(db, ids)) {
          const dto = toPaymentDto(row);
          yield as === 'guest' ? dto : { ...dto, checkoutUrl: null };
        }
      }
    },

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

    /**
     * Starts a checkout for a pending booking, by its guest. The payment row is written
     * first and the provider called outside any transaction (a slow provider holds no
     * lock); a provider failure marks the payment failed and answers 503.
     */
    async initiatePayment(bookingId: string, ctx: RequestContext): Promise<Payment> {
      const actor = requireActor(ctx);
      const booking = await bookings.getBooking(bookingId, ctx);
      if (booking.guestId !== actor.id) throw notBookingGuest();
      const now = clock.now();
      if (booking.status !== 'pending') throw bookingNotPayable(`it is ${booking.status}`);
      if (!booking.holdExpiresAt || new Date(booking.holdExpiresAt) <= now)
        throw bookingNotPayable('its hold has ended');
      if (await repo.hasCapturedPayment(db, booking.id)) throw bookingNotPayable('it is already paid');
      // Each attempt is a checkout at the provider: a booking's hold allows a few, not a flood.
      if ((await repo.countPayments(db, booking.id)) >= MAX_PAYMENTS_PER_BOOKING) {
        throw bookingNotPayable(`it already has ${MAX_PAYMENTS_PER_BOOKING} payment attempts`);
      }
      const provider = providerOf(active);

      const id = randomUUID();
      const payment = await repo.insertPayment(db, {
        id,
        bookingId: booking.id,
        provider: active,
        status: 'initiated',
        amount: booking.price.total,
        currency: booking.currency,
        providerReference: id,
        createdAt: now,
        updatedAt: now,
      });
      const [me, title] = await Promise.all([users.getMe(ctx), propertyTitle(booking, ctx)]);
      let session;
      try {
        session = await provider.createCheckout({
          reference: id,
          amount: payment.amount,
          currency: payment.currency,
          description: `${title}, ${booking.checkIn} to ${booking.checkOut}`,
          customerEmail: me.email,
          customerName: `${me.firstName} ${me.lastName}`.trim(),
          returnUrl: `${deps.publicUrl}/v1/payments/${id}`,
        });
      } catch (e) {
        await repo.markFailed(db, id, clock.now(), false);
        throw isAppError(e) && e.kind === 'unavailable' ? e : providerUnavailable(provider.name, e);
      }
      const stored = await repo.updateCheckout(db, id, { ...session, now: clock.now() });
      return toPaymentDto(stored);
    },

    /** A payment, for the guest, the host or an admin of its booking; anyone else 404. */
    async getPayment(id: string, ctx: RequestContext): Promise<Payment> {
      requireActor(ctx);
      const payment = await repo.findPaymentById(db, id);
      if (!payment) throw paymentNotFound();
      try {
        await bookings.getBooking(payment.bookingId, ctx);
      } catch (e) {
        if (isAppError(e) && e.kind === 'not_found') throw paymentNotFound();
        throw e;
      }
      return toPaymentDto(payment);
    },

    /**
     * A provider's webhook: verified first (401 otherwise), then applied exactly once — the
     * event row and its effects commit together, and a repeat finds the row and changes
     * nothing. Refunds it decides are sent after the commit.
     */
    async handleWebhook(
      provider: PaymentProviderName,
      rawBody: Buffer,
      headers: IncomingHttpHeaders,
    ): Promise<WebhookResult> {
      const event = await providerOf(provider).parseWebhook(rawBody, headers);
      // Not recorded: an ignored event has no effect to repeat, and recording its id would
      // shadow a later delivery that matters (a Chapa success its verify call did not confirm yet).
      if (event.kind === 'ignored') return { duplicate: false };
      return withTransaction(db, async (tx) => {
        const fresh = await repo.insertEventOnce(tx, {
          provider,
          eventId: event.eventId,
          type: event.type,
          paymentId: null,
          payload: event,
        });
        if (!fresh) return { duplicate: true };
        await applyEvent(tx, provider, event);
        return { duplicate: false };
      });
    },

    /** Sends refunds still pending (provider down at the time); returns how many went through. */
    async retryPendingRefunds(limit = 100): Promise<{ attempted: number; succeeded: number }> {
      const pending = await repo.findPendingRefunds(db, limit);
      let succeeded = 0;
      for (const refund of pending) if (await sendRefund(refund.id, systemContext())) succeeded++;
      return { attempted: pending.length, succeeded };
    },

    /** The refunds of a payment, oldest first (for admins' tools and tests). */
    async listRefunds(paymentId: string) {
      return repo.findRefundsOfPayment(db, paymentId);
    },

    /** What the sandbox checkout page shows; 404 unless the sandbox is the active provider. */
    getSandboxCheckout: sandboxCheckout,

    /**
     * The sandbox's Pay and Decline: it delivers a signed webhook to our own endpoint over
     * HTTP, as a provider would, and reports the payment as it stands afterwards.
     */
    async settleSandboxCheckout(
      reference: string,
      outcome: SandboxOutcome,
    ): Promise<{ delivered: boolean; checkout: SandboxCheckout }> {
      const payment = await sandboxPayment(reference);
      if (payment.status !== 'initiated') throw checkoutSettled();
      const { body, headers } = signSandboxEvent(deps.webhookSecret, sandboxEvent(payment.providerReference, outcome));
      let delivered = false;
      try {
        const res = await fetch(`${deps.publicUrl}/v1/webhooks/payments/sandbox`, {
          method: 'POST',
          body,
          headers,
          signal: AbortSignal.timeout(deps.deliveryTimeoutMs ?? 10_000),
        });
        delivered = res.ok;
      } catch {
        delivered = false;
      }
      const after = await sandboxCheckout(reference);
      return { delivered, checkout: after };
    },
  };
}
