import { and, count, desc, eq, gt, ilike, inArray, isNull, like, ne, sql, type SQL } from 'drizzle-orm';
import { arrayLiteral, recordset, resultRows } from '../../platform/db/batch.js';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { users, userTokens, type UserRow, type UserTokenPurpose, type UserTokenRow } from './users.table.js';

export type NewUserRow = typeof users.$inferInsert;

export async function insertUser(db: Db, row: NewUserRow): Promise<UserRow> {
  const [user] = await db.insert(users).values(row).returning();
  return user!;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return user;
}

export async function updateUser(
  db: Db,
  id: string,
  patch: Partial<
    Pick<UserRow, 'firstName' | 'lastName' | 'phone' | 'role' | 'status' | 'emailVerified' | 'passwordHash'>
  >,
): Promise<UserRow | undefined> {
  const [user] = await db
    .update(users)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning();
  return user;
}

/** Sets an admin-settable status unless the account is closed (a closed account stays closed). */
export async function updateUserStatusUnlessClosed(
  db: Db,
  id: string,
  status: UserRow['status'],
): Promise<UserRow | undefined> {
  const [user] = await db
    .update(users)
    .set({ status, updatedAt: sql`now()` })
    .where(and(eq(users.id, id), ne(users.status, 'closed')))
    .returning();
  return user;
}

/**
 * Overwrites an open account's personal data with `erased` and marks it closed; undefined
 * when there is no such account or it is closed already (of two closures, one applies).
 */
export async function closeUser(
  db: Db,
  id: string,
  erased: Pick<UserRow, 'email' | 'firstName' | 'lastName' | 'phone' | 'passwordHash'>,
): Promise<UserRow | undefined> {
  const [user] = await db
    .update(users)
    .set({ ...erased, status: 'closed', emailVerified: false, updatedAt: sql`now()` })
    .where(and(eq(users.id, id), ne(users.status, 'closed')))
    .returning();
  return user;
}

/** Deletes every single-use e-mail token of the user (verification and reset links). */
export async function deleteUserTokens(db: Db, userId: string): Promise<void> {
  await db.delete(userTokens).where(eq(userTokens.userId, userId));
}

/** Changes the role only from the expected one, so two concurrent changes cannot both apply. */
export async function updateUserRole(db: Db, id: string, from: UserRow['role'], to: UserRow['role']) {
  const [user] = await db
    .update(users)
    .set({ role: to, updatedAt: sql`now()` })
    .where(and(eq(users.id, id), eq(users.role, from)))
    .returning();
  return user;
}

export function findUsers(
  db: Db,
  opts: {
    limit: number;
    after?: { createdAt: Date; id: string };
    role?: UserRow['role'];
    status?: UserRow['status'];
    emailPrefix?: string;
  },
): Promise<UserRow[]> {
  const where: (SQL | undefined)[] = [];
  if (opts.role) where.push(eq(users.role, opts.role));
  if (opts.status) where.push(eq(users.status, opts.status));
  if (opts.emailPrefix) where.push(ilike(users.email, `${opts.emailPrefix.replace(/[\\%_]/g, '\\$&')}%`));
  if (opts.after) {
    where.push(afterDescending(users.createdAt, users.id, [opts.after.createdAt.toISOString(), opts.after.id]));
  }
  return db
    .select()
    .from(users)
    .where(and(...where))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(opts.limit);
}

/** What an e-mail to a user needs; suspended accounts included, the caller decides. */
export function findContactsByIds(
  db: Db,
  ids: readonly string[],
): Promise<Pick<UserRow, 'id' | 'email' | 'firstName' | 'status' | 'guestRatingSum' | 'guestRatingCount'>[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select({
      id: users.id,
      email: users.email,
      firstName: users.firstName,
      status: users.status,
      guestRatingSum: users.guestRatingSum,
      guestRatingCount: users.guestRatingCount,
    })
    .from(users)
    .where(inArray(users.id, [...ids]));
}

/** The columns of a public profile only: contact details never leave the database here. */
export function findPublicProfilesByIds(
  db: Db,
  ids: readonly string[],
): Promise<Pick<UserRow, 'id' | 'firstName' | 'createdAt' | 'status' | 'guestRatingSum' | 'guestRatingCount'>[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select({
      id: users.id,
      firstName: users.firstName,
      createdAt: users.createdAt,
      status: users.status,
      guestRatingSum: users.guestRatingSum,
      guestRatingCount: users.guestRatingCount,
    })
    .from(users)
    .where(inArray(users.id, [...ids]));
}

/**
 * Adds one rating to the user's guest rating: a single UPDATE computing from the stored
 * values, so concurrent additions never lose one. False when there is no such user.
 */
export async function addGuestRating(db: Db, userId: string, rating: number): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({
      guestRatingSum: sql`${users.guestRatingSum} + ${rating}`,
      guestRatingCount: sql`${users.guestRatingCount} + 1`,
    })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  return rows.length > 0;
}

