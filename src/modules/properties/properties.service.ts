import { z } from 'zod';
import { bumpGeneration, cached, currentGeneration, type Cache } from '../../platform/cache/cache.js';
import type { Clock } from '../../platform/clock.js';
import { requireActor, type RequestContext } from '../../platform/context.js';
import { daysBetween, todayIn } from '../../platform/dates.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { keysetRows, mapRows } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { mapConstraintError } from '../../platform/errors.js';
import { decodeCursor, invalidCursor, toPage, type Page } from '../../platform/pagination.js';
import { int4, isFloat4, isoInstant } from '../../platform/validation.js';
import type { AuditService } from '../audit/index.js';
import {
  blockInPast,
  blockNotFound,
  blockTooLong,
  notAHost,
  notPropertyOwner,
  propertiesConstraints,
  propertyHasBookings,
  propertyNotFound,
} from './properties.errors.js';
import { canView, isOwner, locationAccess, mergeUnavailable, redactLocation } from './properties.policy.js';
import * as repo from './properties.repository.js';
import {
  toBlockDto,
  toPropertyDto,
  type AvailabilityQuery,
  type Block,
  type CreateBlockInput,
  type CreatePropertyInput,
  type ExactProperty,
  type HostPropertiesQuery,
  type Property,
  type SearchPropertiesQuery,
  type SearchSort,
  type UnavailableRange,
  type UpdatePropertyInput,
} from './properties.schemas.js';
import type { CalendarRangeRow, PropertyRow } from './properties.table.js';

export interface PropertiesServiceDeps {
  db: Db;
  cache: Cache;
  clock: Clock;
  audit: AuditService;
  onCacheLookup?: (cache: string, hit: boolean) => void;
  /** How long a search page may be served from cache (writes also invalidate it). */
  searchTtlMs?: number;
}

export type PropertiesService = ReturnType<typeof createPropertiesService>;
/** A search page with the cursor after each row, for GraphQL edges. */
export type SearchPage = Page<Property> & { cursors: string[] };
/** A search page as cached: shared by every caller, so exact. */
type ExactSearchPage = Page<ExactProperty> & { cursors: string[] };

/** Dates another module occupies on a place's calendar: [start, end), `end` exclusive. */
export interface OccupyDatesInput {
  propertyId: string;
  start: string;
  end: string;
  kind: 'booking';
  /** The booking holding the dates; its range is released by this id. */
  refId: string;
  /** The guest of the booking: once the range reveals the location, they see the exact address. */
  occupantId: string;
}
/** An active range of the calendar: a host block, or the dates a booking (`refId`) holds. */
export interface OccupiedRange {
  id: string;
  kind: 'block' | 'booking';
  start: string;
  end: string;
  refId: string | null;
}
/** A range to release: every active range of a booking, or one range by its id. */
export type ReleaseDatesInput = { refId: string } | { rangeId: string };

const DETAIL_TTL_MS = 10 * 60_000;
const SEARCH_GENERATION_KEY = 'properties:search-generation';
// A cursor's value goes into SQL cast to its sort key's type, so each sort admits only
// values of that type: an instant, an int4 price, a numeric rating, a float4 rank.
const searchCursor = z.union([
  z.tuple([z.literal('newest'), isoInstant, z.uuid()]),
  z.tuple([z.enum(['price_asc', 'price_desc']), int4(), z.uuid()]),
  z.tuple([z.literal('rating'), z.string().regex(/^-?\d{1,6}(\.\d{1,6})?$/), z.uuid()]),
  z.tuple([z.literal('relevance'), z.number().refine(isFloat4), z.uuid()]),
]);
const hostCursor = z.tuple([isoInstant, z.uuid()]);

