import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/helpers.js';
import { systemClock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import { createJobRegistry, createQueueTransport, defineJob, jobs, type QueueTransport } from '../index.js';

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
      kind: 'test.count',
      schema: z.object({ n: z.number() }),
      handle: async ({ n }) => {
        runs.set(n, (runs.get(n) ?? 0) + 1);
      },
    }),
  ]);
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
    const a = transport();
    expect(await a.relayDue()).toBe(30);
    expect(await a.relayDue()).toBe(0);
    // A relay that sends the same rows again (its commit lost): the queue keeps one job per row.
    await database.db.update(jobs).set({ state: 'pending' });
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
});
