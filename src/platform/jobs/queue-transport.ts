import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createBatcher } from '../db/batch.js';
import type { Db } from '../db/types.js';
import {
  claimJobsByIds,
  findRelayedUnclaimed,
  relayDueJobs,
  requeueRelayed,
  requeueStaleRelayed,
} from './outbox.repository.js';
import type { JobRow } from './outbox.table.js';
import { createJobExecutor, DEFAULT_LEASE_MS, type JobExecutorOptions } from './runner.js';

export const QUEUE_NAME = 'staylane';

export interface QueueTransportOptions extends JobExecutorOptions {
  redisUrl: string;
  /** Prefix of the queue's Redis keys. */
  prefix: string;
  /** Handlers running at once in this worker (default 16: a claim, done-marking or sent-marking serves all that are ready at once). */
  concurrency?: number;
  /** How often rows due now or soon are relayed (default 500 ms). */
  relayEveryMs?: number;
  /**
   * Rows due within this much of now are relayed ahead, as delayed BullMQ jobs that a worker
   * takes at their due time (default 5 s). Rows due later stay in PostgreSQL.
   */
  relayAheadMs?: number;
  /** A row relayed this long ago and not finished is relayed again (default 10 min). */
  requeueAfterMs?: number;
  /**
   * How often relayed rows that nobody runs are looked for in the queue, and how long after
   * their relay (default 2 s and 15 s): those the queue no longer holds (Redis restarted
   * without its data, flushed) or holds as taken by a worker that has since died are
   * relayed again.
   */
  lostCheckEveryMs?: number;
  lostAfterMs?: number;
  /**
   * How often the relay checks that its Redis still has its data (default 1 s): a marker
   * key it set is gone after a flush or a restart without persistence, and then every
   * relayed row nobody runs is relayed again at once, whatever its age.
   */
  wipeCheckEveryMs?: number;
}

export interface QueueTransport {
  /** Moves the rows due at `now` or within the look-ahead to the queue; returns how many. */
  relayDue(now?: Date): Promise<number>;
  /** Makes rows relayed long ago and not finished pending again; returns how many. */
  requeueStale(now?: Date): Promise<number>;
  /** Makes relayed, unclaimed rows whose queue job is gone (or taken by a dead worker) pending again; returns how many. */
  requeueLost(now?: Date): Promise<number>;
  /** When the queue's Redis lost its data since the last look, makes every relayed, unclaimed row pending again; returns how many. */
  requeueIfWiped(now?: Date): Promise<number>;
  /** Starts the relay and requeue loops. */
  startRelay(): void;
  /** Starts consuming the queue. */
  startWorker(): void;
  /**
   * Stops the loops and the consumer, waiting up to `graceMs` for running handlers and then
   * handing their rows back unfinished, and closes Redis.
   */
  stop(graceMs?: number): Promise<void>;
}

const RELAY_BATCH = 500;
/** Rows older than `lostAfterMs` checked against the queue per look, oldest first. */
const LOST_CHECK_LIMIT = 10_000;
/**
 * The queue job of a pending row, as relayed: the row's id, its attempt count and when the
 * row last changed (BullMQ refuses ':' in ids; these have none). The row id comes first,
 * so the rows a queue holds are read back from its job ids.
 */
export const queueJobId = (row: Pick<JobRow, 'id' | 'attempts' | 'updatedAt'>) =>
  `${row.id}.${row.attempts}.${row.updatedAt.getTime()}`;
const rowIdOf = (jobId: string) => jobId.slice(0, jobId.indexOf('.'));
// A delayed job may reach a worker a little before the row's time by this process's clock
// (timers, a neighbour's clock): it waits that long rather than going back to the relay.
const EARLY_TOLERANCE_MS = 10_000;

