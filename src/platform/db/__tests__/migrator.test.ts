import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as drizzleMigratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as drizzleMigratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '#test/global-setup.js';
import { migrationsFolder, openDatabase } from '../client.js';
import {
  applyMigrations,
  concurrentIndexName,
  MigrationError,
  NO_TRANSACTION_MARKER,
  readMigrations,
  type MigrationSession,
} from '../migrator.js';

/**
 * The migrator on small migration folders of its own, on PGlite and (with TEST_DATABASE_URL)
 * on PostgreSQL: drizzle's bookkeeping, files outside a transaction, a failed concurrent
 * index build run again, and (PostgreSQL only) the timeouts and the advisory lock.
 */

const databaseUrl = process.env.TEST_DATABASE_URL;

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'staylane-migrator-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A migrations folder as drizzle-kit lays it out, `when` 1000, 2000, … */
async function folderWith(files: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(scratch, 'm-'));
  await mkdir(path.join(dir, 'meta'));
  const entries = files.map((_, i) => ({
    idx: i,
    version: '7',
    when: (i + 1) * 1000,
    tag: `000${i}_m`,
    breakpoints: true,
  }));
  await writeFile(
    path.join(dir, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: 'postgresql', entries }),
  );
  for (const [i, sql] of files.entries()) await writeFile(path.join(dir, `000${i}_m.sql`), sql);
  return dir;
}

interface Engine {
  session: MigrationSession;
  /** drizzle's own migrator on this database, as the code before this one ran it. */
  drizzleMigrate(folder: string): Promise<void>;
  close(): Promise<void>;
}

