import { and, sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { daysBetween } from '../../platform/dates.js';
import type { Db } from '../../platform/db/types.js';
import { dateRange } from './properties.calendar.repository.js';
import { propertyPriceOverrides } from './properties.table.js';
import { properties } from './properties.table.js';

// The price search filters and sorts on, with the host's prices by date.

/** Friday and Saturday nights (ISO weekdays 5 and 6) among the nights from checkIn to checkOut. */
export function weekendNights(checkIn: string, checkOut: string): number {
  const first = DateTime.fromISO(checkIn, { zone: 'utc' });
  const nights = daysBetween(checkIn, checkOut);
  let count = 0;
  for (let i = 0; i < nights; i++) {
    const weekday = first.plus({ days: i }).weekday;
    if (weekday === 5 || weekday === 6) count++;
  }
  return count;
}

/**
 * Friday and Saturday nights from 2000-01-03 (a Monday) to `day`, in arithmetic: full weeks
 * hold two, and the days past the last full week reach Friday from their fifth on. The
 * difference between two days' counts is the weekend nights between them, with no
 * per-night work in SQL.
 */
const weekendNightsBefore = (day: SQL) =>
  sql`(2 * ((${day} - date '2000-01-03') / 7) + least(greatest((${day} - date '2000-01-03') % 7 - 4, 0), 2))`;

/**
 * What the priced overrides overlapping a stay contribute, per place: the sum of their
 * nights' prices, how many nights they cover, and how many of those are weekend nights.
 * One grouped read of property_price_overrides_price_idx (the priced ranges overlapping
 * the stay, across every place: about 6,000 rows on 100,000 places, 11,000 of them with
 * overrides, for a stay in a seeded season), joined to the candidates by hash. A lateral
 * probe per candidate (the exclusion constraint's index) measured worse: a big city has
 * more candidates than the stay has overrides. `places`, the search's own filters on the
 * place (city, country, box, guests…), keeps only the candidates' ranges before they are
 * summed: a hash of the candidates' ids, instead of the sums of every place's ranges
 * (three date expressions a range), which had been most of a dated price search's time.
 */
function overridesOfStay(db: Db, stay: { checkIn: string; checkOut: string }, places: (SQL | undefined)[]) {
  const o = propertyPriceOverrides;
  const range = dateRange(stay.checkIn, stay.checkOut);
  // The nights the override and the stay share: [greatest of starts, least of ends).
  const first = sql`greatest(${o.start}, ${stay.checkIn}::date)`;
  const last = sql`least(${o.end}, ${stay.checkOut}::date)`;
  return db
    .select({
      propertyId: o.propertyId,
      // bigint sums (a bigint's sum is numeric): the price is then integer arithmetic per row.
      sum: sql<string>`sum((${last} - ${first})::bigint * ${o.nightlyPrice})::bigint`.as('override_sum'),
      nights: sql<string>`sum(${last} - ${first})`.as('override_nights'),
      weekend: sql<string>`sum(${weekendNightsBefore(last)} - ${weekendNightsBefore(first)})`.as('override_weekend'),
    })
    .from(o)
    .where(
      and(
        sql`daterange(${o.start}, ${o.end}, '[)') && ${range}`,
        sql`${o.nightlyPrice} is not null`,
        sql`${o.propertyId} in (select ${properties.id} from ${properties} where ${and(...places)})`,
      ),
    )
    .groupBy(o.propertyId)
    .as('stay_overrides');
}

export type StayOverrides = ReturnType<typeof overridesOfStay>;

/**
 * The price search filters and sorts on: without dates the nightly price (the indexes'
 * column); with a stay, its average nightly price, the sum of its nights' prices over the
 * nights, in minor units rounded half up. Each night is at its override's price when the
 * host set one, else at the weekend price on Friday and Saturday nights, else at the
 * nightly price: the stay's weekend nights are counted once here, and the overrides' share
 * comes from one grouped read joined to the places (`overrides`, to be left-joined on the
 * place's id), so the average is one arithmetic expression per row. `places`: the search's
 * conditions on the place itself (no price, calendar or cursor), which bound that read.
 */
export function searchPrice(
  db: Db,
  stay: { checkIn: string; checkOut: string } | undefined,
  places: (SQL | undefined)[],
): { price: SQL; overrides?: StayOverrides } {
  const p = properties;
  if (!stay) return { price: sql`${p.nightlyPrice}` };
  const nights = daysBetween(stay.checkIn, stay.checkOut);
  const weekend = weekendNights(stay.checkIn, stay.checkOut);
  const overrides = overridesOfStay(db, stay, places);
  const ovSum = sql`coalesce(${overrides.sum}, 0)`;
  const ovNights = sql`coalesce(${overrides.nights}, 0)::bigint`;
  const ovWeekend = sql`coalesce(${overrides.weekend}, 0)::bigint`;
  const sum = sql`(${ovSum} + (${nights - weekend}::int - (${ovNights} - ${ovWeekend})) * ${p.nightlyPrice}::bigint + (${weekend}::int - ${ovWeekend}) * coalesce(${p.weekendPrice}, ${p.nightlyPrice})::bigint)`;
  return { price: sql`((${sum} * 2 + ${nights}::int) / ${2 * nights}::int)::integer`, overrides };
}
