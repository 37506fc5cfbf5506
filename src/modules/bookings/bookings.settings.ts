import { z } from 'zod';
import { int } from '../../config.js';
import { defineSettings } from '../../module.js';
import { canAuthorize, PAYMENT_PROVIDER_NAMES, type PaymentProviderName } from '../../platform/payments/index.js';

/**
 * The payment provider, declared by the payments module (PAYMENT_PROVIDER), decides how a
 * request to book is paid: one that cannot authorize without capturing is paid on acceptance.
 * Read here from the whole environment, which every fragment's `read` is given.
 */
function paysOnAccept(env: object): boolean {
  const provider = (env as { PAYMENT_PROVIDER?: unknown }).PAYMENT_PROVIDER;
  const known = (PAYMENT_PROVIDER_NAMES as readonly unknown[]).includes(provider);
  return known && !canAuthorize(provider as PaymentProviderName);
}

/** The bookings module's environment variables. */
export const bookingsSettings = defineSettings({
  env: z.object({
    SERVICE_FEE_PERCENT: int(12, 0, 50).describe('Guest service fee, percent of the booking subtotal'),
    BOOKING_HOLD_MINUTES: int(15, 1, 24 * 60).describe('Minutes an unpaid booking holds its dates before it expires'),
  }),
  read: (env) => ({
    serviceFeePercent: env.SERVICE_FEE_PERCENT,
    holdMinutes: env.BOOKING_HOLD_MINUTES,
    payOnAccept: paysOnAccept(env),
  }),
});

export type BookingsSettings = ReturnType<typeof bookingsSettings.read>;
