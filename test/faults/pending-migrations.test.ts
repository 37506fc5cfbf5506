import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, testEnv } from '#test/helpers.js';
import { call, startServerProcess, type ServerProcess } from '#test/kit/server-process.js';

/**
 * `staylane serve` on a PostgreSQL database that lacks its newest migration (as during a
 * rolling deploy whose migration Job has not run yet): /readyz names what is missing, every
 * other request is 503 `migrations_pending` with Retry-After, and once the database is
 * migrated the server serves without a restart.
 */
const enabled = Boolean(process.env.TEST_DATABASE_URL);

describe.skipIf(!enabled)('a server on a database that lacks migrations', () => {
  let server: ServerProcess;
  let db: pg.Client;
  let newest: { hash: string; created_at: string };

  beforeAll(async () => {
    const url = await createTestDatabaseUrl();
    db = new pg.Client({ connectionString: url });
    await db.connect();
    // drizzle's record of the newest file goes: to the server, that migration is pending.
    const removed = await db.query<{ hash: string; created_at: string }>(
      `delete from drizzle.__drizzle_migrations
        where created_at = (select max(created_at) from drizzle.__drizzle_migrations)
        returning hash, created_at`,
    );
    newest = removed.rows[0]!;
    server = await startServerProcess(testEnv({ DATABASE_URL: url, LOG_LEVEL: 'info' }));
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await db?.end();
  });

  it('answers only its probes, names the pending migration, then serves once it is applied', async () => {
    const ready = await fetch(`${server.base}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as {
      status: string;
      checks: Record<string, string>;
      pendingMigrations: string[];
    };
    expect(body.status).toBe('unavailable');
    expect(body.checks.migrations).toBe('down');
    expect(body.pendingMigrations).toHaveLength(1);
    expect(body.pendingMigrations[0]).toMatch(/^\d{4}_/);
    expect((await call(`${server.base}/healthz`)).status).toBe(200);
    const refused = await fetch(`${server.base}/v1/properties`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ code: 'migrations_pending' });

    // The migration "runs" (its SQL is in already; its record comes back).
    await db.query('insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)', [
      newest.hash,
      newest.created_at,
    ]);
    let status = 0;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline && status !== 200; await sleep(250)) {
      status = (await call(`${server.base}/readyz`)).status;
    }
    expect(status, server.tail()).toBe(200);
    expect((await call(`${server.base}/v1/properties`)).status).toBe(200);
  }, 60_000);
});
