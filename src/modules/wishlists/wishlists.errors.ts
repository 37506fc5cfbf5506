import { AppError, notFound, type ConstraintErrors } from '../../platform/errors.js';
import { MAX_PLACES_PER_WISHLIST, MAX_WISHLISTS_PER_USER } from './wishlists.policy.js';

/** A list that does not exist, or that is not the caller's: the same answer, so ids reveal nothing. */
export const wishlistNotFound = () => notFound('wishlist');

/** A share token that names no shared list (never was, turned off, or replaced). */
export const sharedWishlistNotFound = () =>
  new AppError('not_found', 'shared_wishlist_not_found', 'No shared wishlist has this link.');

export const tooManyWishlists = () =>
  new AppError(
    'conflict',
    'wishlist_limit_reached',
    `You already have ${MAX_WISHLISTS_PER_USER} wishlists; delete one before creating another.`,
    { details: { limit: MAX_WISHLISTS_PER_USER } },
  );

export const wishlistFull = () =>
  new AppError(
    'conflict',
    'wishlist_full',
    `This wishlist already holds ${MAX_PLACES_PER_WISHLIST} places (places unlisted for now included); remove one first.`,
    { details: { limit: MAX_PLACES_PER_WISHLIST } },
  );

/** The caller can see the place (their own draft, or as an admin) but guests cannot book it. */
export const propertyNotListed = () =>
  new AppError('invalid', 'property_not_listed', 'Only listed places can be saved to a wishlist.', {
    errors: [{ path: 'propertyId', message: 'This place is not listed.' }],
  });

/**
 * The name's bounds are checked by the input schema first, so the database's check is only
 * reached by a bug. Nothing else maps: a place saved twice is inserted with ON CONFLICT DO
 * NOTHING, and the share token's unique digest is of 256 random bits.
 */
export const wishlistsConstraints: ConstraintErrors = {
  wishlists_name_check: () =>
    new AppError('invalid', 'validation_failed', 'The request is not valid.', {
      errors: [{ path: 'name', message: 'A name has 1 to 100 characters.' }],
    }),
};
