import type { Db } from '../../platform/db/types.js';
import * as repo from './bookings.digest.repository.js';

/**
 * Bookings' part of the host daily digest (see the README's e-mail schedule): stays confirmed (paid) and stays
 * canceled in the window. The digest itself (sweep, e-mail) belongs to notifications, which
 * depends on bookings; this is the shape it reads sections in.
 */
export const BOOKINGS_DIGEST_SECTION = 'Bookings';

/** The digest shows this many lines of a section and counts the rest: more are never read. */
const SECTION_LINES = 20;

const guestCount = (n: number) => `${n} guest${n === 1 ? '' : 's'}`;

/** The digest section, as notifications reads it. */
export type BookingsDigestSection = ReturnType<typeof createBookingsDigestSection>;

export function createBookingsDigestSection(deps: { db: Db }) {
  const { db } = deps;
  return {
    digestSection: {
      name: BOOKINGS_DIGEST_SECTION,

      /** Ascending host ids after `afterHostId` with a stay confirmed or canceled in the range. */
      hostsWithActivity(range: { from: Date; to: Date }, afterHostId: string | null, limit: number): Promise<string[]> {
        return repo.findDigestHostIds(db, { ...range, afterHostId, limit });
      },

      /**
       * One line per event, earliest check-in first: a stay confirmed and canceled in the
       * same window is both (the host saw it booked, then saw it go).
       */
      async activityFor(hostId: string, range: { from: Date; to: Date }): Promise<{ count: number; lines: string[] }> {
        const { confirmed, canceled } = await repo.countHostActivity(db, { hostId, ...range });
        const count = confirmed + canceled;
        if (count === 0) return { count, lines: [] };
        const rows = await repo.findHostActivity(db, { hostId, ...range, limit: SECTION_LINES });
        const within = (at: Date | null) => at !== null && at >= range.from && at < range.to;
        const lines: string[] = [];
        for (const b of rows) {
          const stay = `${b.checkIn} to ${b.checkOut}, ${guestCount(b.guests)}.`;
          if (within(b.confirmedAt)) lines.push(`New: ${stay}`);
          if (within(b.canceledAt)) lines.push(`Canceled: ${stay}`);
        }
        return { count, lines: lines.slice(0, SECTION_LINES) };
      },
    },
  };
}
