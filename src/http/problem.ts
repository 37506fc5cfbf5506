import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ErrorKind } from '../platform/errors.js';

/** RFC 9457 problem details, the body of every REST error. */
export const Problem = z
  .object({
    type: z.string().describe('A URI naming the problem type: `urn:staylane:problem:<code>`.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string().describe('Stable machine-readable code, e.g. `email_taken`.'),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The documented error responses of a route, for its OpenAPI description. */
export function problemResponses(...statuses: number[]): Record<number, typeof Problem> {
  const out: Record<number, typeof Problem> = {};
  for (const s of [...statuses, 429]) out[s] = Problem.describe(TITLES[s] ?? 'Error');
  return out;
}

/**
 * Answers every REST route can give whatever it does, added to each route's OpenAPI
 * responses in one place so that no route forgets them: a present but invalid token (401),
 * input the shared guards refuse (422: NUL anywhere in the query), and, on methods that
 * carry a body, malformed, oversized or non-JSON bodies (400, 413, 415).
 */
export function documentSharedProblems(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method);
    const bodyless = methods.every((m) => m === 'GET' || m === 'HEAD');
    const shared = problemResponses(401, 422, ...(bodyless ? [] : [400, 413, 415]));
    const schema = (route.schema ??= {});
    schema.response = { ...shared, ...(schema.response as Record<number, unknown> | undefined) };
  });
}
