import { hash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import {
  Availability,
  AvailabilityQuery,
  Block,
  BlockParams,
  CreateBlockInput,
  CreatePropertyInput,
  HostPropertiesQuery,
  Property,
  PropertyIdParams,
  SearchPropertiesQuery,
  UpdatePropertyInput,
} from './properties.schemas.js';
import { showsExactLocation } from './properties.policy.js';
import type { PropertiesApi } from './properties.service.js';
import { ConditionalGetHeaders, matchesEtag } from '../../http/conditional-get.js';

const bearer = [{ bearerAuth: [] }];
// Public routes that also take a token (a host sees their own drafts).
const optionalBearer: Record<string, string[]>[] = [{}, { bearerAuth: [] }];

/**
 * What a shared or private HTTP cache may keep of an answer whose location depends on the
 * caller (location privacy):
 * - any exact location (host, admin, confirmed guest) and any draft or unlisted place:
 *   `private, no-store`, kept by no cache at all;
 * - a redacted answer to an anonymous request: public (it is what every anonymous
 *   caller gets), for `publicMaxAge` seconds;
 * - a redacted answer to a signed-in caller: `private`, since a confirmed booking turns it
 *   exact; `signedInRedacted` says how long that caller's own cache may keep it.
 * Every such answer also carries `Vary: Authorization`, so a shared cache never answers a
 * request with a token from a copy stored for a request without one, or the other way round.
 */
function locationCacheHeaders(
  reply: FastifyReply,
  opts: { exact: boolean; publicAnswer: boolean; signedIn: boolean; publicMaxAge: number; signedInRedacted: string },
) {
  const { exact, publicAnswer, signedIn } = opts;
  reply.header(
    'cache-control',
    exact || !publicAnswer
      ? 'private, no-store'
      : signedIn
        ? opts.signedInRedacted
        : `public, max-age=${opts.publicMaxAge}`,
  );
  varyOn(reply, 'Authorization');
}

/** Adds a request header to `Vary`, keeping what other hooks (CORS: `Origin`) put there. */
function varyOn(reply: FastifyReply, header: string) {
  const current = reply.getHeader('vary');
  const names = (Array.isArray(current) ? current.join(',') : String(current ?? ''))
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (names.includes('*') || names.some((n) => n.toLowerCase() === header.toLowerCase())) return;
  reply.header('vary', [...names, header].join(', '));
}

type App = Parameters<FastifyPluginAsyncZod>[0];

/** Listing, reading, changing and deleting a place, and search. */
function listingRoutes(app: App, properties: PropertiesApi): void {
  app.post(
    '/v1/properties',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['properties'],
        operationId: 'createProperty',
        summary: 'List a new property (hosts)',
        description: 'Created as `draft` unless `status: "listed"`. Text is trimmed and stored as plain text.',
        security: bearer,
        body: CreatePropertyInput,
        response: { 201: Property, ...problemResponses({ 403: ['host_required'] }) },
      },
    },
    async (request, reply) => {
      const property = await properties.createProperty(request.body, request.ctx);
      return reply.status(201).header('location', `/v1/properties/${property.id}`).send(property);
    },
  );

  app.get(
    '/v1/properties',
    {
      config: { responseHeaders: { 200: ['Cache-Control'] } },
      schema: {
        tags: ['properties'],
        operationId: 'searchProperties',
        summary: 'Search listed properties',
        description:
          'Every filter narrows the result. `checkIn` + `checkOut` keep places free for the whole stay. Cursors are bound to the sort and stable across pages. Pages may be served from a cache for up to 15 s; writes invalidate it. Location privacy: `address.line1` and `address.postalCode` are null and the point is rounded to 2 decimals except for the host, admins and guests holding a confirmed booking of the place; radius search (`lat`, `lng`, `radiusKm`) measures great-circle distance from the rounded point, for every caller, so that no sequence of searches locates a place more precisely than its published coordinates. Anonymous answers are `Cache-Control: public, max-age=15`; signed-in ones `private, max-age=15`, or `private, no-store` when a place on the page is exact; all carry `Vary: Authorization`.',
        security: optionalBearer,
        querystring: SearchPropertiesQuery,
        response: { 200: pageSchema(Property) },
      },
    },
    async (request, reply) => {
      const page = await properties.searchProperties(request.query, request.ctx);
      locationCacheHeaders(reply, {
        exact: page.data.some(showsExactLocation),
        publicAnswer: true,
        signedIn: request.ctx.actor !== undefined,
        publicMaxAge: 15,
        signedInRedacted: 'private, max-age=15',
      });
      return reply.send(page);
    },
  );

  app.get(
    '/v1/properties/:id',
    {
      config: { responseHeaders: { 200: ['ETag', 'Cache-Control'], 304: ['ETag', 'Cache-Control'] } },
      schema: {
        tags: ['properties'],
        operationId: 'getProperty',
        summary: 'A property',
        description:
          'Drafts and unlisted places are visible to their host and admins only (404 for anyone else). Location privacy: `address.line1` and `address.postalCode` are null and the point is rounded to 2 decimals except for the host, admins and guests holding a confirmed booking of the place. Every answer carries an `ETag` of the representation sent (so the exact and the redacted one differ) and `Vary: Authorization`; `If-None-Match` answers 304. `Cache-Control`: `public, max-age=60` for a listed place to an anonymous caller, `private, no-cache` for a redacted one to a signed-in caller (a confirmed booking changes it), `private, no-store` for an exact location or a draft or unlisted place.',
        security: optionalBearer,
        params: PropertyIdParams,
        headers: ConditionalGetHeaders,
        response: {
          200: Property,
          304: z.null().describe('Not modified: the copy the client holds is current'),
          ...problemResponses({ 404: ['property_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      // Before the look-up, so that a 404 (a draft shown to its host only) varies too.
      varyOn(reply, 'Authorization');
      const property = await properties.getProperty(request.params.id, request.ctx);
      // Serialised once here, as this caller may see it: the body is both the answer and the
      // source of its ETag, so the exact and the redacted representation never share one.
      const body = JSON.stringify(property);
      // One-shot hash: no Hash object per request.
      const etag = `"${hash('sha1', body, 'base64url')}"`;
      reply.header('etag', etag);
      locationCacheHeaders(reply, {
        exact: showsExactLocation(property),
        publicAnswer: property.status === 'listed',
        signedIn: request.ctx.actor !== undefined,
        publicMaxAge: 60,
        signedInRedacted: 'private, no-cache',
      });
      if (matchesEtag(request.headers['if-none-match'], etag)) {
        return reply.status(304).send(null);
      }
      // Fastify sends a string body as it is, skipping the serialiser: no second stringify.
      return reply.type('application/json; charset=utf-8').send(body as unknown as Property);
    },
  );

  app.patch(
    '/v1/properties/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['properties'],
        operationId: 'updateProperty',
        summary: 'Change a property (its host)',
        security: bearer,
        params: PropertyIdParams,
        body: UpdatePropertyInput,
        response: {
          200: Property,
          ...problemResponses({ 403: ['not_property_owner'], 404: ['property_not_found'] }),
        },
      },
    },
    (request) => properties.updateProperty(request.params.id, request.body, request.ctx),
  );

  app.delete(
    '/v1/properties/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['properties'],
        operationId: 'deleteProperty',
        summary: 'Delete a property (its host)',
        description:
          'A soft delete: the property answers 404 afterwards. 409 `property_has_bookings` while a booking of it ends after today (property time zone).',
        security: bearer,
        params: PropertyIdParams,
        response: {
          204: z.null().describe('Deleted'),
          ...problemResponses({
            403: ['not_property_owner'],
            404: ['property_not_found'],
            409: ['property_has_bookings'],
          }),
        },
      },
    },
    async (request, reply) => {
      await properties.deleteProperty(request.params.id, request.ctx);
      return reply.status(204).send(null);
    },
  );
}

