import { z } from 'zod';
import { defineJob, type JobDefinition, type Schedule } from '../../platform/jobs/index.js';
import type { PaymentsService } from './payments.service.js';

/** Refunds the provider could not take at the time are sent again. */
export function paymentsJobs(payments: Pick<PaymentsService, 'retryPendingRefunds'>): JobDefinition[] {
  return [
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
