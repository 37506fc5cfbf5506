/**
 * Folds many small writes into one statement: calls made while a flush is running wait for
 * it and go together in the next one, so under load one round trip (and one commit) serves
 * many callers, and a lone call is flushed at once, with no added delay. Each caller's
 * promise settles with its own item's result; a failed flush rejects every caller in it.
 */
export function createBatcher<T, R>(
  flush: (items: readonly T[]) => Promise<readonly R[]>,
  options: { maxBatch?: number } = {},
): (item: T) => Promise<R> {
  const maxBatch = options.maxBatch ?? 500;
  let waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.slice(0, maxBatch);
        waiting = waiting.slice(batch.length);
        try {
          const results = await flush(batch.map((w) => w.item));
          batch.forEach((w, i) => w.resolve(results[i]!));
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      running = false;
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      // Calls made in the same tick join this one: the flush starts after them.
      if (!running) {
        running = true;
        queueMicrotask(() => void drain());
      }
    });
}

/**
 * The rows of a batch as one parameter, for `jsonb_to_recordset($1::jsonb) as c(col type, …)`:
 * one statement text whatever the batch size, and no quoting rules but JSON's.
 */
export const recordset = (rows: readonly Record<string, string | null>[]): string => JSON.stringify(rows);

/** The rows of a `db.execute` result: both drivers (node-postgres, PGlite) return `{ rows }`. */
export const resultRows = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/**
 * A PostgreSQL array literal of `values` (every element quoted), for `= any($1::text[])`.
 * A batch statement names its rows this way as well as in its recordset: the planner then
 * knows how many rows it touches and reads them by their key, where a join on the
 * recordset alone is planned for a hundred rows and may scan the table.
 */
export const arrayLiteral = (values: readonly string[]): string =>
  `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
