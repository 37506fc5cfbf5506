import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { propertyIdColumn } from '../properties/index.js';
import { userIdColumn } from '../users/index.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * A user's named list of places. While it is shared, `share_token` is the secret of its
 * read-only link (kept so that its owner can read the link again) and `share_token_hash`
 * its SHA-256, by which the link is looked up: the index compares a digest the caller
 * cannot steer byte by byte, never the token itself.
 *
 * Index choices: a user's lists are one keyset scan of (user_id, created_at desc, id desc).
 */
export const wishlists = pgTable(
  'wishlists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull().references(userIdColumn),
    name: text('name').notNull(),
    shareToken: text('share_token'),
    shareTokenHash: text('share_token_hash'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('wishlists_user_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    unique('wishlists_share_token_hash_key').on(t.shareTokenHash),
    check('wishlists_name_check', sql`char_length(name) between 1 and 100`),
    check('wishlists_share_token_check', sql`(share_token is null) = (share_token_hash is null)`),
  ],
);

/**
 * A place kept in a list, once per list (the primary key, place first: it also finds the
 * rows of a place being deleted). `user_id` repeats the list's owner so that "which of these
 * places has the caller kept in any list" (`saved` on search results and details) is one
 * range scan of wishlist_places_user_property_idx for a page of places. A list's places are
 * read, and counted, most recently saved first by wishlist_places_list_idx. Rows go with
 * their list (on delete cascade), and with their place when it is deleted.
 */
export const wishlistPlaces = pgTable(
  'wishlist_places',
  {
    wishlistId: uuid('wishlist_id')
      .notNull()
      .references(() => wishlists.id, { onDelete: 'cascade' }),
    propertyId: uuid('property_id').notNull().references(propertyIdColumn),
    userId: uuid('user_id').notNull().references(userIdColumn),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'wishlist_places_pkey', columns: [t.propertyId, t.wishlistId] }),
    index('wishlist_places_list_idx').on(t.wishlistId, t.createdAt.desc(), t.propertyId.desc()),
    index('wishlist_places_user_property_idx').on(t.userId, t.propertyId),
  ],
);

export type WishlistRow = typeof wishlists.$inferSelect;
export type WishlistPlaceRow = typeof wishlistPlaces.$inferSelect;