// One multi-row INSERT per batch (seeding): a round trip and a parse per thousand rows, not per row.
export async function insertUsersBulk(db: Db, rows: (NewUserRow & { id: string })[]): Promise<void> {
  if (rows.length > 0) await db.insert(users).values(rows);
}

/** Inserts the account unless its e-mail is taken; true when it was inserted. */
export async function insertUserIfAbsent(db: Db, row: NewUserRow & { id: string }): Promise<boolean> {
  const inserted = await db.insert(users).values(row).onConflictDoNothing().returning({ id: users.id });
  return inserted.length > 0;
}

/** Users whose e-mail ends with `suffix`. */
export async function countUsersWithEmailSuffix(db: Db, suffix: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(like(users.email, `%${suffix.replace(/[\\%_]/g, '\\$&')}`));
  return row?.n ?? 0;
}

/** Fresh planner statistics: after a bulk load the old ones describe a different table. */
export async function analyzeUsers(db: Db): Promise<void> {
  await db.execute(sql`analyze ${users}`);
}

export async function insertUserToken(
  db: Db,
  row: { userId: string; purpose: UserTokenPurpose; tokenHash: string; expiresAt: Date; createdAt: Date },
): Promise<UserTokenRow> {
  const [token] = await db.insert(userTokens).values(row).returning();
  return token!;
}

/**
 * The verification e-mails' lookups and tokens in one statement: a token is inserted only
 * for a user who exists with an unverified address. Returns, in order, where to send each
 * e-mail (undefined when nothing is to be sent).
 */
export async function insertVerifyEmailTokens(
  db: Db,
  wanted: readonly { userId: string; tokenHash: string; expiresAt: Date; createdAt: Date }[],
): Promise<({ email: string; firstName: string } | undefined)[]> {
  if (wanted.length === 0) return [];
  const purpose: UserTokenPurpose = 'verify_email';
  const rows = recordset(
    wanted.map((w, i) => ({
      n: String(i),
      user_id: w.userId,
      token_hash: w.tokenHash,
      expires_at: w.expiresAt.toISOString(),
      created_at: w.createdAt.toISOString(),
    })),
  );
  const found = resultRows<{ n: number; email: string; first_name: string }>(
    await db.execute(sql`
      with target as (
        select w.n, ${users.id} as user_id, ${users.email} as email, ${users.firstName} as first_name,
          w.token_hash, w.expires_at, w.created_at
        from jsonb_to_recordset(${rows}::jsonb)
          as w(n int, user_id uuid, token_hash text, expires_at timestamptz, created_at timestamptz)
        join ${users} on ${users.id} = w.user_id
        where ${users.id} = any(${arrayLiteral(wanted.map((w) => w.userId))}::uuid[]) and not ${users.emailVerified}
      ), token as (
        insert into ${userTokens} (user_id, purpose, token_hash, expires_at, created_at)
        select user_id, ${purpose}, token_hash, expires_at, created_at from target
      )
      select n, email, first_name from target`),
  );
  const byIndex = new Map(found.map((r) => [Number(r.n), { email: r.email, firstName: r.first_name }]));
  return wanted.map((_, i) => byIndex.get(i));
}

/** The token with that hash and purpose, unspent and unexpired at `now`. */
const liveToken = (tokenHash: string, purpose: UserTokenPurpose, now: Date) =>
  and(
    eq(userTokens.tokenHash, tokenHash),
    eq(userTokens.purpose, purpose),
    isNull(userTokens.usedAt),
    gt(userTokens.expiresAt, now),
  );

/** An unspent, unexpired token (read only: `consumeUserToken` is what spends it). */
export async function findLiveUserToken(
  db: Db,
  tokenHash: string,
  purpose: UserTokenPurpose,
  now: Date,
): Promise<UserTokenRow | undefined> {
  const [token] = await db
    .select()
    .from(userTokens)
    .where(liveToken(tokenHash, purpose, now))
    .limit(1);
  return token;
}

/**
 * Spends a token: one conditional UPDATE, so of two concurrent uses exactly one gets the
 * row back. Undefined when the token is unknown, spent, expired or for another purpose.
 */
export async function consumeUserToken(
  db: Db,
  tokenHash: string,
  purpose: UserTokenPurpose,
  now: Date,
): Promise<UserTokenRow | undefined> {
  const [token] = await db
    .update(userTokens)
    .set({ usedAt: now })
    .where(liveToken(tokenHash, purpose, now))
    .returning();
  return token;
}

/** Spends every outstanding token of a purpose (other reset links die with a reset). */
export async function spendUserTokens(db: Db, userId: string, purpose: UserTokenPurpose, now: Date): Promise<void> {
  await db
    .update(userTokens)
    .set({ usedAt: now })
    .where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, purpose), isNull(userTokens.usedAt)));
}
