import type { RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import type { Page } from '../../platform/pagination.js';
import { createPropertyAccess, type PropertiesServiceDeps, type PropertyExtension } from './properties.access.js';
import { createExternalCalendar, type ExternalCalendarApi } from './properties.external.js';
import { createCalendar, type DatesClaim, type OccupiedRange, type ReserveDatesInput } from './properties.calendar.js';
import { createListing } from './properties.listing.js';
import { createPrices, type StayTerms } from './properties.prices.js';
import type { Calendar, CalendarPrices, CalendarQuery, SetCalendarPricesInput } from './properties.prices.schemas.js';
import type {
  AvailabilityQuery,
  Block,
  CreateBlockInput,
  CreatePropertyInput,
  HostPropertiesQuery,
  Property,
  SearchPropertiesQuery,
  UnavailableRange,
  UpdatePropertyInput,
} from './properties.schemas.js';
import { createSearch, type SearchPage } from './properties.search.js';

export type { PropertiesServiceDeps, PropertyExtension, PropertyExtras } from './properties.access.js';
export type { DatesClaim, OccupiedRange, ReserveDatesInput } from './properties.calendar.js';
export type { ExternalConflict, ExternalRangeInput, ExternalSyncResult } from './properties.external.js';
export type { SearchPage } from './properties.search.js';
export type { StayTerms } from './properties.prices.js';

/**
 * What other modules and the composition call of the properties module: listings, their
 * calendar and search. Other modules reserve and free a booking's dates with
 * `reserveDates` / `freeDates`, inside their own transaction; imported calendars write
 * their ranges with `replaceExternalRanges` (ExternalCalendarApi).
 */
export interface PropertiesApi extends ExternalCalendarApi {
  createProperty(input: CreatePropertyInput, ctx: RequestContext): Promise<Property>;
  getProperty(id: string, ctx: RequestContext): Promise<Property>;
  getPropertiesByIds(ids: readonly string[], ctx: RequestContext): Promise<Map<string, Property>>;
  updateProperty(id: string, input: UpdatePropertyInput, ctx: RequestContext): Promise<Property>;
  deleteProperty(id: string, ctx: RequestContext): Promise<void>;
  unlistHostPlaces(hostId: string, tx: Db, ctx: RequestContext): Promise<void>;
  hostPlaces(hostId: string): AsyncGenerator<Property>;
  listHostProperties(query: HostPropertiesQuery, ctx: RequestContext): Promise<Page<Property>>;
  addRating(tx: Db, propertyId: string, rating: number): Promise<void>;
  searchProperties(query: SearchPropertiesQuery, ctx: RequestContext): Promise<SearchPage>;
  getAvailability(
    id: string,
    query: AvailabilityQuery,
    ctx: RequestContext,
  ): Promise<{ unavailable: UnavailableRange[] }>;
  createBlock(id: string, input: CreateBlockInput, ctx: RequestContext): Promise<Block>;
  deleteBlock(id: string, blockId: string, ctx: RequestContext): Promise<void>;
  reserveDates<C extends DatesClaim>(tx: Db, input: ReserveDatesInput<C>): Promise<C>;
  freeDates(tx: Db, refIds: readonly string[]): Promise<number>;
  revealLocation(tx: Db, refId: string): Promise<number>;
  findOccupiedRanges(db: Db, propertyId: string, start: string, end: string): Promise<OccupiedRange[]>;
  /** A place's active ranges ending today or later (its zone) and starting within `daysAhead` days, for its calendar export (no occupant data); undefined when deleted or unknown. */
  calendarForExport(
    propertyId: string,
    daysAhead: number,
  ): Promise<{ ranges: { id: string; kind: string; start: string; end: string }[] } | undefined>;
  /** A value that changes after every commit changing the place's calendar (bookings, blocks) or the place. */
  calendarGeneration(propertyId: string): Promise<string>;
  /**
   * Another module's fields on every place answered from now on (photos, the caller's
   * wishlists): call it from that module's `createService`. See PropertyExtension.
   */
  extendProperties(extension: PropertyExtension): void;
  /** Sets the prices and minimum stays of ranges of nights (its host), replacing the overrides they overlap. */
  setCalendarPrices(id: string, input: SetCalendarPricesInput, ctx: RequestContext): Promise<CalendarPrices>;
  /** Each night of [from, to): its price, whether it is free, its minimum stay. */
  getCalendar(id: string, query: CalendarQuery, ctx: RequestContext): Promise<Calendar>;
  /**
   * The overrides of a stay's nights, read through `db`: call it inside the booking's
   * transaction once the calendar is locked (`reserveDates`' claim) to price the booking.
   */
  stayTerms(db: Db, propertyId: string, checkIn: string, checkOut: string): Promise<StayTerms>;
  /** The place for a change by its host: not found when the caller cannot see it, 403 when not theirs. */
  getOwnedProperty(id: string, ctx: RequestContext): Promise<Property>;
  /** Ends the cached detail of the place and every cached search page; call it after commit of a change to a `shared` extension's fields. */
  invalidateProperty(id: string): Promise<void>;
}

/** The properties module's use cases, sharing one cache and one view of who sees what. */
export function createPropertiesService(deps: PropertiesServiceDeps): PropertiesApi {
  const access = createPropertyAccess(deps);
  return {
    extendProperties: access.extendProperties,
    getOwnedProperty: access.ownedProperty,
    invalidateProperty: access.invalidateProperty,
    ...createListing(access),
    ...createCalendar(access),
    ...createExternalCalendar(access),
    ...createSearch(access),
    ...createPrices(access),
  };
}
