import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Db } from '../../platform/db/types.js';
import { enqueue } from '../../platform/jobs/index.js';
import { publicLink, renderEmail, type Mailer } from '../../platform/mail/index.js';
import type { UsersApi } from '../users/index.js';

/** A window of the digest: `[from, to)`. */
export interface DigestRange {
  from: Date;
  to: Date;
}

/**
 * One module's part of the host daily digest, read from that module's service (the
 * modules with news for hosts cannot know of notifications: it depends on them).
 */
export interface DigestSection {
  /** The heading of the section's part of the e-mail, e.g. "Bookings". */
  name: string;
  /**
   * Up to `limit` ids of hosts with activity in the range, strictly after `afterHostId`,
   * ascending in PostgreSQL's uuid order (that of their lowercase text): the sweep merges
   * the sections' pages by comparing the ids as strings.
   */
  hostsWithActivity(range: DigestRange, afterHostId: string | null, limit: number): Promise<string[]>;
  /** How many items the host had in the range, and a line for each (the digest shows the first 20). */
  activityFor(hostId: string, range: DigestRange): Promise<{ count: number; lines: string[] }>;
}

export const HOST_DIGEST_SWEEP = 'notifications.host-digests';
export const SEND_HOST_DIGEST = 'notifications.send-host-digest';
export const HostDigestPayload = z.object({ hostId: z.uuid(), windowEnd: z.iso.datetime() });

const WINDOW_MS = 24 * 3_600_000;
/** Host ids read per page of each section: memory stays flat however many hosts had activity. */
export const DIGEST_PAGE = 500;
/** Lines shown per section; the rest are counted. */
export const DIGEST_LINES = 20;
/** A line longer than this is cut: a section quoting user text cannot make the e-mail huge. */
const MAX_LINE_LENGTH = 300;

/** `host-digest:<hostId>:<UTC date of the tick>`: one digest per host per day. */
export const hostDigestKey = (hostId: string, windowEnd: Date) =>
  `host-digest:${hostId}:${windowEnd.toISOString().slice(0, 10)}`;

const windowOf = (end: Date): DigestRange => ({ from: new Date(end.getTime() - WINDOW_MS), to: end });

/** A section's host ids in ascending order, read a keyset page at a time. */
async function* hostIdsOf(section: DigestSection, range: DigestRange, pageSize: number): AsyncGenerator<string> {
  let after: string | null = null;
  for (;;) {
    const page = await section.hostsWithActivity(range, after, pageSize);
    for (const id of page) {
      // A page out of order would make the merge skip or repeat hosts without a sound.
      if (after !== null && id <= after) throw new Error(`Digest section "${section.name}" returned ids out of order`);
      after = id;
      yield id;
    }
    if (page.length < pageSize) return;
  }
}

/**
 * The union of ascending streams, ascending, each value once: a k-way merge holding one
 * value per stream (and whatever page each stream has buffered), never the whole union.
 */
export async function* mergeAscending(streams: readonly AsyncIterable<string>[]): AsyncGenerator<string> {
  const iterators = streams.map((s) => s[Symbol.asyncIterator]());
  const heads = await Promise.all(iterators.map((it) => it.next()));
  for (;;) {
    let least: string | undefined;
    for (const head of heads) if (!head.done && (least === undefined || head.value < least)) least = head.value;
    if (least === undefined) return;
    yield least;
    for (const [i, head] of heads.entries())
      if (!head.done && head.value === least) heads[i] = await iterators[i]!.next();
  }
}

/** Hosts with activity in any section, ascending, each once. */
export function hostsWithActivity(
  sections: readonly DigestSection[],
  range: DigestRange,
  pageSize = DIGEST_PAGE,
): AsyncGenerator<string> {
  return mergeAscending(sections.map((s) => hostIdsOf(s, range, pageSize)));
}

const clip = (line: string) => (line.length > MAX_LINE_LENGTH ? `${line.slice(0, MAX_LINE_LENGTH - 1)}…` : line);

export interface HostDigestDeps {
  db: Db;
  users: Pick<UsersApi, 'getContacts'>;
  mailer: Mailer;
  publicUrl: string;
  sections: readonly DigestSection[];
}

export function createHostDigest(deps: HostDigestDeps) {
  const { db, users, mailer, publicUrl, sections } = deps;

  return {
    /**
     * One send job per host with activity in any section in the 24 h before `windowEnd`
     * (the cron tick, so a re-run covers the same window). Each job is keyed by host and
     * day: a second run of the sweep adds nothing. Returns how many hosts were found.
     */
    async enqueueHostDigests(windowEnd: Date, pageSize = DIGEST_PAGE): Promise<number> {
      let found = 0;
      for await (const hostId of hostsWithActivity(sections, windowOf(windowEnd), pageSize)) {
        await enqueue(db, {
          kind: SEND_HOST_DIGEST,
          payload: { hostId, windowEnd: windowEnd.toISOString() },
          runAt: windowEnd,
          key: `job:${hostDigestKey(hostId, windowEnd)}`,
        });
        found++;
      }
      return found;
    },

    /** Sends one host's digest for the window, from each section as it is now; nothing if all are empty. */
    async sendHostDigest(hostId: string, windowEnd: Date): Promise<void> {
      const range = windowOf(windowEnd);
      const host = (await users.getContacts([hostId])).get(hostId);
      if (!host) return;
      const parts: { name: string; count: number; lines: string[] }[] = [];
      for (const section of sections) {
        const { count, lines } = await section.activityFor(hostId, range);
        if (count <= 0) continue;
        const shown = lines.slice(0, DIGEST_LINES).map(clip);
        const more = count - shown.length;
        parts.push({ name: section.name, count, lines: more > 0 ? [...shown, `And ${more} more.`] : shown });
      }
      if (parts.length === 0) return;
      const day = DateTime.fromJSDate(windowEnd, { zone: 'utc' }).toISODate()!;
      await mailer.send({
        to: host.email,
        dedupeKey: hostDigestKey(hostId, windowEnd),
        ...renderEmail({
          subject: `Your day on Staylane (${day}): ${parts.map((p) => `${p.name} ${p.count}`).join(', ')}`,
          paragraphs: [`Hello ${host.firstName},`, 'Here is what happened on your places in the last 24 hours.'],
          sections: parts.map((p) => ({ heading: `${p.name} (${p.count})`, lines: p.lines })),
          action: { label: 'See your bookings', url: publicLink(publicUrl, '/bookings', { as: 'host' }) },
        }),
      });
    },
  };
}

export type HostDigest = ReturnType<typeof createHostDigest>;
