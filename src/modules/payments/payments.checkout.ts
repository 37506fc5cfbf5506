import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import { requireActor, type RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import { isAppError } from '../../platform/errors.js';
import {
  providerUnavailable,
  sandboxEvent,
  signSandboxEvent,
  type PaymentProvider,
  type PaymentProviderName,
  type SandboxEventBody,
  type SandboxOutcome,
} from '../../platform/payments/index.js';
import type { Booking, BookingsAccount, BookingsApi } from '../bookings/index.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import {
  bookingNotPayable,
  checkoutNotFound,
  checkoutSettled,
  notBookingGuest,
  paymentNotFound,
} from './payments.errors.js';
import { MAX_PAYMENTS_PER_BOOKING, PAYMENT_READER, providerOf } from './payments.policy.js';
import * as repo from './payments.repository.js';
import { toPaymentDto, type Payment, type SandboxCheckout } from './payments.schemas.js';
import type { PaymentRow } from './payments.table.js';

export interface PaymentCheckoutDeps {
  db: Db;
  clock: Clock;
  bookings: Pick<BookingsApi, 'getBooking'> & Pick<BookingsAccount, 'bookingIdPages'>;
  users: Pick<UsersApi, 'getMe'>;
  properties: Pick<PropertiesApi, 'getPropertiesByIds'>;
  providers: ReadonlyMap<PaymentProviderName, PaymentProvider>;
  active: PaymentProviderName;
  webhookSecret: string;
  publicUrl: string;
  deliveryTimeoutMs?: number;
}

/** Posts the sandbox's signed event to our own webhook endpoint over HTTP, as a provider would; whether it was taken. */
async function deliverSandboxEvent(deps: PaymentCheckoutDeps, event: SandboxEventBody): Promise<boolean> {
  const { body, headers } = signSandboxEvent(deps.webhookSecret, event);
  try {
    const res = await fetch(`${deps.publicUrl}/v1/webhooks/payments/sandbox`, {
      method: 'POST',
      body,
      headers,
      signal: AbortSignal.timeout(deps.deliveryTimeoutMs ?? 10_000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * The guest's side of paying: a checkout opened at the active provider, the payment as it
 * stands, and the sandbox's own hosted page (shown and settled here, as a provider would).
 */
export function createPaymentCheckout(deps: PaymentCheckoutDeps) {
  const { db, clock, bookings, users, properties, providers, active } = deps;

  async function propertyTitle(booking: Booking, ctx: RequestContext): Promise<string> {
    const found = await properties.getPropertiesByIds([booking.propertyId], ctx);
    return found.get(booking.propertyId)?.title ?? 'Your stay';
  }

  async function sandboxPayment(reference: string): Promise<PaymentRow> {
    if (active !== 'sandbox') throw checkoutNotFound();
    const payment = await repo.findPaymentByReference(db, 'sandbox', reference);
    if (!payment) throw checkoutNotFound();
    return payment;
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

  return {
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
      const provider = providerOf(providers, active);
      // A request to book: the card is only authorized now, captured when the host accepts.
      const captureMethod = booking.bookingMode === 'request' && provider.canAuthorize ? 'manual' : 'automatic';

      const id = randomUUID();
      const payment = await repo.insertPayment(db, {
        id,
        bookingId: booking.id,
        provider: active,
        status: 'initiated',
        amount: booking.price.total,
        currency: booking.currency,
        providerReference: id,
        captureMethod,
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
          captureMethod,
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

    /** What the sandbox checkout page shows; 404 unless the sandbox is the active provider. */
    getSandboxCheckout: sandboxCheckout,

    /**
     * The sandbox's Pay and Decline: it delivers a signed webhook to our own endpoint over
     * HTTP, as a provider would, and reports the payment as it stands afterwards.
     */
    async settleSandboxCheckout(
      reference: string,
      outcome: SandboxOutcome,
      options: { refuseSettlement?: boolean } = {},
    ): Promise<{ delivered: boolean; checkout: SandboxCheckout }> {
      const payment = await sandboxPayment(reference);
      if (payment.status !== 'initiated') throw checkoutSettled();
      // Paying a manual-capture checkout authorizes it (a request to book). One event id per
      // checkout and outcome: two clicks that both get here deliver the same event, which the
      // webhook applies once.
      const kind = outcome === 'succeeded' && payment.captureMethod === 'manual' ? 'authorized' : outcome;
      const event = sandboxEvent(
        payment.providerReference,
        kind,
        `evt_${payment.providerReference}_${kind}`,
        options.refuseSettlement,
      );
      const delivered = await deliverSandboxEvent(deps, event);
      const after = await sandboxCheckout(reference);
      return { delivered, checkout: after };
    },
  };
}
