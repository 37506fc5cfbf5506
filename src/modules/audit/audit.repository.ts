import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
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
    where.push(or(lt(auditLog.at, opts.after.at), and(eq(auditLog.at, opts.after.at), lt(auditLog.id, opts.after.id))));
  }
  return db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(opts.limit);
}
