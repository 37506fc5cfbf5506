import { int } from '../../config.js';
import { defineSettings } from '../../module.js';
import { z } from 'zod';

/** The ledger's environment variables: the platform's share of what hosts earn. */
export const ledgerSettings = defineSettings({
  env: z.object({
    HOST_FEE_PERCENT: int(3, 0, 50).describe(
      "Percent of a stay's earnings (subtotal - discount + cleaning fee) the platform keeps from the host, 0-50",
    ),
  }),
  read: (env) => ({ hostFeePercent: env.HOST_FEE_PERCENT }),
});

export type LedgerSettings = ReturnType<typeof ledgerSettings.read>;
