import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { propertyIdColumn } from '../properties/index.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const PHOTO_STATUSES = ['processing', 'ready', 'failed'] as const;
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];

/**
 * A photo of a place. The uploaded original waits in the media store under `original_key`
 * until the processing job has made the variants (then it is deleted and the column
 * cleared); the variants are `<key_prefix>-<width>.webp`, content-addressed (the prefix is
 * `<placeId>/<sha256 of the original>`, or `shared/<sha256>` for the seeder's pool that
 * many places point at), so an object is deleted only once no row names its prefix.
 * Positions are 0..n-1 per place, kept dense by the service under a per-place lock.
 *
 * Index choices: `photos_property_position_idx` serves a place's list in order (and the
 * count against the 50-photo limit); `photos_ready_cover_idx`, partial on ready rows, gives
 * a page of places their covers in one `distinct on` scan; `photos_key_prefix_idx` is the
 * deletion job's "does any row still use these objects" look-up.
 */
export const photos = pgTable(
  'photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    propertyId: uuid('property_id').notNull().references(propertyIdColumn),
    status: text('status', { enum: PHOTO_STATUSES }).notNull().default('processing'),
    position: integer('position').notNull(),
    caption: text('caption'),
    /** The media type read from the original's bytes. */
    originalType: text('original_type').notNull(),
    originalKey: text('original_key'),
    keyPrefix: text('key_prefix').notNull(),
    width: integer('width'),
    height: integer('height'),
    blurhash: text('blurhash'),
    failureReason: text('failure_reason'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('photos_property_position_idx').on(t.propertyId, t.position),
    index('photos_ready_cover_idx')
      .on(t.propertyId, t.position)
      .where(sql`status = 'ready'`),
    index('photos_key_prefix_idx').on(t.keyPrefix),
    check('photos_status_check', sql`status in ('processing', 'ready', 'failed')`),
    check('photos_position_check', sql`position >= 0`),
    check('photos_caption_check', sql`char_length(caption) <= 200`),
    check(
      'photos_ready_check',
      sql`status <> 'ready' or (width is not null and height is not null and blurhash is not null)`,
    ),
  ],
);

export type PhotoRow = typeof photos.$inferSelect;
export type NewPhotoRow = typeof photos.$inferInsert;
