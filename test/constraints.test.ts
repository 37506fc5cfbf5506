import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AnyModule } from '../src/module.js';
import { MODULES } from '../src/modules/index.js';
import type { Database } from '../src/platform/db/client.js';
import { createTestDatabase } from './helpers.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const modules: readonly AnyModule[] = MODULES;
const withTables = modules.filter((m) => Object.keys(m.tables).length > 0);

it('every module with tables declares its constraint map (`{}` when it maps none)', () => {
  expect(withTables.filter((m) => m.constraints === undefined).map((m) => m.name)).toEqual([]);
});

// A renamed constraint would silently stop mapping to its domain error (a 500 instead of
// a 409): every name a module maps must exist in the migrated schema.
it.each(withTables.map((m) => [m.name, m] as const))(
  'every constraint %s maps exists in the database',
  async (_name, module) => {
    const result: unknown = await database.db.execute(
      // A unique index reports its own name as the violated constraint: indexes count too.
      sql`select conname from pg_constraint where connamespace = 'public'::regnamespace
        union all select indexname from pg_indexes where schemaname = 'public'`,
    );
    const names = (result as { rows: { conname: string }[] }).rows.map((r) => r.conname);
    expect(module.constraints, `${module.name} declares no constraints`).toBeDefined();
    expect(names).toEqual(expect.arrayContaining(Object.keys(module.constraints ?? {})));
  },
);
