import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Db } from '../../platform/db/types.js';
import { enqueue } from '../../platform/jobs/index.js';
import { publicLink, renderEmail, type Mailer } from '../../platform/mail/index.js';
import type { UsersService } from '../users/index.js';
import * as repo from './bookings.repository.js';

/** The daily digest to hosts (SPEC §5): one e-mail per host with activity in the 24 h before the tick. */
export const HOST_DIGEST_SWEEP = 'bookings.host-digests';
export const SEND_HOST_DIGEST = 'bookings.send-host-digest';
export const HostDigestPayload = z.object({ hostId: z.uuid(), windowEnd: z.iso.datetime() });

const WINDOW_MS = 24 * 3_600_000;
/** Hosts read per page of the sweep: memory stays flat however many hosts had activity. */
export const DIGEST_PAGE = 500;
/** Bookings listed in one digest; the rest are counted and linked. */
const DIGEST_LINES = 20;

/** `host-digest:<hostId>:<UTC date of the tick>`: one digest per host per day. */
export const hostDigestKey = (hostId: string, windowEnd: Date) =>
  `host-digest:${hostId}:${windowEnd.toISOString().slice(0, 10)}`;

export interface HostDigestDeps {
  db: Db;
  users: Pick<UsersService, 'getContacts'>;
  mailer: Mailer;
  publicUrl: string;
}

export function createHostDigest(deps: HostDigestDeps) {
  const { db, users, mailer, publicUrl } = deps;
  const windowOf = (end: Date) => ({ from: new Date(end.getTime() - WINDOW_MS), to: end });

  return {
    /**
     * One send job per host with activity in the 24 h before `windowEnd` (the cron tick,
     * so a re-run covers the same window). Each job is keyed by host and day: a second run
     * of the sweep adds nothing. Returns how many hosts were found.
     */
    async enqueueHostDigests(windowEnd: Date, pageSize = DIGEST_PAGE): Promise<number> {
      const { from, to } = windowOf(windowEnd);
      let after: string | null = null;
      let found = 0;
      for (;;) {
        const page = await repo.findDigestHostsPage(db, { from, to, afterHostId: after, limit: pageSize });
        for (const h of page) {
          await enqueue(db, {
            kind: SEND_HOST_DIGEST,
            payload: { hostId: h.hostId, windowEnd: windowEnd.toISOString() },
            runAt: windowEnd,
            key: `job:${hostDigestKey(h.hostId, windowEnd)}`,
          });
        }
        found += page.length;
        if (page.length < pageSize) return found;
        after = page[page.length - 1]!.hostId;
      }
    },

    /** Sends one host's digest for the window, as the bookings are now. */
    async sendHostDigest(hostId: string, windowEnd: Date): Promise<void> {
      const { from, to } = windowOf(windowEnd);
      const host = (await users.getContacts([hostId])).get(hostId);
      if (!host) return;
      const rows = await repo.findHostActivity(db, { hostId, from, to, limit: DIGEST_LINES + 1 });
      if (rows.length === 0) return;
      const [counts] = await repo.findDigestHostsPage(db, {
        from,
        to,
        afterHostId: null,
        limit: 1,
        onlyHostId: hostId,
      });
      const newBookings = counts?.newBookings ?? 0;
      const cancellations = counts?.cancellations ?? 0;
      const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      const lines = rows.slice(0, DIGEST_LINES).map((b) => {
        const canceled = b.canceledAt && b.canceledAt >= from && b.canceledAt < to;
        return `${canceled ? 'Canceled' : 'New'}: ${b.checkIn} to ${b.checkOut}, ${plural(b.guests, 'guest')}.`;
      });
      const more = newBookings + cancellations - lines.length;
      const day = DateTime.fromJSDate(windowEnd, { zone: 'utc' }).toISODate()!;
      await mailer.send({
        to: host.email,
        dedupeKey: hostDigestKey(hostId, windowEnd),
        ...renderEmail({
          subject: `Your day on Staylane (${day}): ${plural(newBookings, 'new booking')}, ${plural(cancellations, 'cancellation')}`,
          paragraphs: [
            `Hello ${host.firstName},`,
            `In the last 24 hours: ${plural(newBookings, 'new booking')} and ${plural(cancellations, 'cancellation')}.`,
            ...lines,
            ...(more > 0 ? [`And ${more} more.`] : []),
          ],
          action: { label: 'See your bookings', url: publicLink(publicUrl, '/bookings', { as: 'host' }) },
        }),
      });
    },
  };
}

export type HostDigest = ReturnType<typeof createHostDigest>;
