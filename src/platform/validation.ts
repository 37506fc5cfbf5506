import { z } from 'zod';

/**
 * Input bounds shared by every module: what a value must be for the database to store or
 * compare it. Anything outside them is a 422 at the edge rather than a driver error.
 */

/** The largest `integer` (int4) PostgreSQL stores. */
export const INT4_MAX = 2_147_483_647;

// zod's ISO formats take any four-digit year; PostgreSQL has no year 0 (and 0000-02-29
// even passes zod's leap-year rule).
const notYearZero = (s: string) => !s.startsWith('0000');
const YEAR_RANGE = 'Years run from 0001 to 9999.';

/** A calendar date `YYYY-MM-DD`, years 0001–9999, real days only (no 2026-02-30). */
export const isoDate = z.iso.date('Must be a date (YYYY-MM-DD).').refine(notYearZero, YEAR_RANGE);

/** An ISO-8601 UTC instant (`…T…Z`), years 0001–9999. */
export const isoInstant = z.iso.datetime('Must be an ISO-8601 UTC instant.').refine(notYearZero, YEAR_RANGE);

/** A non-negative integer an int4 column can hold. */
export const int4 = () => z.number().int().min(0).max(INT4_MAX);

/**
 * A number PostgreSQL's `real` (float4) accepts: zero or finite and not so small that it
 * rounds to zero (the driver sends `1e-320` as text, which `real` refuses as out of range).
 */
export const isFloat4 = (v: number) => v === 0 || (Math.fround(v) !== 0 && Number.isFinite(Math.fround(v)));

export const NUL_MESSAGE = 'Must not contain the NUL character (U+0000).';

/**
 * Dot paths of every string (value or key) in `value` that contains U+0000, which no
 * PostgreSQL text, json or jsonb value may hold. Walks iteratively: a JSON body may nest
 * deeper than the call stack.
 */
export function nulPaths(value: unknown, limit = 20): string[] {
  const found: string[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0 && found.length < limit) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) found.push(path);
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], join(path, String(i))]);
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (key.includes('\u0000')) found.push(join(path, key.replaceAll('\u0000', '\\u0000')));
        else stack.push([child, join(path, key)]);
      }
    }
  }
  return found;
}

const join = (base: string, key: string) => (base ? `${base}.${key}` : key);
