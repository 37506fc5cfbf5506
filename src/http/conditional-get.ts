import { z } from 'zod';

/** The request headers of a route that answers `If-None-Match` with 304. */
export const ConditionalGetHeaders = z.looseObject({
  'if-none-match': z
    .string()
    .max(1000)
    .optional()
    .describe('The `ETag` of a copy the client holds: 304 while it is still current.')
    .meta({ examples: ['"kq3bS1cWvZyTnB0r9d7X4uWm2aE"'] }),
});

/** Whether an `If-None-Match` value names `etag` (strong or weak, alone or in a list). */
export const matchesEtag = (ifNoneMatch: string | undefined, etag: string): boolean =>
  Boolean(ifNoneMatch?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag));
