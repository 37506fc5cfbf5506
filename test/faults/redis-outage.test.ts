import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, PASSWORD, testEnv, uniqueEmail } from '#test/helpers.js';
import { startRedis, type Instance } from '#test/kit/instances.js';
import { call, startServerProcess, type Outcome, type ServerProcess } from '#test/kit/server-process.js';

/**
 * `staylane serve` (a real process) on PostgreSQL and a Redis of the test's own, which the
 * test stops for a few seconds. Reads go on (search uncached), the calls Redis counts
 * (sign-up, sign-in) answer 503 with Retry-After rather than 500, and everything is back
 * once Redis is.
 */
const enabled = Boolean(process.env.TEST_DATABASE_URL);

describe.skipIf(!enabled)('a Redis outage', () => {
  let redis: Instance;
  let server: ServerProcess;

  beforeAll(async () => {
    redis = await startRedis();
    server = await startServerProcess(
      testEnv({
        DATABASE_URL: await createTestDatabaseUrl(),
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: `test:${randomUUID()}:`,
        LOG_LEVEL: 'info',
      }),
    );
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await redis?.close();
  }, 60_000);

  const search = () => call(`${server.base}/v1/properties?city=Lisbon&guests=2`);
  const register = () =>
    call(`${server.base}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail('outage'), password: PASSWORD, firstName: 'Red', lastName: 'Is' }),
    });

  it('serves searches, answers 503 with Retry-After where Redis counts, and recovers by itself', async () => {
    expect((await search()).status).toBe(200);
    expect((await register()).status).toBe(201);

    await redis.stop();
    const reads: Outcome[] = [];
    const writes: Outcome[] = [];
    const until = Date.now() + 4_000;
    await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        while (Date.now() < until) (i % 2 === 0 ? reads : writes).push(await (i % 2 === 0 ? search() : register()));
      }),
    );
    await redis.start();

    const summary = (list: Outcome[]) => [...new Set(list.map((o) => o.status))].sort().join(',');
    console.log(
      `Redis down 4 s: searches ${summary(reads)} (${reads.length}), sign-ups ${summary(writes)} (${writes.length})`,
    );
    expect(server.child.exitCode, server.tail()).toBeNull();
    // Served at database speed, not after a wait on Redis each (two loops, 4 s).
    expect(reads.length).toBeGreaterThan(20);
    expect(reads.filter((o) => o.status !== 200)).toEqual([]);
    expect(writes.filter((o) => o.status !== 201 && o.status !== 503)).toEqual([]);
    expect(writes.filter((o) => o.status === 503 && o.retryAfter === null)).toEqual([]);

    // Back within seconds, with no restart.
    let back: Outcome | undefined;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(250)) {
      back = await register();
      if (back.status === 201) break;
    }
    expect(back?.status).toBe(201);
    expect((await search()).status).toBe(200);
  }, 60_000);
});
