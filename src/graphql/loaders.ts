import type { GraphqlContext } from './context.js';

/**
 * A mercurius loader for a relation found by one id per parent: the distinct ids of a whole
 * page go to `fetch` in one call (one query, however many parents), and each parent gets its
 * match or null.
 */
export function batchById<Parent, Value>(
  idOf: (parent: Parent) => string,
  fetch: (ids: string[], ctx: GraphqlContext) => Promise<ReadonlyMap<string, Value>>,
) {
  return async (queries: { obj: Parent }[], ctx: GraphqlContext): Promise<(Value | null)[]> => {
    const found = await fetch([...new Set(queries.map((q) => idOf(q.obj)))], ctx);
    return queries.map((q) => found.get(idOf(q.obj)) ?? null);
  };
}
