// iCal: each place's secret calendar feed (RFC 5545) of its busy dates, its link and the
// link's rotation by the host. The feed is rendered from the properties module's calendar
// and cached by the place's calendar generation. Imported calendars will live here too.
import { defineModule } from '../../module.js';
import { auditModule } from '../audit/index.js';
import { propertiesModule } from '../properties/index.js';
import { icalConstraints } from './ical.errors.js';
import { icalGraphql } from './ical.graphql.js';
import { icalRoutes } from './ical.routes.js';
import { createIcalService } from './ical.service.js';
import { icalExports } from './ical.table.js';

export const icalModule = defineModule({
  name: 'ical',
  // properties: the place's owner, its calendar and its calendar generation; audit: rotations.
  dependsOn: [auditModule, propertiesModule],
  tables: { icalExports },
  openapi: { tags: [{ name: 'ical', description: 'Calendar feeds (iCal) of places' }] },
  constraints: icalConstraints,
  createService: ({ db, cache, clock, config, audit, properties }) =>
    createIcalService({ db, cache, clock, audit, properties, publicUrl: config.publicUrl }),
  routes: (service) => (app) => icalRoutes(app, { ical: service }),
  graphql: (service) => icalGraphql(service),
  // A deleted place's link goes in the delete's transaction: its URL answers 404 at once.
  listens: (service) => ({ 'property.deleted': (tx, event) => service.onPropertyDeleted(tx, event) }),
});
