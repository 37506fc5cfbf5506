import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { bumpGeneration, cached, createMemoryCache, createRedisCache, type Cache } from '../cache.js';
import { createMemoryCounters, createRedisCounters, type CounterStore } from '../counters.js';

const redisUrl = process.env.TEST_REDIS_URL;
const redis = redisUrl ? new Redis(redisUrl) : undefined;
afterAll(() => redis?.disconnect());

const stores: [string, (limits?: Parameters<typeof createMemoryCache>[0]) => Cache][] = [
  ['in-process LRU', (limits) => createMemoryCache(limits)],
];
if (redis) stores.push(['Redis', (limits) => createRedisCache(redis, `test:${randomUUID()}:`, limits)]);

describe.each(stores)('%s cache', (_name, make) => {
  it('does not store a value over maxValueBytes', async () => {
    const cache = make({ maxValueBytes: 10_000 });
    await cache.set('small', 'x'.repeat(1_000), 60_000);
    await cache.set('large', 'x'.repeat(10_000), 60_000);
    expect(await cache.get('small')).toHaveLength(1_000);
    expect(await cache.get('large')).toBeUndefined();
  });

  it('setIfAbsent keeps the first value', async () => {
    const cache = make();
    expect(await cache.setIfAbsent('g', 'one', 60_000)).toBe('one');
    expect(await cache.setIfAbsent('g', 'two', 60_000)).toBe('one');
    expect(await cache.getMany(['g', 'missing'])).toEqual(['one', undefined]);
  });

  it('never serves a fill that read the source before an invalidation', async () => {
    const cache = make();
    let source = 'listed';
    let release!: () => void;
    let reading!: () => void;
    const readStarted = new Promise<void>((r) => (reading = r));
    const gate = new Promise<void>((r) => (release = r));
    let slow = true;
    const load = cached<[string], string>(
      { cache, name: 't', ttlMs: 60_000, key: (id) => `item:${id}`, generationKey: (id) => `item-gen:${id}` },
      async () => {
        const seen = source;
        if (slow) {
          slow = false;
          reading();
          await gate; // The write and its invalidation happen while this read is in flight.
        }
        return seen;
      },
    );
    const stale = load('a');
    await readStarted;
    source = 'unlisted';
    await bumpGeneration(cache, 'item-gen:a');
    release();
    expect(await stale).toBe('listed');
    expect(await load('a')).toBe('unlisted');
    expect(await load('a')).toBe('unlisted');
  });
});

describe('in-process LRU bounds', () => {
  it('holds at most maxBytes whatever the number of entries', async () => {
    const cache = createMemoryCache({ maxBytes: 1024 * 1024, maxEntries: 100_000 });
    const value = 'x'.repeat(5_000); // 10 KB as UTF-16
    for (let i = 0; i < 1_000; i++) await cache.set(`k${i}`, value, 60_000);
    const kept = (await cache.getMany(Array.from({ length: 1_000 }, (_, i) => `k${i}`))).filter(Boolean).length;
    expect(kept * 10_000).toBeLessThanOrEqual(1024 * 1024);
    expect(kept).toBeGreaterThan(50);
  });

  it('an evicted generation does not bring back entries of an older one', async () => {
    const cache = createMemoryCache({ maxEntries: 3 });
    let version = 1;
    const load = cached<[string], number>(
      { cache, name: 't', ttlMs: 60_000, key: (id) => `v:${id}`, generationKey: (id) => `g:${id}` },
      () => Promise.resolve(version),
    );
    expect(await load('a')).toBe(1);
    version = 2;
    await bumpGeneration(cache, 'g:a');
    await cache.del('g:a'); // as if evicted
    expect(await load('a')).toBe(2);
  });
});

const counterStores: [string, (now?: () => number) => CounterStore][] = [
  ['in-process', (now) => createMemoryCounters(1_000, now)],
];
if (redis) counterStores.push(['Redis', (now) => createRedisCounters(redis, `test:${randomUUID()}:`, now)]);

describe.each(counterStores)('%s counters', (_name, make) => {
  it('give parallel increments distinct totals and start again after the window', async () => {
    const counters = make();
    const totals = await Promise.all(Array.from({ length: 40 }, () => counters.increment('k', 200)));
    expect(totals.map((t) => t.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(totals.every((t) => t.resetInMs > 0 && t.resetInMs <= 200)).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
    expect((await counters.increment('k', 200, 5)).count).toBe(5);
    await counters.reset('k');
    expect((await counters.increment('k', 200)).count).toBe(1);
  });

  it('judge windows by the clock they are given, not by the wall', async () => {
    let now = Date.parse('2026-12-01T10:00:00.000Z');
    const counters = make(() => now);
    expect((await counters.increment('w', 120_000)).count).toBe(1);
    now += 119_000;
    expect(await counters.increment('w', 120_000)).toEqual({ count: 2, resetInMs: 1_000 });
    now += 1_000;
    expect((await counters.increment('w', 120_000)).count).toBe(1);
  });
});

describe.runIf(redisUrl)('Redis counters across processes', () => {
  it('share one count between clients of one Redis, each with its own connection', async () => {
    const prefix = `test:${randomUUID()}:`;
    const connections = [new Redis(redisUrl!), new Redis(redisUrl!), new Redis(redisUrl!)];
    try {
      const stores = connections.map((c) => createRedisCounters(c, prefix));
      const totals = await Promise.all(
        Array.from({ length: 30 }, (_, i) => stores[i % stores.length]!.increment('shared', 60_000)),
      );
      expect(totals.map((t) => t.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    } finally {
      for (const c of connections) c.disconnect();
    }
  });
});
