import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { icalConflicts, icalImports, type IcalImportRow, type ImportedRange } from './ical.table.js';

/** Makes the place's imports' writers take turns until the transaction ends (the 5-feed limit). */
export async function lockPlaceImports(db: Db, propertyId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`ical-imports:${propertyId}`}))`);
}

export async function countImports(db: Db, propertyId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(icalImports)
    .where(eq(icalImports.propertyId, propertyId));
  return row?.n ?? 0;
}

export async function insertImport(
  db: Db,
  row: { propertyId: string; url: string; name: string; nextSyncAt: Date },
): Promise<IcalImportRow> {
  const [created] = await db.insert(icalImports).values(row).returning();
  return created!;
}

/** The place's imports, oldest first (at most 5). */
export function listImports(db: Db, propertyId: string): Promise<IcalImportRow[]> {
  return db
    .select()
    .from(icalImports)
    .where(eq(icalImports.propertyId, propertyId))
    .orderBy(asc(icalImports.createdAt), asc(icalImports.id));
}

/** One import, locked until the transaction ends when `forUpdate`. */
export async function findImport(db: Db, id: string, forUpdate = false): Promise<IcalImportRow | undefined> {
  const query = db.select().from(icalImports).where(eq(icalImports.id, id));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

export async function deleteImport(db: Db, id: string, propertyId: string): Promise<boolean> {
  const rows = await db
    .delete(icalImports)
    .where(and(eq(icalImports.id, id), eq(icalImports.propertyId, propertyId)))
    .returning({ id: icalImports.id });
  return rows.length > 0;
}

/** Every import of a deleted place (their conflicts go with them). */
export async function deleteImportsOfPlace(db: Db, propertyId: string): Promise<void> {
  await db.delete(icalConflicts).where(eq(icalConflicts.propertyId, propertyId));
  await db.delete(icalImports).where(eq(icalImports.propertyId, propertyId));
}

/**
 * Up to `limit` imports due by `now`, oldest due first, their next sync moved to `until`
 * in the same statement: rows another scheduler holds are skipped (SKIP LOCKED), so two
 * ticks never take the same feed. The sync sets the real next time when it ends.
 */
export async function claimDueImports(db: Db, now: Date, until: Date, limit: number): Promise<string[]> {
  const due = db
    .select({ id: icalImports.id })
    .from(icalImports)
    .where(lte(icalImports.nextSyncAt, now))
    .orderBy(asc(icalImports.nextSyncAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(icalImports)
    .set({ nextSyncAt: until })
    .where(inArray(icalImports.id, due))
    .returning({ id: icalImports.id });
  return rows.map((r) => r.id);
}

export type SyncOutcome = Pick<IcalImportRow, 'status' | 'error' | 'lastSyncAt' | 'nextSyncAt'> &
  Partial<Pick<IcalImportRow, 'etag' | 'lastModified' | 'lastSuccessAt' | 'eventCount' | 'conflictCount'>> & {
    ranges?: ImportedRange[];
  };

export async function recordSync(db: Db, id: string, outcome: SyncOutcome): Promise<void> {
  await db.update(icalImports).set(outcome).where(eq(icalImports.id, id));
}

/** Records conflicts, each once per feed, event and dates; returns the ids of those new. */
export async function insertConflicts(
  db: Db,
  rows: { importId: string; propertyId: string; uid: string; start: string; end: string; bookingId: string }[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const created = await db
    .insert(icalConflicts)
    .values(rows)
    .onConflictDoNothing({
      target: [icalConflicts.importId, icalConflicts.uid, icalConflicts.start, icalConflicts.end],
    })
    .returning({ id: icalConflicts.id });
  return created.map((r) => r.id);
}

export async function findConflict(db: Db, id: string) {
  const [row] = await db
    .select({
      id: icalConflicts.id,
      propertyId: icalConflicts.propertyId,
      start: icalConflicts.start,
      end: icalConflicts.end,
      feedName: icalImports.name,
    })
    .from(icalConflicts)
    .innerJoin(icalImports, eq(icalImports.id, icalConflicts.importId))
    .where(eq(icalConflicts.id, id));
  return row;
}
