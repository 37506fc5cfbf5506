import { hash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConditionalGetHeaders, matchesEtag } from '../../http/conditional-get.js';
import { problemResponses } from '../../http/problem.js';
import {
  Calendar,
  CalendarPrices,
  CalendarQuery,
  CALENDAR_MAX_DAYS,
  MAX_PRICE_OVERRIDES,
  MAX_PRICE_RANGES,
  PRICES_DAYS_AHEAD,
  SetCalendarPricesInput,
} from './properties.prices.schemas.js';
import { PropertyIdParams } from './properties.schemas.js';
import type { PropertiesApi } from './properties.service.js';

const bearer = [{ bearerAuth: [] }];
const optionalBearer: Record<string, string[]>[] = [{}, { bearerAuth: [] }];

/** A place's prices by date and its per-night calendar. */
export const pricesRoutes: FastifyPluginAsyncZod<{ properties: PropertiesApi }> = async (app, { properties }) => {
  app.get(
    '/v1/properties/:id/calendar',
    {
      config: { responseHeaders: { 200: ['ETag', 'Cache-Control'], 304: ['ETag', 'Cache-Control'] } },
      schema: {
        tags: ['properties'],
        operationId: 'getPropertyCalendar',
        summary: 'Each night of a window: its price, whether it is free, its minimum stay',
        description: `Every night of [from, to), at most ${CALENDAR_MAX_DAYS} days, in date order. A night's price is the host's price for its date when one is set, else the weekend price on Friday and Saturday nights, else the nightly price; its \`minNights\` is the shortest stay checking in on it. A night is not available while a booking holds it or a block closes it. Listed places for anyone; drafts and unlisted places for their host and admins only (404 for anyone else). Answers carry an \`ETag\`; \`If-None-Match\` answers 304. \`Cache-Control: no-cache\` for a listed place (revalidate with the ETag), \`private, no-store\` for the others.`,
        security: optionalBearer,
        params: PropertyIdParams,
        querystring: CalendarQuery,
        headers: ConditionalGetHeaders,
        response: {
          200: Calendar,
          304: z.null().describe('Not modified: the copy the client holds is current'),
          ...problemResponses({ 404: ['property_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      const calendar = await properties.getCalendar(request.params.id, request.query, request.ctx);
      const body = JSON.stringify(calendar);
      const etag = `"${hash('sha1', body, 'base64url')}"`;
      const listed = (await properties.getProperty(request.params.id, request.ctx)).status === 'listed';
      reply.header('etag', etag).header('cache-control', listed ? 'no-cache' : 'private, no-store');
      if (matchesEtag(request.headers['if-none-match'], etag)) return reply.status(304).send(null);
      return reply.type('application/json; charset=utf-8').send(body as unknown as Calendar);
    },
  );

  app.put(
    '/v1/properties/:id/calendar/prices',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['properties'],
        operationId: 'setCalendarPrices',
        summary: 'Set prices and minimum stays by date (its host)',
        description: `Up to ${MAX_PRICE_RANGES} ranges [start, end) (\`end\` exclusive), not overlapping each other, each within the next ${PRICES_DAYS_AHEAD} days (from today in the place's time zone; 422 \`prices_out_of_window\`). Each range replaces whatever overrides it overlaps: those are trimmed, split or removed, then the range is written with its \`nightlyPrice\` and/or \`minNights\`; a range with neither only clears. All in one transaction. A place holds at most ${MAX_PRICE_OVERRIDES} ranges (409 \`too_many_price_overrides\`); ranges that have ended are dropped. Answers the overrides overlapping the window the request touched (its first start to its last end).`,
        security: bearer,
        params: PropertyIdParams,
        body: SetCalendarPricesInput,
        response: {
          200: CalendarPrices,
          ...problemResponses({
            403: ['not_property_owner'],
            404: ['property_not_found'],
            409: ['too_many_price_overrides'],
            422: ['prices_out_of_window'],
          }),
        },
      },
    },
    (request) => properties.setCalendarPrices(request.params.id, request.body, request.ctx),
  );
};
