import { and, count, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { dateRange } from './properties.calendar.repository.js';
import { propertyPriceOverrides, type PriceOverrideRow } from './properties.table.js';
import { properties, propertyCalendar } from './properties.table.js';

// Prices and minimum stays by date. Every look-up of one place repeats the exclusion
// constraint's expression (property_price_overrides_no_overlap: property_id,
// daterange(start_date, end_date, '[)')), so the planner answers it from that GiST index.

const o = propertyPriceOverrides;
export const overrideRange = sql`daterange(${o.start}, ${o.end}, '[)')`;

export type NewPriceOverride = Pick<
  typeof o.$inferInsert,
  'propertyId' | 'start' | 'end' | 'nightlyPrice' | 'minNights'
>;

/** The place's overrides overlapping [from, to), in date order. */
export function findOverridesOverlapping(db: Db, propertyId: string, from: string, to: string) {
  return db
    .select()
    .from(o)
    .where(and(eq(o.propertyId, propertyId), sql`${overrideRange} && ${dateRange(from, to)}`))
    .orderBy(o.start);
}

export async function countOverrides(db: Db, propertyId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(o).where(eq(o.propertyId, propertyId));
  return row?.n ?? 0;
}

/** Drops the place's overrides that ended on or before `date` (no stay can use them any more). */
export async function deleteOverridesEndedBy(db: Db, propertyId: string, date: string): Promise<number> {
  const rows = await db
    .delete(o)
    .where(and(eq(o.propertyId, propertyId), lte(o.end, date)))
    .returning({ id: o.id });
  return rows.length;
}

export async function deleteOverrides(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await db.delete(o).where(inArray(o.id, [...ids]));
}

/** Throws the exclusion violation when a row shares a night with another of its place. */
export async function insertOverrides(db: Db, rows: readonly NewPriceOverride[]): Promise<PriceOverrideRow[]> {
  if (rows.length === 0) return [];
  return db
    .insert(o)
    .values([...rows])
    .returning();
}

/** One night of a place's calendar as stored: its price and minimum stay as they apply, and whether it is free. */
export interface CalendarNightRow {
  date: string;
  price: number;
  available: boolean;
  minNights: number;
}

/**
 * Each night of [from, to) of a place in one query: the nights (generate_series over the
 * window) left-joined to the override covering each (at most one: the exclusion
 * constraint) and to the active calendar range covering it (at most one, whatever its
 * kind: property_calendar_no_overlap). A night's price is its override's, else the weekend
 * price on Friday and Saturday nights (ISO weekdays 5 and 6), else the nightly price; its
 * minimum stay the override's, else the place's. Empty when the place does not exist.
 */
export async function findCalendarNights(
  db: Db,
  propertyId: string,
  from: string,
  to: string,
): Promise<CalendarNightRow[]> {
  const p = properties;
  const c = propertyCalendar;
  const result: unknown = await db.execute(sql`
    select to_char(n.night, 'YYYY-MM-DD') as date,
      coalesce(${o.nightlyPrice}, case when extract(isodow from n.night) in (5, 6) then coalesce(${p.weekendPrice}, ${p.nightlyPrice}) else ${p.nightlyPrice} end)::integer as price,
      ${c.id} is null as available,
      coalesce(${o.minNights}, ${p.minNights})::integer as min_nights
    from ${p}
    cross join lateral (
      select ${from}::date + i as night from generate_series(0, (${to}::date - ${from}::date) - 1) as i
    ) as n
    left join ${o} on ${o.propertyId} = ${p.id} and ${overrideRange} && daterange(n.night, n.night + 1, '[)')
    left join ${c} on ${c.propertyId} = ${p.id}
      and daterange(${c.start}, ${c.end}, '[)') && daterange(n.night, n.night + 1, '[)')
      and ${c.releasedAt} is null
    where ${p.id} = ${propertyId}
    order by n.night`);
  const { rows } = result as { rows: { date: string; price: number; available: boolean; min_nights: number }[] };
  return rows.map((r) => ({
    date: r.date,
    price: Number(r.price),
    available: r.available,
    minNights: Number(r.min_nights),
  }));
}

/** Seeding: overrides in one statement per batch (one array parameter per column), whatever the batch size. */
export async function insertOverridesBulk(db: Db, rows: readonly NewPriceOverride[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(pick: (r: NewPriceOverride) => T) => sql.param(rows.map(pick));
  await db.execute(sql`
    insert into ${o} (property_id, start_date, end_date, nightly_price, min_nights)
    select * from unnest(
      ${col((r) => r.propertyId)}::uuid[], ${col((r) => r.start)}::date[], ${col((r) => r.end)}::date[],
      ${col((r) => r.nightlyPrice ?? null)}::integer[], ${col((r) => r.minNights ?? null)}::smallint[]
    )`);
}
