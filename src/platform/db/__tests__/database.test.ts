import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../composition/app.js';
import { loadConfig } from '../../../composition/config.js';
import { createContainer } from '../../../composition/container.js';
import { createTestDatabase, PASSWORD, testEnv, uniqueEmail } from '#test/helpers.js';
import type { Database } from '../client.js';

// The raw result differs by driver; both carry `rows`.
async function rowsOf(database: Database, query: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> {
  const result: unknown = await database.db.execute(query);
  return (result as { rows: Record<string, unknown>[] }).rows;
}

describe('migrations', () => {
  const opened: Database[] = [];
  afterAll(async () => {
    for (const d of opened) await d.close();
  });

  it('running them again is a no-op', async () => {
    const database = await createTestDatabase();
    opened.push(database);
    const before = await rowsOf(database, sql`select hash, created_at from drizzle.__drizzle_migrations order by id`);
    const tables = sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`;
    const tablesBefore = await rowsOf(database, tables);
    await database.migrate();
    await database.migrate();
    expect(await rowsOf(database, sql`select hash, created_at from drizzle.__drizzle_migrations order by id`)).toEqual(
      before,
    );
    expect(await rowsOf(database, tables)).toEqual(tablesBefore);
    expect(tablesBefore.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['users', 'refresh_tokens', 'audit_log']),
    );
    const extensions = await rowsOf(database, sql`select extname from pg_extension order by 1`);
    expect(extensions.map((r) => r.extname)).toEqual(
      expect.arrayContaining(['btree_gin', 'btree_gist', 'citext', 'pg_trgm']),
    );
  });
});

describe('embedded mode', () => {
  it('keeps data across a restart of the same data directory', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-embedded-'));
    try {
      // No JWT_SECRET: the generated one must survive the restart too.
      const env = { ...testEnv({ DATA_DIR: dataDir }), JWT_SECRET: '', REDIS_URL: '' };
      const email = uniqueEmail('persist');

      const first = await createContainer(loadConfig(env));
      await first.database.migrate();
      const app1 = await buildApp(first, { logger: false });
      const reg = await app1.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: { email, password: PASSWORD, firstName: 'P', lastName: 'Q' },
      });
      expect(reg.statusCode).toBe(201);
      const { accessToken } = reg.json<{ accessToken: string }>();
      await app1.close();
      await first.close();

      const second = await createContainer(loadConfig(env));
      await second.database.migrate();
      const app2 = await buildApp(second, { logger: false });
      const login = await app2.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email, password: PASSWORD },
      });
      expect(login.statusCode).toBe(200);
      const me = await app2.inject({ url: '/v1/me', headers: { authorization: `Bearer ${accessToken}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json<{ email: string }>().email).toBe(email);
      await app2.close();
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
