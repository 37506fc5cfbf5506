import { z } from 'zod';
import { int } from '../../config.js';
import { defineSettings } from '../../module.js';

/** The bookings module's environment variables. */
export const bookingsSettings = defineSettings({
  env: z.object({
    SERVICE_FEE_PERCENT: int(12, 0, 50).describe('Guest service fee, percent of the booking subtotal'),
    BOOKING_HOLD_MINUTES: int(15, 1, 24 * 60).describe('Minutes an unpaid booking holds its dates before it expires'),
  }),
  read: (env) => ({ serviceFeePercent: env.SERVICE_FEE_PERCENT, holdMinutes: env.BOOKING_HOLD_MINUTES }),
});

export type BookingsSettings = ReturnType<typeof bookingsSettings.read>;
