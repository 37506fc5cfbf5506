import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/types.js';
import { idempotencyKeys, type IdempotencyKeyRow } from './idempotency.table.js';

export interface IdempotencyClaim {
  userId: string;
  key: string;
  requestHash: string;
  /** The claim's time: also the token that later completes or releases this claim and no other. */
  claimedAt: Date;
  expiresAt: Date;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type ClaimResult = { claimed: true } | { claimed: false; existing: IdempotencyKeyRow };

/**
 * Claims a key for one request in a single statement: a new key is inserted; an existing
 * row is taken over only when it has expired or its claim is older than `staleBefore`
 * (a request that crashed without answering). Under concurrency exactly one caller gets
 * `claimed: true`: PostgreSQL locks the conflicting row and re-checks the condition on
 * its latest version, so two callers cannot both take over the same stale row.
 * Otherwise the current row is returned for the caller to replay or refuse.
 */
export async function claimIdempotencyKey(db: Db, claim: IdempotencyClaim, staleBefore: Date): Promise<ClaimResult> {
  // A row can vanish between the two statements (released or purged): then claim again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const taken = await db
      .insert(idempotencyKeys)
      .values({
        userId: claim.userId,
        key: claim.key,
        requestHash: claim.requestHash,
        createdAt: claim.claimedAt,
        expiresAt: claim.expiresAt,
      })
      .onConflictDoUpdate({
        target: [idempotencyKeys.userId, idempotencyKeys.key],
        set: {
          requestHash: claim.requestHash,
          responseStatus: null,
          responseHeaders: null,
          responseBody: null,
          createdAt: claim.claimedAt,
          expiresAt: claim.expiresAt,
        },
        setWhere: or(
          lte(idempotencyKeys.expiresAt, claim.claimedAt),
          and(isNull(idempotencyKeys.responseStatus), lte(idempotencyKeys.createdAt, staleBefore)),
        ),
      })
      .returning({ userId: idempotencyKeys.userId });
    if (taken.length > 0) return { claimed: true };

    const [existing] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, claim.userId), eq(idempotencyKeys.key, claim.key)))
      .limit(1);
    if (existing) return { claimed: false, existing };
  }
  throw new Error('idempotency key claim did not settle');
}

const ownClaim = (claim: IdempotencyClaim) =>
  and(
    eq(idempotencyKeys.userId, claim.userId),
    eq(idempotencyKeys.key, claim.key),
    eq(idempotencyKeys.createdAt, claim.claimedAt),
    isNull(idempotencyKeys.responseStatus),
  );

/**
 * Stores the response of a claimed request. Returns false when the claim is no longer
 * this request's (it outlived its lease and another request took the key over).
 */
export async function completeIdempotencyKey(
  db: Db,
  claim: IdempotencyClaim,
  response: StoredResponse,
): Promise<boolean> {
  const rows = await db
    .update(idempotencyKeys)
    .set({ responseStatus: response.status, responseHeaders: response.headers, responseBody: response.body })
    .where(ownClaim(claim))
    .returning({ userId: idempotencyKeys.userId });
  return rows.length > 0;
}

/** Gives a claimed key up (the request failed on our side), so that a retry runs again. */
export async function releaseIdempotencyKey(db: Db, claim: IdempotencyClaim): Promise<void> {
  await db.delete(idempotencyKeys).where(ownClaim(claim));
}

/**
 * Deletes up to `limit` keys that expired at or before `now`; returns how many. The
 * hourly job calls it until it returns less than `limit`, so that no statement holds
 * locks on an unbounded number of rows.
 */
export async function purgeExpiredIdempotencyKeys(db: Db, now: Date, limit: number): Promise<number> {
  const expired = db
    .select({ userId: idempotencyKeys.userId, key: idempotencyKeys.key })
    .from(idempotencyKeys)
    .where(lte(idempotencyKeys.expiresAt, now))
    .limit(limit);
  const rows = await db
    .delete(idempotencyKeys)
    .where(inArray(sql`(${idempotencyKeys.userId}, ${idempotencyKeys.key})`, expired))
    .returning({ userId: idempotencyKeys.userId });
  return rows.length;
}
