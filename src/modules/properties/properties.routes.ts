import { createHash } from 'node:crypto';
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
import type { PropertiesService } from './properties.service.js';

const bearer = [{ bearerAuth: [] }];
// Public routes that also take a token (a host sees their own drafts).
const optionalBearer: Record<string, string[]>[] = [{}, { bearerAuth: [] }];

export const propertiesRoutes: FastifyPluginAsyncZod<{ properties: PropertiesService }> = async (
  app,
  { properties },
) => {
  app.post(
    '/v1/properties',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['properties'],
        summary: 'List a new property (hosts)',
        description: 'Created as `draft` unless `status: "listed"`. Text is trimmed and stored as plain text.',
        security: bearer,
        body: CreatePropertyInput,
        response: { 201: Property, ...problemResponses(400, 401, 403, 415, 422) },
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
      schema: {
        tags: ['properties'],
        summary: 'Search listed properties',
        description:
          'Every filter narrows the result. `checkIn` + `checkOut` keep places free for the whole stay. Cursors are bound to the sort and stable across pages. Pages may be served from a cache for up to 15 s; writes invalidate it.',
        querystring: SearchPropertiesQuery,
        response: { 200: pageSchema(Property), ...problemResponses(422) },
      },
    },
    async (request, reply) => {
      const page = await properties.searchProperties(request.query);
      return reply.header('cache-control', 'public, max-age=15').send(page);
    },
  );

  app.get(
    '/v1/properties/:id',
    {
      schema: {
        tags: ['properties'],
        summary: 'A property',
        description:
          'Drafts and unlisted places are visible to their host and admins only (404 for anyone else). Listed places carry `ETag` and `Cache-Control: public, max-age=60`; `If-None-Match` answers 304.',
        security: optionalBearer,
        params: PropertyIdParams,
        response: { 200: Property, 304: z.null().describe('Not modified'), ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const property = await properties.getProperty(request.params.id, request.ctx);
      // Serialised once here: the body is both the answer and the source of its ETag.
      const body = JSON.stringify(property);
      const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
      reply.header('etag', etag);
      reply.header('cache-control', property.status === 'listed' ? 'public, max-age=60' : 'private, no-store');
      const ifNoneMatch = request.headers['if-none-match'];
      if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
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
        summary: 'Change a property (its host)',
        security: bearer,
        params: PropertyIdParams,
        body: UpdatePropertyInput,
        response: { 200: Property, ...problemResponses(400, 401, 403, 404, 415, 422) },
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
        summary: 'Delete a property (its host)',
        description:
          'A soft delete: the property answers 404 afterwards. 409 `property_has_bookings` while a booking of it ends after today (property time zone).',
        security: bearer,
        params: PropertyIdParams,
        response: { 204: z.null().describe('Deleted'), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await properties.deleteProperty(request.params.id, request.ctx);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/properties/:id/availability',
    {
      schema: {
        tags: ['properties'],
        summary: 'Unavailable date ranges of a property',
        description:
          'Sorted, non-overlapping ranges within [from, to), clipped to the window; `end` is exclusive. Touching ranges of one reason are merged.',
        security: optionalBearer,
        params: PropertyIdParams,
        querystring: AvailabilityQuery,
        response: { 200: Availability, ...problemResponses(401, 404, 422) },
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
        summary: 'Block dates on the calendar (its host)',
        description:
          '[start, end) with `end` exclusive; from today (property time zone), at most 366 days. 409 when it overlaps another block or a booking.',
        security: bearer,
        params: PropertyIdParams,
        body: CreateBlockInput,
        response: { 201: Block, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
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
        summary: 'Remove a calendar block (its host)',
        security: bearer,
        params: BlockParams,
        response: { 204: z.null().describe('Removed'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await properties.deleteBlock(request.params.id, request.params.blockId, request.ctx);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/hosts/me/properties',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['properties'],
        summary: "The signed-in host's properties, every status",
        security: bearer,
        querystring: HostPropertiesQuery,
        response: { 200: pageSchema(Property), ...problemResponses(401, 403, 422) },
      },
    },
    (request) => properties.listHostProperties(request.query, request.ctx),
  );
};
