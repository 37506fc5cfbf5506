import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { insertBookingsBulk, type BookingBulkRow } from '../../src/modules/bookings/bookings.seed.repository.js';
import type { Db } from '../../src/platform/db/types.js';

/**
 * Completed stays written straight into the bookings table, as the stay-completion job
 * leaves them: for tests about what follows a stay (reviews) that need many of them, or
 * one whose check-out is long past. Each stay is one night; the first checks out
 * `checkOutDaysAgo` days before today in the place's zone, each next one a day earlier.
 */
export async function completedStays(
  db: Db,
  opts: {
    propertyId: string;
    hostId: string;
    guestIds: readonly string[];
    /** Days before today (property local) that the latest stay checks out. */
    checkOutDaysAgo: number;
    timezone?: string;
  },
): Promise<{ id: string; guestId: string; checkIn: string; checkOut: string }[]> {
  const timezone = opts.timezone ?? 'Europe/Lisbon';
  const today = DateTime.now().setZone(timezone).startOf('day');
  const now = new Date();
  const rows: BookingBulkRow[] = opts.guestIds.map((guestId, i) => {
    const checkOut = today.minus({ days: opts.checkOutDaysAgo + i });
    return {
      id: randomUUID(),
      propertyId: opts.propertyId,
      guestId,
      hostId: opts.hostId,
      checkIn: checkOut.minus({ days: 1 }).toISODate()!,
      checkOut: checkOut.toISODate()!,
      guests: 1,
      nights: 1,
      currency: 'EUR',
      cancellationPolicy: 'moderate',
      timezone,
      nightlyPrice: 10_000,
      subtotal: 10_000,
      discount: 0,
      cleaningFee: 0,
      serviceFee: 1_200,
      total: 11_200,
      status: 'completed',
      holdExpiresAt: null,
      confirmedAt: now,
      canceledAt: null,
      canceledBy: null,
      cancellationReason: null,
      refundAmount: null,
      createdAt: now,
      updatedAt: now,
    };
  });
  await insertBookingsBulk(db, rows);
  return rows.map((r) => ({ id: r.id, guestId: r.guestId, checkIn: r.checkIn, checkOut: r.checkOut }));
}
