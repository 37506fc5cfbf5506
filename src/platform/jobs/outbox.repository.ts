import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { arrayLiteral, recordset, resultRows } from '../db/batch.js';
import type { Db } from '../db/types.js';
import type { JobRegistry } from './job.js';
import { jobs, type JobRow } from './outbox.table.js';

export interface NewJob {
  kind: string;
  payload: unknown;
  /** When the job is due; the database's now() when absent. */
  runAt?: Date;
  /** A de-duplication key: a second job with the same key is dropped, whatever its state. */
  key?: string;
}

/**
 * Writes a job in the caller's transaction, so it exists exactly when the change that
 * causes it commits. A job whose key exists already is dropped; returns the new row's id,
 * or undefined when it was dropped. Given a registry, the kind must be known and the
 * payload is checked against the kind's schema (and stored as the schema parsed it).
 */
export async function enqueue(
  tx: Db,
  job: NewJob,
  options: { registry?: JobRegistry } = {},
): Promise<string | undefined> {
  let payload = job.payload;
  if (options.registry) {
    const definition = options.registry.get(job.kind);
    if (!definition) throw new Error(`enqueue: unknown job kind "${job.kind}"`);
    const parsed = definition.schema.safeParse(job.payload);
    // A bad payload is the calling code's bug, not the user's input: no 4xx for it.
    if (!parsed.success)
      throw new Error(`enqueue: invalid payload for "${job.kind}": ${describeIssues(parsed.error.issues)}`);
    payload = parsed.data;
  }
  const rows = await tx
    .insert(jobs)
    .values({
      kind: job.kind,
      payload: payload ?? {},
      ...(job.runAt && { runAt: job.runAt }),
      dedupeKey: job.key ?? null,
    })
    .onConflictDoNothing({ target: jobs.dedupeKey })
    .returning({ id: jobs.id });
  return rows[0]?.id;
}

/**
 * Claims up to `limit` due pending rows for `leaseMs`: rows another runner holds are
 * skipped (not waited for), and a row whose lease has passed is claimable again. Each
 * claim counts as an attempt.
 */
/** Pending, due, and not under another runner's live lease. */
const isClaimable = (now: Date, dueBy: Date = now) =>
  and(eq(jobs.state, 'pending'), lte(jobs.runAt, dueBy), or(isNull(jobs.lockedUntil), lte(jobs.lockedUntil, now)));

