// The audit trail: an append-only record of sensitive actions (logins, role changes,
// suspensions, cancellations, refunds, admin actions), written by the other modules and
// read by admins at GET /v1/admin/audit.
import { defineModule } from '../../module.js';
import { auditRoutes } from './audit.routes.js';
import { createAuditService } from './audit.service.js';
import { auditLog } from './audit.table.js';

export { createAuditService, type AuditEvent, type AuditService } from './audit.service.js';
export { AuditEntry, ListAuditQuery } from './audit.schemas.js';

export const auditModule = defineModule({
  name: 'audit',
  dependsOn: [],
  tables: { auditLog },
  createService: ({ db }) => createAuditService({ db }),
  routes: (service) => (app) => auditRoutes(app, { audit: service }),
});
