import { z } from 'zod';
import { defineJob, type JobDefinition, type Schedule } from '../../platform/jobs/index.js';
import { SEND_PAYMENT_RECEIPT, SEND_REFUND_EMAIL } from './payments.mail.js';
import type { PaymentsApi } from './payments.service.js';
import { SETTLE_AUTHORIZATION, SettleAuthorizationPayload } from './payments.settlement.js';

/** Refunds the provider could not take at the time are sent again; authorizations are captured or voided. */
export function paymentsJobs(
  payments: Pick<PaymentsApi, 'retryPendingRefunds' | 'sendPaymentReceipt' | 'sendRefundEmail' | 'settleAuthorization'>,
): JobDefinition[] {
  return [
    defineJob({
      kind: SEND_PAYMENT_RECEIPT,
      schema: z.object({ paymentId: z.uuid() }),
      handle: (payload) => payments.sendPaymentReceipt(payload.paymentId),
    }),
    defineJob({
      kind: SEND_REFUND_EMAIL,
      schema: z.object({ refundId: z.uuid() }),
      handle: (payload) => payments.sendRefundEmail(payload.refundId),
    }),
    defineJob({
      kind: SETTLE_AUTHORIZATION,
      schema: SettleAuthorizationPayload,
      // A provider failure throws: the job system retries with back-off, the same idempotency key each time.
      handle: (payload) => payments.settleAuthorization(payload.paymentId),
    }),
    defineJob({
      kind: 'payments.retry-refunds',
      schema: z.object({}),
      async handle() {
        // A refund that fails again stays pending (with its error) for the next tick.
        await payments.retryPendingRefunds();
      },
    }),
  ];
}

export const paymentsSchedules: Schedule[] = [
  { name: 'payments.retry-refunds', cron: '*/5 * * * *', kind: 'payments.retry-refunds' },
];
