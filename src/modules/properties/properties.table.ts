import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { userIdColumn } from '../users/index.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const PROPERTY_TYPES = ['apartment', 'house', 'room', 'cabin', 'villa', 'other'] as const;
export const CANCELLATION_POLICIES = ['flexible', 'moderate', 'strict'] as const;
export const PROPERTY_STATUSES = ['draft', 'listed', 'unlisted'] as const;
/** `instant`: a paid booking is confirmed; `request`: the host accepts or declines each one. */
export const BOOKING_MODES = ['instant', 'request'] as const;

/**
 * Index choices (each query shape was checked with EXPLAIN on a seeded database):
 * - listed_newest / listed_price / listed_rating: partial btree indexes over listed,
 *   undeleted rows in each sort order, so an unfiltered page is an index range scan and
 *   a deep keyset page costs the same as the first.
 * - search_vector (GIN): full text `q`; generated from title (A), city (B), description (C).
 * - type_amenities (GIN over property_type and amenities, btree_gin): `amenities @> {…}`
 *   with or without a type; a GIN serves any subset of its columns. With a type, both
 *   narrow one scan, instead of reading every place with the amenities to drop the other
 *   types (or walking the newest index past thousands of places of other types).
 * - city (GIN trigram) and lower(city): resolve a searched name to the listed city names
 *   (exact or similar) once; listed_city_newest / listed_city_price / listed_city_rating
 *   then serve a city's pages in order without walking the whole country's index.
 * - listed_geo (GiST on point(longitude, latitude)): the bounding box of a radius search
 *   (`<@ box`, widened by the 0.005° rounding can move a point), refined by great-circle
 *   distance from the public point (2 decimals), so that radius searches reveal nothing
 *   finer than the published coordinates.
 * - host: the host's own list.
 * On 100,000 seeded places (EXPLAIN ANALYZE) every shape above is an index scan; the one
 * sequential scan left is a broad full-text term matching most rows, where reading the
 * table is cheaper than the GIN bitmap and every match must be ranked anyway.
 */
