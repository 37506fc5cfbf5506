// The audit trail: an append-only record of sensitive actions (logins, role changes,
// suspensions, cancellations, refunds, admin actions), written by the other modules and
// read by admins at GET /v1/admin/audit. Also the admins' view of the job outbox
// (GET /v1/admin/jobs, retry of dead jobs) and of the e-mail delivery log (keys in doubt
// and their resolution), which live here because every retry or resolution is an audited
// admin action and the outbox and the mailer are platform code no module owns.
import { defineModule } from '../../module.js';
import { auditRoutes } from './audit.routes.js';
import { createAuditService } from './audit.service.js';
import { auditLog } from './audit.table.js';
import { jobsAdminRoutes } from './jobs.routes.js';
import { createJobsAdminService } from './jobs.service.js';
import { mailAdminRoutes } from './mail.routes.js';
import { createMailAdminService } from './mail.service.js';

export { createAuditService, type AuditService } from './audit.service.js';

export const auditModule = defineModule({
  name: 'audit',
  dependsOn: [],
  tables: { auditLog },
  openapi: { tags: [{ name: 'admin', description: 'Administration (admins only)' }] },
  constraints: {},
  createService: ({ db, clock, config }) => {
    const audit = createAuditService({ db });
    return Object.assign(audit, {
      jobs: createJobsAdminService({ db, clock, audit }),
      mail: createMailAdminService({ db, clock, audit, sendingTimeoutMs: config.mail.sendingTimeoutMs }),
    });
  },
  routes: (service) => async (app) => {
    await auditRoutes(app, { audit: service });
    await jobsAdminRoutes(app, { jobs: service.jobs });
    await mailAdminRoutes(app, { mail: service.mail });
  },
  personalData: (service) => [{ section: 'auditTrail', rows: (userId) => service.rowsAboutUser(userId) }],
});
