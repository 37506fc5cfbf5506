import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import type { Db } from './types.js';

// Each engine's driver is imported when a database of that kind is opened: the embedded
// server never loads pg, a PostgreSQL deployment never loads PGlite (cold start: `npm start` to the first /healthz answer within 4 s).

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; poolMax?: number; onQuery?: (sql: string) => void }
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob; onQuery?: (sql: string) => void };

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db;
  /** Applies pending migrations; a no-op when none are pending. */
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

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const logger: DrizzleLogger | undefined = options.onQuery
    ? { logQuery: (query) => options.onQuery?.(query) }
    : undefined;

  if (options.kind === 'postgres') {
    const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
      import('drizzle-orm/node-postgres/migrator'),
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
        // The lock lives on a connection of its own, so a pool of one can still migrate.
        const lock = new pg.Client({ connectionString: options.url });
        await lock.connect();
        try {
          await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
          await migratePg(db, { migrationsFolder });
        } finally {
          await lock.end();
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

  const [
    { PGlite },
    { btree_gin },
    { btree_gist },
    { citext },
    { pg_trgm },
    { drizzle: drizzlePglite },
    { migrate: migratePglite },
  ] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gin'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('@electric-sql/pglite/contrib/citext'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
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
    migrate: () => migratePglite(db, { migrationsFolder }),
    pendingMigrations: () => Promise.resolve([]),
    async ping() {
      await client.query('select 1');
    },
    poolStats: () => undefined,
    dump: () => client.dumpDataDir('none'),
    close: () => client.close(),
  };
}
