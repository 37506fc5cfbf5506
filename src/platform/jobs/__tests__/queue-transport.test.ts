import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '#test/helpers.js';
import { systemClock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import { claimJobById, createJobRegistry, defineJob, jobs } from '../index.js';
import { createQueueTransport, QUEUE_NAME, type QueueTransport } from '../queue-transport.js';

// The production transport on a real Redis: PostgreSQL keeps every job, BullMQ carries them.
const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)('the BullMQ transport', () => {
  let database: Database;
  let redis: Redis;
  let prefix: string;
  const runs = new Map<number, number>();
  const flaky = new Map<number, number>();
  const registry = createJobRegistry([
    defineJob({
      kind: 'test.flaky',
      schema: z.object({ n: z.number() }),
      handle: async ({ n }) => {
        flaky.set(n, (flaky.get(n) ?? 0) + 1);
        if (flaky.get(n) === 1) throw new Error('first try fails');
      },
    }),
    defineJob({
      kind: 'test.timely',
      schema: z.object({ n: z.number() }),
      handle: async ({ n }) => {
        startedAt.set(n, Date.now());
      },
    }),
    defineJob({
      kind: 'test.long',
      schema: z.object({}),
      handle: async () => {
        longRuns++;
        markLongStarted();
        await holdLong;
      },
    }),
    defineJob({
      kind: 'test.count',
      schema: z.object({ n: z.number() }),
      handle: async ({ n }) => {
        runs.set(n, (runs.get(n) ?? 0) + 1);
      },
    }),
  ]);
  const startedAt = new Map<number, number>();
  let holdLong: Promise<void> = Promise.resolve();
  let longRuns = 0;
  let markLongStarted: () => void = () => undefined;
  const transports: QueueTransport[] = [];
  const transport = (extra: Partial<Parameters<typeof createQueueTransport>[0]> = {}) => {
    const t = createQueueTransport({
      db: database.db,
      registry,
      clock: systemClock,
      redisUrl: redisUrl!,
      prefix,
      ...extra,
    });
    transports.push(t);
    return t;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = new Redis(redisUrl!);
  });
  afterAll(async () => {
    for (const t of transports.splice(0)) await t.stop(1_000);
    redis.disconnect();
    await database.close();
  });
  beforeEach(async () => {
    for (const t of transports.splice(0)) await t.stop(1_000);
    await database.db.delete(jobs);
    runs.clear();
    flaky.clear();
    startedAt.clear();
    longRuns = 0;
    // Each test its own keys: the Redis is shared, so nothing here may touch others' keys.
    prefix = `test:${randomUUID()}:bull`;
  });

  async function addRows(count: number): Promise<void> {
    const due = new Date(Date.now() - 1_000);
    await database.db
      .insert(jobs)
      .values(Array.from({ length: count }, (_, n) => ({ kind: 'test.count', payload: { n }, runAt: due })));
  }

  async function allDone(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await database.db.select({ state: jobs.state }).from(jobs);
      if (rows.every((r) => r.state === 'done')) return;
      if (Date.now() > deadline) throw new Error(`not done: ${rows.map((r) => r.state).join(',')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** What wiping Redis does to this queue: every one of its keys gone. */
  async function wipeQueue(): Promise<number> {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  it('relays due rows once (a repeat relay adds nothing) and two workers run each exactly once', async () => {
    await addRows(30);
    const before = await database.db.select({ id: jobs.id, updatedAt: jobs.updatedAt }).from(jobs);
    const a = transport();
    expect(await a.relayDue()).toBe(30);
    expect(await a.relayDue()).toBe(0);
    // A relay that sends the same rows again (its commit lost, so the rows are as they were
    // before it): the queue keeps one job per row.
    for (const row of before) {
      await database.db.update(jobs).set({ state: 'pending', updatedAt: row.updatedAt }).where(eq(jobs.id, row.id));
    }
    expect(await a.relayDue()).toBe(30);
    const counts = await redis.llen(`${prefix}:staylane:wait`);
    expect(counts).toBe(30);

    const b = transport();
    a.startWorker();
    b.startWorker();
    await allDone();
    expect(runs.size).toBe(30);
    expect([...runs.values()].every((c) => c === 1)).toBe(true);
  });

  it('loses nothing when Redis is wiped after the relay', async () => {
    await addRows(10);
    const t = transport();
    expect(await t.relayDue()).toBe(10);
    expect(await wipeQueue()).toBeGreaterThan(0);
    t.startWorker();
    await new Promise((r) => setTimeout(r, 300));
    expect(runs.size).toBe(0);
    // Not yet stale: left alone.
    expect(await t.requeueStale()).toBe(0);
    const later = new Date(Date.now() + 11 * 60_000);
    expect(await t.requeueStale(later)).toBe(10);
    expect(await t.relayDue()).toBe(10);
    await allDone();
    expect(runs.size).toBe(10);
    expect([...runs.values()].every((c) => c === 1)).toBe(true);
  });

  it('finds within seconds the rows a wiped queue forgot, without waiting for the stale requeue', async () => {
    await addRows(20);
    // The stale requeue would take 10 minutes; the queue is asked instead.
    const t = transport({ requeueAfterMs: 10 * 60_000, lostAfterMs: 500, lostCheckEveryMs: 250, relayEveryMs: 100 });
    expect(await t.relayDue()).toBe(20);
    // Rows the queue still holds are left alone, however long ago they were relayed.
    expect(await t.requeueLost(new Date(Date.now() + 60_000))).toBe(0);
    expect(await wipeQueue()).toBeGreaterThan(0);
    const wipedAt = Date.now();
    t.startRelay();
    t.startWorker();
    await allDone(10_000);
    expect(Date.now() - wipedAt).toBeLessThan(5_000);
    expect(runs.size).toBe(20);
    expect([...runs.values()].every((c) => c === 1)).toBe(true);
  });

  it('a stopping worker hands back the rows its handlers still run, for another worker to take at once', async () => {
    let release!: () => void;
    holdLong = new Promise<void>((r) => (release = r));
    const started = new Promise<void>((r) => (markLongStarted = r));
    await database.db.insert(jobs).values({ kind: 'test.long', payload: {}, runAt: new Date(Date.now() - 1_000) });
    // A lease of 10 minutes: only the hand-back can free the row within this test.
    const options = { leaseMs: 10 * 60_000, relayEveryMs: 50 };
    const a = transport(options);
    expect(await a.relayDue()).toBe(1);
    a.startWorker();
    await started;
    await a.stop(200);
    const [row] = await database.db.select().from(jobs);
    expect(row).toMatchObject({ state: 'pending', lockedUntil: null, attempts: 1 });

    const again = new Promise<void>((r) => (markLongStarted = r));
    const b = transport(options);
    b.startRelay();
    b.startWorker();
    await again;
    release();
    await allDone();
    expect(longRuns).toBe(2);
  });

  it('retries a failed run through PostgreSQL: back to pending with its back-off, relayed again, then done', async () => {
    const due = new Date(Date.now() - 1_000);
    await database.db
      .insert(jobs)
      .values(Array.from({ length: 5 }, (_, n) => ({ kind: 'test.flaky', payload: { n }, runAt: due })));
    const t = transport({ relayEveryMs: 50, backoffMs: () => 300 });
    t.startRelay();
    t.startWorker();
    await allDone();
    expect([...flaky.values()]).toEqual([2, 2, 2, 2, 2]);
    const rows = await database.db.select().from(jobs);
    expect(rows.every((r) => r.attempts === 2 && r.lastError === null)).toBe(true);
  });

  it('relays rows due in the next seconds ahead as delayed jobs that start at their due time', async () => {
    const dueAt = Date.now() + 1_500;
    await database.db.insert(jobs).values([
      ...Array.from({ length: 5 }, (_, n) => ({ kind: 'test.timely', payload: { n }, runAt: new Date(dueAt) })),
      // Far ahead: stays in PostgreSQL.
      { kind: 'test.timely', payload: { n: 99 }, runAt: new Date(dueAt + 60 * 60_000) },
    ]);
    const t = transport({ relayAheadMs: 5_000 });
    expect(await t.relayDue()).toBe(5);
    expect(await redis.zcard(`${prefix}:staylane:delayed`)).toBe(5);
    t.startWorker();
    const deadline = Date.now() + 10_000;
    while (startedAt.size < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(startedAt.size).toBe(5);
    for (const started of startedAt.values()) {
      // Never before its time (the claim refuses a row not yet due), and well within the 2 s a scheduled e-mail may be late.
      expect(started - dueAt).toBeGreaterThanOrEqual(0);
      expect(started - dueAt).toBeLessThan(500);
    }
    const far = await database.db.select().from(jobs).where(eq(jobs.state, 'pending'));
    expect(far.map((r) => r.payload)).toEqual([{ n: 99 }]);
  });

  it('starts a row enqueued due now within a relay tick', async () => {
    const t = transport({ relayEveryMs: 100 });
    t.startRelay();
    t.startWorker();
    const dueAt = Date.now();
    await database.db.insert(jobs).values({ kind: 'test.timely', payload: { n: 1 }, runAt: new Date(dueAt) });
    const deadline = Date.now() + 5_000;
    while (startedAt.size < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(startedAt.get(1)! - dueAt).toBeLessThan(500);
  });

  it('renews the lease of a long handler: the row is not requeued nor run by a second worker', async () => {
    let release!: () => void;
    holdLong = new Promise<void>((r) => (release = r));
    const started = new Promise<void>((r) => (markLongStarted = r));
    await database.db.insert(jobs).values({ kind: 'test.long', payload: {}, runAt: new Date(Date.now() - 1_000) });
    // A 300 ms lease renewed every 100 ms; the requeue would take any relayed row whose lease ran out.
    const options = { leaseMs: 300, renewEveryMs: 100, requeueAfterMs: 50, relayEveryMs: 50 };
    const a = transport(options);
    expect(await a.relayDue()).toBe(1);
    a.startWorker();
    await started;
    const b = transport(options);
    b.startRelay();
    b.startWorker();
    // Five leases long.
    for (let i = 0; i < 15; i++) {
      await new Promise((r) => setTimeout(r, 100));
      expect(await b.requeueStale()).toBe(0);
    }
    release();
    await allDone();
    expect(longRuns).toBe(1);
  });

  it('runs the row of a worker that died mid-job once its lease has passed', async () => {
    await database.db
      .insert(jobs)
      .values({ kind: 'test.count', payload: { n: 1 }, runAt: new Date(Date.now() - 1_000) });
    const t = transport({ leaseMs: 300, requeueAfterMs: 50 });
    expect(await t.relayDue()).toBe(1);
    // The dead worker: it claimed the row, then nothing (no run, no renewal).
    const [row] = await database.db.select().from(jobs);
    expect(await claimJobById(database.db, row!.id, new Date(), 300)).toBeDefined();
    await wipeQueue();
    expect(await t.requeueStale()).toBe(0);
    await new Promise((r) => setTimeout(r, 350));
    expect(await t.requeueStale()).toBe(1);
    expect(await t.relayDue()).toBe(1);
    t.startWorker();
    await allDone();
    expect(runs.get(1)).toBe(1);
    expect(await database.db.select({ attempts: jobs.attempts }).from(jobs)).toEqual([{ attempts: 2 }]);
  });

  it('notices within a second that Redis lost its data and relays every row again at once, whatever its age', async () => {
    await addRows(20);
    // Lost rows would otherwise be looked for only once relayed a minute ago.
    const t = transport({ lostAfterMs: 60_000, relayEveryMs: 100 });
    // The first look sets the marker (nothing relayed yet); while it stands, nothing is requeued.
    expect(await t.requeueIfWiped()).toBe(0);
    expect(await t.relayDue()).toBe(20);
    expect(await t.requeueIfWiped()).toBe(0);
    expect(await wipeQueue()).toBeGreaterThan(0);
    const wipedAt = Date.now();
    t.startRelay();
    t.startWorker();
    await allDone(10_000);
    expect(Date.now() - wipedAt).toBeLessThan(3_000);
    expect(runs.size).toBe(20);
    expect([...runs.values()].every((c) => c === 1)).toBe(true);
  });

  it('relays again, under a new queue job, a row whose queue job a worker took and died with (active in BullMQ)', async () => {
    await addRows(1);
    const t = transport({ lostAfterMs: 300 });
    expect(await t.relayDue()).toBe(1);
    // The dead worker: took the queue job, then died before claiming the row.
    const taker = new Worker(QUEUE_NAME, null, {
      connection: new Redis(redisUrl!, { maxRetriesPerRequest: null }),
      prefix,
    });
    const taken = await taker.getNextJob('dead-worker');
    expect(await taken.getState()).toBe('active');
    // Relayed just now: left alone.
    expect(await t.requeueLost()).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    expect(await t.requeueLost()).toBe(1);
    expect(await t.relayDue()).toBe(1);
    // Runs now, not when BullMQ's lock on the dead worker's job lapses (30 s).
    t.startWorker();
    await allDone(5_000);
    expect(runs.get(0)).toBe(1);
    expect(await taken.getState()).toBe('active');
    await taker.close(true);
  });

  it('finds a lost row behind a backlog of older rows still waiting in the queue', async () => {
    await addRows(1_200);
    const t = transport({ lostAfterMs: 0 });
    expect(await t.relayDue()).toBe(1_200);
    // The newest-relayed row's queue job is gone; every other one waits, older than it.
    const [lost] = await database.db.select().from(jobs).limit(1);
    await database.db
      .update(jobs)
      .set({ updatedAt: new Date(Date.now() + 500) })
      .where(eq(jobs.id, lost!.id));
    const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
    const [jobId] = (await queue.getRanges(['wait'], 0, -1)).filter((id) => id.startsWith(`${lost!.id}.`));
    expect(await queue.remove(jobId!)).toBe(1);
    expect(await t.requeueLost(new Date(Date.now() + 1_000))).toBe(1);
    const [row] = await database.db.select({ state: jobs.state }).from(jobs).where(eq(jobs.id, lost!.id));
    expect(row?.state).toBe('pending');
    await queue.close();
  });
});
