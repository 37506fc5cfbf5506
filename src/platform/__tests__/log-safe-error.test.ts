import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '#test/helpers.js';
import { loggerOptions } from '../../composition/app.js';
import type { Database } from '../db/client.js';
import { logSafeError } from '../log-safe-error.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const SECRET = 'tok_live_5f0c1e-secret';

/** A real failed statement: Drizzle's wrapper (SQL and parameters in its message and stack) around the driver's error. */
async function failedQuery(): Promise<Error> {
  try {
    await database.db.execute(sql`select ${SECRET}::int as n`);
  } catch (e) {
    return e as Error;
  }
  throw new Error('the statement should have failed');
}

it('keeps the SQLSTATE and stack frames of a failed statement, never its SQL, parameters or values', async () => {
  const err = await failedQuery();
  expect(`${err.message}${err.stack}`).toContain(SECRET); // what would have been logged
  const logged = logSafeError(err);
  const text = JSON.stringify(logged);
  expect(text).not.toContain(SECRET);
  expect(text.toLowerCase()).not.toContain('select');
  expect(logged).toMatchObject({ message: 'database statement failed', sqlState: '22P02' });
  expect(logged.stack).toMatch(/^ {4}at /);
});

it('is the logger’s serializer for err: a request log line carries no SQL', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const options = loggerOptions('error') as pino.LoggerOptions;
  const log = pino(options, stream);
  log.error({ err: await failedQuery() }, 'request failed');
  log.error({ err: new Error('plain failure', { cause: new Error('root cause') }) }, 'other');
  expect(lines).toHaveLength(2);
  expect(lines[0]).not.toContain(SECRET);
  expect(JSON.parse(lines[0]!)).toMatchObject({ err: { sqlState: '22P02', message: 'database statement failed' } });
  // Errors that are not the database's keep their message and cause.
  expect(JSON.parse(lines[1]!)).toMatchObject({ err: { message: 'plain failure', cause: { message: 'root cause' } } });
});
