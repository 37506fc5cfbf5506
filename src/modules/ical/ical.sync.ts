import type { Clock } from '../../platform/clock.js';
import { todayIn } from '../../platform/dates.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { publicLink, renderEmail, type Mailer } from '../../platform/mail/index.js';
import { SafeFetchError, safeFetch } from '../../platform/net/safe-fetch.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import * as repo from './ical.imports.repository.js';
import { enqueueConflictEmail, enqueueFeedSync } from './ical.jobs.js';
import { FeedParseError, parseFeed } from './ical.parse.js';
import type { ImportedRange } from './ical.table.js';

/** The limits of one fetch of a feed. */
export const FEED_MAX_BYTES = 2 * 1024 * 1024;
export const FEED_TIMEOUT_MS = 10_000;
/** Feeds the minute's tick hands to jobs at most; the rest wait for the next tick. */
export const SYNC_BATCH = 500;
const USER_AGENT = 'Staylane-Calendar-Import/1.0';

export interface IcalSyncDeps {
  db: Db;
  clock: Clock;
  mailer: Mailer;
  properties: PropertiesApi;
  users: Pick<UsersApi, 'getContacts'>;
  publicUrl: string;
  syncMinutes: number;
  allowPrivate: boolean;
  /** Per fetch (tests shorten it). */
  timeoutMs?: number;
}

type Fetched =
  | { kind: 'body'; body: string; etag: string | null; lastModified: string | null }
  | { kind: 'not_modified' }
  | { kind: 'failed'; error: string };

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.slice(0, 512) ?? null;

/** Ranges kept from the last fetch, from today on (a 304, or a feed failing for now). */
const fromToday = (ranges: readonly ImportedRange[], today: string): ImportedRange[] =>
  ranges.filter((r) => r.end > today).map((r) => (r.start < today ? { ...r, start: today } : r));

export function createIcalSync(deps: IcalSyncDeps) {
  const { db, clock, mailer, properties, users, publicUrl, syncMinutes } = deps;

  async function fetchFeed(row: { url: string; etag: string | null; lastModified: string | null; status: string }) {
    const conditional = row.status === 'ok' || row.status === 'not_modified';
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'text/calendar, */*;q=0.5' };
    if (conditional && row.etag) headers['if-none-match'] = row.etag;
    if (conditional && row.lastModified) headers['if-modified-since'] = row.lastModified;
    try {
      const res = await safeFetch(row.url, {
        allowPrivate: deps.allowPrivate,
        timeoutMs: deps.timeoutMs ?? FEED_TIMEOUT_MS,
        maxBytes: FEED_MAX_BYTES,
        headers,
      });
      if (res.status === 304) return { kind: 'not_modified' } satisfies Fetched;
      if (res.status < 200 || res.status >= 300) {
        return { kind: 'failed', error: `The server answered HTTP ${res.status}.` } satisfies Fetched;
      }
      return {
        kind: 'body',
        body: res.body.toString('utf8'),
        etag: header(res.headers.etag),
        lastModified: header(res.headers['last-modified']),
      } satisfies Fetched;
    } catch (e) {
      if (e instanceof SafeFetchError) return { kind: 'failed', error: e.message } satisfies Fetched;
      return { kind: 'failed', error: 'The feed could not be fetched.' } satisfies Fetched;
    }
  }

  /**
   * Fetches one feed and applies it: the place's external ranges of this feed become the
   * nights it asks for (a 304 re-applies the last ones), conflicts with stays are recorded
   * and each new one e-mailed to the host once; a failure keeps the ranges and records the
   * error. The next sync is due `syncMinutes` later whatever happened.
   */
  async function syncFeed(importId: string): Promise<void> {
    const before = await repo.findImport(db, importId);
    if (!before) return;
    const place = await properties.externalCalendarPlace(before.propertyId);
    if (!place) return;
    const fetched = await fetchFeed(before);
    const now = clock.now();
    const today = todayIn(place.timezone, now);
    const next = new Date(now.getTime() + syncMinutes * 60_000);
    let parsed: { events: number; ranges: ImportedRange[] } | undefined;
    let error: string | undefined;
    if (fetched.kind === 'body') {
      try {
        parsed = await parseFeed(fetched.body, { timezone: place.timezone, today });
      } catch (e) {
        error = e instanceof FeedParseError ? e.message : 'The feed could not be read.';
      }
    } else if (fetched.kind === 'failed') {
      error = fetched.error;
    }
    await withTransaction(db, async (tx) => {
      // Locked first, then the calendar (as a removal does): a feed removed meanwhile is left alone.
      const row = await repo.findImport(tx, importId, true);
      if (!row) return;
      if (error !== undefined) {
        await repo.recordSync(tx, importId, { status: 'error', error, lastSyncAt: now, nextSyncAt: next });
        return;
      }
      const ranges = parsed ? parsed.ranges : fromToday(row.ranges, today);
      const result = await properties.replaceExternalRanges(tx, {
        propertyId: row.propertyId,
        sourceId: row.id,
        from: today,
        ranges,
      });
      const created = await repo.insertConflicts(
        tx,
        result.conflicts.map((c) => ({ importId: row.id, propertyId: row.propertyId, ...c })),
      );
      for (const id of created) await enqueueConflictEmail(tx, id, now);
      await repo.recordSync(tx, importId, {
        status: parsed ? 'ok' : 'not_modified',
        error: null,
        lastSyncAt: now,
        lastSuccessAt: now,
        nextSyncAt: next,
        conflictCount: result.conflicts.length,
        ...(parsed && fetched.kind === 'body'
          ? { ranges, eventCount: parsed.events, etag: fetched.etag, lastModified: fetched.lastModified }
          : { ranges }),
      });
    });
  }

  return {
    syncFeed,

    /** One sync job per due feed, up to SYNC_BATCH a tick; their next sync moved on meanwhile. */
    async enqueueDueSyncs(now: Date): Promise<number> {
      return withTransaction(db, async (tx) => {
        // Held off for a sync's length: a sync that never ends (a worker killed) is retried then.
        const until = new Date(now.getTime() + syncMinutes * 60_000);
        const ids = await repo.claimDueImports(tx, now, until, SYNC_BATCH);
        for (const id of ids) await enqueueFeedSync(tx, id, now, now);
        return ids.length;
      });
    },

    /** The host's e-mail about one conflict (its key makes it once, whatever the retries). */
    async sendConflictEmail(conflictId: string): Promise<void> {
      const conflict = await repo.findConflict(db, conflictId);
      if (!conflict) return;
      const place = await properties.externalCalendarPlace(conflict.propertyId);
      if (!place) return;
      const host = (await users.getContacts([place.hostId])).get(place.hostId);
      if (!host) return;
      await mailer.send({
        to: host.email,
        dedupeKey: `ical-conflict:${conflictId}`,
        ...renderEmail({
          subject: `Calendar conflict at ${place.title}: ${conflict.start} to ${conflict.end}`,
          paragraphs: [
            `Hello ${host.firstName},`,
            `Your imported calendar “${conflict.feedName}” has an event from ${conflict.start} to ${conflict.end} (check-out date) that overlaps a stay booked on Staylane at ${place.title}.`,
            'The Staylane stay is kept and the event does not block those dates here. Please check the other calendar.',
          ],
          action: { label: 'See your bookings', url: publicLink(publicUrl, '/bookings', { as: 'host' }) },
        }),
      });
    },
  };
}

export type IcalSync = ReturnType<typeof createIcalSync>;
