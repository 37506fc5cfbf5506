import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../http/problem.js';
import { EXPORT_MAX_DAYS, ExportBookingsQuery } from './bookings.export-schemas.js';
import { CSV_COLUMNS, EXPORT_CONTENT_TYPES, type BookingExporter } from './bookings.export.js';

/**
 * GET /v1/bookings/export. Registered by the bookings routes: `bookingExportRoutes(app, {
 * bookings })`, where `bookings` is anything with `exportBookings` (the bookings service).
 */
export const bookingExportRoutes: FastifyPluginAsyncZod<{ bookings: BookingExporter }> = async (app, { bookings }) => {
  app.get(
    '/v1/bookings/export',
    {
      config: { auth: 'required', responseHeaders: { 200: ['Content-Disposition', 'Cache-Control'] } },
      schema: {
        tags: ['bookings'],
        operationId: 'exportHostBookings',
        summary: 'Export the bookings of your places (hosts)',
        description:
          `Every booking (any status) of the caller's places whose check-in date is in [\`from\`, \`to\`), ordered by check-in then id, ` +
          `as a download (\`Content-Disposition: attachment\`). The window is at most ${EXPORT_MAX_DAYS} days. The body is streamed ` +
          '(chunked) page by page from the database, so any size downloads in flat server memory; a client that disconnects ' +
          'stops the reads. `format=csv` (default): RFC 4180, UTF-8, CRLF line ends, a header row, one row per booking with the ' +
          `price flattened (columns: ${CSV_COLUMNS.join(', ')}); empty cells for null; a cell starting with = + - @, tab or CR gets a ` +
          "leading apostrophe (') so spreadsheets never run it as a formula. `format=ndjson`: one Booking JSON object per line " +
          '(LF). Money is in minor units of `currency`. Hosts only: 403 for other roles.',
        security: [{ bearerAuth: [] }],
        querystring: ExportBookingsQuery,
        response: {
          200: {
            description: 'The export, streamed.',
            content: {
              [EXPORT_CONTENT_TYPES.csv.split(';')[0]!]: {
                schema: z.string().describe('CSV text: a header row, then one row per booking.'),
              },
              [EXPORT_CONTENT_TYPES.ndjson]: {
                schema: z.string().describe('Newline-delimited JSON: one Booking object per line.'),
              },
            },
          },
          ...problemResponses({ 403: ['forbidden'] }),
        },
      },
    },
    async (request, reply) => {
      const abort = new AbortController();
      // The response closes early only when the client went away; stop reading pages then.
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) abort.abort();
      });
      const { contentType, filename, chunks } = bookings.exportBookings(request.query, request.ctx, abort.signal);
      reply
        .header('content-type', contentType)
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'private, no-store');
      // Byte mode: the stream buffers ~16 KiB ahead, so at most a page waits in memory.
      // Fastify pipes a stream as it is (no serialiser), whatever the route's typed body.
      return reply.send(Readable.from(chunks, { objectMode: false }) as unknown as string);
    },
  );
};
