import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '#test/helpers.js';
import type { Database } from '../client.js';
import { withTransaction } from '../transaction.js';
import type { Db } from '../types.js';

let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await db.execute(sql`create table tx_probe (label text not null)`);
});
afterAll(() => database.close());
beforeEach(async () => {
  await db.execute(sql`delete from tx_probe`);
});

const insert = (tx: Db, label: string) => tx.execute(sql`insert into tx_probe (label) values (${label})`);
// Read through the database handle, never the transaction: on PostgreSQL another
// connection sees only committed rows; PGlite runs it only once no transaction is open.
const committed = async () => {
  const result: unknown = await db.execute(sql`select label from tx_probe order by label`);
  return (result as { rows: { label: string }[] }).rows.map((r) => r.label);
};

describe('withTransaction', () => {
  it('runs afterCommit hooks once the commit is done, in the order registered', async () => {
    const log: string[] = [];
    const result = await withTransaction(db, async (tx, { afterCommit }) => {
      await insert(tx, 'a');
      afterCommit(async () => log.push(`first sees ${(await committed()).join(',')}`));
      afterCommit(() => log.push('second'));
      log.push('work done');
      return 42;
    });
    expect(result).toBe(42);
    expect(log).toEqual(['work done', 'first sees a', 'second']);
  });

  it('never runs them when the transaction rolls back', async () => {
    const log: string[] = [];
    await expect(
      withTransaction(db, async (tx, { afterCommit }) => {
        await insert(tx, 'a');
        afterCommit(() => log.push('hook'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(log).toEqual([]);
    expect(await committed()).toEqual([]);
  });

  it('a nested call joins the outer transaction: same handle, hooks after the outer commit', async () => {
    const log: string[] = [];
    await withTransaction(db, async (outer, { afterCommit }) => {
      afterCommit(() => log.push('outer hook'));
      await withTransaction(outer, async (inner, scope) => {
        expect(inner).toBe(outer);
        await insert(inner, 'inner');
        scope.afterCommit(() => log.push('inner hook'));
      });
      log.push('inner returned');
    });
    expect(log).toEqual(['inner returned', 'outer hook', 'inner hook']);
    expect(await committed()).toEqual(['inner']);
  });

  it('a nested call’s writes and hooks go when the outer transaction rolls back', async () => {
    const log: string[] = [];
    await expect(
      withTransaction(db, async (outer) => {
        await withTransaction(outer, async (inner, { afterCommit }) => {
          await insert(inner, 'inner');
          afterCommit(() => log.push('inner hook'));
        });
        throw new Error('outer failed');
      }),
    ).rejects.toThrow('outer failed');
    expect(log).toEqual([]);
    expect(await committed()).toEqual([]);
  });

  it('a failing hook leaves the commit in place, the later hooks run, and the caller gets the error', async () => {
    const log: string[] = [];
    await expect(
      withTransaction(db, async (tx, { afterCommit }) => {
        await insert(tx, 'kept');
        afterCommit(() => {
          throw new Error('cache down');
        });
        afterCommit(() => log.push('later hook'));
      }),
    ).rejects.toThrow('cache down');
    expect(log).toEqual(['later hook']);
    expect(await committed()).toEqual(['kept']);

    const both = withTransaction(db, async (_tx, { afterCommit }) => {
      afterCommit(() => Promise.reject(new Error('one')));
      afterCommit(() => Promise.reject(new Error('two')));
    });
    await expect(both).rejects.toMatchObject({ errors: [new Error('one'), new Error('two')], cause: new Error('one') });
  });

  it('refuses a transaction it did not open, and hooks once the transaction is over', async () => {
    await expect(db.transaction((tx) => withTransaction(tx as Db, () => Promise.resolve()))).rejects.toThrow(
      /open the transaction with withTransaction/,
    );
    let leaked: { tx: Db; afterCommit: (hook: () => void) => void } | undefined;
    await withTransaction(db, (tx, { afterCommit }) => {
      leaked = { tx, afterCommit };
      return Promise.resolve();
    });
    expect(() => leaked!.afterCommit(() => undefined)).toThrow(/already ended/);
    await expect(withTransaction(leaked!.tx, () => Promise.resolve())).rejects.toThrow(/already ended/);
  });
});
