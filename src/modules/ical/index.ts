// iCal: each place's secret calendar feed (RFC 5545) of its busy dates, its link and the
// link's rotation by the host; and the external calendars hosts import (up to 5 a place),
// fetched every ICAL_SYNC_MINUTES through the SSRF-guarded fetcher and applied to the
// place's calendar as `external` ranges (properties' replaceExternalRanges). The feed is
// rendered from the properties module's calendar and cached by its calendar generation.
import { defineModule } from '../../module.js';
import { auditModule } from '../audit/index.js';
import { propertiesModule } from '../properties/index.js';
import { usersModule } from '../users/index.js';
import { icalConstraints } from './ical.errors.js';
import { icalGraphql } from './ical.graphql.js';
import { icalImportRoutes } from './ical.imports.routes.js';
import { icalJobs, icalSchedules } from './ical.jobs.js';
import { icalRoutes } from './ical.routes.js';
import { createIcalService } from './ical.service.js';
import { icalSettings } from './ical.settings.js';
import { icalConflicts, icalExports, icalImports } from './ical.table.js';

export const icalModule = defineModule({
  name: 'ical',
  // properties: the place's owner, its calendar and its calendar generation; audit: rotations;
  // users: the host's address for conflict e-mails.
  dependsOn: [auditModule, propertiesModule, usersModule],
  tables: { icalExports, icalImports, icalConflicts },
  settings: icalSettings,
  openapi: { tags: [{ name: 'ical', description: 'Calendar feeds (iCal) of places: export and import' }] },
  constraints: icalConstraints,
  createService: ({ db, cache, clock, config, audit, properties, users, mailer, settings }) =>
    createIcalService({ db, cache, clock, audit, properties, users, mailer, settings, publicUrl: config.publicUrl }),
  routes: (service) => async (app) => {
    await icalRoutes(app, { ical: service });
    await icalImportRoutes(app, { ical: service });
  },
  graphql: (service) => icalGraphql(service),
  jobs: (service) => icalJobs(service),
  schedules: icalSchedules,
  // A deleted place's link and imports go in the delete's transaction: its URL answers 404 at once.
  listens: (service) => ({ 'property.deleted': (tx, event) => service.onPropertyDeleted(tx, event) }),
});
