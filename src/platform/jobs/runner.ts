import pRetry from 'p-retry';
import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import { logSafeError } from '../log-safe-error.js';
import { runAsJob } from './current-job.js';
import type { JobRegistry } from './job.js';
import { createBatcher } from '../db/batch.js';
import {
  claimDueJobs,
  markJobFailed,
  markJobsDone,
  nextDueAt,
  releaseClaims,
  renewJobLease,
} from './outbox.repository.js';
import type { JobRow } from './outbox.table.js';

export type JobOutcome = 'done' | 'retry' | 'dead';

export interface JobRunEvent {
  kind: string;
  outcome: JobOutcome;
  /** How long the handler ran. */
  durationMs: number;
  /** Start of the run minus the time it was due. */
  latenessMs: number;
}

export interface JobExecutorOptions {
  db: Db;
  registry: JobRegistry;
  clock: Clock;
  /** Runs before a job is parked as dead (default 5). */
  maxAttempts?: number;
  /** Delay before the next run after `attempts` failed runs (default 5 s × 2^(attempts−1), at most 1 h). */
  backoffMs?: (attempts: number) => number;
  onRun?: (event: JobRunEvent) => void;
  log?: { error(obj: object, msg: string): void };
  /** How long a claim lasts; a row whose runner died is claimable again after it (default 15 s, renewed every third of it while the handler runs). */
  leaseMs?: number;
  /** How often a running handler's lease is extended (default a third of the lease). */
  renewEveryMs?: number;
}

export interface JobRunnerOptions extends JobExecutorOptions {
  /** Handlers running at once (default 4). */
  concurrency?: number;
  /**
   * Longest wait between two looks for due rows (default 1 s). A row already in the table
   * and due sooner wakes the loop at its due time; the poll finds rows added since.
   */
  pollMs?: number;
}

/** Runs one claimed row and records its outcome on the row; the handler's failure is an outcome, not a throw. */
export interface JobExecutor {
  (row: JobRow, now: Date): Promise<JobOutcome>;
  /**
   * Gives up the claims of the handlers still running (for a stop whose grace has passed):
   * their rows are claimable at once elsewhere, and their outcomes here are not recorded.
   */
  releaseClaims(): Promise<number>;
}

export interface DrainResult {
  done: number;
  retried: number;
  dead: number;
}

