import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { address, createProperty } from '#test/factories/properties.js';
import { rowsOf } from '#test/helpers.js';
import { app, asRestPage, db, full, gql, rest, type Scenario, withProperty, type World } from '#test/parity/kit.js';

/**
 * Wishlists: creating, changing, sharing and deleting lists, keeping places in them, and
 * reading them back (the owner's lists, one list with its places, a shared list read
 * anonymously): the same over REST and GraphQL (run by test/parity/rest-graphql.test.ts).
 */

/** The guest's list, private, with the place in it. */
async function withWishlist(w: World) {
  await withProperty(w);
  const list = (await rest(
    { method: 'POST', url: '/v1/wishlists', as: w.guest, payload: { name: 'Summer' } },
    201,
  )) as { id: string };
  w.wishlistId = w.name(list.id, 'wishlist');
  await rest({ method: 'PUT', url: `/v1/wishlists/${w.wishlistId}/places/${w.propertyId}`, as: w.guest }, 200);
}

/** The list shared, with a second place (saved later: shown first). */
async function withSharedWishlist(w: World): Promise<string> {
  await withWishlist(w);
  const second = await createProperty(app(), w.host, { title: 'A second place', address: address(w.city) });
  w.name(second.id, 'second-property');
  await rest({ method: 'PUT', url: `/v1/wishlists/${w.wishlistId}/places/${second.id}`, as: w.guest }, 200);
  const shared = (await rest(
    { method: 'PATCH', url: `/v1/wishlists/${w.wishlistId}`, as: w.guest, payload: { shared: true } },
    200,
  )) as { shareToken: string };
  return shared.shareToken;
}

/** The lists of the user, and the places they keep, as stored. */
async function wishlistRows(userId: string) {
  return {
    wishlists: await rowsOf(db(), sql`select * from wishlists where user_id = ${userId} order by created_at`),
    places: await rowsOf(
      db(),
      sql`select * from wishlist_places where user_id = ${userId} order by created_at, property_id`,
    ),
  };
}

const FIRST_PAGE = { limit: 1 };

