import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import type { PropertiesApi, Property } from '../properties/index.js';
import type {
  CreateWishlistInput,
  ListWishlistsQuery,
  UpdateWishlistInput,
  Wishlist,
  WishlistExport,
  WishlistPlacesQuery,
  WishlistsPage,
} from './wishlists.schemas.js';

/** A wishlist with a page of its places (the cursor after each place kept, for GraphQL edges). */
export type WishlistWithPlaces = Wishlist & { places: WishlistsPage<Property> };

/** How a list was reached: by its owner (its id), or by anyone holding its share token. */
export interface WishlistAccess {
  id: string;
  shareToken: string | null;
}

export interface WishlistsServiceDeps {
  db: Db;
  clock: Clock;
  properties: Pick<PropertiesApi, 'getProperty' | 'getPropertiesByIds'>;
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
