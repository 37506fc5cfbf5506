import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { claimJobById, relayDueJobs, requeueStaleRelayed } from './outbox.repository.js';
import { createJobExecutor, DEFAULT_LEASE_MS, type JobExecutorOptions } from './runner.js';

export const QUEUE_NAME = 'staylane';

export interface QueueTransportOptions extends JobExecutorOptions {
  redisUrl: string;
  /** Prefix of the queue's Redis keys. */
  prefix: string;
  /** Handlers running at once in this worker (default 4). */
  concurrency?: number;
  leaseMs?: number;
  /** How often due rows are relayed (default 1 s). */
  relayEveryMs?: number;
  /** A row relayed this long ago and not finished is relayed again (default 10 min). */
  requeueAfterMs?: number;
}

export interface QueueTransport {
  /** Moves the rows due at `now` to the queue; returns how many. */
  relayDue(now?: Date): Promise<number>;
  /** Makes rows relayed long ago and not finished pending again; returns how many. */
  requeueStale(now?: Date): Promise<number>;
  /** Starts the relay and requeue loops. */
  startRelay(): void;
  /** Starts consuming the queue. */
  startWorker(): void;
  /** Stops the loops and the consumer (waiting up to `graceMs` for running handlers), closes Redis. */
  stop(graceMs?: number): Promise<void>;
}

const RELAY_BATCH = 500;

/**
 * Production transport: PostgreSQL stays the record of every job; BullMQ only carries
 * "row <id> is due" to the workers. The queue's job id is the row's id, so a repeat relay
 * is a no-op, and a worker claims the row before running it, so a repeat delivery is too.
 * Retries and the dead state live on the row; the queue job itself is never retried.
 */
export function createQueueTransport(options: QueueTransportOptions): QueueTransport {
  const { db, clock, log } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const requeueAfterMs = options.requeueAfterMs ?? 10 * 60_000;
  const execute = createJobExecutor(options);
  const quiet = (r: Redis) => r.on('error', () => undefined);

  const producer = quiet(new Redis(options.redisUrl, { maxRetriesPerRequest: 2 }));
  const queue = new Queue(QUEUE_NAME, { connection: producer, prefix: options.prefix });
  queue.on('error', () => undefined);
  let worker: Worker | undefined;
  let consumer: Redis | undefined;
  const timers: NodeJS.Timeout[] = [];

  async function relayDue(now: Date = clock.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await relayDueJobs(db, now, RELAY_BATCH, async (rows) => {
        await queue.addBulk(
          rows.map((row) => ({
            name: row.kind,
            data: { id: row.id },
            opts: { jobId: row.id, attempts: 1, removeOnComplete: true, removeOnFail: true },
          })),
        );
      });
      total += sent;
      if (sent < RELAY_BATCH) return total;
    }
  }

  const requeueStale = (now: Date = clock.now()) =>
    requeueStaleRelayed(db, now, new Date(now.getTime() - requeueAfterMs));

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
    startRelay() {
      if (timers.length > 0) return;
      every(options.relayEveryMs ?? 1_000, relayDue, 'relaying jobs');
      every(Math.max(1_000, Math.min(requeueAfterMs / 2, 60_000)), requeueStale, 'requeueing jobs');
    },
    startWorker() {
      if (worker) return;
      // BullMQ's blocking reads need a connection of their own that retries for ever.
      consumer = quiet(new Redis(options.redisUrl, { maxRetriesPerRequest: null }));
      worker = new Worker<{ id: string }>(
        QUEUE_NAME,
        async (job) => {
          const now = clock.now();
          const row = await claimJobById(db, job.data.id, now, leaseMs);
          // Finished already, not due yet, or running elsewhere: nothing to do here.
          if (row) await execute(row, now);
        },
        { connection: consumer, prefix: options.prefix, concurrency: options.concurrency ?? 4 },
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
      }
      await queue.close();
      producer.disconnect();
      consumer?.disconnect();
    },
  };
}