export const properties = pgTable(
  'properties',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hostId: uuid('host_id').notNull().references(userIdColumn),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    propertyType: text('property_type', { enum: PROPERTY_TYPES }).notNull(),
    addressLine1: text('address_line1').notNull(),
    city: text('city').notNull(),
    region: text('region').notNull().default(''),
    postalCode: text('postal_code').notNull().default(''),
    country: text('country').notNull(),
    latitude: doublePrecision('latitude').notNull(),
    longitude: doublePrecision('longitude').notNull(),
    timezone: text('timezone').notNull(),
    currency: text('currency').notNull(),
    nightlyPrice: integer('nightly_price').notNull(),
    cleaningFee: integer('cleaning_fee').notNull().default(0),
    weeklyDiscountPercent: smallint('weekly_discount_percent').notNull().default(0),
    /** Price of Friday and Saturday nights; null = nightlyPrice. */
    weekendPrice: integer('weekend_price'),
    /** Shortest stay, in nights, unless the check-in night's rule says otherwise. */
    minNights: smallint('min_nights').notNull().default(1),
    /** Longest stay, in nights (stays are also capped at 90 nights whatever the place says). */
    maxNights: smallint('max_nights').notNull().default(90),
    maxGuests: smallint('max_guests').notNull(),
    bedrooms: smallint('bedrooms').notNull().default(0),
    beds: smallint('beds').notNull().default(1),
    bathrooms: real('bathrooms').notNull().default(1),
    amenities: text('amenities')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    cancellationPolicy: text('cancellation_policy', { enum: CANCELLATION_POLICIES }).notNull().default('moderate'),
    status: text('status', { enum: PROPERTY_STATUSES }).notNull().default('draft'),
    bookingMode: text('booking_mode', { enum: BOOKING_MODES }).notNull().default('instant'),
    ratingSum: integer('rating_sum').notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    // Kept by the database from sum and count, so concurrent reviews stay exact.
    ratingAverage: numeric('rating_average', { precision: 3, scale: 2, mode: 'number' }).generatedAlwaysAs(
      sql`case when rating_count > 0 then round(rating_sum::numeric / rating_count, 2) end`,
    ),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(city, '')), 'B') || setweight(to_tsvector('english', coalesce(description, '')), 'C')`,
    ),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index('properties_host_idx')
      .on(t.hostId, t.createdAt.desc(), t.id.desc())
      .where(sql`deleted_at is null`),
    index('properties_listed_newest_idx')
      .on(t.createdAt.desc(), t.id.desc())
      .where(sql`status = 'listed' and deleted_at is null`),
    index('properties_listed_price_idx')
      .on(t.nightlyPrice, t.id)
      .where(sql`status = 'listed' and deleted_at is null`),
    index('properties_listed_rating_idx')
      .on(sql`coalesce(rating_average, -1) desc`, t.id.desc())
      .where(sql`status = 'listed' and deleted_at is null`),
    index('properties_search_idx').using('gin', t.searchVector),
    // btree_gin: one GIN over both columns, so amenities and a type narrow the same scan.
    // Not partial: a partial GIN is also a bitmap of every listed place, which the planner
    // would AND with the full-text bitmap (a scan of the whole index for nothing).
    index('properties_type_amenities_idx').using('gin', t.propertyType, t.amenities),
    index('properties_city_trgm_idx').using('gin', t.city.op('gin_trgm_ops')),
    index('properties_city_lower_idx').on(sql`lower(city)`),
    index('properties_listed_city_newest_idx')
      .on(t.city, t.createdAt.desc(), t.id.desc())
      .where(sql`status = 'listed' and deleted_at is null`),
    index('properties_listed_city_price_idx')
      .on(t.city, t.nightlyPrice, t.id, t.weekendPrice, t.maxGuests)
      .where(sql`status = 'listed' and deleted_at is null`),
    // A city's or a country's places sorted by price from the index alone: weekend_price
    // and max_guests after the key, for a stay's price and the guests filter (dated search
    // sorts candidates by the stay's price, no index can hold it).
    index('properties_listed_country_price_idx')
      .on(t.country, t.nightlyPrice, t.id, t.weekendPrice, t.maxGuests)
      .where(sql`status = 'listed' and deleted_at is null`),
    index('properties_listed_city_rating_idx')
      .on(t.city, sql`coalesce(rating_average, -1) desc`, t.id.desc())
      .where(sql`status = 'listed' and deleted_at is null`),
    // INCLUDE (latitude, longitude, created_at, id), written by migration 0037 (drizzle-kit
    // has no INCLUDE): a radius search's candidates come from the index alone.
    index('properties_listed_geo_idx')
      .using('gist', sql`point(longitude, latitude)`)
      .where(sql`status = 'listed' and deleted_at is null`),
    check('properties_price_check', sql`nightly_price > 0 and cleaning_fee >= 0`),
    check('properties_discount_check', sql`weekly_discount_percent between 0 and 50`),
    check(
      'properties_stay_rules_check',
      sql`(weekend_price is null or weekend_price > 0) and min_nights between 1 and 365 and max_nights between min_nights and 730`,
    ),
    check('properties_booking_mode_check', sql`booking_mode in ('instant', 'request')`),
  ],
);

export const CALENDAR_KINDS = ['block', 'booking', 'external'] as const;

/**
 * The calendar of a place: every occupied range, host blocks and bookings alike, as
 * [start, end) with `end` exclusive. One exclusion constraint over the active rows
 * (`property_calendar_no_overlap`, a custom migration: drizzle-kit cannot express it)
 * keeps a booking and a block, or two of either, from ever sharing a night. Releasing a
 * range (a removed block, a canceled booking) stamps `released_at` and frees its dates.
 * Its GiST index, (property_id, daterange(start_date, end_date, '[)')) over active rows,
 * serves every calendar read: search with dates, availability, the delete check.
 * `ref_id` is the booking of a booking range, unique among active ranges. An `external`
 * range is a night range an imported calendar (iCal) asks for; `source_id` is its feed.
 */
export const propertyCalendar = pgTable(
  'property_calendar',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    propertyId: uuid('property_id')
      .notNull()
      .references(() => properties.id),
    kind: text('kind', { enum: CALENDAR_KINDS }).notNull(),
    start: date('start_date', { mode: 'string' }).notNull(),
    end: date('end_date', { mode: 'string' }).notNull(),
    note: text('note'),
    refId: uuid('ref_id'),
    /** The imported feed an external range comes from (external ranges only). */
    sourceId: uuid('source_id'),
    /** The guest whose booking holds the range (bookings only). */
    occupantId: uuid('occupant_id').references(userIdColumn),
    /** Set when the booking is confirmed: its guest may see the exact address. */
    revealsLocation: boolean('reveals_location').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    releasedAt: timestamp('released_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    check('property_calendar_range_check', sql`start_date < end_date`),
    check('property_calendar_kind_check', sql`kind in ('block', 'booking', 'external')`),
    check('property_calendar_ref_check', sql`(kind = 'booking') = (ref_id is not null)`),
    check('property_calendar_source_check', sql`(kind = 'external') = (source_id is not null)`),
    index('property_calendar_occupant_idx')
      .on(t.occupantId, t.propertyId)
      .where(sql`reveals_location and released_at is null`),
    uniqueIndex('property_calendar_active_ref_idx')
      .on(t.refId)
      .where(sql`released_at is null`),
  ],
);

/**
 * Every lexeme of every listed place's search vector with the place's rank for that lexeme
 * alone (`ts_rank(search_vector, lexeme)`), kept by a trigger on `properties` (a custom
 * migration: 0035) from the search vector, status and deleted_at: a row exists exactly while
 * its place is listed and not deleted. Its key, (lexeme, rank, property_id), read backwards,
 * gives a one-word relevance search in `ts_rank` order, id as the tie-breaker, without
 * reading the matches' rows or ranking them (docs/performance.md, "full text").
 */
export const propertySearchTerms = pgTable(
  'property_search_terms',
  {
    lexeme: text('lexeme').notNull(),
    rank: real('rank').notNull(),
    propertyId: uuid('property_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.lexeme, t.rank, t.propertyId] })],
);

/** A property as read back: every column but the search vector. */
export type PropertyRow = Omit<typeof properties.$inferSelect, 'searchVector'>;
export type CalendarRangeRow = typeof propertyCalendar.$inferSelect;

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
