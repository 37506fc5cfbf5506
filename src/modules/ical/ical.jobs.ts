import { z } from 'zod';
import type { Db } from '../../platform/db/types.js';
import { defineJob, enqueue, type JobDefinition, type Schedule } from '../../platform/jobs/index.js';

/** Every minute: one sync job per imported feed that is due (in bounded batches). */
export const ICAL_SYNC_DUE = 'ical.sync-due';
/** Fetches one imported feed and applies it to its place's calendar. */
export const ICAL_SYNC_FEED = 'ical.sync-feed';
/** Tells the host about a feed's event that overlaps a stay (once per conflict). */
export const ICAL_CONFLICT_EMAIL = 'ical.send-conflict-email';

export const SyncFeedPayload = z.object({ importId: z.uuid() });
export const ConflictEmailPayload = z.object({ conflictId: z.uuid() });

/** Keyed by feed and the time it was due: a repeated tick adds nothing. */
export async function enqueueFeedSync(db: Db, importId: string, dueAt: Date, now: Date): Promise<void> {
  await enqueue(db, {
    kind: ICAL_SYNC_FEED,
    payload: { importId },
    runAt: now,
    key: `ical-sync:${importId}:${dueAt.toISOString()}`,
  });
}

/** A sync the host asked for: one a minute per feed (the key names the minute); false when one was queued already. */
export async function enqueueRequestedSync(db: Db, importId: string, now: Date): Promise<boolean> {
  const minute = Math.floor(now.getTime() / 60_000);
  const id = await enqueue(db, {
    kind: ICAL_SYNC_FEED,
    payload: { importId },
    runAt: now,
    key: `ical-sync:${importId}:requested:${minute}`,
  });
  return id !== undefined;
}

export async function enqueueConflictEmail(db: Db, conflictId: string, now: Date): Promise<void> {
  await enqueue(db, {
    kind: ICAL_CONFLICT_EMAIL,
    payload: { conflictId },
    runAt: now,
    key: `job:ical-conflict:${conflictId}`,
  });
}

export interface IcalJobHandlers {
  enqueueDueSyncs(now: Date): Promise<number>;
  syncFeed(importId: string): Promise<void>;
  sendConflictEmail(conflictId: string): Promise<void>;
}

export function icalJobs(handlers: IcalJobHandlers): JobDefinition[] {
  return [
    defineJob({ kind: ICAL_SYNC_DUE, schema: z.object({}), handle: (_p, ctx) => handlers.enqueueDueSyncs(ctx.now) }),
    defineJob({ kind: ICAL_SYNC_FEED, schema: SyncFeedPayload, handle: (p) => handlers.syncFeed(p.importId) }),
    defineJob({
      kind: ICAL_CONFLICT_EMAIL,
      schema: ConflictEmailPayload,
      handle: (p) => handlers.sendConflictEmail(p.conflictId),
    }),
  ];
}

export const icalSchedules: Schedule[] = [{ name: 'ical.sync-due', cron: '* * * * *', kind: ICAL_SYNC_DUE }];
