import { and, count, desc, eq, inArray, isNull, lte, or, type SQL } from 'drizzle-orm';
import { afterDescending } from '../db/keyset.js';
import type { Db } from '../db/types.js';
import { jobs, type JobRow, type JobState } from './outbox.table.js';

// What operators see and do with the outbox: the admin list, one row, reviving a dead row,
// the counts the metrics show, and purging finished rows.

/** Deletes up to `limit` rows done before `finishedBefore`; dead rows stay for someone to look at. */
export async function purgeFinishedJobs(db: Db, finishedBefore: Date, limit: number): Promise<number> {
  const old = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.state, 'done'), lte(jobs.finishedAt, finishedBefore)))
    .limit(limit);
  const rows = await db.delete(jobs).where(inArray(jobs.id, old)).returning({ id: jobs.id });
  return rows.length;
}

export async function getJob(db: Db, id: string): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
  return row;
}

/** A row as operators see it: the payload stays out, since it may hold addresses. */
export type JobSummary = Omit<JobRow, 'payload' | 'dedupeKey' | 'lockedUntil'>;

const summaryColumns = {
  id: jobs.id,
  kind: jobs.kind,
  state: jobs.state,
  attempts: jobs.attempts,
  runAt: jobs.runAt,
  lastError: jobs.lastError,
  createdAt: jobs.createdAt,
  updatedAt: jobs.updatedAt,
  finishedAt: jobs.finishedAt,
};

/** Rows newest first (created_at desc, id desc), after a keyset position when given. */
export function listJobs(
  db: Db,
  opts: { limit: number; state?: JobState; kind?: string; after?: { createdAt: Date; id: string } },
): Promise<JobSummary[]> {
  const where: (SQL | undefined)[] = [];
  if (opts.state) where.push(eq(jobs.state, opts.state));
  if (opts.kind) where.push(eq(jobs.kind, opts.kind));
  if (opts.after) {
    where.push(afterDescending(jobs.createdAt, jobs.id, [opts.after.createdAt.toISOString(), opts.after.id]));
  }
  return db
    .select(summaryColumns)
    .from(jobs)
    .where(and(...where))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(opts.limit);
}

// What bringing a row back does: pending, due at `now`, unleased, attempts counted from zero.
const revived = (now: Date) =>
  ({ state: 'pending', runAt: now, attempts: 0, lockedUntil: null, finishedAt: null, updatedAt: now }) as const;

/**
 * A dead row is pending again, due at `now`, with its attempts counted from zero. The
 * state test is in the UPDATE itself, so two operators retrying at once revive it once.
 * Returns undefined when the row is missing or not dead.
 */
export async function reviveDeadJob(db: Db, id: string, now: Date): Promise<JobSummary | undefined> {
  const [row] = await db
    .update(jobs)
    .set(revived(now))
    .where(and(eq(jobs.id, id), eq(jobs.state, 'dead')))
    .returning(summaryColumns);
  return row;
}

/**
 * Makes a row run again now, as reviveDeadJob does, whatever it ended as (done or dead) or
 * while it waits (pending or relayed, e.g. for a retry's backoff). A row a runner holds
 * under a live lease is left alone: its handler is running. Returns undefined when the
 * row is missing or running.
 */
export async function rerunJob(db: Db, id: string, now: Date): Promise<JobSummary | undefined> {
  const [row] = await db
    .update(jobs)
    .set(revived(now))
    .where(and(eq(jobs.id, id), or(isNull(jobs.lockedUntil), lte(jobs.lockedUntil, now))))
    .returning(summaryColumns);
  return row;
}

/** Row counts by kind and state, in one grouped query. */
export async function countJobsByKindAndState(db: Db): Promise<{ kind: string; state: JobState; count: number }[]> {
  return db.select({ kind: jobs.kind, state: jobs.state, count: count() }).from(jobs).groupBy(jobs.kind, jobs.state);
}
