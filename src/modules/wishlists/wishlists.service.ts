import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { requireActor, type RequestContext } from '../../platform/context.js';
import { keysetRows } from '../../platform/db/keyset.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { mapConstraintError } from '../../platform/errors.js';
import { decodeCursor, toPage } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import type { PropertiesApi, Property } from '../properties/index.js';
import {
  propertyNotListed,
  sharedWishlistNotFound,
  tooManyWishlists,
  wishlistFull,
  wishlistNotFound,
  wishlistsConstraints,
} from './wishlists.errors.js';
import {
  MAX_PLACES_PER_WISHLIST,
  MAX_WISHLISTS_PER_USER,
  newShareToken,
  sameToken,
  SHARE_TOKEN_PATTERN,
  shareTokenHash,
} from './wishlists.policy.js';
import * as repo from './wishlists.repository.js';
import {
  toWishlistDto,
  type CreateWishlistInput,
  type ListWishlistsQuery,
  type UpdateWishlistInput,
  type Wishlist,
  type WishlistExport,
  type WishlistPlacesQuery,
  type WishlistsPage,
} from './wishlists.schemas.js';
import type { WishlistPlaceRow, WishlistRow } from './wishlists.table.js';

/** A wishlist with a page of its places (the cursor after each place kept, for GraphQL edges). */
export type WishlistWithPlaces = Wishlist & { places: WishlistsPage<Property> };

/** How a list was reached: by its owner (its id), or by anyone holding its share token. */
export interface WishlistAccess {
  id: string;
  shareToken: string | null;
}

/** What the transports, the export, the account closure and the places' `saved` field call. */
export interface WishlistsApi {
  createWishlist(input: CreateWishlistInput, ctx: RequestContext): Promise<Wishlist>;
  /** The caller's lists, newest first. */
  listWishlists(query: ListWishlistsQuery, ctx: RequestContext): Promise<WishlistsPage<Wishlist>>;
  /** The caller's list (anyone else's, and any unknown id, is not found). */
  getWishlist(id: string, ctx: RequestContext): Promise<Wishlist>;
  /** The caller's list with a page of its places. */
  getWishlistWithPlaces(id: string, query: WishlistPlacesQuery, ctx: RequestContext): Promise<WishlistWithPlaces>;
  updateWishlist(id: string, input: UpdateWishlistInput, ctx: RequestContext): Promise<Wishlist>;
  deleteWishlist(id: string, ctx: RequestContext): Promise<void>;
  /** Keeps a listed place in the caller's list; repeating it changes nothing. */
  savePlace(id: string, propertyId: string, ctx: RequestContext): Promise<Wishlist>;
  /** Takes a place out of the caller's list; repeating it (or a place never kept) changes nothing. */
  removePlace(id: string, propertyId: string, ctx: RequestContext): Promise<void>;
  /** A shared list, for anyone holding its token (else not found). */
  getSharedWishlist(shareToken: string, ctx: RequestContext): Promise<Wishlist>;
  getSharedWishlistWithPlaces(
    shareToken: string,
    query: WishlistPlacesQuery,
    ctx: RequestContext,
  ): Promise<WishlistWithPlaces>;
  /**
   * A page of places of each of several lists the caller was already shown (GraphQL
   * `Wishlist.places`), in one query for the lists and one for the places: a list answers
   * when it is the caller's or when `shareToken` is its current token; any other gets an
   * empty page.
   */
  placesOfWishlists(
    lists: readonly WishlistAccess[],
    query: WishlistPlacesQuery,
    ctx: RequestContext,
  ): Promise<Map<string, WishlistsPage<Property>>>;
  /** Which of these places the user keeps in any list (one query). */
  savedAmong(userId: string, propertyIds: readonly string[]): Promise<Set<string>>;
  /** Every list of the user with every place it keeps (personal-data export). */
  wishlistsOf(userId: string): AsyncGenerator<WishlistExport>;
  /** Erases the user's lists inside the account closure's transaction. */
  eraseUserWishlists(userId: string, tx: Db): Promise<void>;
  /** Takes a deleted place out of every list, inside the delete's transaction. */
  forgetPlace(tx: Db, propertyId: string): Promise<void>;
}

