import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * Rows after a keyset cursor in `ORDER BY a DESC, b DESC`: a row comparison, which a
 * composite index on (a DESC, b DESC) answers with one range scan.
 */
export const afterDescending = (a: PgColumn, b: PgColumn, key: readonly [unknown, unknown]): SQL =>
  sql`(${a}, ${b}) < (${key[0]}, ${key[1]})`;
