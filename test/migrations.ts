import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { inject } from 'vitest';
import { migrationsFolder, openDatabase, type Database } from '../src/platform/db/client.js';
import { withDatabase } from '#test/global-setup.js';

/**
 * Data migrations are tested from the state before them: an empty database (PGlite, or a
 * fresh PostgreSQL database named after the run so the global teardown drops it), migrated
 * up to a given migration, filled with rows of the old shape, then migrated to the end.
 */
export async function emptyDatabase(tag: string): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openDatabase({ kind: 'pglite' });
  const name = `${inject('runId')}_${tag}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return openDatabase({ kind: 'postgres', url: withDatabase(url, name) });
}

/** Applies the migrations up to and including `lastTag` (through a trimmed copy of the folder). */
export async function migrateUpTo(database: Database, lastTag: string): Promise<void> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'staylane-migrations-'));
  try {
    const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
      entries: { tag: string }[];
    };
    const last = journal.entries.findIndex((e) => e.tag === lastTag);
    if (last < 0) throw new Error(`no migration ${lastTag}`);
    journal.entries = journal.entries.slice(0, last + 1);
    await cp(migrationsFolder, scratch, { recursive: true });
    await writeFile(path.join(scratch, 'meta/_journal.json'), JSON.stringify(journal));
    if (database.kind === 'pglite')
      await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: scratch });
    else await migratePg(database.db as unknown as NodePgDatabase, { migrationsFolder: scratch });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
