import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { systemContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { enqueue } from '../../platform/jobs/index.js';
import type { PaymentProvider, PaymentProviderName, WebhookEvent } from '../../platform/payments/index.js';
import type { AuditService } from '../audit/index.js';
import type { BookingsApi } from '../bookings/index.js';
import { SEND_PAYMENT_RECEIPT } from './payments.mail.js';
import { providerOf } from './payments.policy.js';
import type { RecordRefund } from './payments.refunds.js';
import * as auth from './payments.authorizations.repository.js';
import * as repo from './payments.repository.js';
import { scheduleSettlement } from './payments.settlement.js';
import type { PaymentRow } from './payments.table.js';
import { toPaymentDto, type WebhookResult } from './payments.schemas.js';
import { eventBooking, type PublishPaymentEvent } from './payments.events.js';

export interface PaymentWebhooksDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  bookings: Pick<BookingsApi, 'confirmPaid' | 'markRequested' | 'findStay'>;
  providers: ReadonlyMap<PaymentProviderName, PaymentProvider>;
  recordRefund: RecordRefund;
  publish: PublishPaymentEvent;
}

/** A provider's events: a capture confirms the booking (or is refunded), a decline is recorded. */
export function createPaymentWebhooks(deps: PaymentWebhooksDeps) {
  const { db, clock, audit, bookings, providers, recordRefund, publish } = deps;

  /** `payment.succeeded`, inside the capture's transaction. */
  async function publishCaptured(tx: Db, captured: PaymentRow, keeps: boolean): Promise<void> {
    const booking = await eventBooking(bookings, tx, captured.bookingId);
    await publish(tx, 'payment.succeeded', { payment: toPaymentDto(captured), booking, keeps });
  }

  /** The payment an event names: by the provider's reference, or by ours (an event about the charge). */
  async function paymentOf(tx: Db, provider: PaymentProviderName, event: WebhookEvent) {
    if (event.providerReference) {
      return repo.findPaymentByReference(tx, provider, event.providerReference, { lock: true });
    }
    if (event.reference && z.uuid().safeParse(event.reference).success) {
      return auth.lockPaymentById(tx, provider, event.reference);
    }
    return undefined;
  }

  /**
   * A manual-capture payment's events, in whatever order they come: the first authorization
   * makes the booking a request (or is voided when the booking no longer holds its nights,
   * or already has one); a capture or a void confirms what our own settlement asked for; a
   * late or repeated event changes nothing.
   */
  async function applyManual(tx: Db, payment: PaymentRow, event: WebhookEvent, now: Date): Promise<void> {
    if (event.kind === 'authorized') {
      if (!(await auth.markAuthorized(tx, payment.id, event.chargeId ?? null, now))) return;
      const { outcome } = await bookings.markRequested(tx, payment.bookingId);
      await audit.record(
        systemContext(),
        {
          action: 'payment.authorized',
          entity: 'payment',
          entityId: payment.id,
          detail: { bookingId: payment.bookingId, amount: payment.amount, outcome },
        },
        tx,
      );
      if (outcome !== 'requested') await scheduleSettlement(tx, payment, 'void', now);
      return;
    }
    // The provider reports the settlement we asked for (our job may have crashed after
    // asking): recorded here if the job has not recorded it yet.
    const settled = payment.status === 'authorized' && payment.settlement !== null;
    if (event.kind === 'succeeded' && settled && payment.settlement === 'capture') {
      const captured = await auth.completeSettlement(tx, payment.id, 'succeeded', now);
      if (captured) {
        await publishCaptured(tx, captured, true);
        await enqueue(tx, { kind: SEND_PAYMENT_RECEIPT, payload: { paymentId: payment.id }, runAt: now });
      }
    } else if (event.kind === 'voided' && payment.status === 'authorized' && payment.settlement !== 'capture') {
      await auth.completeSettlement(tx, payment.id, 'voided', now);
    } else if (event.kind === 'failed') {
      await repo.markFailed(tx, payment.id, now);
    }
  }

  async function applyEvent(tx: Db, provider: PaymentProviderName, event: WebhookEvent): Promise<void> {
    const payment = await paymentOf(tx, provider, event);
    // Not ours (another environment sharing the account, or a checkout we never stored): acknowledged.
    if (!payment) return;
    await repo.setEventPayment(tx, provider, event.eventId, payment.id);
    const now = clock.now();
    if (payment.captureMethod === 'manual') return applyManual(tx, payment, event, now);
    // An automatic checkout: an authorization is a delayed method's pending state, a void not ours.
    if (event.kind === 'authorized' || event.kind === 'voided') return;
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
    const captured: PaymentRow = {
      ...payment,
      status: 'succeeded',
      providerChargeId: event.chargeId ?? payment.providerChargeId,
      updatedAt: now,
    };
    await publishCaptured(tx, captured, outcome === 'confirmed');
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

  return {
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
      const event = await providerOf(providers, provider).parseWebhook(rawBody, headers);
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
  };
}
