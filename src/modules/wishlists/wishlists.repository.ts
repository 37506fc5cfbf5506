import { and, count, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { propertyIdColumn } from '../properties/index.js';
import { WISHLIST_OWNER_LOCK } from './wishlists.policy.js';
import { wishlistPlaces, wishlists, type WishlistPlaceRow, type WishlistRow } from './wishlists.table.js';

type Keyset = { at: string; id: string };

/**
 * Whether the place of `propertyId` shows in lists: listed and not deleted. The one thing
 * this module reads of the places table, its public lifecycle, as a primary-key probe per
 * row; read at the time of each read, since a place can be unlisted and listed again
 * without this module being told.
 */
function shown(propertyId: PgColumn | SQL): SQL {
  const places = propertyIdColumn().table;
  return sql`exists (select 1 from ${places} p where p.id = ${propertyId} and p.status = 'listed' and p.deleted_at is null)`;
}

/**
 * Makes the user's list creations take turns until the transaction ends, so that the count
 * read next is still true at commit. An advisory lock on a hash of the id: a collision only
 * makes two users wait for each other briefly.
 */
export async function lockOwner(tx: Db, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${WISHLIST_OWNER_LOCK}, hashtext(${userId}))`);
}

export async function countWishlists(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(wishlists).where(eq(wishlists.userId, userId));
  return Number(row?.n ?? 0);
}

export async function insertWishlist(
  tx: Db,
  row: { userId: string; name: string; shareToken: string | null; shareTokenHash: string | null; now: Date },
): Promise<WishlistRow> {
  const [created] = await tx
    .insert(wishlists)
    .values({
      userId: row.userId,
      name: row.name,
      shareToken: row.shareToken,
      shareTokenHash: row.shareTokenHash,
      createdAt: row.now,
      updatedAt: row.now,
    })
    .returning();
  return created!;
}

/** The user's list of this id (anyone else's is undefined); `lock` takes its row lock until the transaction ends. */
export async function findOwnedWishlist(
  db: Db,
  id: string,
  userId: string,
  lock = false,
): Promise<WishlistRow | undefined> {
  const query = db
    .select()
    .from(wishlists)
    .where(and(eq(wishlists.id, id), eq(wishlists.userId, userId)))
    .limit(1);
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function findWishlistsByIds(db: Db, ids: readonly string[]): Promise<WishlistRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(wishlists)
    .where(inArray(wishlists.id, [...ids]));
}

/** The shared list whose token has this SHA-256 digest (wishlists_share_token_hash_key). */
export async function findWishlistByShareHash(db: Db, hash: string): Promise<WishlistRow | undefined> {
  const [row] = await db.select().from(wishlists).where(eq(wishlists.shareTokenHash, hash)).limit(1);
  return row;
}

/** A user's lists, newest first, after a keyset (wishlists_user_idx). */
export function listWishlists(db: Db, opts: { userId: string; limit: number; after?: Keyset }): Promise<WishlistRow[]> {
  return db
    .select()
    .from(wishlists)
    .where(
      and(
        eq(wishlists.userId, opts.userId),
        opts.after ? afterDescending(wishlists.createdAt, wishlists.id, [opts.after.at, opts.after.id]) : undefined,
      ),
    )
    .orderBy(sql`${wishlists.createdAt} desc, ${wishlists.id} desc`)
    .limit(opts.limit);
}

export async function updateWishlist(
  tx: Db,
  id: string,
  set: Partial<Pick<WishlistRow, 'name' | 'shareToken' | 'shareTokenHash' | 'updatedAt'>>,
): Promise<WishlistRow> {
  const [row] = await tx.update(wishlists).set(set).where(eq(wishlists.id, id)).returning();
  return row!;
}

/** Deletes the user's list (its places go with it); false when there is none of theirs. */
export async function deleteWishlist(tx: Db, id: string, userId: string): Promise<boolean> {
  const deleted = await tx
    .delete(wishlists)
    .where(and(eq(wishlists.id, id), eq(wishlists.userId, userId)))
    .returning({ id: wishlists.id });
  return deleted.length > 0;
}

/** Deletes every list of the user and, with them, their places. */
export async function deleteUserWishlists(tx: Db, userId: string): Promise<number> {
  const deleted = await tx.delete(wishlists).where(eq(wishlists.userId, userId)).returning({ id: wishlists.id });
  return deleted.length;
}

/** How many places of each list show (listed, not deleted): one index range scan per list. */
export async function countShownPlaces(db: Db, wishlistIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(wishlistIds.map((id) => [id, 0]));
  if (wishlistIds.length === 0) return counts;
  const rows = await db
    .select({ wishlistId: wishlistPlaces.wishlistId, n: count() })
    .from(wishlistPlaces)
    .where(and(inArray(wishlistPlaces.wishlistId, [...wishlistIds]), shown(wishlistPlaces.propertyId)))
    .groupBy(wishlistPlaces.wishlistId);
  for (const r of rows) counts.set(r.wishlistId, Number(r.n));
  return counts;
}

/** Every place the list keeps, shown or not (the limit counts them all). */
export async function countAllPlaces(db: Db, wishlistId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(wishlistPlaces).where(eq(wishlistPlaces.wishlistId, wishlistId));
  return Number(row?.n ?? 0);
}

export async function hasPlace(db: Db, wishlistId: string, propertyId: string): Promise<boolean> {
  const rows = await db
    .select({ id: wishlistPlaces.propertyId })
    .from(wishlistPlaces)
    .where(and(eq(wishlistPlaces.propertyId, propertyId), eq(wishlistPlaces.wishlistId, wishlistId)))
    .limit(1);
  return rows.length > 0;
}

/** Adds the place to the list; false when it was there already (nothing changes then). */
export async function insertPlace(
  tx: Db,
  row: { wishlistId: string; propertyId: string; userId: string; now: Date },
): Promise<boolean> {
  const inserted = await tx
    .insert(wishlistPlaces)
    .values({ wishlistId: row.wishlistId, propertyId: row.propertyId, userId: row.userId, createdAt: row.now })
    .onConflictDoNothing({ target: [wishlistPlaces.propertyId, wishlistPlaces.wishlistId] })
    .returning({ id: wishlistPlaces.propertyId });
  return inserted.length > 0;
}

/** Removes the place from the list; false when it was not there. */
export async function deletePlace(tx: Db, wishlistId: string, propertyId: string): Promise<boolean> {
  const deleted = await tx
    .delete(wishlistPlaces)
    .where(and(eq(wishlistPlaces.propertyId, propertyId), eq(wishlistPlaces.wishlistId, wishlistId)))
    .returning({ id: wishlistPlaces.propertyId });
  return deleted.length > 0;
}

/** Removes a deleted place from every list (the primary key's first column). */
export async function deletePlaceEverywhere(tx: Db, propertyId: string): Promise<void> {
  await tx.delete(wishlistPlaces).where(eq(wishlistPlaces.propertyId, propertyId));
}

/**
 * A list's shown places, most recently saved first, after a keyset: a range scan of
 * wishlist_places_list_idx that skips the places that do not show.
 */
export function listShownPlaces(
  db: Db,
  opts: { wishlistId: string; limit: number; after?: Keyset },
): Promise<WishlistPlaceRow[]> {
  return db
    .select()
    .from(wishlistPlaces)
    .where(
      and(
        eq(wishlistPlaces.wishlistId, opts.wishlistId),
        opts.after
          ? afterDescending(wishlistPlaces.createdAt, wishlistPlaces.propertyId, [opts.after.at, opts.after.id])
          : undefined,
        shown(wishlistPlaces.propertyId),
      ),
    )
    .orderBy(sql`${wishlistPlaces.createdAt} desc, ${wishlistPlaces.propertyId} desc`)
    .limit(opts.limit);
}

/**
 * The first `limit` shown places (after one keyset) of each of several lists, in one
 * statement: a lateral join runs the single-list read once per id.
 */
export async function listShownPlacesOfMany(
  db: Db,
  opts: { wishlistIds: readonly string[]; limit: number; after?: Keyset },
): Promise<WishlistPlaceRow[]> {
  if (opts.wishlistIds.length === 0) return [];
  const page = db
    .select()
    .from(wishlistPlaces)
    .where(
      and(
        sql`${wishlistPlaces.wishlistId} = ids.id`,
        opts.after
          ? afterDescending(wishlistPlaces.createdAt, wishlistPlaces.propertyId, [opts.after.at, opts.after.id])
          : undefined,
        shown(wishlistPlaces.propertyId),
      ),
    )
    .orderBy(sql`${wishlistPlaces.createdAt} desc, ${wishlistPlaces.propertyId} desc`)
    .limit(opts.limit)
    .as('w');
  // The subquery's columns, named as the table's, so that rows come back as WishlistPlaceRows.
  const fields = Object.fromEntries(
    Object.keys(getTableColumns(wishlistPlaces)).map((name) => [name, page[name as keyof WishlistPlaceRow]]),
  ) as { [K in keyof WishlistPlaceRow]: (typeof page)[K] };
  return db
    .select(fields)
    .from(sql`unnest(${sql.param([...opts.wishlistIds])}::uuid[]) as ids(id)`)
    .crossJoinLateral(page);
}

/** Every place a list keeps, shown or not, most recently saved first (at most the list's limit). */
export function listAllPlaces(db: Db, wishlistId: string): Promise<WishlistPlaceRow[]> {
  return db
    .select()
    .from(wishlistPlaces)
    .where(eq(wishlistPlaces.wishlistId, wishlistId))
    .orderBy(sql`${wishlistPlaces.createdAt} desc, ${wishlistPlaces.propertyId} desc`);
}

// The `saved` lookup runs for every place answer to a signed-in caller: prepared once per
// database handle, so Drizzle builds its SQL once and PostgreSQL plans it once per
// connection. One array parameter (not one per id) keeps it one statement for any page size.
const preparedSaved = new WeakMap<Db, ReturnType<typeof prepareSaved>>();
const prepareSaved = (db: Db) =>
  db
    .selectDistinct({ propertyId: wishlistPlaces.propertyId })
    .from(wishlistPlaces)
    .where(
      and(
        eq(wishlistPlaces.userId, sql.placeholder('userId')),
        sql`${wishlistPlaces.propertyId} = any(${sql.placeholder('ids')}::uuid[])`,
      ),
    )
    .prepare('wishlists_saved_among');

/**
 * Which of these places the user keeps in any list: one range scan of
 * wishlist_places_user_property_idx, whatever the number of ids.
 */
export async function findSavedPropertyIds(
  db: Db,
  userId: string,
  propertyIds: readonly string[],
): Promise<Set<string>> {
  if (propertyIds.length === 0) return new Set();
  let query = preparedSaved.get(db);
  if (!query) preparedSaved.set(db, (query = prepareSaved(db)));
  const rows = await query.execute({ userId, ids: [...propertyIds] });
  return new Set(rows.map((r) => r.propertyId));
}