export const scenarios: Scenario[] = [
  {
    name: 'createWishlist, shared from the start',
    kind: 'write',
    setup: withProperty,
    rest: (w) =>
      rest({ method: 'POST', url: '/v1/wishlists', as: w.guest, payload: { name: '  Lisbon  ', shared: true } }, 201),
    graphql: (w) =>
      gql(w.guest, `mutation($i: CreateWishlistInput!) { createWishlist(input: $i) ${full('Wishlist')} }`, {
        i: { name: '  Lisbon  ', shared: true },
      }),
    stored: async (w, answer: { id: string; shareToken: string }) => {
      w.name(answer.id, 'created');
      expect(answer.shareToken).toMatch(/^[\w-]{43}$/);
      return wishlistRows(w.guest.user.id);
    },
  },
  {
    name: 'updateWishlist: renamed and shared',
    kind: 'write',
    setup: withWishlist,
    rest: (w) =>
      rest(
        {
          method: 'PATCH',
          url: `/v1/wishlists/${w.wishlistId}`,
          as: w.guest,
          payload: { name: 'Summer, maybe', shared: true },
        },
        200,
      ),
    graphql: (w) =>
      gql(
        w.guest,
        `mutation($id: ID!, $i: UpdateWishlistInput!) { updateWishlist(id: $id, input: $i) ${full('Wishlist')} }`,
        { id: w.wishlistId, i: { name: 'Summer, maybe', shared: true } },
      ),
    stored: (w) => wishlistRows(w.guest.user.id),
  },
  {
    name: 'deleteWishlist',
    kind: 'write',
    setup: withWishlist,
    rest: async (w) => {
      await rest({ method: 'DELETE', url: `/v1/wishlists/${w.wishlistId}`, as: w.guest }, 204);
      return true;
    },
    graphql: (w) => gql(w.guest, 'mutation($id: ID!) { deleteWishlist(id: $id) }', { id: w.wishlistId }),
    stored: (w) => wishlistRows(w.guest.user.id),
  },
  {
    name: 'saveToWishlist, twice',
    kind: 'write',
    setup: async (w) => {
      await withWishlist(w);
      await rest({ method: 'DELETE', url: `/v1/wishlists/${w.wishlistId}/places/${w.propertyId}`, as: w.guest }, 204);
    },
    rest: async (w) => {
      const url = `/v1/wishlists/${w.wishlistId}/places/${w.propertyId}`;
      const first = await rest({ method: 'PUT', url, as: w.guest }, 200);
      const second = await rest({ method: 'PUT', url, as: w.guest }, 200);
      return [first, second];
    },
    graphql: async (w) => {
      const save = () =>
        gql(
          w.guest,
          `mutation($w: ID!, $p: ID!) { saveToWishlist(wishlistId: $w, propertyId: $p) ${full('Wishlist')} }`,
          {
            w: w.wishlistId,
            p: w.propertyId,
          },
        );
      return [await save(), await save()];
    },
    stored: async (w, answers: unknown[]) => {
      expect(answers[1]).toEqual(answers[0]);
      return wishlistRows(w.guest.user.id);
    },
  },
  {
    name: 'removeFromWishlist',
    kind: 'write',
    setup: withWishlist,
    rest: async (w) => {
      await rest({ method: 'DELETE', url: `/v1/wishlists/${w.wishlistId}/places/${w.propertyId}`, as: w.guest }, 204);
      return true;
    },
    graphql: (w) =>
      gql(w.guest, 'mutation($w: ID!, $p: ID!) { removeFromWishlist(wishlistId: $w, propertyId: $p) }', {
        w: w.wishlistId,
        p: w.propertyId,
      }),
    stored: (w) => wishlistRows(w.guest.user.id),
  },
  {
    name: 'wishlists: the caller’s lists, page by page',
    kind: 'read',
    setup: async (w) => {
      await withWishlist(w);
      await rest({ method: 'POST', url: '/v1/wishlists', as: w.guest, payload: { name: 'Winter' } }, 201);
    },
    rest: async (w) => {
      const first = (await rest({ url: '/v1/wishlists?limit=1', as: w.guest }, 200)) as {
        page: { nextCursor: string };
      };
      const second = await rest(
        { url: `/v1/wishlists?limit=1&cursor=${encodeURIComponent(first.page.nextCursor)}`, as: w.guest },
        200,
      );
      return [first, second];
    },
    graphql: async (w) => {
      const query = `query($after: String) { wishlists(first: 1, after: $after) ${full('WishlistConnection')} }`;
      const first = asRestPage(await gql(w.guest, query));
      const second = asRestPage(await gql(w.guest, query, { after: first.page.nextCursor }));
      return [first, second];
    },
  },
  {
    name: 'wishlist: one list with its places, page by page',
    kind: 'read',
    setup: async (w) => {
      await withSharedWishlist(w);
    },
    rest: async (w) => {
      const url = `/v1/wishlists/${w.wishlistId}?limit=${FIRST_PAGE.limit}`;
      const first = (await rest({ url, as: w.guest }, 200)) as { places: { page: { nextCursor: string } } };
      const second = await rest(
        { url: `${url}&cursor=${encodeURIComponent(first.places.page.nextCursor)}`, as: w.guest },
        200,
      );
      return [first, second];
    },
    graphql: async (w) => {
      const query = `query($id: ID!, $after: String) {
        wishlist(id: $id) { ...W places(first: ${FIRST_PAGE.limit}, after: $after) ${full('PropertyConnection')} }
      } fragment W on Wishlist ${full('Wishlist')}`;
      const page = async (after?: string) => {
        const { places, ...list } = (await gql(w.guest, query, { id: w.wishlistId, after })) as { places: unknown };
        return { ...list, places: asRestPage(places) };
      };
      const first = await page();
      return [first, await page(first.places.page.nextCursor!)];
    },
    stored: async (_w, pages: { places: { data: { saved: boolean }[] } }[]) => {
      expect(pages.map((p) => p.places.data.length)).toEqual([1, 1]);
      for (const p of pages) expect(p.places.data[0]!.saved).toBe(true);
      return null;
    },
  },
  {
    name: 'sharedWishlist: read anonymously through its link',
    kind: 'read',
    setup: async (w) => {
      w.name(await withSharedWishlist(w), 'share-token');
    },
    rest: async (w) => {
      const token = [...w.names].find(([, name]) => name === '<share-token>')![0];
      return rest({ url: `/v1/shared-wishlists/${token}?limit=5` }, 200);
    },
    graphql: async (w) => {
      const token = [...w.names].find(([, name]) => name === '<share-token>')![0];
      const { places, ...list } = (await gql(
        undefined,
        `query($t: String!) { sharedWishlist(shareToken: $t) { ...W places(first: 5) ${full('PropertyConnection')} } }
         fragment W on Wishlist ${full('Wishlist')}`,
        { t: token },
      )) as { places: unknown };
      return { ...list, places: asRestPage(places) };
    },
  },
];
