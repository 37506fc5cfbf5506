import { and, desc, eq, gt, inArray, isNull, lte, ne, sql, type SQL } from 'drizzle-orm';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { refreshTokens, sessions, users, type RefreshTokenRow, type SessionRow, type UserRow } from './users.table.js';

// Sessions (one per sign-in) and the rotating refresh tokens of each.

export async function insertRefreshToken(
  db: Db,
  row: Pick<RefreshTokenRow, 'userId' | 'familyId' | 'tokenHash' | 'expiresAt'>,
): Promise<void> {
  await db.insert(refreshTokens).values(row);
}

/**
 * Marks a live token as rotated and returns it; returns undefined when the token is
 * unknown, expired, revoked or already rotated (the single-use guarantee lives here).
 */
export async function rotateRefreshToken(db: Db, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  const [row] = await db
    .update(refreshTokens)
    .set({ rotatedAt: sql`now()` })
    .where(
      and(
        eq(refreshTokens.tokenHash, tokenHash),
        isNull(refreshTokens.rotatedAt),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return row;
}

export async function findRefreshTokenByHash(db: Db, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).limit(1);
  return row;
}

/** Deletes up to `limit` refresh tokens expired at `now`; returns how many. */
export async function purgeExpiredRefreshTokens(db: Db, now: Date, limit: number): Promise<number> {
  const expired = db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(lte(refreshTokens.expiresAt, now))
    .limit(limit);
  const rows = await db
    .delete(refreshTokens)
    .where(inArray(refreshTokens.id, expired))
    .returning({ id: refreshTokens.id });
  return rows.length;
}

export async function insertSession(
  db: Db,
  row: Pick<SessionRow, 'userId' | 'expiresAt' | 'ip' | 'userAgent'>,
): Promise<SessionRow> {
  const [session] = await db.insert(sessions).values(row).returning();
  return session!;
}

/** Marks a live session used now and extends it; undefined when it is revoked or unknown. */
export async function touchSession(
  db: Db,
  id: string,
  patch: Pick<SessionRow, 'expiresAt' | 'ip' | 'userAgent'>,
): Promise<SessionRow | undefined> {
  const [session] = await db
    .update(sessions)
    .set({ ...patch, lastUsedAt: sql`now()` })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
    .returning();
  return session;
}

/**
 * What authenticating an access token needs, in one statement on two primary keys: the
 * user, and whether the token's session is still live. `sessionLive` is false when the
 * session is unknown, another user's or revoked.
 */
export async function findUserAndSession(
  db: Db,
  userId: string,
  sessionId: string,
): Promise<{ id: string; role: UserRow['role']; status: UserRow['status']; sessionLive: boolean } | undefined> {
  const [row] = await db
    .select({ id: users.id, role: users.role, status: users.status, sessionId: sessions.id })
    .from(users)
    .leftJoin(sessions, and(eq(sessions.id, sessionId), eq(sessions.userId, users.id), isNull(sessions.revokedAt)))
    .where(eq(users.id, userId))
    .limit(1);
  return row && { id: row.id, role: row.role, status: row.status, sessionLive: row.sessionId !== null };
}

/** A user's live sessions, newest first (keyset on created_at, id). */
export function findLiveSessions(
  db: Db,
  userId: string,
  opts: { now: Date; limit: number; after?: { createdAt: Date; id: string } },
): Promise<SessionRow[]> {
  const where: (SQL | undefined)[] = [
    eq(sessions.userId, userId),
    isNull(sessions.revokedAt),
    gt(sessions.expiresAt, opts.now),
  ];
  if (opts.after) {
    where.push(afterDescending(sessions.createdAt, sessions.id, [opts.after.createdAt.toISOString(), opts.after.id]));
  }
  return db
    .select()
    .from(sessions)
    .where(and(...where))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .limit(opts.limit);
}

/**
 * Revokes sessions and their refresh tokens: one session (`sessionId`), or every session of
 * the user but `exceptSessionId`. Returns the ids of the sessions this call ended.
 */
export async function revokeSessions(
  db: Db,
  userId: string,
  which: { sessionId: string } | { exceptSessionId?: string },
): Promise<string[]> {
  const conditions = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
  if ('sessionId' in which) conditions.push(eq(sessions.id, which.sessionId));
  else if (which.exceptSessionId) conditions.push(ne(sessions.id, which.exceptSessionId));
  const target = and(...conditions);
  // Refresh tokens first, then sessions: the order a refresh locks them in (rotate the token,
  // then touch its session), so the two cannot deadlock. A token a concurrent refresh adds
  // meanwhile is left, harmless: its session is revoked, which refresh and every access check read.
  await db
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        isNull(refreshTokens.revokedAt),
        inArray(refreshTokens.familyId, db.select({ id: sessions.id }).from(sessions).where(target)),
      ),
    );
  const ended = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(target)
    .returning({ id: sessions.id });
  return ended.map((r) => r.id);
}

/** Deletes up to `limit` sessions expired at `now` (their refresh tokens go with them); returns how many. */
export async function purgeExpiredSessions(db: Db, now: Date, limit: number): Promise<number> {
  const expired = db.select({ id: sessions.id }).from(sessions).where(lte(sessions.expiresAt, now)).limit(limit);
  const rows = await db.delete(sessions).where(inArray(sessions.id, expired)).returning({ id: sessions.id });
  return rows.length;
}
