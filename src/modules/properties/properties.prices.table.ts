import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, smallint, timestamp, uuid } from 'drizzle-orm/pg-core';
import { properties } from './properties.table.js';

/**
 * A host's prices and minimum stays by date: each row one range of nights [start, end) of a
 * place (`end` exclusive) with its own nightly price, its own minimum stay for stays that
 * check in on one of its nights, or both. Ranges, not one row per night: a season is one
 * row. An exclusion constraint (`property_price_overrides_no_overlap`, a custom migration)
 * keeps two ranges of one place from sharing a night, so a night has at most one override;
 * its GiST index, (property_id, daterange(start_date, end_date, '[)')), serves the reads of
 * one place. `property_price_overrides_price_idx` (GiST over the range of the rows that set
 * a price) serves dated search, which reads the priced ranges overlapping one stay across
 * every place.
 */
export const propertyPriceOverrides = pgTable(
  'property_price_overrides',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    propertyId: uuid('property_id')
      .notNull()
      .references(() => properties.id),
    start: date('start_date', { mode: 'string' }).notNull(),
    end: date('end_date', { mode: 'string' }).notNull(),
    /** The price of each night of the range, minor units; null = the place's own rule. */
    nightlyPrice: integer('nightly_price'),
    /** The shortest stay checking in on a night of the range; null = the place's. */
    minNights: smallint('min_nights'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  () => [
    check('property_price_overrides_range_check', sql`start_date < end_date`),
    check(
      'property_price_overrides_values_check',
      sql`(nightly_price is not null or min_nights is not null) and (nightly_price is null or nightly_price between 1 and 100000000) and (min_nights is null or min_nights between 1 and 365)`,
    ),
    index('property_price_overrides_price_idx')
      .using('gist', sql`daterange(start_date, end_date, '[)')`)
      .where(sql`nightly_price is not null`),
  ],
);

export type PriceOverrideRow = typeof propertyPriceOverrides.$inferSelect;