export async function claimDueJobs(db: Db, now: Date, limit: number, leaseMs: number): Promise<JobRow[]> {
  if (limit <= 0) return [];
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(isClaimable(now))
    .orderBy(asc(jobs.runAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(jobs)
    .set({ lockedUntil: new Date(now.getTime() + leaseMs), attempts: sql`${jobs.attempts} + 1`, updatedAt: now })
    .where(inArray(jobs.id, due))
    .returning();
}

// A claim is identified by its lease: a runner whose lease ran out (and whose row another
// runner claimed since) no longer owns the row and cannot finish it.
const ownClaim = (row: Pick<JobRow, 'id' | 'lockedUntil'>) =>
  and(
    eq(jobs.id, row.id),
    inArray(jobs.state, ['pending', 'relayed']),
    row.lockedUntil ? eq(jobs.lockedUntil, row.lockedUntil) : isNull(jobs.lockedUntil),
  );

/**
 * Marks many runs done in one statement (each recognised by its own lease, as markJobDone
 * does); returns, in order, whether each row was still ours.
 */
export async function markJobsDone(
  db: Db,
  runs: readonly { row: Pick<JobRow, 'id' | 'lockedUntil'>; at: Date }[],
): Promise<boolean[]> {
  if (runs.length === 0) return [];
  const claims = recordset(
    runs.map(({ row, at }) => ({
      id: row.id,
      locked_until: row.lockedUntil?.toISOString() ?? null,
      at: at.toISOString(),
    })),
  );
  const rows = resultRows<{ id: string }>(
    await db.execute(sql`
    update ${jobs}
    set state = 'done', locked_until = null, finished_at = c.at, updated_at = c.at, last_error = null
    from jsonb_to_recordset(${claims}::jsonb) as c(id uuid, locked_until timestamptz, at timestamptz)
    where ${jobs.id} = any(${arrayLiteral(runs.map((r) => r.row.id))}::uuid[])
      and ${jobs.id} = c.id
      and ${jobs.state} in ('pending', 'relayed')
      and ${jobs.lockedUntil} is not distinct from c.locked_until
    returning ${jobs.id} as id`),
  );
  const done = new Set(rows.map((r) => r.id));
  return runs.map(({ row }) => done.has(row.id));
}

export async function markJobDone(db: Db, row: JobRow, now: Date): Promise<boolean> {
  const done = await db
    .update(jobs)
    .set({ state: 'done', lockedUntil: null, finishedAt: now, updatedAt: now, lastError: null })
    .where(ownClaim(row))
    .returning({ id: jobs.id });
  return done.length > 0;
}

/** A failed run: due again at `retryAt`, or dead when `retryAt` is undefined. */
export async function markJobFailed(
  db: Db,
  row: JobRow,
  now: Date,
  error: string,
  retryAt: Date | undefined,
): Promise<boolean> {
  const failed = await db
    .update(jobs)
    .set(
      retryAt
        ? // Back to pending: a retry is due again in PostgreSQL, and relayed again when due.
          { state: 'pending', runAt: retryAt, lockedUntil: null, lastError: error, updatedAt: now }
        : { state: 'dead', lockedUntil: null, lastError: error, updatedAt: now, finishedAt: now },
    )
    .where(ownClaim(row))
    .returning({ id: jobs.id });
  return failed.length > 0;
}

// The worker's claim runs for every job: prepared once per database handle, so Drizzle
// builds its SQL once and PostgreSQL parses and plans it once per connection.
const preparedClaimByIds = new WeakMap<Db, ReturnType<typeof prepareClaimByIds>>();
const prepareClaimByIds = (db: Db) =>
  db
    .update(jobs)
    .set({
      lockedUntil: sql`${sql.placeholder('lockedUntil')}::timestamptz`,
      attempts: sql`${jobs.attempts} + 1`,
      updatedAt: sql`${sql.placeholder('now')}::timestamptz`,
    })
    .where(
      and(
        sql`${jobs.id} = any(${sql.placeholder('ids')}::uuid[])`,
        inArray(jobs.state, ['pending', 'relayed']),
        lte(jobs.runAt, sql`${sql.placeholder('now')}::timestamptz`),
        or(isNull(jobs.lockedUntil), lte(jobs.lockedUntil, sql`${sql.placeholder('now')}::timestamptz`)),
      ),
    )
    .returning()
    .prepare('claim_jobs_by_ids');

/**
 * Claims one row by id for a queue worker: it must be unfinished, due and not leased, so
 * a job delivered twice (a repeat relay, a re-delivery) runs once per lease.
 */
export async function claimJobById(db: Db, id: string, now: Date, leaseMs: number): Promise<JobRow | undefined> {
  const [row] = await claimJobsByIds(db, [id], now, leaseMs);
  return row;
}

/** claimJobById for many rows in one statement: returns the rows claimed (those not claimable are left out). */
export async function claimJobsByIds(db: Db, ids: readonly string[], now: Date, leaseMs: number): Promise<JobRow[]> {
  // Only uuids can name a row (and a uuid needs no quoting in the array literal).
  const wanted = ids.filter((id) => UUID.test(id));
  if (wanted.length === 0) return [];
  let query = preparedClaimByIds.get(db);
  if (!query) preparedClaimByIds.set(db, (query = prepareClaimByIds(db)));
  return query.execute({
    ids: `{${wanted.join(',')}}`,
    now: now.toISOString(),
    lockedUntil: new Date(now.getTime() + leaseMs).toISOString(),
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Hands pending rows due by `until` (at or after `now`: the relay sends rows a little ahead
 * of time, for the queue to hold until they are due) to `send` and marks them relayed, in
 * one transaction: rows another relay holds are skipped, and a failed send leaves the rows
 * pending.
 */
export async function relayDueJobs(
  db: Db,
  now: Date,
  limit: number,
  send: (rows: JobRow[]) => Promise<void>,
  until: Date = now,
): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(jobs)
      .where(isClaimable(now, until))
      .orderBy(asc(jobs.runAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return 0;
    await send(due);
    await tx
      .update(jobs)
      .set({ state: 'relayed', updatedAt: now })
      .where(
        inArray(
          jobs.id,
          due.map((r) => r.id),
        ),
      );
    return due.length;
  });
}

/**
 * The earliest `run_at` after `now` of a pending row: when a runner that found nothing due
 * has work next. Rows due already and leased are left out (their runner has them; a dead
 * runner's lease is found by the regular poll).
 */
export async function nextDueAt(db: Db, now: Date): Promise<Date | undefined> {
  const [row] = await db
    .select({ runAt: jobs.runAt })
    .from(jobs)
    .where(and(eq(jobs.state, 'pending'), gt(jobs.runAt, now)))
    .orderBy(asc(jobs.runAt))
    .limit(1);
  return row?.runAt;
}

/**
 * Extends a claim that is still ours to `now + leaseMs`, for a handler that runs longer
 * than its lease. Returns the claim as it now stands (markJobDone and markJobFailed
 * recognise it by its lease), or undefined when the row is no longer ours.
 */
export async function renewJobLease(db: Db, row: JobRow, now: Date, leaseMs: number): Promise<JobRow | undefined> {
  const [renewed] = await db
    .update(jobs)
    .set({ lockedUntil: new Date(now.getTime() + leaseMs), updatedAt: now })
    .where(ownClaim(row))
    .returning();
  return renewed;
}

/**
 * Rows relayed before `relayedBefore` and neither finished nor running are pending again,
 * for the relay to send anew: what a wiped or lost queue forgot is not lost.
 */
export async function requeueStaleRelayed(db: Db, now: Date, relayedBefore: Date): Promise<number> {
  const rows = await db
    .update(jobs)
    .set({ state: 'pending', updatedAt: now })
    .where(
      and(
        eq(jobs.state, 'relayed'),
        lte(jobs.updatedAt, relayedBefore),
        or(isNull(jobs.lockedUntil), lte(jobs.lockedUntil, now)),
      ),
    )
    .returning({ id: jobs.id });
  return rows.length;
}

/**
 * Relayed rows nobody runs (never claimed, or their claim lapsed), relayed before
 * `relayedBefore`, oldest first: the rows to look for in the queue, which may have lost them.
 */
export async function findRelayedUnclaimed(
  db: Db,
  now: Date,
  relayedBefore: Date,
  limit: number,
): Promise<Pick<JobRow, 'id' | 'attempts'>[]> {
  return db
    .select({ id: jobs.id, attempts: jobs.attempts })
    .from(jobs)
    .where(
      and(
        eq(jobs.state, 'relayed'),
        lte(jobs.updatedAt, relayedBefore),
        or(isNull(jobs.lockedUntil), lte(jobs.lockedUntil, now)),
      ),
    )
    .orderBy(asc(jobs.updatedAt))
    .limit(limit);
}

/** Makes these rows pending again for the relay, those still relayed and unclaimed; returns how many. */
export async function requeueRelayed(db: Db, now: Date, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .update(jobs)
    .set({ state: 'pending', updatedAt: now })
    .where(
      and(
        inArray(jobs.id, [...ids]),
        eq(jobs.state, 'relayed'),
        or(isNull(jobs.lockedUntil), lte(jobs.lockedUntil, now)),
      ),
    )
    .returning({ id: jobs.id });
  return rows.length;
}

/**
 * Gives up claims that are still ours (a stopping process whose handlers outlast its
 * grace): the rows are pending and unleased at once, for another runner to take now
 * rather than when the lease would lapse. Returns how many were given up.
 */
export async function releaseClaims(db: Db, claims: readonly JobRow[], now: Date): Promise<number> {
  let released = 0;
  for (const claim of claims) {
    const rows = await db
      .update(jobs)
      .set({ state: 'pending', lockedUntil: null, updatedAt: now })
      .where(ownClaim(claim))
      .returning({ id: jobs.id });
    released += rows.length;
  }
  return released;
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}
