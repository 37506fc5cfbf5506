import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import {
  applyMigrations,
  DEFAULT_MIGRATION_TIMEOUTS,
  readMigrations,
  type MigrationSession,
  type MigrationTimeouts,
} from './migrator.js';
import type { Db } from './types.js';

// Each engine's driver is imported when a database of that kind is opened: the embedded
// server never loads pg, a PostgreSQL deployment never loads PGlite (cold start: `npm start` to the first /healthz answer within 4 s).

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export type DatabaseOptions =
  | {
      kind: 'postgres';
      url: string;
      poolMax?: number;
      onQuery?: (sql: string) => void;
      /** `lock_timeout` and `statement_timeout` of every migration (default: DEFAULT_MIGRATION_TIMEOUTS). */
      migrationTimeouts?: MigrationTimeouts;
    }
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob; onQuery?: (sql: string) => void };

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db;
  /** Applies pending migrations (platform/db/migrator.ts); a no-op when none are pending. */
  migrate(): Promise<void>;
  /**
   * The migrations this database lacks, by file name (PostgreSQL: `staylane migrate` applies
   * them; an embedded database migrates itself at start, so it lacks none).
   */
  pendingMigrations(): Promise<string[]>;
  ping(): Promise<void>;
  /** Connections in use / idle / waiting (PostgreSQL pool only). */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
  /** A tarball of the data directory (PGlite only), for cloning migrated test databases. */
  dump(): Promise<Blob>;
  close(): Promise<void>;
}

/** The migration files, in order, as drizzle-kit lists them (read once: they ship with the release). */
let journal: Promise<{ entries: { when: number; tag: string }[] }> | undefined;
const migrationJournal = () =>
  (journal ??= readFile(`${migrationsFolder}/meta/_journal.json`, 'utf8').then(
    (text) => JSON.parse(text) as { entries: { when: number; tag: string }[] },
  ));

// Any two processes may start at once against one PostgreSQL: one migrates, the other waits.
const MIGRATION_LOCK_KEY = 7_213_904_117;
const MIGRATION_LOCK_POLL_MS = 250;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const logger: DrizzleLogger | undefined = options.onQuery
    ? { logQuery: (query) => options.onQuery?.(query) }
    : undefined;

  if (options.kind === 'postgres') {
    const [{ default: pg }, { drizzle: drizzlePg }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
    ]);
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolMax ?? 10 });
    // A connection lost by a restart or failover must never crash the process. The pool
    // reports an idle client's error on itself; a client checked out (a transaction open)
    // emits on the client, where pg-pool removes its own listener — so every client gets
    // one for its whole life. The query in flight still fails (as unavailable: 503), the
    // broken client is discarded on release, and the next checkout connects anew.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = drizzlePg({ client: pool, logger });
    return {
      kind: 'postgres',
      db: db as unknown as Db,
      async migrate() {
        // Migrations run on a connection of their own, which holds the lock (so a pool of one
        // can still migrate); ending it releases the lock, whatever happened.
        const client = new pg.Client({ connectionString: options.url });
        client.on('error', () => undefined);
        await client.connect();
        try {
          // Waited for by polling, not inside pg_advisory_lock: a session waiting there is in a
          // transaction, which the holder's CREATE INDEX CONCURRENTLY waits for in turn (a deadlock).
          while (
            !(
              await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [MIGRATION_LOCK_KEY])
            ).rows[0]?.locked
          ) {
            await sleep(MIGRATION_LOCK_POLL_MS);
          }
          const session: MigrationSession = {
            query: (text, params) => client.query<Record<string, unknown>>(text, params).then((r) => r.rows),
          };
          await applyMigrations(
            session,
            await readMigrations(migrationsFolder),
            options.migrationTimeouts ?? DEFAULT_MIGRATION_TIMEOUTS,
          );
        } finally {
          await client.end();
        }
      },
      async pendingMigrations() {
        const journal = await migrationJournal();
        // drizzle's record of what it applied: the newest applied file's timestamp.
        const last = await pool
          .query<{ last: string | null }>('select max(created_at) as last from drizzle.__drizzle_migrations')
          .then((r) => Number(r.rows[0]?.last ?? 0))
          .catch((e: unknown) => {
            if ((e as { code?: string }).code === '42P01') return 0; // never migrated
            throw e;
          });
        return journal.entries.filter((entry) => entry.when > last).map((entry) => entry.tag);
      },
      async ping() {
        await pool.query('select 1');
      },
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      dump: () => Promise.reject(new Error('dump is only available on PGlite')),
      close: () => pool.end(),
    };
  }

  const [{ PGlite }, { btree_gin }, { btree_gist }, { citext }, { pg_trgm }, { drizzle: drizzlePglite }] =
    await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/contrib/btree_gin'),
      import('@electric-sql/pglite/contrib/btree_gist'),
      import('@electric-sql/pglite/contrib/citext'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
      import('drizzle-orm/pglite'),
    ]);
  const client = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: { btree_gin, btree_gist, citext, pg_trgm },
  });
  const db = drizzlePglite({ client, logger });
  return {
    kind: 'pglite',
    db: db as unknown as Db,
    // One process, one connection (the data directory is locked): no lock, no timeouts. A
    // statement without parameters runs as a simple query, as on PostgreSQL.
    async migrate() {
      const session: MigrationSession = {
        query: async (text, params) =>
          params
            ? (await client.query<Record<string, unknown>>(text, params)).rows
            : ((await client.exec(text)).at(-1)?.rows ?? []),
      };
      await applyMigrations(session, await readMigrations(migrationsFolder));
    },
    pendingMigrations: () => Promise.resolve([]),
    async ping() {
      await client.query('select 1');
    },
    poolStats: () => undefined,
    dump: () => client.dumpDataDir('none'),
    close: () => client.close(),
  };
}
