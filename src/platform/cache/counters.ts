import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { AppError } from '../errors.js';
import { redisLost, redisUnavailable } from './cache.js';

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

/** Milliseconds since the epoch: the app's clock, so that a test moving it moves the windows too. */
export type Now = () => number;

export function createMemoryCounters(maxKeys = 200_000, now: Now = Date.now): CounterStore {
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

// One script, so the read, the window's restart and the write are atomic across processes.
// The window's end is kept beside the count and judged by the caller's clock; Redis's own
// expiry only clears the key once the window is over.
const INCREMENT_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local by = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'count', 'reset_at')
local count = tonumber(state[1])
local resetAt = tonumber(state[2])
if not count or not resetAt or resetAt <= now then
  count = 0
  resetAt = now + window
end
count = count + by
redis.call('HSET', KEYS[1], 'count', count, 'reset_at', resetAt)
redis.call('PEXPIRE', KEYS[1], resetAt - now)
return {count, resetAt - now}
`;

interface CounterCommands {
  staylaneIncrementWindow(key: string, now: number, windowMs: number, by: number): Promise<[number, number]>;
}

export function createRedisCounters(redis: Redis, prefix: string, now: Now = Date.now): CounterStore {
  // `window:` rather than the `counter:` strings of before: the key now holds a hash.
  const k = (key: string) => `${prefix}window:${key}`;
  redis.defineCommand('staylaneIncrementWindow', { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
  const commands = redis as unknown as CounterCommands;
  return {
    async increment(key, windowMs, by = 1) {
      // Fail closed, at once: a limit that cannot count refuses (503) rather than waits or allows.
      if (redisLost(redis)) throw redisUnavailable();
      const [count, resetInMs] = await commands.staylaneIncrementWindow(k(key), now(), windowMs, by);
      return { count: Number(count), resetInMs: Number(resetInMs) };
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
