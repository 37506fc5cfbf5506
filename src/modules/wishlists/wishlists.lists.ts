import { requireActor } from '../../platform/context.js';
import { keysetRows } from '../../platform/db/keyset.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { mapConstraintError } from '../../platform/errors.js';
import { toPage } from '../../platform/pagination.js';
import { tooManyWishlists, wishlistNotFound, wishlistsConstraints } from './wishlists.errors.js';
import { MAX_WISHLISTS_PER_USER, newShareToken } from './wishlists.policy.js';
import { decodeKeyset, wishlistKey, type WishlistReading } from './wishlists.reading.js';
import type { WishlistsApi, WishlistsServiceDeps } from './wishlists.api.js';
import * as repo from './wishlists.repository.js';
import { toWishlistDto } from './wishlists.schemas.js';

type ListsApi = Pick<
  WishlistsApi,
  | 'createWishlist'
  | 'listWishlists'
  | 'getWishlist'
  | 'getWishlistWithPlaces'
  | 'updateWishlist'
  | 'deleteWishlist'
  | 'getSharedWishlist'
  | 'getSharedWishlistWithPlaces'
  | 'wishlistsOf'
  | 'eraseUserWishlists'
>;

/** The lists themselves: creating, reading, renaming, sharing and deleting them, and the account's part. */
export function createWishlistLists(deps: WishlistsServiceDeps, reading: WishlistReading): ListsApi {
  const { db, clock } = deps;
  const { withCount, ownedWishlist, sharedWishlist, withPlaces } = reading;

  return {
    async createWishlist(input, ctx) {
      const actor = requireActor(ctx);
      const share = input.shared ? newShareToken() : undefined;
      const row = await withTransaction(db, async (tx) => {
        // One creation at a time per user, so that the count holds at commit.
        await repo.lockOwner(tx, actor.id);
        if ((await repo.countWishlists(tx, actor.id)) >= MAX_WISHLISTS_PER_USER) throw tooManyWishlists();
        try {
          return await repo.insertWishlist(tx, {
            userId: actor.id,
            name: input.name,
            shareToken: share?.token ?? null,
            shareTokenHash: share?.hash ?? null,
            now: clock.now(),
          });
        } catch (e) {
          throw mapConstraintError(e, wishlistsConstraints);
        }
      });
      return toWishlistDto(row, 0);
    },

    async listWishlists(query, ctx) {
      const actor = requireActor(ctx);
      const rows = await repo.listWishlists(db, {
        userId: actor.id,
        limit: query.limit + 1,
        after: decodeKeyset(query.cursor),
      });
      const counts = await repo.countShownPlaces(
        db,
        rows.slice(0, query.limit).map((r) => r.id),
      );
      return toPage(rows, query.limit, wishlistKey, (r) => toWishlistDto(r, counts.get(r.id) ?? 0));
    },

    async getWishlist(id, ctx) {
      return withCount(await ownedWishlist(id, ctx));
    },

    async getWishlistWithPlaces(id, query, ctx) {
      return withPlaces(await ownedWishlist(id, ctx), query, ctx);
    },

    async updateWishlist(id, input, ctx) {
      const actor = requireActor(ctx);
      const row = await withTransaction(db, async (tx) => {
        const current = await repo.findOwnedWishlist(tx, id, actor.id, true);
        if (!current) throw wishlistNotFound();
        const set: Parameters<typeof repo.updateWishlist>[2] = {};
        if (input.name !== undefined && input.name !== current.name) set.name = input.name;
        if (input.shared === true && current.shareToken === null) {
          const share = newShareToken();
          set.shareToken = share.token;
          set.shareTokenHash = share.hash;
        } else if (input.shared === false && current.shareToken !== null) {
          set.shareToken = null;
          set.shareTokenHash = null;
        }
        if (Object.keys(set).length === 0) return current;
        try {
          return await repo.updateWishlist(tx, id, { ...set, updatedAt: clock.now() });
        } catch (e) {
          throw mapConstraintError(e, wishlistsConstraints);
        }
      });
      return withCount(row);
    },

    async deleteWishlist(id, ctx) {
      const actor = requireActor(ctx);
      const deleted = await withTransaction(db, (tx) => repo.deleteWishlist(tx, id, actor.id));
      if (!deleted) throw wishlistNotFound();
    },

    async getSharedWishlist(shareToken, _ctx) {
      return withCount(await sharedWishlist(shareToken));
    },

    async getSharedWishlistWithPlaces(shareToken, query, ctx) {
      return withPlaces(await sharedWishlist(shareToken), query, ctx);
    },

    async *wishlistsOf(userId) {
      const lists = keysetRows(
        (after: { at: string; id: string } | undefined, limit: number) =>
          repo.listWishlists(db, { userId, after, limit }),
        (r) => ({ at: r.createdAt.toISOString(), id: r.id }),
      );
      for await (const row of lists) {
        const { placeCount: _shown, shareToken: _secret, ...list } = toWishlistDto(row, 0);
        const places = await repo.listAllPlaces(db, row.id);
        yield {
          ...list,
          places: places.map((p) => ({ propertyId: p.propertyId, savedAt: p.createdAt.toISOString() })),
        };
      }
    },

    async eraseUserWishlists(userId, tx) {
      await repo.deleteUserWishlists(tx, userId);
    },
  };
}
