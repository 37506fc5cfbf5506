import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { AppError, UNAVAILABLE_RETRY_SECONDS } from '../errors.js';

/**
 * The one small key-value interface behind caching: Redis in production, an in-process
 * LRU in embedded mode. Values are strings; callers serialise. Both stores are bounded:
 * a value over `maxValueBytes` is not stored at all, and the LRU also holds at most
 * `maxBytes` in total, whatever the number of entries. Security counters live elsewhere
 * (counters.ts): nothing written here can evict them.
 */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  /** Several keys in one round trip, in order. */
  getMany(keys: string[]): Promise<(string | undefined)[]>;
  /** Stores the value unless it is larger than the store's per-value limit. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores the value only if the key is absent; returns the value the key now holds. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<string>;
  del(...keys: string[]): Promise<void>;
}

export interface CacheLimits {
  /** Entries at most (LRU only). */
  maxEntries?: number;
  /** Bytes at most across all entries (LRU only), counting keys and values as UTF-16. */
  maxBytes?: number;
  /** A larger value is not cached (a page of long listings is fetched again instead). */
  maxValueBytes?: number;
}

export const CACHE_DEFAULTS = { maxEntries: 50_000, maxBytes: 64 * 1024 * 1024, maxValueBytes: 256 * 1024 } as const;

const sizeOf = (key: string, value: string) => 2 * (key.length + value.length);

export function createMemoryCache(limits: CacheLimits = {}): Cache {
  const { maxEntries, maxBytes, maxValueBytes } = { ...CACHE_DEFAULTS, ...limits };
  const lru = new LRUCache<string, string>({
    max: maxEntries,
    maxSize: maxBytes,
    maxEntrySize: maxValueBytes,
    sizeCalculation: (value, key) => sizeOf(key, value),
  });
  const cache: Cache = {
    get: (key) => Promise.resolve(lru.get(key)),
    getMany: (keys) => Promise.resolve(keys.map((k) => lru.get(k))),
    set(key, value, ttlMs) {
      // lru-cache refuses an entry over maxEntrySize by evicting the key's old value: same as "not cached".
      lru.set(key, value, { ttl: ttlMs });
      return Promise.resolve();
    },
    setIfAbsent(key, value, ttlMs) {
      const current = lru.get(key);
      if (current !== undefined) return Promise.resolve(current);
      lru.set(key, value, { ttl: ttlMs });
      return Promise.resolve(value);
    },
    del(...keys) {
      for (const key of keys) lru.delete(key);
      return Promise.resolve();
    },
  };
  return cache;
}

/**
 * Redis has been lost and not yet regained. A command now would wait in ioredis' offline
 * queue for reconnection attempts; callers fail at once instead (a cache miss, a 503).
 * The first connection ('connecting' at start-up) still waits, as commands always have.
 */
export function redisLost(redis: Redis): boolean {
  return redis.status === 'reconnecting' || redis.status === 'close' || redis.status === 'end';
}

/** What a call that needs Redis answers while it is lost: 503, retry shortly. */
export const redisUnavailable = () =>
  new AppError('unavailable', 'unavailable', 'A dependency is unavailable; try again shortly.', {
    retryAfter: UNAVAILABLE_RETRY_SECONDS,
  });

export function createRedisCache(redis: Redis, prefix = 'staylane:', limits: CacheLimits = {}): Cache {
  const maxValueBytes = limits.maxValueBytes ?? CACHE_DEFAULTS.maxValueBytes;
  const k = (key: string) => prefix + key;
  const connected = () => {
    if (redisLost(redis)) throw redisUnavailable();
    return redis;
  };
  return {
    async get(key) {
      return (await connected().get(k(key))) ?? undefined;
    },
    async getMany(keys) {
      if (keys.length === 0) return [];
      return (await connected().mget(...keys.map(k))).map((v) => v ?? undefined);
    },
    async set(key, value, ttlMs) {
      if (sizeOf(key, value) > maxValueBytes) return;
      await connected().set(k(key), value, 'PX', ttlMs);
    },
    async setIfAbsent(key, value, ttlMs) {
      // SET … NX GET: one command that stores only when absent and returns what was there.
      const previous = await connected().set(k(key), value, 'PX', ttlMs, 'NX', 'GET');
      return previous ?? value;
    },
    async del(...keys) {
      if (keys.length > 0) await connected().del(...keys.map(k));
    },
  };
}

const GENERATION_TTL_MS = 24 * 3600_000;

/**
 * Ends every entry filled under the current generation of `key` (see `cached`'s
 * `generationKey`). Call it after the change is committed.
 */
export async function bumpGeneration(cache: Cache, key: string): Promise<void> {
  await cache.set(key, randomUUID(), GENERATION_TTL_MS);
}

/**
 * The current generation of `key`, creating a fresh random one when there is none (never a
 * fixed default: an evicted generation must not bring back entries of an old one).
 */
export async function currentGeneration(cache: Cache, key: string, known?: string): Promise<string> {
  return known ?? (await cache.setIfAbsent(key, randomUUID(), GENERATION_TTL_MS));
}

export interface CachedOptions<A extends unknown[]> {
  cache: Cache;
  /** Names the cache in metrics. */
  name: string;
  ttlMs: number;
  /** The cache key of a call, or undefined to bypass the cache for it. */
  key: (...args: A) => string | undefined | Promise<string | undefined>;
  /**
   * The generation an entry belongs to. An entry is served only while its generation is
   * current, so a fill that read the database before an invalidation (and writes after
   * it) can never be served: invalidating is `bumpGeneration`, not a delete.
   */
  generationKey?: (...args: A) => string;
  onLookup?: (name: string, hit: boolean) => void;
}

interface Stamped<R> {
  g: string;
  v: R;
}

/**
 * Wraps an async function returning JSON-serialisable values with a read-through cache.
 * `undefined` results are not cached; a cache failure falls back to the function.
 */
export function cached<A extends unknown[], R>(options: CachedOptions<A>, fn: (...args: A) => Promise<R | undefined>) {
  const { cache, name, ttlMs, onLookup, generationKey } = options;
  const miss = (): [undefined, undefined] => [undefined, undefined];

  return async (...args: A): Promise<R | undefined> => {
    const key = await options.key(...args);
    if (key === undefined) return fn(...args);

    if (!generationKey) {
      const hit = await cache.get(key).catch(() => undefined);
      onLookup?.(name, hit !== undefined);
      if (hit !== undefined) return JSON.parse(hit) as R;
      const value = await fn(...args);
      if (value !== undefined) await cache.set(key, JSON.stringify(value), ttlMs).catch(() => undefined);
      return value;
    }

    const genKey = generationKey(...args);
    const [gen, raw] = await cache.getMany([genKey, key]).catch(miss);
    const entry = raw === undefined ? undefined : (JSON.parse(raw) as Stamped<R>);
    const current = await currentGeneration(cache, genKey, gen).catch(() => undefined);
    const hit = entry !== undefined && current !== undefined && entry.g === current;
    onLookup?.(name, hit);
    if (hit) return entry.v;
    const value = await fn(...args);
    if (value !== undefined && current !== undefined) {
      const stamped: Stamped<R> = { g: current, v: value };
      await cache.set(key, JSON.stringify(stamped), ttlMs).catch(() => undefined);
    }
    return value;
  };
}
