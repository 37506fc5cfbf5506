import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * Rows after a keyset cursor in `ORDER BY a DESC, b DESC`: a row comparison, which a
 * composite index on (a DESC, b DESC) answers with one range scan.
 */
export const afterDescending = (a: PgColumn, b: PgColumn, key: readonly [unknown, unknown]): SQL =>
  sql`(${a}, ${b}) < (${key[0]}, ${key[1]})`;

/**
 * A keyset walk, one page at a time: `page(after, limit)` reads the rows after the key of
 * the previous page's last row (`keyOf`). The next page is read only when the consumer asks
 * for more, so a slow consumer slows the reads and only one page is held.
 */
export async function* keysetPages<R, K>(
  page: (after: K | undefined, limit: number) => Promise<readonly R[]>,
  keyOf: (row: R) => K,
  pageSize = 500,
): AsyncGenerator<readonly R[]> {
  let after: K | undefined;
  for (;;) {
    const rows = await page(after, pageSize);
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

/** Every row of a keyset walk (see keysetPages). */
export async function* keysetRows<R, K>(
  page: (after: K | undefined, limit: number) => Promise<readonly R[]>,
  keyOf: (row: R) => K,
  pageSize = 500,
): AsyncGenerator<R> {
  for await (const rows of keysetPages(page, keyOf, pageSize)) yield* rows;
}

/** Each row of `rows` mapped by `f` as it comes (e.g. rows to DTOs). */
export async function* mapRows<R, T>(rows: AsyncIterable<R>, f: (row: R) => T): AsyncGenerator<T> {
  for await (const row of rows) yield f(row);
}
