import { z } from 'zod';
import { BOOKING_MODES } from './properties.table.js';

/** How a place is booked: kept apart from the place's schemas, which are near their size limit. */
export const BookingMode = z
  .enum(BOOKING_MODES)
  .describe(
    '`instant` (default): a booking is confirmed once paid. `request`: the guest’s payment is only authorized, and the host accepts (captured, confirmed) or declines each booking within 24 hours.',
  );
