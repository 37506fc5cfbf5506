import type { FastifyInstance, RouteOptions } from 'fastify';
import { z, type ZodType } from 'zod';
import type { ErrorKind } from '../platform/errors.js';

/** RFC 9457 problem details, the body of every REST error. */
export const Problem = z
  .object({
    type: z.string().describe('A URI naming the problem type: `urn:staylane:problem:<code>`.'),
    title: z.string().describe('The HTTP status text.'),
    status: z.number().int().min(400).max(599),
    detail: z.string().describe('What went wrong, for people; it may change wording at any time.'),
    instance: z.string().describe('The path of the request.'),
    code: z
      .string()
      .describe('Stable machine-readable code, e.g. `email_taken`; each answer lists the codes it may carry.'),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Each invalid or unknown field (422): a dotted path and a message.'),
  })
  .meta({
    id: 'Problem',
    examples: [
      {
        type: 'urn:staylane:problem:dates_unavailable',
        title: 'Conflict',
        status: 409,
        detail: 'Some of these nights are already taken by a booking or a block.',
        instance: '/v1/bookings',
        code: 'dates_unavailable',
      },
    ],
  });
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

/** The statuses a problem answer can have. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** The codes a route may answer, by status: `{ 404: ['property_not_found'], 409: ['dates_unavailable'] }`. */
export type ProblemCodes = Partial<Record<ProblemStatus, readonly string[]>>;

/** The codes each problem schema of a route stands for, read back when the OpenAPI document is built. */
const codesOfSchema = new WeakMap<ZodType, readonly string[]>();

function problemSchema(status: number, codes: readonly string[]): ZodType {
  const schema = Problem.describe(TITLES[status] ?? 'Error');
  codesOfSchema.set(schema, [...new Set(codes)]);
  return schema;
}

/**
 * A route's own error answers, each status with the `code` values the route can give under
 * it, for its `schema.response`. The answers every route shares (invalid token, validation,
 * rate limit, server errors; see `documentSharedProblems`) are added to these by themselves.
 */
export function problemResponses(codes: ProblemCodes): Record<number, ZodType> {
  const out: Record<number, ZodType> = {};
  for (const [status, list] of Object.entries(codes)) out[Number(status)] = problemSchema(Number(status), list ?? []);
  return out;
}

/** The `code` values a response schema made by `problemResponses` stands for; undefined for other schemas. */
export function problemCodesOf(schema: unknown): readonly string[] | undefined {
  return typeof schema === 'object' && schema !== null ? codesOfSchema.get(schema as ZodType) : undefined;
}

/** Adds `codes` under each status to a route's responses, keeping the route's own codes first. */
export function mergeProblems(
  response: Record<number, unknown> | undefined,
  codes: ProblemCodes,
): Record<number, unknown> {
  const merged: Record<number, unknown> = { ...response };
  for (const [key, list] of Object.entries(codes)) {
    const status = Number(key);
    const own = response?.[status];
    // A route that documents a status its own way (not a problem) keeps it.
    if (own !== undefined && problemCodesOf(own) === undefined) continue;
    merged[status] = problemSchema(status, [...(problemCodesOf(own) ?? []), ...(list ?? [])]);
  }
  return merged;
}

/**
 * The answers a REST route can give whatever it does, by what the route is: a present but
 * invalid token or ended session (401), a suspended account or a blocked address (403), a
 * malformed id in the path (404), input the schemas or shared guards refuse (422), broken
 * URL encoding (400), a cursor a list did not hand out (422), the rate limit (429), and
 * errors of our own or of a dependency (500, 503). Routes that carry a body can also meet a malformed, oversized or non-JSON body
 * (400, 413, 415) and a value the database refuses (422 `invalid_value`).
 */
export function sharedProblems(route: Pick<RouteOptions, 'method' | 'url' | 'config' | 'schema'>): ProblemCodes {
  const methods = ([] as string[]).concat(route.method);
  const withBody = !methods.every((m) => m === 'GET' || m === 'HEAD');
  const authRequired = (route.config as { auth?: string } | undefined)?.auth === 'required';
  const query = route.schema?.querystring;
  const paged = query instanceof z.ZodObject && 'cursor' in query.shape;
  const codes: ProblemCodes = {
    400: ['malformed_request'],
    401: [...(authRequired ? ['unauthorized'] : []), 'invalid_token', 'session_ended'],
    403: ['account_suspended', 'ip_blocked'],
    422: ['validation_failed', ...(paged ? ['invalid_cursor'] : []), ...(withBody ? ['invalid_value'] : [])],
    429: ['rate_limited'],
    500: ['internal_error'],
    503: ['unavailable', 'migrations_pending', 'overloaded'],
  };
  if (route.url.includes(':')) codes[404] = ['not_found'];
  if (withBody) {
    codes[413] = ['body_too_large'];
    codes[415] = ['unsupported_media_type'];
  }
  return codes;
}

/** Adds the shared answers (`sharedProblems`) to each route's responses as it is registered. */
export function documentSharedProblems(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = (route.schema ??= {});
    schema.response = mergeProblems(schema.response as Record<number, unknown> | undefined, sharedProblems(route));
  });
}
