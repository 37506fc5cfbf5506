import { count, like, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { properties, propertyCalendar, users } from '../../platform/db/schema.js';

export type SeedUserRow = typeof users.$inferInsert & { id: string; createdAt: Date };
export type SeedPropertyRow = Omit<typeof properties.$inferInsert, 'ratingAverage' | 'searchVector'> & {
  id: string;
  createdAt: Date;
};
export type SeedBlockRow = typeof propertyCalendar.$inferInsert & { kind: 'block' };

// One multi-row INSERT per batch: a round trip and a parse per thousand rows, not per row.
export async function insertUserRows(db: Db, rows: SeedUserRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(users).values(rows);
}

export async function insertPropertyRows(db: Db, rows: SeedPropertyRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(properties).values(rows);
}

export async function insertBlockRows(db: Db, rows: SeedBlockRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(propertyCalendar).values(rows);
}

/** Users whose e-mail ends with `suffix`: earlier seeding runs, so a new run numbers after them. */
export async function countUsersWithEmailSuffix(db: Db, suffix: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(like(users.email, `%${suffix.replace(/[\\%_]/g, '\\$&')}`));
  return row?.n ?? 0;
}

/** Fresh planner statistics: after a bulk load the old ones describe a different table. */
export async function analyzeSeededTables(db: Db): Promise<void> {
  await db.execute(sql`analyze ${users}, ${properties}, ${propertyCalendar}`);
}
