import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { systemContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { enqueue } from '../../platform/jobs/index.js';
import { providerUnavailable, type PaymentProvider, type PaymentProviderName } from '../../platform/payments/index.js';
import type { AuditService } from '../audit/index.js';
import type { BookingsApi, RequestAnsweredEvent } from '../bookings/index.js';
import { eventBooking, type PublishPaymentEvent } from './payments.events.js';
import { toPaymentDto } from './payments.schemas.js';
import * as auth from './payments.authorizations.repository.js';
import { SEND_PAYMENT_RECEIPT } from './payments.mail.js';
import * as repo from './payments.repository.js';
import type { PaymentRow } from './payments.table.js';

/** The job that captures or voids an authorization at its provider, after the deciding transaction commits. */
export const SETTLE_AUTHORIZATION = 'payments.settle-authorization';
export const SettleAuthorizationPayload = z.object({ paymentId: z.uuid() });

export interface PaymentSettlementDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  providers: ReadonlyMap<PaymentProviderName, PaymentProvider>;
  bookings: Pick<BookingsApi, 'findStay'>;
  publish: PublishPaymentEvent;
}

/**
 * Inside `tx`: the authorization is to be captured or voided. Decided once per payment (a
 * conditional update), then sent by a job keyed by the payment: however often a webhook, an
 * answer or a retry gets here, the provider is asked once per action (its idempotency key
 * is the payment's id), and money never moves before the decision commits.
 */
export async function scheduleSettlement(
  tx: Db,
  payment: Pick<PaymentRow, 'id'>,
  settlement: 'capture' | 'void',
  now: Date,
): Promise<boolean> {
  if (!(await auth.decideSettlement(tx, payment.id, settlement, now))) return false;
  await enqueue(tx, {
    kind: SETTLE_AUTHORIZATION,
    payload: { paymentId: payment.id },
    runAt: now,
    key: `job:settle:${payment.id}`,
  });
  return true;
}

/** Voids every open authorization of the booking (a request declined, expired or canceled). */
export async function voidAuthorizations(tx: Db, bookingId: string, now: Date): Promise<void> {
  for (const payment of await auth.lockOpenAuthorizations(tx, bookingId)) {
    await scheduleSettlement(tx, payment, 'void', now);
  }
}

/** Authorizations captured or voided: the request's answer, and the job that tells the provider. */
export function createPaymentSettlement(deps: PaymentSettlementDeps) {
  const { db, clock, audit, providers, bookings, publish } = deps;
  return {
    /**
     * Handles `booking.accepted` and `booking.released` inside the answer's transaction: the
     * oldest open authorization is captured on acceptance (any other is voided), all are
     * voided when the request is declined or expires.
     */
    async onRequestAnswered(tx: Db, event: RequestAnsweredEvent): Promise<void> {
      const now = clock.now();
      const open = await auth.lockOpenAuthorizations(tx, event.booking.id);
      for (const [i, payment] of open.entries()) {
        await scheduleSettlement(tx, payment, event.outcome === 'accepted' && i === 0 ? 'capture' : 'void', now);
      }
    },

    /**
     * The job: asks the provider to capture or void, then records the outcome. A provider
     * failure throws, and the job system retries with back-off; the provider's idempotency
     * key makes a retry after a crash (money moved, row not yet updated) a replay, not a
     * second movement. Nothing to do once the payment is no longer authorized.
     */
    async settleAuthorization(paymentId: string): Promise<void> {
      const payment = await repo.findPaymentById(db, paymentId);
      if (!payment || payment.status !== 'authorized' || !payment.settlement) return;
      const provider = providers.get(payment.provider);
      if (!provider) throw providerUnavailable(payment.provider);
      const request = {
        providerReference: payment.providerReference,
        authorizationReference: payment.authorizationReference,
        amount: payment.amount,
        currency: payment.currency,
        idempotencyKey: payment.id,
      };
      const capture = payment.settlement === 'capture';
      if (capture) await provider.capture(request);
      else await provider.void(request);
      await withTransaction(db, async (tx) => {
        const now = clock.now();
        const done = await auth.completeSettlement(tx, payment.id, capture ? 'succeeded' : 'voided', now);
        if (!done) return;
        await audit.record(
          systemContext(),
          {
            action: capture ? 'payment.succeeded' : 'payment.voided',
            entity: 'payment',
            entityId: payment.id,
            detail: { bookingId: payment.bookingId, amount: payment.amount, settlement: payment.settlement },
          },
          tx,
        );
        if (!capture) return;
        const booking = await eventBooking(bookings, tx, done.bookingId);
        await publish(tx, 'payment.succeeded', { payment: toPaymentDto(done), booking, keeps: true });
        await enqueue(tx, { kind: SEND_PAYMENT_RECEIPT, payload: { paymentId: payment.id }, runAt: now });
      });
    },
  };
}
