import { pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { propertyIdColumn } from '../properties/index.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * A place's secret iCal export link, one per place, made on its host's first request.
 * `token` is kept so that the host can read the link again; `token_hash` is its SHA-256
 * (hex), by which a feed request is looked up: the unique index compares a digest the
 * caller cannot steer byte by byte, never the token itself. Rotating replaces both.
 * (Imported calendars will get tables of their own in this module.)
 */
export const icalExports = pgTable(
  'ical_exports',
  {
    propertyId: uuid('property_id').primaryKey().references(propertyIdColumn),
    token: text('token').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    rotatedAt: instant('rotated_at'),
  },
  (t) => [unique('ical_exports_token_hash_key').on(t.tokenHash)],
);

export type IcalExportRow = typeof icalExports.$inferSelect;
