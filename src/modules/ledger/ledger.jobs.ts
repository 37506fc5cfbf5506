import { z } from 'zod';
import { defineJob, type JobDefinition, type Schedule } from '../../platform/jobs/index.js';

/** Daily: every host's due balance per currency paid out. */
export const RUN_PAYOUTS = 'ledger.run-payouts';

export function ledgerJobs(handlers: { runPayouts(): Promise<unknown> }): JobDefinition[] {
  return [defineJob({ kind: RUN_PAYOUTS, schema: z.object({}), handle: () => handlers.runPayouts() })];
}

export const ledgerSchedules: Schedule[] = [{ name: 'ledger.run-payouts', cron: '0 6 * * *', kind: RUN_PAYOUTS }];
