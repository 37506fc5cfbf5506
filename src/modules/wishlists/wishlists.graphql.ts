import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId, parseInput } from '../../graphql/input.js';
import { connectionTypeDefs, pageArguments, toConnection } from '../../graphql/relay.js';
import { describedFrom, graphqlInput, sdl } from '../../graphql/sdl.js';
import { AppError } from '../../platform/errors.js';
import { SHARE_TOKEN_PATTERN } from './wishlists.policy.js';
import {
  CreateWishlistInput,
  ListWishlistsQuery,
  UpdateWishlistInput,
  Wishlist,
  WishlistPlacesQuery,
} from './wishlists.schemas.js';
import type { WishlistAccess, WishlistsApi } from './wishlists.service.js';

const WISHLIST_ID = '"The wishlist\'s id."';
const PROPERTY_ID = '"The place\'s id."';

export const wishlistsTypeDefs = describedFrom(
  { Wishlist },
  sdl(
    /* GraphQL */ `
      "A named list of places a user keeps; private unless shared."
      type Wishlist {
        ${WISHLIST_ID}
        id: ID!
        "Its name."
        name: String!
        shared: Boolean!
        shareToken: String
        placeCount: Int!
        "When it was created."
        createdAt: DateTime!
        updatedAt: DateTime!
        "Its places, most recently saved first, as they appear in search results; unlisted and deleted places are left out. Batch-loaded for a page of lists."
        places(${pageArguments}): PropertyConnection!
      }
    `,
    connectionTypeDefs('Wishlist', 'wishlist', 'wishlists'),
    graphqlInput('CreateWishlistInput', CreateWishlistInput, { about: 'A new wishlist.' }),
    graphqlInput('UpdateWishlistInput', UpdateWishlistInput, {
      about: 'The fields of a wishlist to change; the others keep their values.',
    }),
    /* GraphQL */ `
      extend type Property {
        "Whether the signed-in caller keeps the place in one of their wishlists; null for anonymous callers. Read for a whole page in one query."
        saved: Boolean
      }

      extend type Query {
        "The caller's wishlists, newest first."
        wishlists(${pageArguments}): WishlistConnection!
        "A wishlist of the caller's; anyone else's (admins included) is NOT_FOUND."
        wishlist(${WISHLIST_ID} id: ID!): Wishlist
        "A shared wishlist, for anyone holding its link's token, signed in or not; NOT_FOUND once the token is no longer the list's."
        sharedWishlist("The list's \`shareToken\`." shareToken: String!): Wishlist
      }

      extend type Mutation {
        "Creates a wishlist; same rules and errors as POST /v1/wishlists."
        createWishlist("The list." input: CreateWishlistInput!): Wishlist!
        "Renames a wishlist of the caller's, or shares it or stops sharing it; same rules as PATCH /v1/wishlists/{id}."
        updateWishlist(${WISHLIST_ID} id: ID!, "What to change." input: UpdateWishlistInput!): Wishlist!
        "Deletes a wishlist of the caller's, with its places and its link."
        deleteWishlist(${WISHLIST_ID} id: ID!): Boolean!
        "Keeps a listed place in a wishlist of the caller's; repeating it changes nothing. Same rules as PUT /v1/wishlists/{id}/places/{propertyId}."
        saveToWishlist(${WISHLIST_ID} wishlistId: ID!, ${PROPERTY_ID} propertyId: ID!): Wishlist!
        "Takes a place out of a wishlist of the caller's; true whether or not the list kept it."
        removeFromWishlist(${WISHLIST_ID} wishlistId: ID!, ${PROPERTY_ID} propertyId: ID!): Boolean!
      }
    `,
  ),
);

type PageArgs = { first?: unknown; after?: unknown };

/** A share token that could not have been issued names nothing: NOT_FOUND, as REST answers 404. */
function parseShareToken(value: unknown): string {
  if (typeof value !== 'string' || !SHARE_TOKEN_PATTERN.test(value)) {
    throw new AppError('not_found', 'shared_wishlist_not_found', 'No shared wishlist has this link.');
  }
  return value;
}

export function wishlistsGraphql(wishlists: WishlistsApi): {
  typeDefs: string;
  resolvers: IResolvers;
  loaders: MercuriusLoaders;
} {
  return {
    typeDefs: wishlistsTypeDefs,
    resolvers: {
      Query: {
        wishlists: async (_root, args: PageArgs, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const query = parseInput(ListWishlistsQuery, { limit: args.first, cursor: args.after }, '');
          return toConnection(await wishlists.listWishlists(query, caller));
        },
        wishlist: async (_root, args: { id: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          return wishlists.getWishlist(parseId(args.id), caller);
        },
        sharedWishlist: async (_root, args: { shareToken: unknown }, ctx: GraphqlContext) =>
          wishlists.getSharedWishlist(parseShareToken(args.shareToken), await ctx.requestContext()),
      },
      Mutation: {
        createWishlist: async (_root, args: { input: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          return wishlists.createWishlist(parseInput(CreateWishlistInput, args.input), caller);
        },
        updateWishlist: async (_root, args: { id: unknown; input: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const id = parseId(args.id);
          return wishlists.updateWishlist(id, parseInput(UpdateWishlistInput, args.input), caller);
        },
        deleteWishlist: async (_root, args: { id: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          await wishlists.deleteWishlist(parseId(args.id), caller);
          return true;
        },
        saveToWishlist: async (_root, args: { wishlistId: unknown; propertyId: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          return wishlists.savePlace(parseId(args.wishlistId), parseId(args.propertyId), caller);
        },
        removeFromWishlist: async (_root, args: { wishlistId: unknown; propertyId: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          await wishlists.removePlace(parseId(args.wishlistId), parseId(args.propertyId), caller);
          return true;
        },
      },
    },
    loaders: {
      Wishlist: {
        // One query for the lists and one for their places per distinct (first, after),
        // whatever the number of lists; a list reached through its link carries its token.
        places: async (queries: { obj: WishlistAccess; params: PageArgs }[], ctx: GraphqlContext) => {
          const caller = await ctx.requestContext();
          const keyOf = (params: PageArgs) => {
            const query = parseInput(WishlistPlacesQuery, { limit: params.first, cursor: params.after }, '');
            return { query, key: JSON.stringify([query.limit, query.cursor ?? null]) };
          };
          const groups = new Map<string, { query: ReturnType<typeof keyOf>['query']; lists: WishlistAccess[] }>();
          for (const q of queries) {
            const { query, key } = keyOf(q.params);
            const group = groups.get(key) ?? { query, lists: [] };
            group.lists.push({ id: q.obj.id, shareToken: q.obj.shareToken });
            groups.set(key, group);
          }
          const pages = new Map<string, ReturnType<typeof toConnection>>();
          for (const [key, group] of groups) {
            const found = await wishlists.placesOfWishlists(group.lists, group.query, caller);
            for (const [id, page] of found) pages.set(`${key}:${id}`, toConnection(page));
          }
          return queries.map((q) => pages.get(`${keyOf(q.params).key}:${q.obj.id}`)!);
        },
      },
    },
  };
}