export interface JobRunner {
  /** Runs every job due at `now` (and those that become due while it runs), then resolves. */
  drainDue(now?: Date): Promise<DrainResult>;
  /** Starts the background loop. */
  start(): void;
  /** Stops claiming; waits up to `graceMs` for running handlers, then hands their rows back unfinished. */
  stop(graceMs?: number): Promise<void>;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_LEASE_MS = 15_000;
const MAX_BACKOFF_MS = 60 * 60_000;
export const defaultBackoffMs = (attempts: number) => Math.min(5_000 * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);
const MAX_ERROR_LENGTH = 1_000;

/**
 * Runs outbox jobs in this process: the embedded queue (no Redis), and the part of a
 * worker that runs one job. Claims are leases taken with FOR UPDATE SKIP LOCKED, so any
 * number of runners share one table and each due row runs once per claim.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, clock, log } = options;
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = options.pollMs ?? 1_000;
  const run = createJobExecutor(options);

  async function drainDue(now: Date = clock.now()): Promise<DrainResult> {
    const result: DrainResult = { done: 0, retried: 0, dead: 0 };
    for (;;) {
      const rows = await claimDueJobs(db, now, concurrency, leaseMs);
      if (rows.length === 0) return result;
      const outcomes = await Promise.all(rows.map((row) => run(row, now)));
      for (const o of outcomes) {
        if (o === 'done') result.done++;
        else if (o === 'retry') result.retried++;
        else result.dead++;
      }
    }
  }

  // The background loop: claims only as many rows as it has free slots, so a stopping
  // runner holds no row it has not started. Between polls it sleeps until the next due row
  // it knows of (at most pollMs), so a job due at T starts at T rather than up to a poll later.
  const inFlight = new Set<Promise<unknown>>();
  let started = false;
  let stopping = false;
  let polling = false;
  let again = false;
  let wake: NodeJS.Timeout | undefined;

  function sleepUntil(at: number | undefined): void {
    if (stopping) return;
    clearTimeout(wake);
    const delay = at === undefined ? pollMs : Math.min(Math.max(at - clock.now().getTime(), 0), pollMs);
    wake = setTimeout(() => void poll(), delay);
    wake.unref();
  }

  async function poll(): Promise<void> {
    if (stopping) return;
    // A poll asked for while one runs (a handler finished) runs right after it.
    if (polling) {
      again = true;
      return;
    }
    polling = true;
    let next: number | undefined;
    try {
      const free = concurrency - inFlight.size;
      if (free > 0) {
        const now = clock.now();
        const rows = await claimDueJobs(db, now, free, leaseMs);
        for (const row of rows) {
          const running = run(row, now)
            .catch((e: unknown) => log?.error({ err: e, jobId: row.id }, 'job outcome not recorded'))
            .finally(() => {
              inFlight.delete(running);
              void poll();
            });
          inFlight.add(running);
        }
        // Every slot taken: a finishing handler polls. Otherwise, when is the next row due?
        if (rows.length < free) next = (await nextDueAt(db, now))?.getTime();
      }
    } catch (e) {
      log?.error({ err: e }, 'claiming jobs failed');
    } finally {
      polling = false;
    }
    if (again) {
      again = false;
      void poll();
    } else sleepUntil(next);
  }

  return {
    drainDue,
    start() {
      if (started || stopping) return;
      started = true;
      void poll();
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      clearTimeout(wake);
      wake = undefined;
      if (inFlight.size === 0) return;
      let expired: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise<void>((resolve) => {
          expired = setTimeout(resolve, graceMs);
          expired.unref();
        }),
      ]);
      clearTimeout(expired);
      await run.releaseClaims();
    },
  };
}

/** The part shared by the embedded runner and the BullMQ worker: run a claimed row, record what happened. */
export function createJobExecutor(options: JobExecutorOptions): JobExecutor {
  const { db, registry, clock, onRun, log } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoffMs = options.backoffMs ?? defaultBackoffMs;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const renewEveryMs = options.renewEveryMs ?? Math.floor(leaseMs / 3);
  // Runs that end while a done-marking is under way are marked together in the next one.
  const markDone = createBatcher((runs: readonly { row: JobRow; at: Date }[]) => markJobsDone(db, runs));

  /** The leases of the handlers running now, each with its claim as last renewed. */
  const held = new Set<{ claim: () => JobRow; giveUp: () => Promise<void> }>();

  /**
   * While a handler runs, its lease is extended every `renewEveryMs`, so a handler that
   * runs longer than the lease is not claimed and run a second time by another runner. A
   * runner that dies stops renewing, and its row is claimable once the last lease passes.
   */
  function holdLease(claimed: JobRow): { release(): Promise<JobRow> } {
    let claim = claimed;
    let lost = false;
    let renewing: Promise<void> = Promise.resolve();
    const entry = {
      claim: () => claim,
      async giveUp() {
        lost = true;
        clearInterval(timer);
        await renewing;
      },
    };
    held.add(entry);
    const timer = setInterval(() => {
      renewing = renewing.then(async () => {
        if (lost) return;
        try {
          const renewed = await renewJobLease(db, claim, clock.now(), leaseMs);
          if (renewed) claim = renewed;
          else {
            // Taken over after a lapse (this process stalled past its lease): the outcome will not be recorded.
            lost = true;
            clearInterval(timer);
            log?.error({ jobId: claim.id, kind: claim.kind }, 'job lease lost while its handler ran');
          }
        } catch (e) {
          // A failed renewal is tried again at the next tick; the lease still has two thirds to run.
          log?.error({ err: e, jobId: claim.id }, 'renewing a job lease failed');
        }
      });
    }, renewEveryMs);
    timer.unref();
    return {
      async release() {
        held.delete(entry);
        clearInterval(timer);
        await renewing;
        return claim;
      },
    };
  }

  async function releaseAll(): Promise<number> {
    const entries = [...held];
    held.clear();
    await Promise.all(entries.map((e) => e.giveUp()));
    const released = await releaseClaims(
      db,
      entries.map((e) => e.claim()),
      clock.now(),
    );
    if (released > 0) log?.error({ released }, 'stopping: running jobs handed back unfinished');
    return released;
  }

  /**
   * Records a run's outcome, trying again while the claim's lease lasts: a database that
   * restarts as the handler finishes (a second or two) does not leave the row to wait out
   * its lease and run a second time. Past the lease another runner may hold the row, and the
   * outcome is given up (the caller sees the error).
   */
  function recordOutcome(claim: JobRow, record: () => Promise<void>): Promise<void> {
    const leaseEnds = claim.lockedUntil?.getTime() ?? 0;
    return pRetry(record, {
      retries: 20,
      minTimeout: 100,
      maxTimeout: 1_000,
      shouldRetry: () => clock.now().getTime() + 1_000 < leaseEnds,
    });
  }

  async function run(claimed: JobRow, now: Date): Promise<JobOutcome> {
    const started = performance.now();
    const definition = registry.get(claimed.kind);
    let row = claimed;
    let outcome: JobOutcome;
    let error: string | undefined;
    if (!definition) {
      outcome = 'dead';
      error = `unknown job kind "${row.kind}" (no definition registered)`;
    } else {
      const parsed = definition.schema.safeParse(row.payload);
      if (!parsed.success) {
        // A payload its own schema refuses will not pass on a later try either.
        outcome = 'dead';
        error = `invalid payload for "${row.kind}"`;
      } else {
        const lease = holdLease(row);
        try {
          const ctx = { id: row.id, kind: row.kind, attempt: row.attempts, runAt: row.runAt, now };
          await runAsJob(row.id, () => definition.handle(parsed.data, ctx));
          outcome = 'done';
        } catch (e) {
          outcome = row.attempts >= maxAttempts ? 'dead' : 'retry';
          error = describeError(e);
        } finally {
          row = await lease.release();
        }
      }
    }
    // `now` may be a drain's fixed instant behind the clock; the row never goes back in time.
    const at = clock.now() > now ? clock.now() : now;
    const claim = row;
    await recordOutcome(claim, async () => {
      if (outcome === 'done') await markDone({ row: claim, at });
      else {
        const retryAt = outcome === 'retry' ? new Date(at.getTime() + backoffMs(claim.attempts)) : undefined;
        await markJobFailed(db, claim, at, error ?? 'failed', retryAt);
      }
    });
    if (outcome === 'dead') log?.error({ jobId: row.id, kind: row.kind, attempts: row.attempts, error }, 'job is dead');
    onRun?.({
      kind: row.kind,
      outcome,
      durationMs: performance.now() - started,
      latenessMs: Math.max(0, now.getTime() - row.runAt.getTime()),
    });
    return outcome;
  }
  return Object.assign(run, { releaseClaims: releaseAll });
}

/** The error as stored on the row: type and message only (no stack, no SQL or its parameters). */
function describeError(e: unknown): string {
  const safe = logSafeError(e);
  const text = `${safe.type}: ${safe.message}${safe.sqlState ? ` (SQLSTATE ${safe.sqlState})` : ''}`;
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
