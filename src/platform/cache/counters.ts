import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { AppError } from '../errors.js';

/**
 * Fixed-window counters for security decisions (login lock-out, auth and GraphQL cost
 * limits). They never share a store with cached data, so no amount of ordinary traffic
 * can evict a counter and unlock an account: Redis under its own key prefix when
 * configured (run Redis with `maxmemory-policy noeviction`), else an in-process map of
 * its own, bounded in keys and written only by the limited routes themselves.
 */
export interface CounterStore {
  /**
   * Adds `by` to the counter of `key` and returns the new total; the counter starts at
   * zero again `windowMs` after its first increment. Atomic: parallel calls see distinct totals.
   */
  increment(key: string, windowMs: number, by?: number): Promise<{ count: number; resetInMs: number }>;
  reset(key: string): Promise<void>;
}

interface Window {
  count: number;
  resetAt: number;
}

export function createMemoryCounters(maxKeys = 200_000, now: () => number = Date.now): CounterStore {
  const windows = new LRUCache<string, Window>({ max: maxKeys });
  return {
    increment(key, windowMs, by = 1) {
      const t = now();
      let w = windows.get(key);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(key, w, { ttl: windowMs });
      }
      w.count += by;
      return Promise.resolve({ count: w.count, resetInMs: w.resetAt - t });
    },
    reset(key) {
      windows.delete(key);
      return Promise.resolve();
    },
  };
}

export function createRedisCounters(redis: Redis, prefix: string): CounterStore {
  const k = (key: string) => `${prefix}counter:${key}`;
  return {
    async increment(key, windowMs, by = 1) {
      // One transaction: the expiry is set only on a fresh key, and read back with the count.
      const result = await redis.multi().incrby(k(key), by).pexpire(k(key), windowMs, 'NX').pttl(k(key)).exec();
      if (!result || result.some(([err]) => err)) throw new Error('counter increment failed');
      const count = Number(result[0]![1]);
      const ttl = Number(result[2]![1]);
      return { count, resetInMs: ttl > 0 ? ttl : windowMs };
    },
    async reset(key) {
      await redis.del(k(key));
    },
  };
}

export interface Limit {
  max: number;
  windowMs: number;
  /** The error past the limit, given the seconds until the window ends (default `rateLimited`). */
  exceeded?: (retryAfterSeconds: number) => AppError;
}

/**
 * Counts `by` against `limit` under `key` and returns the new total; past the limit, throws
 * the limit's error (rate_limited by default) with `retryAfter` set to when the window
 * ends. Counting first makes the check atomic: parallel calls cannot all slip under it.
 */
export async function consumeLimit(counters: CounterStore, key: string, limit: Limit, by = 1): Promise<number> {
  const { count, resetInMs } = await counters.increment(key, limit.windowMs, by);
  if (count > limit.max) throw (limit.exceeded ?? rateLimited)(Math.ceil(resetInMs / 1000));
  return count;
}

export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 'rate_limited', `Too many requests; retry in ${retryAfterSeconds} seconds.`, {
    retryAfter: retryAfterSeconds,
  });