export function createPropertiesService(deps: PropertiesServiceDeps) {
  const { db, cache, clock, audit, onCacheLookup } = deps;
  const detailKey = (id: string) => `property:${id}`;
  const detailGeneration = (id: string) => `property-gen:${id}`;

  // Property detail is cached until a write changes it; search pages for a short while.
  // Both are keyed by generations that every write bumps after commit, so a fill that
  // raced a write can never be served.
  const loadProperty = cached<[string], ExactProperty>(
    {
      cache,
      name: 'property',
      ttlMs: DETAIL_TTL_MS,
      key: detailKey,
      generationKey: detailGeneration,
      onLookup: onCacheLookup,
    },
    async (id) => {
      const row = await repo.findPropertyById(db, id);
      return row && toPropertyDto(row);
    },
  );

  // Every write bumps the search generation; read once per search, it keys both the page
  // and the city names it resolves (a write can list the first place of a city).
  const searchGeneration = async () =>
    currentGeneration(cache, SEARCH_GENERATION_KEY, await cache.get(SEARCH_GENERATION_KEY));

  const runSearch = cached<[SearchPropertiesQuery, string], ExactSearchPage>(
    {
      cache,
      name: 'search',
      ttlMs: deps.searchTtlMs ?? 15_000,
      onLookup: onCacheLookup,
      key: (query, generation) => `properties:search:${generation}:${normalisedQuery(query)}`,
    },
    (query, generation) => searchUncached(query, generation),
  );

  const resolveCity = cached<[string, string], string[]>(
    {
      cache,
      name: 'city',
      ttlMs: 5 * 60_000,
      key: (name, generation) => `properties:city:${generation}:${name.toLowerCase()}`,
      onLookup: onCacheLookup,
    },
    (name) => repo.findCityNames(db, name),
  );

  async function searchUncached(query: SearchPropertiesQuery, generation: string): Promise<ExactSearchPage> {
    const sort: SearchSort = query.sort ?? (query.q ? 'relevance' : 'newest');
    let after: repo.SearchAfter | undefined;
    if (query.cursor) {
      const [cursorSort, value, id] = decodeCursor(query.cursor, searchCursor);
      if (cursorSort !== sort) throw invalidCursor();
      after = [value, id];
    }
    const cities = query.city ? await resolveCity(query.city, generation) : undefined;
    if (cities?.length === 0) return { data: [], page: { nextCursor: null, hasMore: false }, cursors: [] };
    const rows = await repo.searchProperties(
      db,
      {
        q: query.q,
        cities,
        country: query.country,
        minPrice: query.minPrice,
        maxPrice: query.maxPrice,
        guests: query.guests,
        stay: query.checkIn && query.checkOut ? { checkIn: query.checkIn, checkOut: query.checkOut } : undefined,
        amenities: query.amenities,
        propertyType: query.propertyType,
        near:
          query.lat !== undefined && query.lng !== undefined && query.radiusKm !== undefined
            ? { lat: query.lat, lng: query.lng, radiusKm: query.radiusKm }
            : undefined,
      },
      sort,
      query.limit + 1,
      after,
    );
    return toPage(rows, query.limit, (r) => [sort, cursorValue(sort, r), r.id], toPropertyDto);
  }

  /** Ends the cached detail of the property and every cached search page. Call it after commit. */
  async function invalidateProperty(id: string): Promise<void> {
    await Promise.all([bumpGeneration(cache, detailGeneration(id)), bumpGeneration(cache, SEARCH_GENERATION_KEY)]);
  }

  /** A calendar change shows in dated searches only: the detail does not carry the calendar. */
  async function invalidateCalendar(): Promise<void> {
    await bumpGeneration(cache, SEARCH_GENERATION_KEY);
  }

  /**
   * Locks the place's calendar until `tx` ends (not found when it does not exist or is
   * deleted). Writers of one calendar take turns, so racing overlapping writes end in one
   * winner and conflicts, never in a deadlock.
   */
  async function lockCalendar(tx: Db, propertyId: string): Promise<void> {
    if (!(await repo.lockPropertyForCalendar(tx, propertyId))) throw propertyNotFound();
  }

  /**
   * Puts a range on the calendar inside the caller's transaction (or one of its own). The
   * calendar is locked until commit (lockCalendar), so a concurrent delete either sees this
   * range or is seen by it; the exclusion constraint turns any overlap with an active
   * range, of either kind, into `datesOverlap`.
   */
  async function occupy(db: Db, range: repo.NewCalendarRange): Promise<CalendarRangeRow> {
    return withTransaction(db, async (tx, { afterCommit }) => {
      await lockCalendar(tx, range.propertyId);
      let row: CalendarRangeRow;
      try {
        row = await repo.insertCalendarRange(tx, range);
      } catch (e) {
        throw mapConstraintError(e, propertiesConstraints);
      }
      afterCommit(invalidateCalendar);
      return row;
    });
  }

  /**
   * The places as the caller may see them: exact or with the location redacted (see
   * `locationAccess`). Anonymous callers, hosts and admins cost no query; anyone else one
   * query for the whole list, whatever its length. Callers pass the shared, exact DTOs
   * (cached for everyone) and get new objects: nothing cached is changed.
   */
  async function withLocationPrivacy(list: ExactProperty[], ctx: RequestContext): Promise<Property[]> {
    const access = list.map((p) => locationAccess(p, ctx));
    const asking = [...new Set(list.filter((_, i) => access[i] === 'calendar').map((p) => p.id))];
    const revealed =
      asking.length > 0 && ctx.actor ? await repo.findRevealedPropertyIds(db, ctx.actor.id, asking) : new Set<string>();
    return list.map((p, i) =>
      access[i] === 'exact' || (access[i] === 'calendar' && revealed.has(p.id)) ? p : redactLocation(p),
    );
  }

  /** The property if the caller may see it, else not found (a draft does not exist for others). */
  async function visibleProperty(id: string, ctx: RequestContext): Promise<ExactProperty> {
    const property = await loadProperty(id);
    if (!property || !canView(property, ctx.actor)) throw propertyNotFound();
    return property;
  }

  /** The property for a write by its host: 404 when invisible, 403 when visible but not theirs. */
  async function ownedProperty(id: string, ctx: RequestContext): Promise<ExactProperty> {
    const actor = requireActor(ctx);
    const property = await visibleProperty(id, ctx);
    if (!isOwner(property, actor)) throw notPropertyOwner();
    return property;
  }

  return {
    async createProperty(input: CreatePropertyInput, ctx: RequestContext): Promise<Property> {
      const actor = requireActor(ctx);
      if (actor.role !== 'host') throw notAHost();
      const { address, ...fields } = input;
      const row = await withTransaction(db, async (tx, { afterCommit }) => {
        const created = await repo.insertProperty(tx, {
          ...fields,
          hostId: actor.id,
          addressLine1: address.line1,
          city: address.city,
          region: address.region,
          postalCode: address.postalCode,
          country: address.country,
        });
        afterCommit(() => invalidateProperty(created.id));
        return created;
      });
      return toPropertyDto(row);
    },

    /** The property as the caller may see it (location privacy applied), else not found. */
    async getProperty(id: string, ctx: RequestContext): Promise<Property> {
      const [shown] = await withLocationPrivacy([await visibleProperty(id, ctx)], ctx);
      return shown!;
    },

    /**
     * Properties by id for batch loading (GraphQL), as the caller may see them: only those
     * they may view, location privacy applied. Two queries for any number of ids.
     */
    async getPropertiesByIds(ids: readonly string[], ctx: RequestContext): Promise<Map<string, Property>> {
      const rows = await repo.findPropertiesByIds(db, ids);
      const visible = rows.map(toPropertyDto).filter((p) => canView(p, ctx.actor));
      return new Map((await withLocationPrivacy(visible, ctx)).map((p) => [p.id, p]));
    },

    async updateProperty(id: string, input: UpdatePropertyInput, ctx: RequestContext): Promise<Property> {
      const current = await ownedProperty(id, ctx);
      const { address, ...fields } = input;
      const merged = address ? { ...current.address, ...address } : undefined;
      const row = await withTransaction(db, async (tx, { afterCommit }) => {
        const updated = await repo.updateProperty(tx, id, {
          ...fields,
          ...(merged && {
            addressLine1: merged.line1,
            city: merged.city,
            region: merged.region,
            postalCode: merged.postalCode,
            country: merged.country,
          }),
        });
        if (!updated) throw propertyNotFound();
        afterCommit(() => invalidateProperty(id));
        return updated;
      });
      return toPropertyDto(row);
    },

    /**
     * Soft-deletes the property unless a booking of it ends after today (property time
     * zone). The delete's row update comes first: it waits for any transaction occupying
     * dates (which locks the row, lockCalendar), so the check below sees every committed booking.
     */
    async deleteProperty(id: string, ctx: RequestContext): Promise<void> {
      const property = await ownedProperty(id, ctx);
      await withTransaction(db, async (tx, { afterCommit }) => {
        if (!(await repo.softDeleteProperty(tx, id))) throw propertyNotFound();
        if (await repo.hasBookingEndingAfter(tx, id, todayIn(property.timezone, clock.now()))) {
          throw propertyHasBookings();
        }
        await audit.record(ctx, { action: 'property.deleted', entity: 'property', entityId: id }, tx);
        afterCommit(() => invalidateProperty(id));
      });
    },

    /**
     * Takes every listed place of a host off the market inside the caller's transaction
     * (the host closed their account); readers stop seeing them once it commits.
     */
    async unlistHostPlaces(hostId: string, tx: Db, ctx: RequestContext): Promise<void> {
      await withTransaction(tx, async (tx, { afterCommit }) => {
        const ids = await repo.unlistHostProperties(tx, hostId);
        for (const id of ids) {
          await audit.record(ctx, { action: 'property.unlisted', entity: 'property', entityId: id }, tx);
        }
        if (ids.length > 0) afterCommit(() => Promise.all(ids.map((id) => invalidateProperty(id))));
      });
    },

    /** A host's places, every status but deleted, exact (their personal-data export). */
    hostPlaces(hostId: string): AsyncGenerator<Property> {
      return mapRows(
        keysetRows<PropertyRow, { createdAt: string; id: string }>(
          (after, limit) => repo.findPropertiesByHost(db, { hostId, limit, after }),
          (r) => ({ createdAt: r.createdAt.toISOString(), id: r.id }),
        ),
        toPropertyDto,
      );
    },

    /** The signed-in host's own places: every one exact, as their host sees it. */
    async listHostProperties(query: HostPropertiesQuery, ctx: RequestContext): Promise<Page<Property>> {
      const actor = requireActor(ctx);
      if (actor.role !== 'host') throw notAHost();
      const after = query.cursor ? decodeCursor(query.cursor, hostCursor) : undefined;
      const rows = await repo.findPropertiesByHost(db, {
        hostId: actor.id,
        status: query.status,
        limit: query.limit + 1,
        after: after && { createdAt: after[0], id: after[1] },
      });
      return toPage(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id], toPropertyDto);
    },

    /**
     * A page of listed places as the caller may see them. The page is cached exact and
     * shared by everyone (radius search measures from the public, rounded point for every
     * caller, admins too); privacy is applied to each answer after the cache, so no caller's
     * view is ever stored.
     */
    async searchProperties(query: SearchPropertiesQuery, ctx: RequestContext): Promise<SearchPage> {
      const page = (await runSearch(query, await searchGeneration()))!;
      return { ...page, data: await withLocationPrivacy(page.data, ctx) };
    },

    async getAvailability(
      id: string,
      query: AvailabilityQuery,
      ctx: RequestContext,
    ): Promise<{ unavailable: UnavailableRange[] }> {
      await visibleProperty(id, ctx);
      const occupied = await repo.findCalendarRangesOverlapping(db, id, query.from, query.to);
      const ranges = occupied.map((r): UnavailableRange => ({
        start: r.start,
        end: r.end,
        reason: r.kind === 'booking' ? 'booked' : 'blocked',
      }));
      return { unavailable: mergeUnavailable(ranges, query.from, query.to) };
    },

    async createBlock(id: string, input: CreateBlockInput, ctx: RequestContext): Promise<Block> {
      const property = await ownedProperty(id, ctx);
      if (input.start < todayIn(property.timezone, clock.now())) throw blockInPast();
      if (daysBetween(input.start, input.end) > 366) throw blockTooLong();
      const row = await occupy(db, {
        propertyId: id,
        kind: 'block',
        start: input.start,
        end: input.end,
        note: input.note ?? null,
      });
      return toBlockDto(row);
    },

    async deleteBlock(id: string, blockId: string, ctx: RequestContext): Promise<void> {
      await ownedProperty(id, ctx);
      await withTransaction(db, async (tx, { afterCommit }) => {
        const released = await repo.releaseCalendarRanges(tx, 'block', { rangeId: blockId, propertyId: id });
        if (released.length === 0) throw blockNotFound();
        afterCommit(invalidateCalendar);
      });
    },

    /**
     * Occupies [start, end) of a place for another module (a booking), in `tx`, and
     * returns the range's id. Throws `datesOverlap` (409 dates_unavailable) when any night
     * is taken by an active block or booking — decided by the database, so concurrent
     * callers cannot both win — and not found when the place does not exist or is deleted.
     * Rules about who may book what, and when, are the caller's. A failure aborts the
     * caller's transaction, as any failed statement does.
     */
    async occupyDates(tx: Db, input: OccupyDatesInput): Promise<string> {
      const row = await occupy(tx, {
        propertyId: input.propertyId,
        kind: input.kind,
        start: input.start,
        end: input.end,
        refId: input.refId,
        occupantId: input.occupantId,
      });
      return row.id;
    },

    /**
     * The active ranges (blocks and bookings) of a place overlapping [start, end), in date
     * order, read through `db` (a transaction sees its own writes). For callers deciding
     * availability by rules of their own, such as overdue booking holds counting as free.
     */
    async findOccupiedRanges(db: Db, propertyId: string, start: string, end: string): Promise<OccupiedRange[]> {
      const rows = await repo.findCalendarRangesOverlapping(db, propertyId, start, end);
      return rows.map((r) => ({ id: r.id, kind: r.kind, start: r.start, end: r.end, refId: r.refId }));
    },

    /**
     * From this transaction's commit on, the occupant of the booking's active range (its
     * guest) sees the place's exact address and point. Call it when the booking is
     * confirmed; releasing the range ends it. Returns 0 when no active range has that id.
     */
    /**
     * Locks the place's calendar in `tx` until it ends. A module that writes rows of its own
     * under an exclusion constraint of their own (bookings) takes it before those writes and
     * before occupyDates, so racing writers take turns instead of deadlocking.
     */
    lockCalendar,

    revealLocation: (tx: Db, refId: string): Promise<number> => repo.revealCalendarLocation(tx, refId),

    /**
     * Frees the dates of a booking range (by the booking's id, or the range's), in `tx`.
     * Returns how many ranges were released: 0 when none was active, so a repeat is harmless.
     */
    async releaseDates(tx: Db, which: ReleaseDatesInput): Promise<number> {
      return withTransaction(tx, async (tx, { afterCommit }) => {
        const released = await repo.releaseCalendarRanges(tx, 'booking', which);
        if (released.length > 0) afterCommit(invalidateCalendar);
        return released.length;
      });
    },

    /**
     * Adds a review's rating (1–5) to the place's sum and count in `tx`, as one atomic
     * UPDATE (the average is a generated column of the same row), and ends the cached
     * detail and search pages once `tx` commits. Not found when the place does not exist.
     */
    async addRating(tx: Db, propertyId: string, rating: number): Promise<void> {
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new RangeError('addRating: 1 to 5');
      await withTransaction(tx, async (tx, { afterCommit }) => {
        if (!(await repo.addPropertyRating(tx, propertyId, rating))) throw propertyNotFound();
        afterCommit(() => invalidateProperty(propertyId));
      });
    },

    /**
     * Ends the cached detail and search pages showing the property. For modules writing
     * what the property shows: register it with `afterCommit` of their transaction.
     */
    invalidateProperty,
  };
}

function cursorValue(sort: SearchSort, row: PropertyRow & { sortKey: number | string }): number | string {
  switch (sort) {
    case 'newest':
      return row.createdAt.toISOString();
    case 'price_asc':
    case 'price_desc':
      return row.nightlyPrice;
    case 'rating':
      return String(row.sortKey);
    case 'relevance':
      return Number(row.sortKey);
  }
}

/** The same search written two ways gets one cache key. */
function normalisedQuery(query: SearchPropertiesQuery): string {
  const entries = Object.entries({ ...query, amenities: query.amenities?.slice().sort().join(',') })
    .filter(([, v]) => v !== undefined && v !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString();
}
