import type { RouteOptions } from 'fastify';

/**
 * The response headers the OpenAPI document describes, each once under
 * `components.headers` and referenced by name from every response that carries it.
 */
export const RESPONSE_HEADERS = {
  Location: {
    description: 'The path of the resource just created.',
    schema: { type: 'string', examples: ['/v1/bookings/0b7e6f9e-2a4c-4d51-9f0e-3c1b2a9d8e7f'] },
  },
  ETag: {
    description: 'A strong validator of the body; send it back in `If-None-Match` to get 304 while it is unchanged.',
    schema: { type: 'string', examples: ['"kq3bS1cWvZyTnB0r9d7X4uWm2aE"'] },
  },
  'Cache-Control': {
    description: 'How long, and for whom, the answer may be cached.',
    schema: { type: 'string', examples: ['public, max-age=60'] },
  },
  'Content-Disposition': {
    description: 'Names the download: `attachment; filename="…"`.',
    schema: { type: 'string', examples: ['attachment; filename="staylane-export.json"'] },
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 0, examples: [30] },
  },
  'Idempotent-Replayed': {
    description:
      'Present (`true`) when this is the stored answer to an earlier request with the same `Idempotency-Key`.',
    schema: { type: 'string', enum: ['true'] },
  },
  'x-ratelimit-limit': {
    description: 'Requests this client address may make in the current minute.',
    schema: { type: 'integer', minimum: 0, examples: [300] },
  },
  'x-ratelimit-remaining': {
    description: 'Requests left in the current minute.',
    schema: { type: 'integer', minimum: 0, examples: [299] },
  },
  'x-ratelimit-reset': {
    description: 'Seconds until the current minute’s count starts again.',
    schema: { type: 'integer', minimum: 0, examples: [42] },
  },
  'x-request-id': {
    description:
      'The id of this request in the server’s logs: the `x-request-id` the client sent (up to 128 URL-safe characters) or a new UUID. Quote it when reporting a problem.',
    schema: { type: 'string', examples: ['9b2f4d1e-5a6c-4e8b-b1d3-7f0a2c4e6b8d'] },
  },
} as const;

export type ResponseHeader = keyof typeof RESPONSE_HEADERS;

/** The component name of a header (`components.headers`): `x-ratelimit-limit` → `XRatelimitLimit`. */
export const headerComponent = (name: ResponseHeader): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Headers a route's answers carry beyond those every route's do, by status, for its OpenAPI description. */
    responseHeaders?: Partial<Record<number, readonly ResponseHeader[]>>;
  }
}

/**
 * The headers an answer of a route carries: the request id on all; the rate-limit counts
 * where the limit applies; `Location` on 201; `Retry-After` on 429 and 503 (and on 409
 * where an idempotent request is still running); `Idempotent-Replayed` on the successes of
 * idempotent routes; and those the route lists itself (`config.responseHeaders`).
 */
export function responseHeadersOf(route: Pick<RouteOptions, 'config'>, status: number): ResponseHeader[] {
  const config = route.config ?? {};
  const headers: ResponseHeader[] = [...(config.responseHeaders?.[status] ?? [])];
  if (status === 201) headers.push('Location');
  if (status === 429 || status === 503 || (status === 409 && config.idempotent)) headers.push('Retry-After');
  if (config.idempotent && status < 300) headers.push('Idempotent-Replayed');
  if (config.rateLimit !== false) headers.push('x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset');
  headers.push('x-request-id');
  return [...new Set(headers)];
}
