import type { IncomingHttpHeaders } from 'node:http';
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
import * as repo from './payments.repository.js';
import type { WebhookResult } from './payments.schemas.js';

export interface PaymentWebhooksDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  bookings: Pick<BookingsApi, 'confirmPaid'>;
  providers: ReadonlyMap<PaymentProviderName, PaymentProvider>;
  recordRefund: RecordRefund;
}

/** A provider's events: a capture confirms the booking (or is refunded), a decline is recorded. */
export function createPaymentWebhooks(deps: PaymentWebhooksDeps) {
  const { db, clock, audit, bookings, providers, recordRefund } = deps;

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
