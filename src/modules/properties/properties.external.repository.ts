import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { dateRange, isActive, occupiedRange } from './properties.calendar.repository.js';
import { propertyCalendar, type CalendarRangeRow } from './properties.table.js';

// External ranges: the nights imported calendars (iCal feeds) ask for, each row naming its
// feed in source_id. Look-ups repeat the exclusion constraint's expression and predicate
// (property_id, daterange, active rows) so that its GiST index serves them.

/** Active ranges of the place, of every kind, that end after `from` (its own and others'). */
export function findActiveRangesFrom(db: Db, propertyId: string, from: string): Promise<CalendarRangeRow[]> {
  const c = propertyCalendar;
  return db
    .select()
    .from(c)
    .where(and(eq(c.propertyId, propertyId), sql`${occupiedRange} && ${dateRange(from, null)}`, isActive))
    .orderBy(c.start, c.id);
}

/** Releases these active ranges of the place by id; returns how many were released. */
export async function releaseRangesById(db: Db, propertyId: string, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const c = propertyCalendar;
  const rows = await db
    .update(c)
    .set({ releasedAt: sql`now()` })
    .where(and(eq(c.propertyId, propertyId), inArray(c.id, [...ids]), isActive))
    .returning({ id: c.id });
  return rows.length;
}

/** Releases every active range of one feed ending after `from` (all of them when `from` is null). */
export async function releaseSourceRanges(
  db: Db,
  propertyId: string,
  sourceId: string,
  from: string | null,
): Promise<number> {
  const c = propertyCalendar;
  const rows = await db
    .update(c)
    .set({ releasedAt: sql`now()` })
    .where(
      and(
        eq(c.propertyId, propertyId),
        eq(c.sourceId, sourceId),
        from === null ? undefined : gt(c.end, from),
        isNull(c.releasedAt),
      ),
    )
    .returning({ id: c.id });
  return rows.length;
}

/** Writes external ranges of one feed; throws the exclusion violation on an overlap (the caller checks first). */
export async function insertExternalRanges(
  db: Db,
  propertyId: string,
  sourceId: string,
  ranges: readonly { start: string; end: string }[],
): Promise<void> {
  if (ranges.length === 0) return;
  await db
    .insert(propertyCalendar)
    .values(ranges.map((r) => ({ propertyId, sourceId, kind: 'external' as const, start: r.start, end: r.end })));
}
