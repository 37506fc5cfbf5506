// Listings: properties and their calendar (host blocks and the dates bookings occupy, kept
// apart by one exclusion constraint), search with its indexes, the availability view, and
// the caching of what readers see. Other modules reach the calendar through the service's
// `reserveDates` / `freeDates` (inside their transaction), which also end what readers see
// of the place once that transaction commits. Every read answers as its caller may see the
// place: the street line, postal code and exact point only to its host, admins and guests
// whose confirmed booking's range reveals it (`revealLocation`); the caches hold the exact
// place, shared by all, and the view is made per request after them.
import { defineModule } from '../../module.js';
import { auditModule } from '../audit/index.js';
import { usersModule } from '../users/index.js';
import { propertiesGraphql } from './properties.graphql.js';
import { propertiesRoutes } from './properties.routes.js';
import { pricesGraphql } from './properties.prices.graphql.js';
import { pricesRoutes } from './properties.prices.routes.js';
import { seedProperties } from './properties.seed.js';
import { createPropertiesService } from './properties.service.js';
import { properties, propertyCalendar, propertyPriceOverrides, propertySearchTerms } from './properties.table.js';
import { propertiesConstraints } from './properties.errors.js';
import { propertyEvents } from './properties.events.js';

export {
  createPropertiesService,
  type PropertiesApi,
  type PropertyExtension,
  type PropertyExtras,
} from './properties.service.js';
export { type PropertyDeletedEvent } from './properties.events.js';
export { BOOKING_MODES, CANCELLATION_POLICIES } from './properties.table.js';
// Seeding: other modules' seed steps write their calendar ranges in bulk, with no service round trip.
export { addPropertyRatingsBulk, analyzeProperties } from './properties.repository.js';
export { insertCalendarRangesBulk, type CalendarRangeBulkRow } from './properties.calendar.repository.js';
export { type PropertiesSeeded, type SeededPlace } from './properties.seed.js';
export { Photo, Property } from './properties.schemas.js';
/** What an anonymous reader sees of a place's location (e-mails and reports may need it too). */
export { redactLocation } from './properties.policy.js';
export { SEED_CITIES, CITY_RADIUS_KM, AMENITIES, type SeedCity } from './properties.seed-data.js';

/** For other modules' foreign keys to a property. */
export const propertyIdColumn = () => properties.id;

export const propertiesModule = defineModule({
  name: 'properties',
  // users: the host of a listing, resolved by the GraphQL loader.
  dependsOn: [auditModule, usersModule],
  tables: { properties, propertyCalendar, propertyPriceOverrides, propertySearchTerms },
  openapi: { tags: [{ name: 'properties', description: 'Listings, calendars and search' }] },
  constraints: propertiesConstraints,
  createService: ({ db, cache, clock, audit, metrics, publish }) =>
    createPropertiesService({
      db,
      cache,
      clock,
      audit,
      publish,
      onCacheLookup: (name, hit) => metrics.cacheLookups.inc({ cache: name, result: hit ? 'hit' : 'miss' }),
    }),
  routes: (service) => async (app) => {
    await propertiesRoutes(app, { properties: service });
    await pricesRoutes(app, { properties: service });
  },
  graphql: (service, { users }) => {
    const listings = propertiesGraphql(service, users);
    const prices = pricesGraphql(service);
    const { Property, Mutation, ...rest } = listings.resolvers as Record<string, object>;
    return {
      typeDefs: `${listings.typeDefs}\n${prices.typeDefs}`,
      resolvers: {
        ...rest,
        Property: { ...Property, ...(prices.resolvers.Property as object) },
        Mutation: { ...Mutation, ...(prices.resolvers.Mutation as object) },
      },
      loaders: listings.loaders,
    };
  },
  seed: (run, { users }) => seedProperties(run, users.hosts),
  events: propertyEvents,
  personalData: (service) => [{ section: 'places', rows: (userId) => service.hostPlaces(userId) }],
  onAccountClosed: (service) => (userId, tx, ctx) => service.unlistHostPlaces(userId, tx, ctx),
});
