import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { propertyIdColumn } from '../properties/index.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * A place's secret iCal export link, one per place, made on its host's first request.
 * `token` is kept so that the host can read the link again; `token_hash` is its SHA-256
 * (hex), by which a feed request is looked up: the unique index compares a digest the
 * caller cannot steer byte by byte, never the token itself. Rotating replaces both.
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

export const ICAL_IMPORT_STATUSES = ['pending', 'ok', 'not_modified', 'error'] as const;

/** One night range an imported feed asks for: dates `YYYY-MM-DD`, end exclusive, and the UID of its first event. */
export interface ImportedRange {
  uid: string;
  start: string;
  end: string;
}

/**
 * An external calendar a host imports into a place (at most 5 per place). `ranges` holds
 * the nights the feed asked for at its last successful fetch (merged, from today on), so a
 * 304 answer or a range covered by another one can be applied again at the next sync
 * without the body. `next_sync_at` is when the scheduler next enqueues its sync; the due
 * index serves the scheduler's scan.
 */
export const icalImports = pgTable(
  'ical_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    propertyId: uuid('property_id').notNull().references(propertyIdColumn),
    url: text('url').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: ICAL_IMPORT_STATUSES }).notNull().default('pending'),
    etag: text('etag'),
    lastModified: text('last_modified'),
    error: text('error'),
    eventCount: integer('event_count').notNull().default(0),
    conflictCount: integer('conflict_count').notNull().default(0),
    ranges: jsonb('ranges')
      .$type<ImportedRange[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    lastSyncAt: instant('last_sync_at'),
    lastSuccessAt: instant('last_success_at'),
    nextSyncAt: instant('next_sync_at').notNull().defaultNow(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('ical_imports_property_idx').on(t.propertyId, t.createdAt),
    index('ical_imports_due_idx').on(t.nextSyncAt),
    check('ical_imports_status_check', sql`status in ('pending', 'ok', 'not_modified', 'error')`),
  ],
);

export type IcalImportRow = typeof icalImports.$inferSelect;

/**
 * A feed's range that overlapped a Staylane stay when it was synced: recorded once per
 * feed, event UID and dates (the unique key also keys the host's e-mail), never blocking.
 */
export const icalConflicts = pgTable(
  'ical_conflicts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    importId: uuid('import_id')
      .notNull()
      .references(() => icalImports.id, { onDelete: 'cascade' }),
    propertyId: uuid('property_id').notNull().references(propertyIdColumn),
    uid: text('uid').notNull(),
    start: date('start_date', { mode: 'string' }).notNull(),
    end: date('end_date', { mode: 'string' }).notNull(),
    /** The booking whose range it overlapped. */
    bookingId: uuid('booking_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [unique('ical_conflicts_event_key').on(t.importId, t.uid, t.start, t.end)],
);

export type IcalConflictRow = typeof icalConflicts.$inferSelect;
