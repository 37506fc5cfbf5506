import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { problemResponses } from '../../http/problem.js';
import { FEED_DAYS_AHEAD } from './ical.feed.js';
import { FeedParams, IcalLink, PropertyIdParams } from './ical.schemas.js';
import type { IcalApi } from './ical.service.js';
import { ConditionalGetHeaders, matchesEtag } from '../../http/conditional-get.js';

const bearer = [{ bearerAuth: [] }];

/** Whether an Accept-Encoding header takes gzip (`gzip` or `*`, not refused with q=0). */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

export const icalRoutes: FastifyPluginAsyncZod<{ ical: IcalApi }> = async (app, { ical }) => {
  app.get(
    '/ical/:file',
    {
      config: { responseHeaders: { 200: ['ETag', 'Cache-Control'], 304: ['ETag', 'Cache-Control'] } },
      schema: {
        tags: ['ical'],
        operationId: 'getIcalFeed',
        summary: 'A place’s calendar feed (iCal, secret URL)',
        description: `RFC 5545 calendar of the place’s busy dates, for anyone holding the secret URL (no sign-in): every pending, requested or confirmed stay (“Reserved”) and every host block (“Not available”) ending today or later and starting within ${FEED_DAYS_AHEAD} days, as all-day opaque events with stable UIDs and no guest data. A malformed, unknown or rotated token is 404 \`calendar_not_found\`, the same answer whatever the reason. \`ETag\` of the body, \`If-None-Match\` answers 304; \`Cache-Control: private, max-age=300\` (the URL is a secret: shared caches must not keep it).`,
        // Public: calendar applications fetch it with no credentials; the token is the secret.
        security: [],
        params: FeedParams,
        headers: ConditionalGetHeaders,
        response: {
          200: {
            description: 'The calendar.',
            content: {
              'text/calendar': {
                schema: z.string().describe('An RFC 5545 VCALENDAR, UTF-8, CRLF line ends, one VEVENT per busy range.'),
              },
            },
          },
          304: z.null().describe('Not modified: the copy the client holds is current'),
          ...problemResponses({ 404: ['calendar_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      const feed = await ical.feed(request.params.file);
      // The cached feed is gzipped: sent as it is to a client that takes gzip (with an ETag
      // of its own, as that representation differs), else unzipped.
      const gzip = acceptsGzip(request.headers['accept-encoding']);
      const etag = gzip ? `${feed.etag.slice(0, -1)}-gz"` : feed.etag;
      reply.header('etag', etag).header('cache-control', 'private, max-age=300').header('vary', 'Accept-Encoding');
      if (matchesEtag(request.headers['if-none-match'], etag)) {
        return reply.status(304).send(null);
      }
      reply.type('text/calendar; charset=utf-8');
      // A buffer is sent as it is, whatever the route's typed body.
      if (gzip) return reply.header('content-encoding', 'gzip').send(feed.gzipped as unknown as null);
      return reply.send(gunzipSync(feed.gzipped) as unknown as null);
    },
  );

  app.get(
    '/v1/properties/:id/ical',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['ical'],
        operationId: 'getIcalLink',
        summary: 'The secret URL of a place’s calendar feed (its host)',
        description:
          'Made on the first call and the same afterwards until rotated. A place the caller cannot see is 404 `property_not_found`; someone else’s is 403 `not_property_owner`.',
        security: bearer,
        params: PropertyIdParams,
        response: {
          200: IcalLink,
          ...problemResponses({ 403: ['not_property_owner'], 404: ['property_not_found'] }),
        },
      },
    },
    (request) => ical.getExportLink(request.params.id, request.ctx),
  );

  app.post(
    '/v1/properties/:id/ical/rotate',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['ical'],
        operationId: 'rotateIcalToken',
        summary: 'Replace the secret of a place’s calendar feed (its host)',
        description:
          'Answers the new URL; the old one is 404 from now on. Recorded in the audit trail. A place the caller cannot see is 404 `property_not_found`; someone else’s is 403 `not_property_owner`.',
        security: bearer,
        params: PropertyIdParams,
        response: {
          200: IcalLink,
          ...problemResponses({ 403: ['not_property_owner'], 404: ['property_not_found'] }),
        },
      },
    },
    (request) => ical.rotateExportToken(request.params.id, request.ctx),
  );
};
