import { customType, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

/** A Drizzle handle over either driver (pg pool or PGlite), or a transaction of one. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Case-insensitive text (the citext extension, created by the first migration). */
export const citext = customType<{ data: string }>({
  dataType: () => 'citext',
});
