import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { properties, propertyCalendar, type CalendarRangeRow } from './properties.table.js';

// The calendar. Every look-up repeats the exclusion constraint's expression and predicate
// (property_calendar_no_overlap: property_id, daterange(start_date, end_date, '[)'), active
// rows), so the planner answers it from that constraint's GiST index.
export const occupiedRange = sql`daterange(${propertyCalendar.start}, ${propertyCalendar.end}, '[)')`;
export const isActive = isNull(propertyCalendar.releasedAt);
/** [from, to); an open end (null) reaches forever. */
export const dateRange = (from: string, to: string | null) => sql`daterange(${from}::date, ${to}::date, '[)')`;

export type NewCalendarRange = Pick<typeof propertyCalendar.$inferInsert, 'propertyId' | 'kind' | 'start' | 'end'> & {
  note?: string | null;
  refId?: string | null;
  occupantId?: string | null;
};

/** Throws the database's exclusion violation when the range overlaps an active one. */
export async function insertCalendarRange(db: Db, row: NewCalendarRange): Promise<CalendarRangeRow> {
  const [created] = await db.insert(propertyCalendar).values(row).returning();
  return created!;
}

/** Marks a booking's active range as revealing the exact location to its occupant. */
export function revealCalendarLocation(db: Db, refId: string): Promise<{ id: string; propertyId: string }[]> {
  return db
    .update(propertyCalendar)
    .set({ revealsLocation: true })
    .where(and(eq(propertyCalendar.refId, refId), isActive))
    .returning({ id: propertyCalendar.id, propertyId: propertyCalendar.propertyId });
}

/**
 * Which of `propertyIds` an active range of `occupantId` reveals the exact location of:
 * one query for a whole page, answered from property_calendar_occupant_idx (its predicate
 * repeated here so the planner can use that partial index).
 */
export async function findRevealedPropertyIds(
  db: Db,
  occupantId: string,
  propertyIds: readonly string[],
): Promise<Set<string>> {
  if (propertyIds.length === 0) return new Set();
  const c = propertyCalendar;
  const rows = await db
    .selectDistinct({ propertyId: c.propertyId })
    .from(c)
    .where(
      and(
        eq(c.occupantId, occupantId),
        sql`${c.propertyId} = any(${sql.param([...propertyIds])}::uuid[])`,
        sql`${c.revealsLocation}`,
        isActive,
      ),
    );
  return new Set(rows.map((r) => r.propertyId));
}

/**
 * Locks the property's calendar until the caller's transaction ends: FOR NO KEY UPDATE, so
 * writers of one place's calendar (blocks, bookings) and its delete take turns. Concurrent
 * inserts that conflict under an exclusion constraint can otherwise deadlock each other
 * (each waits for the other's uncommitted row); taken in turn, the later one simply sees
 * the earlier one's range. The foreign keys' own KEY SHARE locks do not conflict with it.
 * False when the property does not exist or is deleted.
 */
export async function lockPropertyForCalendar(db: Db, propertyId: string): Promise<boolean> {
  const rows = await db
    .select({ id: properties.id })
    .from(properties)
    .where(and(eq(properties.id, propertyId), isNull(properties.deletedAt)))
    .for('no key update');
  return rows.length > 0;
}

/** Releases active ranges of one kind, by id (optionally within a property) or by reference. */
export async function releaseCalendarRanges(
  db: Db,
  kind: CalendarRangeRow['kind'],
  which: { rangeId: string; propertyId?: string } | { refId: string },
): Promise<{ id: string; propertyId: string }[]> {
  const c = propertyCalendar;
  const match =
    'refId' in which
      ? eq(c.refId, which.refId)
      : and(eq(c.id, which.rangeId), which.propertyId === undefined ? undefined : eq(c.propertyId, which.propertyId));
  return db
    .update(c)
    .set({ releasedAt: sql`now()` })
    .where(and(match, eq(c.kind, kind), isActive))
    .returning({ id: c.id, propertyId: c.propertyId });
}

/** Active ranges of a property that overlap [from, to), in date order. */
export function findCalendarRangesOverlapping(
  db: Db,
  propertyId: string,
  from: string,
  to: string,
): Promise<CalendarRangeRow[]> {
  const c = propertyCalendar;
  return db
    .select()
    .from(c)
    .where(and(eq(c.propertyId, propertyId), sql`${occupiedRange} && ${dateRange(from, to)}`, isActive))
    .orderBy(c.start, c.id);
}

/** Whether an active booking range of the property ends after `date` (its last night is `date` or later). */
export async function hasBookingEndingAfter(db: Db, propertyId: string, date: string): Promise<boolean> {
  const c = propertyCalendar;
  // A range ends after `date` exactly when it overlaps [date, ∞).
  const rows = await db
    .select({ id: c.id })
    .from(c)
    .where(
      and(
        eq(c.propertyId, propertyId),
        eq(c.kind, 'booking'),
        sql`${occupiedRange} && ${dateRange(date, null)}`,
        isActive,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export async function insertBlocksBulk(
  db: Db,
  rows: (typeof propertyCalendar.$inferInsert & { kind: 'block' })[],
): Promise<void> {
  if (rows.length > 0) await db.insert(propertyCalendar).values(rows);
}

/** A booking's range on the calendar, written by another module's seed step. */
export interface CalendarRangeBulkRow {
  propertyId: string;
  start: string;
  end: string;
  /** The booking. */
  refId: string;
  /** The booking's guest. */
  occupantId: string;
  /** Confirmed (or completed) stays show their guest the exact address. */
  revealsLocation: boolean;
  createdAt: Date;
}

/**
 * Booking ranges in one statement per batch: one array parameter per column (`unnest`),
 * so the statement is the same whatever the batch size and meets no parameter limit.
 * Throws the exclusion violation if a range overlaps an active one.
 */
export async function insertCalendarRangesBulk(db: Db, rows: readonly CalendarRangeBulkRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(pick: (r: CalendarRangeBulkRow) => T) => sql.param(rows.map(pick));
  await db.execute(sql`
    insert into ${propertyCalendar} (property_id, kind, start_date, end_date, ref_id, occupant_id, reveals_location, created_at)
    select property_id, 'booking', start_date, end_date, ref_id, occupant_id, reveals_location, created_at
    from unnest(
      ${col((r) => r.propertyId)}::uuid[], ${col((r) => r.start)}::date[], ${col((r) => r.end)}::date[],
      ${col((r) => r.refId)}::uuid[], ${col((r) => r.occupantId)}::uuid[], ${col((r) => r.revealsLocation)}::boolean[],
      ${col((r) => r.createdAt.toISOString())}::timestamptz[]
    ) as t(property_id, start_date, end_date, ref_id, occupant_id, reveals_location, created_at)`);
}
