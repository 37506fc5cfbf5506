import { z } from 'zod';
import { pageQuerySchema } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
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

/** An entry as admins list it: with where its address is. */
export const AdminAuditEntry = AuditEntry.extend({
  location: z
    .object({ country: z.string().length(2).describe('ISO 3166-1 alpha-2'), city: z.string().nullable() })
    .nullable()
    .describe('Where `ip` is, from an offline database (DB-IP Lite); null for private or unknown addresses.'),
}).meta({ id: 'AdminAuditEntry' });
export type AdminAuditEntry = z.infer<typeof AdminAuditEntry>;

export const ListAuditQuery = pageQuerySchema
  .extend({
    action: z.string().max(100).optional().describe('Only entries with this action, e.g. `auth.login_failed`.'),
    actorId: z.uuid().optional().describe('Only entries by this actor.'),
    entity: z
      .string()
      .max(50)
      .optional()
      .describe('Only entries about this kind of thing, e.g. `user`, `booking`, `ip`.'),
    entityId: z.string().max(100).optional().describe('Only entries about this one (with `entity`).'),
    ip: z.string().max(64).optional().describe('Only entries from this client address.'),
    from: isoInstant.optional().describe('Only entries at or after this instant.'),
    to: isoInstant.optional().describe('Only entries before this instant.'),
  })
  .refine((q) => q.entityId === undefined || q.entity !== undefined, {
    path: ['entityId'],
    message: 'entityId needs entity',
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'to must be after from',
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