/** A place's calendar: availability and host blocks. */
function calendarRoutes(app: App, properties: PropertiesApi): void {
  app.get(
    '/v1/properties/:id/availability',
    {
      schema: {
        tags: ['properties'],
        operationId: 'getPropertyAvailability',
        summary: 'Unavailable date ranges of a property',
        description:
          'Sorted, non-overlapping ranges within [from, to), clipped to the window; `end` is exclusive. Touching ranges of one reason are merged.',
        security: optionalBearer,
        params: PropertyIdParams,
        querystring: AvailabilityQuery,
        response: { 200: Availability, ...problemResponses({ 404: ['property_not_found'] }) },
      },
    },
    (request) => properties.getAvailability(request.params.id, request.query, request.ctx),
  );

  app.post(
    '/v1/properties/:id/blocks',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['properties'],
        operationId: 'createCalendarBlock',
        summary: 'Block dates on the calendar (its host)',
        description:
          '[start, end) with `end` exclusive; from today (property time zone), at most 366 days. 409 when it overlaps another block or a booking.',
        security: bearer,
        params: PropertyIdParams,
        body: CreateBlockInput,
        response: {
          201: Block,
          ...problemResponses({
            403: ['not_property_owner'],
            404: ['property_not_found'],
            409: ['dates_unavailable'],
            422: ['block_in_past', 'block_too_long'],
          }),
        },
      },
    },
    async (request, reply) => {
      const block = await properties.createBlock(request.params.id, request.body, request.ctx);
      return reply.status(201).header('location', `/v1/properties/${request.params.id}/blocks/${block.id}`).send(block);
    },
  );

  app.delete(
    '/v1/properties/:id/blocks/:blockId',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['properties'],
        operationId: 'deleteCalendarBlock',
        summary: 'Remove a calendar block (its host)',
        security: bearer,
        params: BlockParams,
        response: {
          204: z.null().describe('Removed'),
          ...problemResponses({ 403: ['not_property_owner'], 404: ['property_not_found', 'block_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      await properties.deleteBlock(request.params.id, request.params.blockId, request.ctx);
      return reply.status(204).send(null);
    },
  );
}

/** A host's own places. */
function hostRoutes(app: App, properties: PropertiesApi): void {
  app.get(
    '/v1/hosts/me/properties',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['properties'],
        operationId: 'listMyProperties',
        summary: "The signed-in host's properties, every status",
        security: bearer,
        querystring: HostPropertiesQuery,
        response: { 200: pageSchema(Property), ...problemResponses({ 403: ['host_required'] }) },
      },
    },
    (request) => properties.listHostProperties(request.query, request.ctx),
  );
}

export const propertiesRoutes: FastifyPluginAsyncZod<{ properties: PropertiesApi }> = async (app, { properties }) => {
  // Registered in this order: the OpenAPI document lists the paths as registered.
  listingRoutes(app, properties);
  calendarRoutes(app, properties);
  hostRoutes(app, properties);
};