export interface WishlistsServiceDeps {
  db: Db;
  clock: Clock;
  properties: Pick<PropertiesApi, 'getProperty' | 'getPropertiesByIds'>;
}

const listCursor = z.tuple([isoInstant, z.uuid()]);
const decodeKeyset = (cursor: string | undefined) => {
  if (!cursor) return undefined;
  const [at, id] = decodeCursor(cursor, listCursor);
  return { at, id };
};
const wishlistKey = (r: WishlistRow) => [r.createdAt.toISOString(), r.id];
const placeKey = (r: WishlistPlaceRow) => [r.createdAt.toISOString(), r.propertyId];

export function createWishlistsService(deps: WishlistsServiceDeps): WishlistsApi {
  const { db, clock, properties } = deps;

  const withCount = async (row: WishlistRow) =>
    toWishlistDto(row, (await repo.countShownPlaces(db, [row.id])).get(row.id) ?? 0);

  async function ownedWishlist(id: string, ctx: RequestContext): Promise<WishlistRow> {
    const row = await repo.findOwnedWishlist(db, id, requireActor(ctx).id);
    if (!row) throw wishlistNotFound();
    return row;
  }

  async function sharedWishlist(shareToken: string): Promise<WishlistRow> {
    // Not a token we could have issued: no lookup.
    if (!SHARE_TOKEN_PATTERN.test(shareToken)) throw sharedWishlistNotFound();
    const row = await repo.findWishlistByShareHash(db, shareTokenHash(shareToken));
    if (!row?.shareToken || !sameToken(row.shareToken, shareToken)) throw sharedWishlistNotFound();
    return row;
  }

  /**
   * The places of pages of rows as cards, as the caller may see them (one call of
   * `getPropertiesByIds` for every list): a place that stopped showing since the rows were
   * read is left out, with its cursor.
   */
  async function asCards(
    pages: ReadonlyMap<string, WishlistsPage<string>>,
    ctx: RequestContext,
  ): Promise<Map<string, WishlistsPage<Property>>> {
    const ids = [...new Set([...pages.values()].flatMap((p) => p.data))];
    const cards = ids.length > 0 ? await properties.getPropertiesByIds(ids, ctx) : new Map<string, Property>();
    const out = new Map<string, WishlistsPage<Property>>();
    for (const [listId, page] of pages) {
      const kept = page.data.flatMap((id, i) => {
        const card = cards.get(id);
        return card ? [{ card, cursor: page.cursors[i]! }] : [];
      });
      out.set(listId, { data: kept.map((k) => k.card), page: page.page, cursors: kept.map((k) => k.cursor) });
    }
    return out;
  }

  async function withPlaces(
    row: WishlistRow,
    query: WishlistPlacesQuery,
    ctx: RequestContext,
  ): Promise<WishlistWithPlaces> {
    const [rows, dto] = await Promise.all([
      repo.listShownPlaces(db, { wishlistId: row.id, limit: query.limit + 1, after: decodeKeyset(query.cursor) }),
      withCount(row),
    ]);
    const page = toPage(rows, query.limit, placeKey, (r) => r.propertyId);
    const cards = await asCards(new Map([[row.id, page]]), ctx);
    return { ...dto, places: cards.get(row.id)! };
  }

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

    async getSharedWishlist(shareToken, _ctx) {
      return withCount(await sharedWishlist(shareToken));
    },

    async getSharedWishlistWithPlaces(shareToken, query, ctx) {
      return withPlaces(await sharedWishlist(shareToken), query, ctx);
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

    async forgetPlace(tx, propertyId) {
      await repo.deletePlaceEverywhere(tx, propertyId);
    },
  };
}
