import type { Clock } from '../../platform/clock.js';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { isAppError } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/index.js';
import { providerUnavailable, type PaymentProvider, type PaymentProviderName } from '../../platform/payments/index.js';
import type { AuditService } from '../audit/index.js';
import type { BookingsApi, CancellationEvent } from '../bookings/index.js';
import { eventBooking, type PublishPaymentEvent } from './payments.events.js';
import { toPaymentDto } from './payments.schemas.js';
import { refundEmailKey, SEND_REFUND_EMAIL } from './payments.mail.js';
import { TOLD_REFUNDS, type RefundReason } from './payments.policy.js';
import * as auth from './payments.authorizations.repository.js';
import * as repo from './payments.repository.js';
import { voidAuthorizations } from './payments.settlement.js';
import type { PaymentRefundRow, PaymentRow } from './payments.table.js';

export interface PaymentRefundsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  providers: ReadonlyMap<PaymentProviderName, PaymentProvider>;
  bookings: Pick<BookingsApi, 'findStay'>;
  publish: PublishPaymentEvent;
}

/** Records a refund inside `tx` and sends it once the transaction has committed. */
export type RecordRefund = (
  tx: Db,
  payment: PaymentRow,
  amount: number,
  reason: RefundReason,
  ctx: RequestContext,
) => Promise<void>;

/**
 * Money going back: a canceled booking's refund (the cancel's own transaction records it),
 * the full refund of a success that cannot be kept, and the retry of refunds a provider
 * refused at the time.
 */
export function createPaymentRefunds(deps: PaymentRefundsDeps) {
  const { db, clock, audit, providers, bookings, publish } = deps;

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
        if (updated) {
          const booking = await eventBooking(bookings, tx, updated.bookingId);
          await publish(tx, 'payment.refunded', {
            payment: toPaymentDto(updated),
            refundId: refund.id,
            amount: refund.amount,
            booking,
          });
        }
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

  const recordRefund: RecordRefund = async (tx, payment, amount, reason, ctx) => {
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
  };

  async function onCanceled(tx: Db, e: CancellationEvent): Promise<void> {
    // A request canceled before the host's answer: its authorization is released, unpaid.
    await voidAuthorizations(tx, e.booking.id, clock.now());
    if (e.refundAmount <= 0) return;
    // An accepted request canceled before its capture went through: the refund is recorded
    // against it now, and sent once the capture is done (a refund the provider refuses
    // before then stays pending for the retry).
    const payment =
      (await repo.lockCapturedPayment(tx, e.booking.id)) ?? (await auth.lockCapturePending(tx, e.booking.id));
    if (!payment) return;
    await recordRefund(tx, payment, e.refundAmount, `canceled_by_${e.canceledBy}`, e.ctx);
  }
  return {
    recordRefund,

    /** Handles `booking.canceled` (declared in the module's `listens`), inside the cancel's transaction. */
    onBookingCanceled: onCanceled,

    /** Sends refunds still pending (provider down at the time); returns how many went through. */
    async retryPendingRefunds(limit = 100): Promise<{ attempted: number; succeeded: number }> {
      const pending = await repo.findPendingRefunds(db, limit);
      let succeeded = 0;
      for (const refund of pending) if (await sendRefund(refund.id, systemContext())) succeeded++;
      return { attempted: pending.length, succeeded };
    },

    /** The refunds of a payment, oldest first (for admins' tools and tests). */
    async listRefunds(paymentId: string): Promise<PaymentRefundRow[]> {
      return repo.findRefundsOfPayment(db, paymentId);
    },
  };
}
