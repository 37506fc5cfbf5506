import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../http/problem.js';
import { MAX_IMPORTS_PER_PROPERTY } from './ical.errors.js';
import { CreateIcalImportInput, IcalImport, IcalImportList, IcalImportParams } from './ical.imports.schemas.js';
import { PropertyIdParams } from './ical.schemas.js';
import type { IcalApi } from './ical.service.js';

const bearer = [{ bearerAuth: [] }];
const OWNER_ONLY =
  'Its host only: a place the caller does not host (or cannot see) is 404 `property_not_found`, so nothing tells whether it imports anything.';

/** External calendars a host imports into a place: add, list, remove. */
export const icalImportRoutes: FastifyPluginAsyncZod<{ ical: IcalApi }> = async (app, { ical }) => {
  app.post(
    '/v1/properties/:id/ical/imports',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['ical'],
        operationId: 'addIcalImport',
        summary: 'Import an external calendar into a place (its host)',
        description: `201 with the import and \`Location\`. Its first sync is queued at once, then it is fetched every \`ICAL_SYNC_MINUTES\` (15) with a conditional GET: at most 2 MiB, 10 s, public addresses only (redirects checked again). Each event — all-day or timed, recurring ones expanded, from today for 730 days — blocks the nights it covers like a host block; an event overlapping a Staylane stay does not block and is e-mailed to the host once. A place imports at most ${MAX_IMPORTS_PER_PROPERTY} calendars: one more is 409 \`too_many_ical_imports\`. A URL that is not http(s) is 422. ${OWNER_ONLY}`,
        security: bearer,
        params: PropertyIdParams,
        body: CreateIcalImportInput,
        response: {
          201: IcalImport,
          ...problemResponses({ 404: ['property_not_found'], 409: ['too_many_ical_imports'] }),
        },
      },
    },
    async (request, reply) => {
      const created = await ical.addImport(request.params.id, request.body, request.ctx);
      return reply
        .status(201)
        .header('location', `/v1/properties/${request.params.id}/ical/imports/${created.id}`)
        .send(created);
    },
  );

  app.get(
    '/v1/properties/:id/ical/imports',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['ical'],
        operationId: 'listIcalImports',
        summary: 'A place’s imported calendars (its host)',
        description: `Oldest first, each with its last sync, status and error. ${OWNER_ONLY}`,
        security: bearer,
        params: PropertyIdParams,
        response: { 200: IcalImportList, ...problemResponses({ 404: ['property_not_found'] }) },
      },
    },
    async (request) => ({ data: await ical.listImports(request.params.id, request.ctx) }),
  );

  app.post(
    '/v1/properties/:id/ical/imports/:importId/sync',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['ical'],
        operationId: 'syncIcalImport',
        summary: 'Sync an imported calendar now (its host)',
        description: `202 with the import as it is: a sync is queued at once (its outcome shows in \`GET …/ical/imports\` moments later). At most one a minute per calendar: one synced or queued less than a minute ago is 429 \`ical_sync_too_soon\` with \`Retry-After\`. An import the place does not have is 404 \`ical_import_not_found\`. ${OWNER_ONLY}`,
        security: bearer,
        params: IcalImportParams,
        response: {
          202: IcalImport,
          ...problemResponses({ 404: ['property_not_found', 'ical_import_not_found'], 429: ['ical_sync_too_soon'] }),
        },
      },
    },
    async (request, reply) => {
      const feed = await ical.requestSync(request.params.id, request.params.importId, request.ctx);
      return reply.status(202).send(feed);
    },
  );

  app.delete(
    '/v1/properties/:id/ical/imports/:importId',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['ical'],
        operationId: 'removeIcalImport',
        summary: 'Remove an imported calendar (its host)',
        description: `204; the nights it blocked are free again at once. An import the place does not have is 404 \`ical_import_not_found\`. ${OWNER_ONLY}`,
        security: bearer,
        params: IcalImportParams,
        response: {
          204: z.null().describe('Removed'),
          ...problemResponses({ 404: ['property_not_found', 'ical_import_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      await ical.removeImport(request.params.id, request.params.importId, request.ctx);
      return reply.status(204).send(null);
    },
  );
};
