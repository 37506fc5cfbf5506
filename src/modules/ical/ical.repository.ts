import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { icalExports, type IcalExportRow } from './ical.table.js';

/** The place's export link, if made. */
export async function findExport(db: Db, propertyId: string): Promise<IcalExportRow | undefined> {
  const [row] = await db.select().from(icalExports).where(eq(icalExports.propertyId, propertyId));
  return row;
}

/** The place whose export link has this token hash. */
export async function findPropertyIdByTokenHash(db: Db, tokenHash: string): Promise<string | undefined> {
  const [row] = await db
    .select({ propertyId: icalExports.propertyId })
    .from(icalExports)
    .where(eq(icalExports.tokenHash, tokenHash));
  return row?.propertyId;
}

/** Makes the place's link unless it has one (a concurrent first call keeps the first); returns the row it now has. */
export async function insertExportIfAbsent(
  db: Db,
  row: { propertyId: string; token: string; tokenHash: string },
): Promise<IcalExportRow> {
  await db.insert(icalExports).values(row).onConflictDoNothing({ target: icalExports.propertyId });
  const current = await findExport(db, row.propertyId);
  if (!current) throw new Error('ical export row vanished after insert');
  return current;
}

/** Replaces the place's token (making the row when there is none); returns the previous hash, if any. */
export async function replaceToken(
  db: Db,
  row: { propertyId: string; token: string; tokenHash: string },
): Promise<string | undefined> {
  const previous = await db
    .select({ tokenHash: icalExports.tokenHash })
    .from(icalExports)
    .where(eq(icalExports.propertyId, row.propertyId))
    .for('update');
  await db
    .insert(icalExports)
    .values(row)
    .onConflictDoUpdate({
      target: icalExports.propertyId,
      set: { token: row.token, tokenHash: row.tokenHash, rotatedAt: sql`now()` },
    });
  return previous[0]?.tokenHash;
}

/** Removes the place's link (a deleted place); returns the hash it had. */
export async function deleteExport(db: Db, propertyId: string): Promise<string | undefined> {
  const [row] = await db
    .delete(icalExports)
    .where(eq(icalExports.propertyId, propertyId))
    .returning({ tokenHash: icalExports.tokenHash });
  return row?.tokenHash;
}

/** The tokens of these places' links, by place (one query for a page of places). */
export async function findTokens(db: Db, propertyIds: readonly string[]): Promise<Map<string, string>> {
  if (propertyIds.length === 0) return new Map();
  const rows = await db
    .select({ propertyId: icalExports.propertyId, token: icalExports.token })
    .from(icalExports)
    .where(inArray(icalExports.propertyId, [...propertyIds]));
  return new Map(rows.map((r) => [r.propertyId, r.token]));
}
