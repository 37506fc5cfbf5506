import type { Redis } from 'ioredis';

/**
 * Who holds the open WebSockets, counted across API processes: per user and per client
 * address, a set of socket ids. `claim` adds a socket to a key unless the key already holds
 * `max`; `release` removes it when the socket closes.
 */
export interface SocketRegistry {
  claim(key: string, socketId: string, max: number): Promise<boolean>;
  release(key: string, socketId: string): Promise<void>;
  close(): void;
}

/** One process: plain sets. */
export function createMemorySocketRegistry(): SocketRegistry {
  const held = new Map<string, Set<string>>();
  return {
    claim(key, socketId, max) {
      let ids = held.get(key);
      if (!ids) held.set(key, (ids = new Set()));
      if (!ids.has(socketId) && ids.size >= max) return Promise.resolve(false);
      ids.add(socketId);
      return Promise.resolve(true);
    },
    release(key, socketId) {
      const ids = held.get(key);
      ids?.delete(socketId);
      if (ids?.size === 0) held.delete(key);
      return Promise.resolve();
    },
    close() {},
  };
}

/** How long a socket id outlives its process's last heartbeat. */
export const SOCKET_CLAIM_TTL_MS = 60_000;
const HEARTBEAT_MS = SOCKET_CLAIM_TTL_MS / 3;

// Atomic: drop what a crashed process left (no heartbeat for a TTL), then count and add.
const CLAIM = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 1 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

/**
 * Across processes: a sorted set per key holding socket ids scored by their last heartbeat.
 * Each process refreshes the scores of its own sockets every TTL/3, so the sockets of a
 * process that died without closing them age out of every count within a TTL.
 */
export function createRedisSocketRegistry(redis: Redis, prefix: string, now: () => number = Date.now): SocketRegistry {
  const k = (key: string) => `${prefix}sockets:${key}`;
  const mine = new Map<string, Set<string>>();
  const heartbeat = setInterval(() => {
    if (mine.size === 0) return;
    const t = now();
    const pipeline = redis.pipeline();
    for (const [key, ids] of mine) {
      for (const id of ids) pipeline.zadd(k(key), 'XX', t, id);
      pipeline.pexpire(k(key), SOCKET_CLAIM_TTL_MS);
    }
    // A missed beat is retried at the next one; the TTL allows for two.
    pipeline.exec().catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    async claim(key, socketId, max) {
      const t = now();
      const ok = await redis.eval(CLAIM, 1, k(key), t - SOCKET_CLAIM_TTL_MS, t, socketId, max, SOCKET_CLAIM_TTL_MS);
      if (ok !== 1) return false;
      let ids = mine.get(key);
      if (!ids) mine.set(key, (ids = new Set()));
      ids.add(socketId);
      return true;
    },
    async release(key, socketId) {
      const ids = mine.get(key);
      ids?.delete(socketId);
      if (ids?.size === 0) mine.delete(key);
      await redis.zrem(k(key), socketId);
    },
    close() {
      clearInterval(heartbeat);
    },
  };
}
