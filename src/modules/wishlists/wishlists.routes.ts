import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import { MAX_PLACES_PER_WISHLIST, MAX_WISHLISTS_PER_USER } from './wishlists.policy.js';
import {
  CreateWishlistInput,
  ListWishlistsQuery,
  ShareTokenParams,
  UpdateWishlistInput,
  Wishlist,
  WishlistDetail,
  WishlistIdParams,
  WishlistPlaceParams,
  WishlistPlacesQuery,
} from './wishlists.schemas.js';
import type { WishlistsApi, WishlistWithPlaces } from './wishlists.service.js';

const bearer = [{ bearerAuth: [] }];
const optionalBearer: Record<string, string[]>[] = [{}, { bearerAuth: [] }];

const PRIVATE =
  'Its owner only: anyone else (admins included), and any id that is not a wishlist (malformed ones included), gets 404 `wishlist_not_found` (or `not_found`), so ids reveal nothing.';
const HIDDEN =
  'Places that are unlisted or deleted are left out of `places` and `placeCount`, without error; an unlisted place comes back when it is listed again.';

/** The REST shape of a list with a page of its places: GraphQL edges' cursors dropped. */
const detail = ({ places, ...list }: WishlistWithPlaces) => ({
  ...list,
  places: { data: places.data, page: places.page },
});

type Options = { wishlists: WishlistsApi };

/** The lists: create, read, change, delete. */
const listRoutes: FastifyPluginAsyncZod<Options> = async (app, { wishlists }) => {
  app.post(
    '/v1/wishlists',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['wishlists'],
        operationId: 'createWishlist',
        summary: 'Create a wishlist',
        description: `201 with the list and \`Location\`. Private unless \`shared: true\`. A user keeps at most ${MAX_WISHLISTS_PER_USER} lists: one more is 409 \`wishlist_limit_reached\` (counted under a per-user lock, so concurrent creations cannot pass it).`,
        security: bearer,
        body: CreateWishlistInput,
        response: { 201: Wishlist, ...problemResponses({ 409: ['wishlist_limit_reached'] }) },
      },
    },
    async (request, reply) => {
      const list = await wishlists.createWishlist(request.body, request.ctx);
      return reply.status(201).header('location', `/v1/wishlists/${list.id}`).send(list);
    },
  );

  app.get(
    '/v1/wishlists',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['wishlists'],
        operationId: 'listMyWishlists',
        summary: 'Your wishlists',
        description: `Newest first (creation time, then id), keyset-paginated, each with its \`placeCount\`. ${HIDDEN}`,
        security: bearer,
        querystring: ListWishlistsQuery,
        response: { 200: pageSchema(Wishlist) },
      },
    },
    async (request) => {
      const { data, page } = await wishlists.listWishlists(request.query, request.ctx);
      return { data, page };
    },
  );

  app.get(
    '/v1/wishlists/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['wishlists'],
        operationId: 'getWishlist',
        summary: 'A wishlist with a page of its places',
        description: `\`places\` is a page of its places, most recently saved first, as places appear in search results (location privacy applies; \`saved\` is true), keyset-paginated by \`limit\` and \`cursor\`. ${HIDDEN} ${PRIVATE}`,
        security: bearer,
        params: WishlistIdParams,
        querystring: WishlistPlacesQuery,
        response: { 200: WishlistDetail, ...problemResponses({ 404: ['wishlist_not_found'] }) },
      },
    },
    async (request) => detail(await wishlists.getWishlistWithPlaces(request.params.id, request.query, request.ctx)),
  );

  app.patch(
    '/v1/wishlists/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['wishlists'],
        operationId: 'updateWishlist',
        summary: 'Rename a wishlist, or share it or stop sharing it',
        description: `\`shared: true\` gives a private list a new \`shareToken\` (a shared one keeps its token); \`shared: false\` ends the link at once. Sharing again later makes a new token: an old link never comes back. ${PRIVATE}`,
        security: bearer,
        params: WishlistIdParams,
        body: UpdateWishlistInput,
        response: { 200: Wishlist, ...problemResponses({ 404: ['wishlist_not_found'] }) },
      },
    },
    (request) => wishlists.updateWishlist(request.params.id, request.body, request.ctx),
  );

  app.delete(
    '/v1/wishlists/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['wishlists'],
        operationId: 'deleteWishlist',
        summary: 'Delete a wishlist',
        description: `204; the list, its places and its link are gone. ${PRIVATE}`,
        security: bearer,
        params: WishlistIdParams,
        response: { 204: z.null().describe('Deleted'), ...problemResponses({ 404: ['wishlist_not_found'] }) },
      },
    },
    async (request, reply) => {
      await wishlists.deleteWishlist(request.params.id, request.ctx);
      return reply.status(204).send(null);
    },
  );
};

/** The places in a list, and a shared list read through its link. */
const placeRoutes: FastifyPluginAsyncZod<Options> = async (app, { wishlists }) => {
  app.put(
    '/v1/wishlists/:id/places/:propertyId',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['wishlists'],
        operationId: 'saveToWishlist',
        summary: 'Keep a place in a wishlist (idempotent)',
        description: `200 with the list. Saving a place the list already keeps answers the same and changes nothing (no duplicate, \`updatedAt\` kept). A place the caller cannot see (unknown, deleted, or someone else's draft) is 404 \`property_not_found\`; one the caller can see but guests cannot (their own draft or unlisted place, or any as an admin) is 422 \`property_not_listed\`. A list keeps at most ${MAX_PLACES_PER_WISHLIST} places, counting those unlisted for now: one more is 409 \`wishlist_full\`. ${PRIVATE}`,
        security: bearer,
        params: WishlistPlaceParams,
        response: {
          200: Wishlist,
          ...problemResponses({
            404: ['wishlist_not_found', 'property_not_found'],
            409: ['wishlist_full'],
            422: ['property_not_listed'],
          }),
        },
      },
    },
    (request) => wishlists.savePlace(request.params.id, request.params.propertyId, request.ctx),
  );

  app.delete(
    '/v1/wishlists/:id/places/:propertyId',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['wishlists'],
        operationId: 'removeFromWishlist',
        summary: 'Take a place out of a wishlist (idempotent)',
        description: `204, whether or not the list kept the place. ${PRIVATE}`,
        security: bearer,
        params: WishlistPlaceParams,
        response: {
          204: z.null().describe('The list does not keep the place'),
          ...problemResponses({ 404: ['wishlist_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      await wishlists.removePlace(request.params.id, request.params.propertyId, request.ctx);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/shared-wishlists/:shareToken',
    {
      schema: {
        tags: ['wishlists'],
        operationId: 'getSharedWishlist',
        summary: 'A shared wishlist, read through its link',
        description: `Anyone holding the token, signed in or not, reads the list and a page of its places (\`limit\`, \`cursor\`; \`saved\` on places for a signed-in caller). A token that is not the list’s current one — sharing turned off, turned on again since, the list deleted, or never issued — is 404 \`shared_wishlist_not_found\`. ${HIDDEN}`,
        security: optionalBearer,
        params: ShareTokenParams,
        querystring: WishlistPlacesQuery,
        response: { 200: WishlistDetail, ...problemResponses({ 404: ['shared_wishlist_not_found'] }) },
      },
    },
    async (request) =>
      detail(await wishlists.getSharedWishlistWithPlaces(request.params.shareToken, request.query, request.ctx)),
  );
};

/** The wishlists' REST routes, in the order of the OpenAPI document. */
export const wishlistsRoutes: FastifyPluginAsyncZod<Options> = async (app, options) => {
  await listRoutes(app, options);
  await placeRoutes(app, options);
};
