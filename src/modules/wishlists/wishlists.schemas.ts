import { z } from 'zod';
import { idParam } from '../../platform/openapi-examples.js';
import { pageQuerySchema, pageSchema, type Page } from '../../platform/pagination.js';
import { Property } from '../properties/index.js';
import { SHARE_TOKEN_PATTERN, WISHLIST_NAME_MAX_LENGTH } from './wishlists.policy.js';
import type { WishlistRow } from './wishlists.table.js';

const EXAMPLE_WISHLIST_ID = '5d0f8c3e-6a2b-4c1d-9e7f-2a3b4c5d6e7f';
const EXAMPLE_SHARE_TOKEN = 'q3Jx8mR2vT6yB1nK4wE7uZ0pL5sD9fG2hA8cV3bN6mQ';

/**
 * A character that shows: anything but whitespace, separators, control and format
 * characters (zero-width space and joiners, BOM, bidi marks), the other default-ignorable
 * code points and the blank Braille pattern — the rule message bodies follow too.
 */
const VISIBLE_CHARACTER = /[^\p{White_Space}\p{Z}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;

export const wishlistName = z
  .string()
  .trim()
  // An empty name is one error, not also an invisible one.
  .min(1, { message: 'A name cannot be empty.', abort: true })
  .max(WISHLIST_NAME_MAX_LENGTH, `At most ${WISHLIST_NAME_MAX_LENGTH} characters.`)
  .refine((name) => VISIBLE_CHARACTER.test(name), 'A name needs at least one visible character.')
  .describe(
    `Plain text, 1–${WISHLIST_NAME_MAX_LENGTH} characters once leading and trailing whitespace is trimmed, at least one of them visible (not whitespace or an invisible format character such as U+200B). Names need not be unique.`,
  );

const sharedFlag = z
  .boolean()
  .describe(
    '`true` gives the list a read-only link (`shareToken`, for `GET /v1/shared-wishlists/{shareToken}`); `false` ends it. Turning sharing on again makes a new token: the old link stays dead.',
  );

export const CreateWishlistInput = z
  .strictObject({
    name: wishlistName,
    shared: sharedFlag.optional().describe('Shared from the start (default `false`: private).'),
  })
  .meta({ id: 'CreateWishlistInput', examples: [{ name: 'Lisbon in spring' }] });
export type CreateWishlistInput = z.infer<typeof CreateWishlistInput>;

export const UpdateWishlistInput = z
  .strictObject({ name: wishlistName.optional(), shared: sharedFlag.optional() })
  .meta({
    id: 'UpdateWishlistInput',
    description: 'The fields to change; the others keep their values (an empty object changes nothing).',
    examples: [{ name: 'Lisbon, May', shared: true }],
  });
export type UpdateWishlistInput = z.infer<typeof UpdateWishlistInput>;

export const ListWishlistsQuery = pageQuerySchema;
export type ListWishlistsQuery = z.infer<typeof ListWishlistsQuery>;

/** A page of a list's places. */
export const WishlistPlacesQuery = pageQuerySchema;
export type WishlistPlacesQuery = z.infer<typeof WishlistPlacesQuery>;

const wishlistId = z
  .uuid()
  .describe('The wishlist id.')
  .meta({ examples: [EXAMPLE_WISHLIST_ID] });

export const WishlistIdParams = z.object({ id: wishlistId });
export const WishlistPlaceParams = z.object({ id: wishlistId, propertyId: idParam('property') });
export const ShareTokenParams = z.object({
  shareToken: z
    .string()
    .regex(SHARE_TOKEN_PATTERN)
    .describe('The `shareToken` of a shared wishlist (43 URL-safe characters).')
    .meta({ examples: [EXAMPLE_SHARE_TOKEN] }),
});

export const Wishlist = z
  .object({
    id: z.uuid(),
    name: z.string(),
    shared: z.boolean().describe('Whether the list has a read-only link.'),
    shareToken: z
      .string()
      .nullable()
      .describe(
        'The secret of the read-only link (`GET /v1/shared-wishlists/{shareToken}`); null while the list is private. Anyone holding it can read the list: share it as you would the link.',
      ),
    placeCount: z
      .number()
      .int()
      .describe('Places the list shows: places that are unlisted or deleted are not counted (nor shown).'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().describe('When its name, its sharing or its places last changed.'),
  })
  .meta({ id: 'Wishlist', description: 'A named list of places a user keeps; private unless shared.' });
export type Wishlist = z.infer<typeof Wishlist>;

export const WishlistDetail = Wishlist.extend({
  places: pageSchema(Property).describe(
    'A page of its places, most recently saved first (`limit`, `cursor`), as places appear in search results; unlisted and deleted places are left out.',
  ),
}).meta({ id: 'WishlistDetail', description: 'A wishlist with a page of its places.' });
export type WishlistDetail = z.infer<typeof WishlistDetail>;

/**
 * One row of the personal-data export: the list and every place it keeps, hidden ones
 * included. The share token is left out, as every secret is (`shared` says whether it has one).
 */
export interface WishlistExport extends Omit<Wishlist, 'placeCount' | 'shareToken'> {
  places: { propertyId: string; savedAt: string }[];
}

export function toWishlistDto(row: WishlistRow, placeCount: number): Wishlist {
  return {
    id: row.id,
    name: row.name,
    shared: row.shareToken !== null,
    shareToken: row.shareToken,
    placeCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A page with the cursor after each row, for GraphQL edges. */
export type WishlistsPage<T> = Page<T> & { cursors: string[] };
