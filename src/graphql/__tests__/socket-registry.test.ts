import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createMemorySocketRegistry,
  createRedisSocketRegistry,
  SOCKET_CLAIM_TTL_MS,
  type SocketRegistry,
} from '../socket-registry.js';

/**
 * The counts behind the socket bounds. With TEST_REDIS_URL, two registries on one Redis
 * stand for two API processes: a socket held by one counts in the other, and the sockets
 * of a process that stopped beating age out. Without it, the in-process registry.
 */

const redisUrl = process.env.TEST_REDIS_URL;
const redis = redisUrl ? new Redis(redisUrl) : undefined;
const opened: SocketRegistry[] = [];
afterAll(() => {
  for (const r of opened) r.close();
  redis?.disconnect();
});

function pair(now?: () => number): [SocketRegistry, SocketRegistry] {
  if (!redis) {
    const one = createMemorySocketRegistry();
    return [one, one];
  }
  const prefix = `test:${randomUUID()}:`;
  const made: [SocketRegistry, SocketRegistry] = [
    createRedisSocketRegistry(redis, prefix, now),
    createRedisSocketRegistry(redis, prefix, now),
  ];
  opened.push(...made);
  return made;
}

describe(`socket registry (${redis ? 'Redis, two processes' : 'in-process'})`, () => {
  it('refuses a claim past the bound wherever the sockets are held, and frees a place on release', async () => {
    const [a, b] = pair();
    expect(await a.claim('user:u', 's1', 2)).toBe(true);
    expect(await b.claim('user:u', 's2', 2)).toBe(true);
    expect(await b.claim('user:u', 's3', 2)).toBe(false);
    expect(await a.claim('user:u', 's3', 2)).toBe(false);
    // Claiming again what one holds is not a new socket.
    expect(await a.claim('user:u', 's1', 2)).toBe(true);
    await a.release('user:u', 's1');
    expect(await b.claim('user:u', 's3', 2)).toBe(true);
    // Other keys are counted apart.
    expect(await a.claim('user:v', 's4', 2)).toBe(true);
  });

  it('counts claims made at once exactly', async () => {
    const [a, b] = pair();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).claim('addr:1.2.3.4', `s${i}`, 30)),
    );
    expect(results.filter(Boolean)).toHaveLength(30);
  });

  if (redis) {
    it('lets the sockets of a process that stopped beating age out', async () => {
      let t = Date.now();
      const [a, b] = pair(() => t);
      expect(await a.claim('user:w', 's1', 1)).toBe(true);
      expect(await b.claim('user:w', 's2', 1)).toBe(false);
      t += SOCKET_CLAIM_TTL_MS + 1;
      expect(await b.claim('user:w', 's2', 1)).toBe(true);
    });
  }
});
