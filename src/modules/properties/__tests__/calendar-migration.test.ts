import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rowsOf } from '#test/helpers.js';
import { emptyDatabase, migrateUpTo } from '#test/migrations.js';
import type { Database } from '../../../platform/db/client.js';
import { pgErrorCode, violatedConstraint } from '../../../platform/errors.js';

// Host blocks lived in `property_blocks` until the calendar took them over: a database
// with blocks, migrated, keeps every block (same id, dates, note) as an active block range.

const LAST_BEFORE_CALENDAR = '0004_search_indexes';
let database: Database;

beforeAll(async () => {
  database = await emptyDatabase('calendar');
});
afterAll(async () => {
  await database.close();
});

it('moves every host block into the calendar, ids and all, and drops the old table', async () => {
  await migrateUpTo(database, LAST_BEFORE_CALENDAR);

  const [hostId, propertyId, first, second] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  await database.db.execute(sql`
    insert into users (id, email, password_hash, first_name, last_name, role)
    values (${hostId}, 'host@example.com', 'x', 'H', 'O', 'host')`);
  await database.db.execute(sql`
    insert into properties (id, host_id, title, property_type, address_line1, city, country, latitude, longitude,
                            timezone, currency, nightly_price, max_guests, status)
    values (${propertyId}, ${hostId}, 'A place', 'house', '1 Main St', 'Lisbon', 'PT', 38.7, -9.1,
            'Europe/Lisbon', 'EUR', 10000, 2, 'listed')`);
  await database.db.execute(sql`
    insert into property_blocks (id, property_id, start_date, end_date, note, created_at) values
      (${first}, ${propertyId}, '2030-01-01', '2030-01-05', 'Painting', '2029-06-01T10:00:00Z'),
      (${second}, ${propertyId}, '2030-01-05', '2030-01-09', null, '2029-06-02T10:00:00Z')`);

  await database.migrate();

  const moved = await rowsOf(
    database.db,
    sql`
    select id, property_id, kind, start_date::text as start, end_date::text as "end", note, ref_id,
           created_at = '2029-06-01T10:00:00Z' or created_at = '2029-06-02T10:00:00Z' as kept_created_at,
           released_at
    from property_calendar order by start_date`,
  );
  expect(moved).toEqual([
    {
      id: first,
      property_id: propertyId,
      kind: 'block',
      start: '2030-01-01',
      end: '2030-01-05',
      note: 'Painting',
      ref_id: null,
      kept_created_at: true,
      released_at: null,
    },
    {
      id: second,
      property_id: propertyId,
      kind: 'block',
      start: '2030-01-05',
      end: '2030-01-09',
      note: null,
      ref_id: null,
      kept_created_at: true,
      released_at: null,
    },
  ]);
  expect(await rowsOf(database.db, sql`select to_regclass('property_blocks') as t`)).toEqual([{ t: null }]);

  // The moved blocks are under the new constraint: a booking may not overlap them…
  let failure: unknown;
  try {
    await database.db.execute(sql`
      insert into property_calendar (property_id, kind, start_date, end_date, ref_id)
      values (${propertyId}, 'booking', '2030-01-08', '2030-01-10', ${randomUUID()})`);
  } catch (e) {
    failure = e;
  }
  expect(pgErrorCode(failure)).toBe('23P01');
  expect(violatedConstraint(failure)).toBe('property_calendar_no_overlap');
  // …unless released, and a released range never blocks.
  await database.db.execute(sql`update property_calendar set released_at = now() where id = ${second}`);
  await database.db.execute(sql`
    insert into property_calendar (property_id, kind, start_date, end_date, ref_id)
    values (${propertyId}, 'booking', '2030-01-08', '2030-01-10', ${randomUUID()})`);
});
