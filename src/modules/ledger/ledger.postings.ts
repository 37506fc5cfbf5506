import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/types.js';
import type { PaymentRefundedEvent, PaymentSucceededEvent } from '../payments/index.js';
import { ACCOUNT, earningsDueAt, hostAccount, hostShareOfRefunded, staySplit } from './ledger.policy.js';
import * as repo from './ledger.repository.js';

export const captureSource = (paymentId: string) => `payment:${paymentId}:captured`;
export const refundSource = (refundId: string) => `refund:${refundId}`;

/**
 * The postings of guests' money, written inside the transaction of the payment change that
 * causes them (the payments module's events): a capture splits the total between the host
 * (due 24 h after check-in) and the platform, or holds it whole for its refund when the
 * capture cannot stay; a refund takes back from the host and the platform by the refund
 * rule (`hostShareOfRefunded`). Each is written once per source, whatever the repeats.
 */
export function createLedgerPostings(deps: { clock: Clock; hostFeePercent: number }) {
  const { clock, hostFeePercent } = deps;
  return {
    async onPaymentSucceeded(tx: Db, event: PaymentSucceededEvent): Promise<void> {
      const { payment, booking } = event;
      const posting = {
        source: captureSource(payment.id),
        kind: 'payment_captured' as const,
        currency: payment.currency,
        bookingId: booking.id,
        paymentId: payment.id,
        hostId: booking.hostId,
        createdAt: clock.now(),
      };
      if (!event.keeps) {
        await repo.insertPosting(tx, posting, [
          { account: ACCOUNT.guestFunds, amount: -payment.amount },
          { account: ACCOUNT.heldForRefund, amount: payment.amount },
        ]);
        return;
      }
      const split = staySplit({ ...booking.price, total: payment.amount }, hostFeePercent);
      await repo.insertPosting(tx, { ...posting, hostFeePercent }, [
        { account: ACCOUNT.guestFunds, amount: -payment.amount },
        {
          account: hostAccount(booking.hostId),
          amount: split.hostEarnings,
          availableAt: earningsDueAt(booking.checkIn, booking.timezone),
        },
        { account: ACCOUNT.platformRevenue, amount: split.platform },
      ]);
    },

    async onPaymentRefunded(tx: Db, event: PaymentRefundedEvent): Promise<void> {
      const { payment, booking, amount } = event;
      const capture = await repo.findPostingBySource(tx, captureSource(payment.id));
      // A capture made before the ledger existed: nothing of it is on the books to take back.
      if (!capture) return;
      const posting = {
        source: refundSource(event.refundId),
        kind: 'refund_sent' as const,
        currency: payment.currency,
        bookingId: booking.id,
        paymentId: payment.id,
        hostId: booking.hostId,
        createdAt: clock.now(),
      };
      const host = hostAccount(booking.hostId);
      const earned = capture.entries.find((e) => e.account === host);
      if (!earned) {
        await repo.insertPosting(tx, posting, [
          { account: ACCOUNT.heldForRefund, amount: -amount },
          { account: ACCOUNT.refunds, amount },
        ]);
        return;
      }
      const split = staySplit({ ...booking.price, total: payment.amount }, capture.posting.hostFeePercent ?? 0);
      const before = await repo.sumRefundedOfPayment(tx, payment.id);
      const hostPart = hostShareOfRefunded(before + amount, split) - hostShareOfRefunded(before, split);
      await repo.insertPosting(tx, posting, [
        { account: host, amount: -hostPart, availableAt: earned.availableAt },
        { account: ACCOUNT.platformRevenue, amount: -(amount - hostPart) },
        { account: ACCOUNT.refunds, amount },
      ]);
    },
  };
}
