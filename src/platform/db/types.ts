import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * A Drizzle handle over either driver (pg pool or PGlite), or a transaction of one.
 * Queries name their tables explicitly (no `db.query`), so the handle carries no schema.
 */
export type Db = PgDatabase<PgQueryResultHKT>;
