import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '#test/helpers.js';
import { AppError, mapConstraintError, violatedConstraint } from '../../errors.js';
import type { Database } from '../client.js';

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`
    create table constraint_probe (
      code text constraint constraint_probe_code_key unique,
      starts date not null,
      ends date not null,
      constraint constraint_probe_range_check check (starts < ends),
      constraint constraint_probe_no_overlap exclude using gist (daterange(starts, ends, '[)') with &&)
    )`);
  await database.db.execute(sql`insert into constraint_probe values ('a', '2030-01-01', '2030-01-05')`);
});
afterAll(() => database.close());

/** The error a statement fails with, as the driver and Drizzle hand it over. */
async function failureOf(statement: ReturnType<typeof sql>): Promise<unknown> {
  try {
    await database.db.execute(statement);
  } catch (e) {
    return e;
  }
  throw new Error('the statement did not fail');
}

const taken = () => new AppError('conflict', 'code_taken', 'Taken.');
const overlap = () => new AppError('conflict', 'dates_unavailable', 'Overlap.');
const map = { constraint_probe_code_key: taken, constraint_probe_no_overlap: overlap };

describe('mapConstraintError', () => {
  it('reads the violated constraint’s name through Drizzle’s wrapper: unique, exclusion, check', async () => {
    const duplicate = await failureOf(sql`insert into constraint_probe values ('a', '2031-01-01', '2031-01-02')`);
    const overlapping = await failureOf(sql`insert into constraint_probe values ('b', '2030-01-04', '2030-01-06')`);
    const backwards = await failureOf(sql`insert into constraint_probe values ('c', '2032-01-02', '2032-01-01')`);
    expect(violatedConstraint(duplicate)).toBe('constraint_probe_code_key');
    expect(violatedConstraint(overlapping)).toBe('constraint_probe_no_overlap');
    expect(violatedConstraint(backwards)).toBe('constraint_probe_range_check');

    expect(mapConstraintError(duplicate, map)).toMatchObject({ kind: 'conflict', code: 'code_taken' });
    expect(mapConstraintError(overlapping, map)).toMatchObject({ kind: 'conflict', code: 'dates_unavailable' });
  });

  it('hands back any other failure unchanged', async () => {
    const backwards = await failureOf(sql`insert into constraint_probe values ('c', '2032-01-02', '2032-01-01')`);
    expect(mapConstraintError(backwards, map)).toBe(backwards);
    const notAConstraint = await failureOf(sql`select 1 / 0`);
    expect(violatedConstraint(notAConstraint)).toBeUndefined();
    expect(mapConstraintError(notAConstraint, map)).toBe(notAConstraint);
    const plain = new Error('constraint_probe_code_key');
    expect(mapConstraintError(plain, map)).toBe(plain);
    // A name that happens to be an Object.prototype key is no mapping.
    expect(mapConstraintError({ code: '23505', constraint: 'constructor' }, map)).toEqual({
      code: '23505',
      constraint: 'constructor',
    });
  });
});
