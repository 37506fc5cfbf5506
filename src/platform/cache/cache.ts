import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/**
 * The one small key-value interface behind caching and counters: Redis in production,
 * an in-process LRU in embedded mode. Values are strings; callers serialise.
 */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Increments a counter that expires `windowMs` after its first increment; returns the new count. */
  increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
}

export function createMemoryCache(maxEntries = 50_000): Cache {
  const lru = new LRUCache<string, string>({ max: maxEntries });
  return {
    get: (key) => Promise.resolve(lru.get(key)),
    set(key, value, ttlMs) {
      lru.set(key, value, { ttl: ttlMs });
      return Promise.resolve();
    },
    del(...keys) {
      for (const key of keys) lru.delete(key);
      return Promise.resolve();
    },
    increment(key, windowMs) {
      const current = lru.get(key);
      const remaining = current === undefined ? 0 : lru.getRemainingTTL(key);
      const count = remaining > 0 ? Number(current) + 1 : 1;
      const ttl = remaining > 0 ? remaining : windowMs;
      lru.set(key, String(count), { ttl });
      return Promise.resolve({ count, resetInMs: ttl });
    },
  };
}

export function createRedisCache(redis: Redis, prefix = 'staylane:'): Cache {
  const k = (key: string) => prefix + key;
  return {
    async get(key) {
      return (await redis.get(k(key))) ?? undefined;
    },
    async set(key, value, ttlMs) {
      await redis.set(k(key), value, 'PX', ttlMs);
    },
    async del(...keys) {
      if (keys.length > 0) await redis.del(...keys.map(k));
    },
    async increment(key, windowMs) {
      // INCR then set the expiry only on a fresh key, atomically with the read of the TTL.
      const result = await redis.multi().incr(k(key)).pexpire(k(key), windowMs, 'NX').pttl(k(key)).exec();
      const count = Number(result?.[0]?.[1] ?? 0);
      const ttl = Number(result?.[2]?.[1] ?? windowMs);
      return { count, resetInMs: ttl > 0 ? ttl : windowMs };
    },
  };
}

export interface CachedOptions<A extends unknown[]> {
  cache: Cache;
  /** Names the cache in metrics. */
  name: string;
  ttlMs: number;
  /** The cache key of a call, or undefined to bypass the cache for it. */
  key: (...args: A) => string | undefined | Promise<string | undefined>;
  onLookup?: (name: string, hit: boolean) => void;
}

/**
 * Wraps an async function returning JSON-serialisable values with a read-through cache.
 * `undefined` results are not cached; a cache failure falls back to the function.
 */
export function cached<A extends unknown[], R>(options: CachedOptions<A>, fn: (...args: A) => Promise<R | undefined>) {
  const { cache, name, ttlMs, onLookup } = options;
  return async (...args: A): Promise<R | undefined> => {
    const key = await options.key(...args);
    if (key === undefined) return fn(...args);
    const hit = await cache.get(key).catch(() => undefined);
    onLookup?.(name, hit !== undefined);
    if (hit !== undefined) return JSON.parse(hit) as R;
    const value = await fn(...args);
    if (value !== undefined) await cache.set(key, JSON.stringify(value), ttlMs).catch(() => undefined);
    return value;
  };
}
