import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bookingsConstraints } from '../src/modules/bookings/index.js';
import { messagesConstraints } from '../src/modules/messages/index.js';
import { propertiesConstraints } from '../src/modules/properties/index.js';
import { reviewsConstraints } from '../src/modules/reviews/index.js';
import { usersConstraints } from '../src/modules/users/index.js';
import type { Database } from '../src/platform/db/client.js';
import { createTestDatabase } from './helpers.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

// A renamed constraint would silently stop mapping to its domain error (a 500 instead of
// a 409): every name a module maps must exist in the migrated schema.
it.each([
  ['users', usersConstraints],
  ['properties', propertiesConstraints],
  ['bookings', bookingsConstraints],
  ['messages', messagesConstraints],
  ['reviews', reviewsConstraints],
])('every constraint %s maps exists in the database', async (_module, map) => {
  const result: unknown = await database.db.execute(
    // A unique index reports its own name as the violated constraint: indexes count too.
    sql`select conname from pg_constraint where connamespace = 'public'::regnamespace
        union all select indexname from pg_indexes where schemaname = 'public'`,
  );
  const names = (result as { rows: { conname: string }[] }).rows.map((r) => r.conname);
  expect(Object.keys(map).length).toBeGreaterThan(0);
  expect(names).toEqual(expect.arrayContaining(Object.keys(map)));
});
