// Listings: properties and their calendars (host blocks), search with its indexes, the
// availability view, and the caching of what readers see.
export { createPropertiesService, type PropertiesService, type SearchPage } from './properties.service.js';
export { propertiesRoutes } from './properties.routes.js';
export { propertiesGraphql } from './properties.graphql.js';
export { Property } from './properties.schemas.js';