/**
 * Production transport: PostgreSQL stays the record of every job; BullMQ only carries
 * "row <id> is due" to the workers. The queue's job id is the row's id, its attempt count
 * and when the pending row last changed, so a repeat relay of an unchanged row is a no-op,
 * and a worker claims the row before running it, so a repeat delivery is too. (The other
 * two parts are there because a row is relayed again while an earlier queue job of it may
 * still exist — a retry due within the look-ahead, a row requeued while a dead worker's
 * job still holds it: with the bare row id, BullMQ would drop the new job as a duplicate.)
 * Retries and the dead state live on the row; the queue job itself is never retried.
 * Rows due in the next few seconds are relayed ahead as delayed jobs, so a job starts at
 * its due time rather than at the relay tick after it.
 */
export function createQueueTransport(options: QueueTransportOptions): QueueTransport {
  const { db, clock, log } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const relayAheadMs = options.relayAheadMs ?? 5_000;
  const requeueAfterMs = options.requeueAfterMs ?? 10 * 60_000;
  const execute = createJobExecutor(options);
  const quiet = (r: Redis) => r.on('error', () => undefined);

  const producer = quiet(new Redis(options.redisUrl, { maxRetriesPerRequest: 2 }));
  const queue = new Queue(QUEUE_NAME, { connection: producer, prefix: options.prefix });
  queue.on('error', () => undefined);
  let worker: Worker | undefined;
  let consumer: Redis | undefined;
  const timers: NodeJS.Timeout[] = [];

  // Jobs that reach this worker while a claim is under way are claimed together in the next
  // one, at the latest of their clocks (each is due by then). A row delivered twice in one
  // batch goes to one of them only.
  const claim = createBatcher(async (wanted: readonly { id: string; now: Date }[]) => {
    const now = new Date(Math.max(...wanted.map((w) => w.now.getTime())));
    const rows = await claimJobsByIds(
      db,
      wanted.map((w) => w.id),
      now,
      leaseMs,
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return wanted.map((w) => {
      const row = byId.get(w.id);
      byId.delete(w.id);
      return row && { row, now };
    });
  });

  async function relayDue(now: Date = clock.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await relayDueJobs(
        db,
        now,
        RELAY_BATCH,
        async (rows) => {
          await queue.addBulk(
            rows.map((row) => ({
              name: row.kind,
              data: { id: row.id, runAt: row.runAt.getTime() },
              opts: {
                jobId: queueJobId(row),
                delay: Math.max(0, row.runAt.getTime() - now.getTime()),
                attempts: 1,
                removeOnComplete: true,
                removeOnFail: true,
              },
            })),
          );
        },
        new Date(now.getTime() + relayAheadMs),
      );
      total += sent;
      if (sent < RELAY_BATCH) return total;
    }
  }

  const requeueStale = (now: Date = clock.now()) =>
    requeueStaleRelayed(db, now, new Date(now.getTime() - requeueAfterMs));

  const { requeueLost, requeueIfWiped } = lostJobChecks({
    db,
    clock,
    queue,
    producer,
    log,
    prefix: options.prefix,
    lostAfterMs: options.lostAfterMs ?? 15_000,
  });

  const every = (ms: number, work: () => Promise<unknown>, what: string) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      work()
        .catch((e: unknown) => log?.error({ err: e }, `${what} failed`))
        .finally(() => (busy = false));
    }, ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    relayDue,
    requeueStale,
    requeueLost,
    requeueIfWiped,
    startRelay() {
      if (timers.length > 0) return;
      every(options.relayEveryMs ?? 500, relayDue, 'relaying jobs');
      every(Math.max(1_000, Math.min(requeueAfterMs / 2, 60_000)), requeueStale, 'requeueing jobs');
      every(options.lostCheckEveryMs ?? 2_000, requeueLost, 'looking for jobs the queue lost');
      every(options.wipeCheckEveryMs ?? 1_000, requeueIfWiped, 'checking the queue kept its data');
    },
    startWorker() {
      if (worker) return;
      // BullMQ's blocking reads need a connection of their own that retries for ever.
      consumer = quiet(new Redis(options.redisUrl, { maxRetriesPerRequest: null }));
      worker = new Worker<{ id: string; runAt?: number }>(
        QUEUE_NAME,
        async (job) => {
          const early = (job.data.runAt ?? 0) - clock.now().getTime();
          if (early > 0 && early <= EARLY_TOLERANCE_MS) await sleep(early);
          const claimed = await claim({ id: job.data.id, now: clock.now() });
          // Finished already, not due yet, or running elsewhere: nothing to do here.
          if (claimed) await execute(claimed.row, claimed.now);
        },
        { connection: consumer, prefix: options.prefix, concurrency: options.concurrency ?? 16 },
      );
      worker.on('error', (e) => log?.error({ err: e }, 'queue worker error'));
    },
    async stop(graceMs = 10_000) {
      for (const t of timers.splice(0)) clearInterval(t);
      if (worker) {
        const closing = worker.close();
        let expired: NodeJS.Timeout | undefined;
        await Promise.race([
          closing,
          new Promise<void>((resolve) => {
            expired = setTimeout(resolve, graceMs);
            expired.unref();
          }),
        ]);
        clearTimeout(expired);
        // Handlers that outlast the grace: their rows go back to pending for another worker now.
        await execute.releaseClaims();
      }
      await queue.close();
      producer.disconnect();
      consumer?.disconnect();
    },
  };
}

