import { z } from 'zod';
import { AppError } from './errors.js';

/** Keyset pagination shared by every list: `?limit=&cursor=`, `{ data, page }`. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1–100 (default 20).'),
  cursor: z.string().max(512).optional().describe('Opaque cursor from `page.nextCursor` of the previous page.'),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export interface Page<T> {
  data: T[];
  page: { nextCursor: string | null; hasMore: boolean };
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    page: z.object({ nextCursor: z.string().nullable(), hasMore: z.boolean() }),
  });

export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor produced by encodeCursor and checks its shape; a bad one is a 422. */
export function decodeCursor<T extends z.ZodType>(cursor: string, shape: T): z.infer<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = shape.safeParse(raw);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}

export const invalidCursor = () =>
  new AppError('invalid', 'invalid_cursor', 'The cursor is not valid.', {
    errors: [{ path: 'cursor', message: 'Not a cursor returned by this list (with these sort options).' }],
  });

/**
 * Builds a page from `limit + 1` rows fetched in order: the extra row only tells that
 * more exist, and the cursor is the key of the last row shown. `cursors` holds the cursor
 * after each row (GraphQL edges); REST answers drop it.
 */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  key: (row: R) => (string | number | null)[],
  map: (row: R) => T,
): Page<T> & { cursors: string[] } {
  const hasMore = rows.length > limit;
  const shown = hasMore ? rows.slice(0, limit) : rows;
  const cursors = shown.map((r) => encodeCursor(key(r)));
  return {
    data: shown.map(map),
    page: { nextCursor: hasMore ? (cursors.at(-1) ?? null) : null, hasMore },
    cursors,
  };
}
