import type { WishlistsApi, WishlistsServiceDeps } from './wishlists.api.js';
import { createWishlistLists } from './wishlists.lists.js';
import { createWishlistPlaces } from './wishlists.places.js';
import { createWishlistReading } from './wishlists.reading.js';

export type { WishlistAccess, WishlistsApi, WishlistsServiceDeps, WishlistWithPlaces } from './wishlists.api.js';

/** Wishlists by use case: the lists and the account's part, and the places in them. */
export function createWishlistsService(deps: WishlistsServiceDeps): WishlistsApi {
  const reading = createWishlistReading(deps);
  return { ...createWishlistLists(deps, reading), ...createWishlistPlaces(deps, reading) };
}