/**
 * What finds the relayed rows a queue no longer carries to a worker: those whose job is
 * gone or stuck with a dead worker (`requeueLost`), and all of them at once when the Redis
 * lost its data (`requeueIfWiped`). Both make the rows pending for the relay to send anew.
 */
function lostJobChecks(deps: {
  db: Db;
  clock: QueueTransportOptions['clock'];
  queue: Queue;
  producer: Redis;
  log: QueueTransportOptions['log'];
  prefix: string;
  lostAfterMs: number;
}): Pick<QueueTransport, 'requeueLost' | 'requeueIfWiped'> {
  const { db, clock, queue, producer, log, lostAfterMs } = deps;
  // Set by the first look and never expires: its absence means the Redis lost every key.
  const wipeMarker = `${deps.prefix}:${QUEUE_NAME}:relay-marker`;
  return {
    async requeueLost(now: Date = clock.now()): Promise<number> {
      const rows = await findRelayedUnclaimed(db, now, new Date(now.getTime() - lostAfterMs), LOST_CHECK_LIMIT);
      if (rows.length === 0) return 0;
      // Every job the queue holds waiting, read at once (a backlog can hold many more rows
      // older than `lostAfterMs` than one look checks, so each row is not asked for in turn).
      // A row's job missing from them is gone, or taken by a worker (active) although the
      // row's claim lapsed or was never made for `lostAfterMs`: that worker died, and BullMQ
      // would give the job back only when its own lock lapses. A job taken just now and about
      // to be claimed may be counted too: the row is then carried by two jobs, and its claim
      // decides which one runs it.
      const waiting = new Set(
        (await queue.getRanges(['wait', 'delayed', 'prioritized', 'waiting-children'], 0, -1)).map(rowIdOf),
      );
      return requeueRelayed(
        db,
        now,
        rows.filter((row) => !waiting.has(row.id)).map((row) => row.id),
      );
    },
    async requeueIfWiped(now: Date = clock.now()): Promise<number> {
      if ((await producer.set(wipeMarker, now.toISOString(), 'NX')) !== 'OK') return 0;
      let total = 0;
      for (;;) {
        const rows = await findRelayedUnclaimed(db, now, now, RELAY_BATCH);
        total += await requeueRelayed(
          db,
          now,
          rows.map((row) => row.id),
        );
        if (rows.length < RELAY_BATCH) break;
      }
      if (total > 0) log?.error({ requeued: total }, 'the queue lost its data: relayed jobs relayed again');
      return total;
    },
  };
}
