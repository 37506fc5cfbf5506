import { z } from 'zod';
import { pageQuerySchema } from '../../platform/pagination.js';
import type { AuditRow } from './audit.table.js';

export const AuditEntry = z
  .object({
    id: z.uuid(),
    at: z.iso.datetime(),
    actorId: z.uuid().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    ip: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const ListAuditQuery = pageQuerySchema.extend({
  action: z.string().max(100).optional().describe('Only entries with this action, e.g. `auth.login_failed`.'),
  actorId: z.uuid().optional().describe('Only entries by this actor.'),
});
export type ListAuditQuery = z.infer<typeof ListAuditQuery>;

export const toAuditDto = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: row.at.toISOString(),
  actorId: row.actorId,
  action: row.action,
  entity: row.entity,
  entityId: row.entityId,
  ip: row.ip,
  detail: row.detail,
});
