import { requireActor } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { toPage } from '../../platform/pagination.js';
import { propertyNotListed, wishlistFull, wishlistNotFound } from './wishlists.errors.js';
import { MAX_PLACES_PER_WISHLIST, sameToken } from './wishlists.policy.js';
import { decodeKeyset, placeKey, type WishlistReading } from './wishlists.reading.js';
import type { WishlistsApi, WishlistsServiceDeps } from './wishlists.api.js';
import * as repo from './wishlists.repository.js';
import type { WishlistPlaceRow } from './wishlists.table.js';

type PlacesApi = Pick<WishlistsApi, 'savePlace' | 'removePlace' | 'placesOfWishlists' | 'savedAmong' | 'forgetPlace'>;

/** The places in lists: keeping and removing them, their pages, and the `saved` lookup. */
export function createWishlistPlaces(deps: WishlistsServiceDeps, reading: WishlistReading): PlacesApi {
  const { db, clock, properties } = deps;
  const { withCount, ownedWishlist, asCards } = reading;

  return {
    async savePlace(id, propertyId, ctx) {
      const actor = requireActor(ctx);
      await ownedWishlist(id, ctx);
      // Not found when the caller cannot see the place; seen but not listed (their own
      // draft, or as an admin) is a broken rule, since guests could not book it.
      const place = await properties.getProperty(propertyId, ctx);
      if (place.status !== 'listed') throw propertyNotListed();
      const row = await withTransaction(db, async (tx) => {
        // The list's row lock: saves to one list take turns, so the count holds at commit.
        const list = await repo.findOwnedWishlist(tx, id, actor.id, true);
        if (!list) throw wishlistNotFound();
        if (await repo.hasPlace(tx, id, propertyId)) return list;
        if ((await repo.countAllPlaces(tx, id)) >= MAX_PLACES_PER_WISHLIST) throw wishlistFull();
        const now = clock.now();
        await repo.insertPlace(tx, { wishlistId: id, propertyId, userId: actor.id, now });
        return repo.updateWishlist(tx, id, { updatedAt: now });
      });
      return withCount(row);
    },

    async removePlace(id, propertyId, ctx) {
      const actor = requireActor(ctx);
      await withTransaction(db, async (tx) => {
        const list = await repo.findOwnedWishlist(tx, id, actor.id, true);
        if (!list) throw wishlistNotFound();
        if (await repo.deletePlace(tx, id, propertyId)) await repo.updateWishlist(tx, id, { updatedAt: clock.now() });
      });
    },

    async placesOfWishlists(lists, query, ctx) {
      const rows = await repo.findWishlistsByIds(
        db,
        lists.map((l) => l.id),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      const allowed = lists.filter((l) => {
        const row = byId.get(l.id);
        if (!row) return false;
        if (ctx.actor && row.userId === ctx.actor.id) return true;
        return row.shareToken !== null && l.shareToken !== null && sameToken(row.shareToken, l.shareToken);
      });
      const found = await repo.listShownPlacesOfMany(db, {
        wishlistIds: [...new Set(allowed.map((l) => l.id))],
        limit: query.limit + 1,
        after: decodeKeyset(query.cursor),
      });
      const byList = new Map<string, WishlistPlaceRow[]>(lists.map((l) => [l.id, []]));
      for (const r of found) byList.get(r.wishlistId)?.push(r);
      const pages = new Map(
        [...byList].map(([listId, list]) => [listId, toPage(list, query.limit, placeKey, (r) => r.propertyId)]),
      );
      return asCards(pages, ctx);
    },

    savedAmong(userId, propertyIds) {
      return repo.findSavedPropertyIds(db, userId, propertyIds);
    },

    async forgetPlace(tx, propertyId) {
      await repo.deletePlaceEverywhere(tx, propertyId);
    },
  };
}
