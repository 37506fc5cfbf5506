import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Applies the SQL migrations drizzle-kit writes (`NNNN_name.sql`, listed in
 * `meta/_journal.json`), keeping drizzle's own bookkeeping so that databases migrated by
 * drizzle's migrator and by this one are the same: a row in `drizzle.__drizzle_migrations`
 * per applied file, `hash` the SHA-256 of the file's text and `created_at` the journal's `when`;
 * a file is pending when its `when` is later than the newest recorded one.
 *
 * Unlike drizzle's migrator, which runs every pending file in one transaction, each file runs
 * in a transaction of its own (its locks last only as long as that file), with a lock and a
 * statement timeout; and a file whose first line is the marker below runs outside any
 * transaction, one statement after another, so it can build an index CONCURRENTLY or
 * VALIDATE a constraint without blocking writes. Such a file must be safe to run again from
 * its start (IF NOT EXISTS), because a failure part-way leaves what it did so far.
 */

/** The first line of a migration that must run outside a transaction. */
export const NO_TRANSACTION_MARKER = '-- staylane:no-transaction';

const BREAKPOINT = '--> statement-breakpoint';

export interface Migration {
  readonly tag: string;
  /** The journal's timestamp of the file: drizzle's `created_at`. */
  readonly when: number;
  /** SHA-256 of the file's text, as drizzle records it. */
  readonly hash: string;
  readonly statements: readonly string[];
  readonly transaction: boolean;
}

/** PostgreSQL durations (`5s`, `1min`) for `lock_timeout` and `statement_timeout`. */
export interface MigrationTimeouts {
  /** How long any statement of a migration waits for a lock before the migration fails. */
  readonly lock: string;
  /** How long a statement of a migration run in a transaction may take (its locks block meanwhile). */
  readonly statement: string;
  /** How long a statement of a no-transaction migration may take (an index built CONCURRENTLY). */
  readonly concurrent: string;
}

export const DEFAULT_MIGRATION_TIMEOUTS: MigrationTimeouts = Object.freeze({
  lock: '5s',
  statement: '1min',
  concurrent: '4h',
});

/** One connection to run migrations on: statements run in order, never two at once. */
export interface MigrationSession {
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

/** A migration that failed; `cause` is the database's error (its `code`, e.g. 55P03 on a lock timeout). */
export class MigrationError extends Error {
  constructor(
    readonly tag: string,
    cause: unknown,
  ) {
    const code = (cause as { code?: unknown } | undefined)?.code;
    const hint =
      code === '55P03' || code === '57014'
        ? ' (a lock or statement timeout: run the migrations again to retry it)'
        : '';
    super(`migration ${tag} failed: ${cause instanceof Error ? cause.message : String(cause)}${hint}`, { cause });
    this.name = 'MigrationError';
  }
}

/** The migrations of `folder`, in the journal's order. */
export async function readMigrations(folder: string): Promise<Migration[]> {
  const journal = JSON.parse(await readFile(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  return Promise.all(
    journal.entries.map(async ({ tag, when }) => {
      const text = await readFile(path.join(folder, `${tag}.sql`), 'utf8');
      return {
        tag,
        when,
        hash: createHash('sha256').update(text).digest('hex'),
        statements: text.split(BREAKPOINT).filter((s) => s.trim() !== ''),
        transaction: text.split('\n', 1)[0]!.trim() !== NO_TRANSACTION_MARKER,
      };
    }),
  );
}

/**
 * The name, as written, of the index a `CREATE [UNIQUE] INDEX CONCURRENTLY` statement
 * builds, or undefined for any other statement (leading comments are skipped).
 */
export function concurrentIndexName(statement: string): string | undefined {
  const sql = statement.replace(/^(\s*--[^\n]*(\n|$))*/, '');
  const identifier = '(?:"(?:[^"]|"")+"|[A-Za-z_][\\w$]*)';
  const match = new RegExp(
    `^\\s*create\\s+(?:unique\\s+)?index\\s+concurrently\\s+(?:if\\s+not\\s+exists\\s+)?(${identifier}(?:\\s*\\.\\s*${identifier})?)`,
    'i',
  ).exec(sql);
  return match?.[1];
}

async function ensureBookkeeping(session: MigrationSession): Promise<number | undefined> {
  await session.query('create schema if not exists drizzle');
  await session.query(
    'create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)',
  );
  const rows = await session.query(
    'select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1',
  );
  return rows[0] ? Number(rows[0].created_at) : undefined;
}

const record = (session: MigrationSession, m: Migration) =>
  session.query('insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)', [m.hash, m.when]);

async function setTimeouts(session: MigrationSession, lock: string, statement: string, local: boolean) {
  await session.query(`select set_config('lock_timeout', $1, $3), set_config('statement_timeout', $2, $3)`, [
    lock,
    statement,
    local,
  ]);
}

async function applyInTransaction(session: MigrationSession, m: Migration, timeouts?: MigrationTimeouts) {
  await session.query('begin');
  try {
    if (timeouts) await setTimeouts(session, timeouts.lock, timeouts.statement, true);
    for (const statement of m.statements) await session.query(statement);
    await record(session, m);
    await session.query('commit');
  } catch (e) {
    await session.query('rollback').catch(() => undefined);
    throw e;
  }
}

/**
 * A failed `CREATE INDEX CONCURRENTLY` leaves its index behind, marked invalid: never used
 * by queries, yet kept up to date by every write, and in the way of `IF NOT EXISTS`, which
 * would skip the build on the next run. It is dropped (concurrently too) before the build is
 * tried again; a valid index of that name is left alone.
 */
async function dropInvalidIndex(session: MigrationSession, name: string) {
  const rows = await session.query('select indisvalid from pg_index where indexrelid = to_regclass($1)', [name]);
  if (rows[0] && rows[0].indisvalid === false) await session.query(`drop index concurrently if exists ${name}`);
}

async function applyOutsideTransaction(session: MigrationSession, m: Migration, timeouts?: MigrationTimeouts) {
  if (timeouts) await setTimeouts(session, timeouts.lock, timeouts.concurrent, false);
  try {
    for (const statement of m.statements) {
      const index = concurrentIndexName(statement);
      if (index) await dropInvalidIndex(session, index);
      await session.query(statement);
    }
    await record(session, m);
  } finally {
    if (timeouts) await session.query('reset lock_timeout; reset statement_timeout').catch(() => undefined);
  }
}

/**
 * Applies the pending `migrations` in order and returns their tags. The caller makes sure no
 * other process migrates the same database meanwhile (PostgreSQL: an advisory lock).
 * `timeouts` unset: none are set (the embedded database has no other sessions to wait for).
 * A migration that fails is rolled back (or, outside a transaction, stops where it failed),
 * is not recorded, and throws a `MigrationError`; running the migrations again resumes there.
 */
export async function applyMigrations(
  session: MigrationSession,
  migrations: readonly Migration[],
  timeouts?: MigrationTimeouts,
): Promise<string[]> {
  const last = await ensureBookkeeping(session);
  const pending = migrations.filter((m) => last === undefined || last < m.when);
  for (const m of pending) {
    try {
      if (m.transaction) await applyInTransaction(session, m, timeouts);
      else await applyOutsideTransaction(session, m, timeouts);
    } catch (e) {
      throw new MigrationError(m.tag, e);
    }
  }
  return pending.map((m) => m.tag);
}
