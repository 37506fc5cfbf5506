import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import { keysetPages, keysetRows, mapRows } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { hasActiveStays } from './bookings.errors.js';
import { hasOpenStay, listBookings } from './bookings.repository.js';
import { toBookingDto, type Booking } from './bookings.schemas.js';
import type { BookingRow } from './bookings.table.js';

type Party = 'guest' | 'host';
type Key = { createdAt: string; id: string };

export type BookingsAccount = ReturnType<typeof createBookingsAccount>;

/** A user's part in bookings when they export their data or close their account. */
export function createBookingsAccount(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const page = (userId: string, as: Party) => (after: Key | undefined, limit: number) =>
    listBookings(db, { as, userId, after, limit });
  const keyOf = (r: BookingRow): Key => ({ createdAt: r.createdAt.toISOString(), id: r.id });

  return {
    /** Every booking of the user on one side (any status), newest first. */
    bookingsOf(userId: string, as: Party): AsyncGenerator<Booking> {
      return mapRows(keysetRows(page(userId, as), keyOf), toBookingDto);
    },

    /** The ids of the user's bookings on one side, a page at a time (other modules' exports). */
    async *bookingIdPages(userId: string, as: Party): AsyncGenerator<string[]> {
      for await (const rows of keysetPages(page(userId, as), keyOf)) yield rows.map((r) => r.id);
    },

    /**
     * Refuses to close an account that has a stay to come or under way, as guest or host
     * (409 `has_active_stays`): the other side still counts on it.
     */
    async refuseClosureWithOpenStays(userId: string, tx: Db, _ctx: RequestContext): Promise<void> {
      if (await hasOpenStay(tx, userId, clock.now())) throw hasActiveStays();
    },
  };
}
