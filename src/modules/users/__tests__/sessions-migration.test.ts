import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rowsOf } from '#test/helpers.js';
import { emptyDatabase, migrateUpTo } from '#test/migrations.js';
import type { Database } from '../../../platform/db/client.js';

// Refresh tokens were issued before sessions existed: each family becomes a session, live
// when it still has a token that can be used, so that signed-in clients stay signed in.

const LAST_BEFORE_SESSIONS = '0018_search_indexes';
let database: Database;

beforeAll(async () => {
  database = await emptyDatabase('sessions');
});
afterAll(async () => {
  await database.close();
});

it('makes a session of every refresh-token family, ended when no token of it is usable', async () => {
  await migrateUpTo(database, LAST_BEFORE_SESSIONS);
  const userId = randomUUID();
  const [live, ended] = [randomUUID(), randomUUID()];
  await database.db.execute(sql`
    insert into users (id, email, password_hash, first_name, last_name)
    values (${userId}, ${`old-${userId}@example.com`}, 'x', 'Old', 'Client')`);
  const token = (family: string, created: string, rotated: string | null, revoked: string | null) =>
    sql`(${userId}, ${family}, ${randomUUID()}, ${created}::timestamptz, ${created}::timestamptz + interval '30 days',
      ${rotated}::timestamptz, ${revoked}::timestamptz)`;
  await database.db.execute(sql`
    insert into refresh_tokens (user_id, family_id, token_hash, created_at, expires_at, rotated_at, revoked_at) values
      ${token(live, '2026-11-01T10:00:00Z', '2026-11-02T10:00:00Z', null)},
      ${token(live, '2026-11-02T10:00:00Z', null, null)},
      ${token(ended, '2026-11-03T10:00:00Z', '2026-11-04T10:00:00Z', null)},
      ${token(ended, '2026-11-04T10:00:00Z', null, '2026-11-05T10:00:00Z')}`);

  await database.migrate();

  const sessions = await rowsOf<Record<string, unknown>>(
    database.db,
    sql`select id, user_id, created_at, last_used_at, expires_at, revoked_at from sessions order by created_at`,
  );
  // Both drivers, whatever they return for a timestamptz, compared as instants.
  const at = (v: unknown) => (v === null ? null : new Date(v as string).toISOString());
  expect(
    sessions.map((s) => ({
      ...s,
      created_at: at(s.created_at),
      last_used_at: at(s.last_used_at),
      expires_at: at(s.expires_at),
      revoked_at: at(s.revoked_at),
    })),
  ).toEqual([
    {
      id: live,
      user_id: userId,
      created_at: '2026-11-01T10:00:00.000Z',
      last_used_at: '2026-11-02T10:00:00.000Z',
      expires_at: '2026-12-02T10:00:00.000Z',
      revoked_at: null,
    },
    {
      id: ended,
      user_id: userId,
      created_at: '2026-11-03T10:00:00.000Z',
      last_used_at: '2026-11-04T10:00:00.000Z',
      expires_at: '2026-12-04T10:00:00.000Z',
      revoked_at: '2026-11-05T10:00:00.000Z',
    },
  ]);
  // The family is now bound to its session: a token of an unknown family is refused.
  await expect(
    database.db.execute(sql`
      insert into refresh_tokens (user_id, family_id, token_hash, expires_at)
      values (${userId}, ${randomUUID()}, ${randomUUID()}, now())`),
  ).rejects.toThrow();
});
