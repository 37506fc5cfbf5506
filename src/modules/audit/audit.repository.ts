import { and, desc, eq, isNull, ne, or, type SQL } from 'drizzle-orm';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { auditLog, type AuditRow } from './audit.table.js';

export type NewAuditRow = typeof auditLog.$inferInsert;

export async function insertAuditRow(db: Db, row: NewAuditRow): Promise<void> {
  await db.insert(auditLog).values(row);
}

export function findAuditRows(
  db: Db,
  opts: { limit: number; after?: { at: Date; id: string }; action?: string; actorId?: string },
): Promise<AuditRow[]> {
  const where: (SQL | undefined)[] = [];
  if (opts.action) where.push(eq(auditLog.action, opts.action));
  if (opts.actorId) where.push(eq(auditLog.actorId, opts.actorId));
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

/**
 * Rows about one entity (newest first, after a keyset), leaving out those by `exceptActor`
 * (a user's export reads their own actions apart).
 */
export function findAuditRowsAbout(
  db: Db,
  opts: { entity: string; entityId: string; exceptActor?: string; limit: number; after?: { at: Date; id: string } },
): Promise<AuditRow[]> {
  const where: (SQL | undefined)[] = [eq(auditLog.entity, opts.entity), eq(auditLog.entityId, opts.entityId)];
  if (opts.exceptActor) where.push(or(isNull(auditLog.actorId), ne(auditLog.actorId, opts.exceptActor)));
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
