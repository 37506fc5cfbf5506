import { z } from 'zod';
import { requireActor, type RequestContext } from '../../platform/context.js';
import { decodeCursor, toPage } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import type { Property } from '../properties/index.js';
import type { WishlistsServiceDeps, WishlistWithPlaces } from './wishlists.api.js';
import { sharedWishlistNotFound, wishlistNotFound } from './wishlists.errors.js';
import { sameToken, SHARE_TOKEN_PATTERN, shareTokenHash } from './wishlists.policy.js';
import * as repo from './wishlists.repository.js';
import { toWishlistDto, type Wishlist, type WishlistPlacesQuery, type WishlistsPage } from './wishlists.schemas.js';
import type { WishlistPlaceRow, WishlistRow } from './wishlists.table.js';

const listCursor = z.tuple([isoInstant, z.uuid()]);

/** A keyset cursor of a list of lists or of places: (creation or saving time, id). */
export function decodeKeyset(cursor: string | undefined): { at: string; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = decodeCursor(cursor, listCursor);
  return { at, id };
}
export const wishlistKey = (r: WishlistRow) => [r.createdAt.toISOString(), r.id];
export const placeKey = (r: WishlistPlaceRow) => [r.createdAt.toISOString(), r.propertyId];

export type WishlistReading = ReturnType<typeof createWishlistReading>;

/** What the use cases share: finding a list as its owner or through its link, and its places as cards. */
export function createWishlistReading(deps: WishlistsServiceDeps) {
  const { db, properties } = deps;

  /** The list as answered: with the number of its places that show. */
  const withCount = async (row: WishlistRow): Promise<Wishlist> =>
    toWishlistDto(row, (await repo.countShownPlaces(db, [row.id])).get(row.id) ?? 0);

  /** The caller's list; anyone else's, and any unknown id, is not found. */
  async function ownedWishlist(id: string, ctx: RequestContext): Promise<WishlistRow> {
    const row = await repo.findOwnedWishlist(db, id, requireActor(ctx).id);
    if (!row) throw wishlistNotFound();
    return row;
  }

  /** The list whose current token this is, looked up by its digest and compared in constant time. */
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

  /** The list with a page of its places that show, most recently saved first. */
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

  return { withCount, ownedWishlist, sharedWishlist, asCards, withPlaces };
}
