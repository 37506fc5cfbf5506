// Security: the IP block list, enforced on every request before routing and
// authentication, and the hourly sweep that flags addresses making too many requests or
// probing admin routes. Admins manage both over REST; addresses are shown with their
// country and city from an offline database.
import { defineModule } from '../../module.js';
import { auditModule } from '../audit/index.js';
import { securityJobs, securitySchedules } from './security.jobs.js';
import { securityRoutes } from './security.routes.js';
import { createSecurityService } from './security.service.js';
import { securitySettings } from './security.settings.js';
import { blockedIps, ipActivity, suspiciousIps } from './security.table.js';

export const securityModule = defineModule({
  name: 'security',
  dependsOn: [auditModule],
  tables: { blockedIps, ipActivity, suspiciousIps },
  settings: securitySettings,
  constraints: {},
  createService: ({ db, clock, audit, settings }) => createSecurityService({ db, clock, audit, settings }),
  requestGuard: (service) => service.guard,
  routes: (service) => (app) => securityRoutes(app, { security: service }),
  jobs: (service) => securityJobs(service),
  schedules: securitySchedules,
});
