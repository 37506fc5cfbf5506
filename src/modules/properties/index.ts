// Listings: properties and their calendar (host blocks and the dates bookings occupy, kept
// apart by one exclusion constraint), search with its indexes, the availability view, and
// the caching of what readers see. Other modules reach the calendar through the service's
// `occupyDates` / `releaseDates` (inside their transaction) and clear what readers see of a
// place with `invalidateProperty` (after their commit).
export {
  createPropertiesService,
  type OccupyDatesInput,
  type PropertiesService,
  type ReleaseDatesInput,
  type SearchPage,
} from './properties.service.js';
export { propertiesConstraints } from './properties.errors.js';
export { propertiesRoutes } from './properties.routes.js';
export { propertiesGraphql } from './properties.graphql.js';
export { Property } from './properties.schemas.js';
