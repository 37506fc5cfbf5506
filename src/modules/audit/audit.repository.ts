import { and, desc, eq, gte, isNull, lt, ne, or, type SQL } from 'drizzle-orm';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { auditLog, type AuditRow } from './audit.table.js';

export type NewAuditRow = typeof auditLog.$inferInsert;

export async function insertAuditRow(db: Db, row: NewAuditRow): Promise<void> {
  await db.insert(auditLog).values(row);
}

/**
 * Audit rows newest first, after a keyset: filtered by action, actor, entity, address and
 * time (the admin list),
 * or about one entity leaving out those by `exceptActor` (a user's export reads their own
 * actions apart).
 */
export function findAuditRows(
  db: Db,
  opts: {
    limit: number;
    after?: { at: Date; id: string };
    action?: string;
    actorId?: string;
    entity?: string;
    entityId?: string;
    ip?: string;
    from?: Date;
    to?: Date;
    about?: { entity: string; entityId: string; exceptActor?: string };
  },
): Promise<AuditRow[]> {
  const where: (SQL | undefined)[] = [];
  if (opts.action) where.push(eq(auditLog.action, opts.action));
  if (opts.actorId) where.push(eq(auditLog.actorId, opts.actorId));
  if (opts.entity) where.push(eq(auditLog.entity, opts.entity));
  if (opts.entityId) where.push(eq(auditLog.entityId, opts.entityId));
  if (opts.ip) where.push(eq(auditLog.ip, opts.ip));
  if (opts.from) where.push(gte(auditLog.at, opts.from));
  if (opts.to) where.push(lt(auditLog.at, opts.to));
  if (opts.about) {
    const { entity, entityId, exceptActor } = opts.about;
    where.push(eq(auditLog.entity, entity), eq(auditLog.entityId, entityId));
    if (exceptActor) where.push(or(isNull(auditLog.actorId), ne(auditLog.actorId, exceptActor)));
  }
  if (opts.after) {
    where.push(afterDescending(auditLog.at, auditLog.id, [opts.after.at.toISOString(), opts.after.id]));
  }
  return db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(opts.limit);
}
