// The audit trail: an append-only record of sensitive actions (logins, role changes,
// suspensions, cancellations, refunds, admin actions), written by the other modules and
// read by admins at GET /v1/admin/audit.
export { createAuditService, type AuditEvent, type AuditService } from './audit.service.js';
export { AuditEntry, ListAuditQuery } from './audit.schemas.js';
export { auditRoutes } from './audit.routes.js';
