import type { Db } from '../../platform/db/types.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { BookingsServiceDeps } from './bookings.deps.js';
import type { BookingEvents } from './bookings.events.js';
import { enqueueBookingEmail } from './bookings.mail.js';
import { toBookingDto } from './bookings.schemas.js';
import type { BookingRow } from './bookings.table.js';

/** The live topic of a user's bookings (guest or host side): the `bookingChanged` subscription. */
export const bookingChangedTopic = (userId: string) => `bookings/changed/${userId}`;

type ChangeDeps = Pick<BookingsServiceDeps, 'publish' | 'publishLive'>;

/** After `tx` commits, tells the booking's guest and host (bookingChanged) what it is now. */
export async function announceBooking(deps: ChangeDeps, tx: Db, row: BookingRow): Promise<void> {
  const booking = toBookingDto(row);
  await withTransaction(tx, (_tx, scope) => {
    scope.afterCommit(async () => {
      for (const userId of new Set([row.guestId, row.hostId])) {
        await deps.publishLive(bookingChangedTopic(userId), { bookingChanged: booking });
      }
    });
    return Promise.resolve();
  });
}

/**
 * A booking's status change: publishes `name` inside `tx` (its handlers — partner events,
 * payments — run there, and a failure rolls the change back) and announces the booking
 * live after commit.
 */
export async function publishBookingChange<K extends keyof BookingEvents>(
  deps: ChangeDeps,
  tx: Db,
  row: BookingRow,
  name: K,
  payload: BookingEvents[K],
): Promise<void> {
  await deps.publish(tx, name, payload);
  await announceBooking(deps, tx, row);
}

/** Holds that ran out: each guest e-mailed, `booking.expired` published, both sides told live. */
export async function recordHoldsExpired(deps: ChangeDeps, tx: Db, rows: readonly BookingRow[], now: Date) {
  for (const row of rows) {
    await enqueueBookingEmail(tx, 'hold-expired', row.id, now);
    await publishBookingChange(deps, tx, row, 'booking.expired', { booking: toBookingDto(row), hostId: row.hostId });
  }
}

/** A new booking: `booking.created`, and `booking.requested` too when it is a request from the start; returns the row. */
export async function publishBookingCreated(deps: ChangeDeps, tx: Db, row: BookingRow): Promise<BookingRow> {
  const change = { booking: toBookingDto(row), hostId: row.hostId };
  await publishBookingChange(deps, tx, row, 'booking.created', change);
  if (row.status === 'requested') await deps.publish(tx, 'booking.requested', change);
  return row;
}