async function createPostgresDatabase(url: string): Promise<string> {
  const name = `${inject('runId')}_migrator_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return withDatabase(url, name);
}

async function postgresEngine(url: string): Promise<Engine & { client: pg.Client; url: string }> {
  const dbUrl = await createPostgresDatabase(url);
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  return {
    client,
    url: dbUrl,
    session: { query: (text, params) => client.query<Record<string, unknown>>(text, params).then((r) => r.rows) },
    async drizzleMigrate(folder) {
      const pool = new pg.Pool({ connectionString: dbUrl, max: 1 });
      try {
        await drizzleMigratePg(drizzlePg({ client: pool }), { migrationsFolder: folder });
      } finally {
        await pool.end();
      }
    },
    close: () => client.end(),
  };
}

async function pgliteEngine(): Promise<Engine> {
  const client = await PGlite.create();
  return {
    session: {
      query: async (text, params) =>
        params
          ? (await client.query<Record<string, unknown>>(text, params)).rows
          : ((await client.exec(text)).at(-1)?.rows ?? []),
    },
    drizzleMigrate: (folder) => drizzleMigratePglite(drizzlePglite({ client }), { migrationsFolder: folder }),
    close: () => client.close(),
  };
}

const engines: [string, () => Promise<Engine>][] = [['PGlite', pgliteEngine]];
if (databaseUrl) engines.push(['PostgreSQL', () => postgresEngine(databaseUrl)]);

const TABLE = `create table "t" ("id" integer primary key, "a" integer)`;
const CONCURRENT_INDEX = `${NO_TRANSACTION_MARKER}
-- the index on a table that already holds rows
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "t_a_key" ON "t" ("a");`;

const rowsOf = (session: MigrationSession, sql: string) => session.query(sql);
const indexValid = async (session: MigrationSession, name: string) =>
  (await rowsOf(session, `select indisvalid from pg_index where indexrelid = to_regclass('${name}')`))[0]?.indisvalid;

describe('concurrentIndexName', () => {
  it('finds the name a CREATE INDEX CONCURRENTLY builds, as written', () => {
    expect(concurrentIndexName(CONCURRENT_INDEX)).toBe('"t_a_key"');
    expect(concurrentIndexName('create index concurrently i on t (a)')).toBe('i');
    expect(concurrentIndexName('CREATE INDEX CONCURRENTLY "public"."x""y" ON t (a)')).toBe('"public"."x""y"');
    expect(concurrentIndexName('CREATE INDEX "i" ON "t" ("a")')).toBeUndefined();
    expect(concurrentIndexName('ALTER TABLE "t" VALIDATE CONSTRAINT "c"')).toBeUndefined();
  });
});

describe.each(engines)('the migrator on %s', (_name, open) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await open();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });

  it("applies each file once, outside a transaction where marked, in drizzle's bookkeeping", async () => {
    const folder = await folderWith([
      `${TABLE};\n--> statement-breakpoint\ninsert into t values (1, 1), (2, 2);`,
      CONCURRENT_INDEX,
    ]);
    const migrations = await readMigrations(folder);
    expect(migrations.map((m) => m.transaction)).toEqual([true, false]);
    expect(await applyMigrations(engine.session, migrations)).toEqual(['0000_m', '0001_m']);
    expect(await indexValid(engine.session, 't_a_key')).toBe(true);
    const recorded = await rowsOf(
      engine.session,
      'select hash, created_at from drizzle.__drizzle_migrations order by id',
    );
    const hashes = await Promise.all(
      ['0000_m', '0001_m'].map(async (tag) =>
        createHash('sha256')
          .update(await readFile(path.join(folder, `${tag}.sql`), 'utf8'))
          .digest('hex'),
      ),
    );
    expect(recorded.map((r) => [r.hash, Number(r.created_at)])).toEqual([
      [hashes[0], 1000],
      [hashes[1], 2000],
    ]);
    expect(await applyMigrations(engine.session, migrations)).toEqual([]);
    await rowsOf(engine.session, 'drop table t; drop schema drizzle cascade');
  });

  it("goes on from what drizzle's own migrator applied", async () => {
    const folder = await folderWith([TABLE, 'alter table t add column b text']);
    const first = await folderWith([TABLE]);
    await engine.drizzleMigrate(first);
    expect(await applyMigrations(engine.session, await readMigrations(folder))).toEqual(['0001_m']);
    expect(await rowsOf(engine.session, 'select count(*)::int as n from drizzle.__drizzle_migrations')).toEqual([
      { n: 2 },
    ]);
    await rowsOf(engine.session, 'drop table t; drop schema drizzle cascade');
  });

  it('rolls a failed file back, records nothing, and applies it once fixed', async () => {
    const broken = await folderWith([`${TABLE};\n--> statement-breakpoint\nselect 1 / 0;`]);
    const error = await applyMigrations(engine.session, await readMigrations(broken)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ tag: '0000_m', cause: { code: '22012' } });
    expect(await rowsOf(engine.session, "select to_regclass('t') as t")).toEqual([{ t: null }]);
    expect(await rowsOf(engine.session, 'select count(*)::int as n from drizzle.__drizzle_migrations')).toEqual([
      { n: 0 },
    ]);
    const fixed = await folderWith([TABLE]);
    expect(await applyMigrations(engine.session, await readMigrations(fixed))).toEqual(['0000_m']);
    await rowsOf(engine.session, 'drop table t; drop schema drizzle cascade');
  });

  it('drops the invalid index a failed concurrent build left, and builds it on the rerun', async () => {
    const folder = await folderWith([
      `${TABLE};\n--> statement-breakpoint\ninsert into t values (1, 7), (2, 7);`,
      CONCURRENT_INDEX,
    ]);
    const migrations = await readMigrations(folder);
    const error = await applyMigrations(engine.session, migrations).catch((e: unknown) => e);
    expect(error).toMatchObject({ tag: '0001_m', cause: { code: '23505' } });
    // What a failed build leaves: an index that IF NOT EXISTS would take for done.
    expect(await indexValid(engine.session, 't_a_key')).toBe(false);
    await rowsOf(engine.session, 'delete from t where id = 2');
    expect(await applyMigrations(engine.session, migrations)).toEqual(['0001_m']);
    expect(await indexValid(engine.session, 't_a_key')).toBe(true);
    await expect(rowsOf(engine.session, 'insert into t values (3, 7)')).rejects.toMatchObject({ code: '23505' });
    await rowsOf(engine.session, 'drop table t; drop schema drizzle cascade');
  });
});

describe.skipIf(!databaseUrl)('the migrator on PostgreSQL only (needs TEST_DATABASE_URL)', () => {
  let engine: Awaited<ReturnType<typeof postgresEngine>>;
  beforeAll(async () => {
    engine = await postgresEngine(databaseUrl!);
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });

  it('runs every statement under the lock and statement timeouts, and leaves the session as it was', async () => {
    const folder = await folderWith([
      `create table seen as select current_setting('lock_timeout') as lock, current_setting('statement_timeout') as statement`,
      `${NO_TRANSACTION_MARKER}\ninsert into seen select current_setting('lock_timeout'), current_setting('statement_timeout')`,
    ]);
    await applyMigrations(engine.session, await readMigrations(folder), {
      lock: '250ms',
      statement: '3s',
      concurrent: '7s',
    });
    expect(await rowsOf(engine.session, 'select lock, statement from seen')).toEqual([
      { lock: '250ms', statement: '3s' },
      { lock: '250ms', statement: '7s' },
    ]);
    expect(await rowsOf(engine.session, 'show lock_timeout')).toEqual([{ lock_timeout: '0' }]);
    await rowsOf(engine.session, 'drop table seen; drop schema drizzle cascade');
  });

  it('gives up on a lock held too long, leaving nothing behind, and applies on the rerun', async () => {
    await rowsOf(engine.session, TABLE);
    const holder = new pg.Client({ connectionString: engine.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select count(*) from t');
      const folder = await folderWith(['alter table t add column b text']);
      const started = performance.now();
      const error = await applyMigrations(engine.session, await readMigrations(folder), {
        lock: '300ms',
        statement: '10s',
        concurrent: '10s',
      }).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(error).toMatchObject({ tag: '0000_m', cause: { code: '55P03' } });
      expect((error as Error).message).toMatch(/run the migrations again/);
      expect(await rowsOf(engine.session, 'select count(*)::int as n from drizzle.__drizzle_migrations')).toEqual([
        { n: 0 },
      ]);
      await holder.query('commit');
      expect(await applyMigrations(engine.session, await readMigrations(folder))).toEqual(['0000_m']);
      await rowsOf(engine.session, 'select b from t');
    } finally {
      await holder.end();
    }
  });

  it('lets only one of two processes migrate at once, and both finish', async () => {
    const url = await createPostgresDatabase(databaseUrl!);
    const [a, b] = await Promise.all([
      openDatabase({ kind: 'postgres', url, poolMax: 1 }),
      openDatabase({ kind: 'postgres', url, poolMax: 1 }),
    ]);
    try {
      await Promise.all([a.migrate(), b.migrate()]);
      const journal = await readMigrations(migrationsFolder);
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      const recorded = await check.query<{ hash: string }>('select hash from drizzle.__drizzle_migrations order by id');
      await check.end();
      expect(recorded.rows.map((r) => r.hash)).toEqual(journal.map((m) => m.hash));
      expect(await a.pendingMigrations()).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);
});
