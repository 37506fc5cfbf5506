import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { AppError } from '../platform/errors.js';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  type IdempotencyClaim,
} from '../platform/idempotency/idempotency.repository.js';
import type { IdempotencyKeyRow } from '../platform/idempotency/idempotency.table.js';
import { mergeProblems } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Accept an `Idempotency-Key` header from signed-in callers: a repeat with the same key
     * and request answers the first response, another request under that key 422, a repeat
     * while the first still runs 409.
     */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    /** The key this request claimed; settled (stored or released) when its answer is sent. */
    idempotencyClaim: IdempotencyClaim | null;
  }
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/** How long a key answers replays (keys live 24 h). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a claim without an answer blocks its key. A request that crashed the process
 * never settles its key; after the lease another request with that key takes it over and
 * runs. Longer than any request can run (database statements time out well before).
 */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;
/** Responses larger than this are not stored (the key is released instead). */
export const IDEMPOTENCY_MAX_STORED_BYTES = 64 * 1024;
/** The response headers a replay repeats; the others (request id, rate limit) are per request. */
export const IDEMPOTENCY_REPLAYED_HEADERS = ['content-type', 'location'] as const;

// Printable ASCII, no leading or trailing space (proxies may trim it).
const KEY_PATTERN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

export interface IdempotencyOptions {
  db: Db;
  clock: Clock;
}

/**
 * Idempotency keys for every route of `app` whose config sets `idempotent: true`; call it
 * once in the REST scope, after the authentication hook.
 *
 * The key is claimed (one INSERT … ON CONFLICT, keyed by user and key) once the caller is
 * authenticated and the input validated, i.e. right before the handler; its answer is
 * stored while it is being sent, so a retry that follows the answer replays it. Stored:
 * answers below 500 (a 4xx is the answer to that request, and a retry would get it again)
 * except 429. Released, so that a retry runs again: 5xx and 429 answers (nothing or
 * nothing lasting happened, or it should be tried again), answers above the size bound
 * and non-text bodies. A crash leaves a claim that expires after IDEMPOTENCY_LEASE_MS.
 *
 * Requests without the header, from anonymous callers or on other routes pass untouched.
 */
export function registerIdempotency(app: FastifyInstance, { db, clock }: IdempotencyOptions): void {
  app.decorateRequest('idempotencyClaim', null);
  documentIdempotentRoutes(app);

  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config.idempotent) return;
    const userId = request.ctx?.actor?.id;
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (!userId || header === undefined) return;

    const key = parseIdempotencyKey(header);
    const now = clock.now();
    const claim: IdempotencyClaim = {
      userId,
      key,
      requestHash: idempotencyRequestHash(request),
      claimedAt: now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
    };
    const result = await claimIdempotencyKey(db, claim, new Date(now.getTime() - IDEMPOTENCY_LEASE_MS));
    if (result.claimed) {
      request.idempotencyClaim = claim;
      return;
    }
    const existing = result.existing;
    if (existing.requestHash !== claim.requestHash) {
      throw new AppError(
        'invalid',
        'idempotency_key_reused',
        'This Idempotency-Key was used for a different request; use a new key for a new request.',
      );
    }
    if (existing.responseStatus === null) {
      throw new AppError(
        'conflict',
        'idempotency_in_progress',
        'A request with this Idempotency-Key is still being processed; retry shortly.',
        { retryAfter: 1 },
      );
    }
    return replay(reply, existing);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = null;
    await settle(request, reply, claim, payload, db);
    return payload;
  });

  // Only when no answer went through onSend (a hijacked reply): let a retry run.
  app.addHook('onResponse', async (request) => {
    const claim = request.idempotencyClaim;
    if (!claim) return;
    request.idempotencyClaim = null;
    await releaseIdempotencyKey(db, claim).catch((err: unknown) =>
      request.log.error({ err }, 'idempotency key not released'),
    );
  });
}

/** Validates the header's value; a bad key is the client's error (422), never a 500. */
export function parseIdempotencyKey(value: string | string[]): string {
  const key = Array.isArray(value) ? value.join(', ') : value;
  if (key.length <= IDEMPOTENCY_KEY_MAX_LENGTH && KEY_PATTERN.test(key)) return key;
  const message =
    key.length > IDEMPOTENCY_KEY_MAX_LENGTH
      ? `At most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters.`
      : 'Use 1 to 255 printable ASCII characters, e.g. a UUID.';
  throw new AppError('invalid', 'validation_failed', 'The Idempotency-Key header is not valid.', {
    errors: [{ path: 'Idempotency-Key', message }],
  });
}

/** What makes two requests the same, as the request hash sees it. */
export interface RequestIdentity {
  method: string;
  /** The route pattern (`/v1/bookings/:id/payments`), not the URL. */
  route: string;
  params: unknown;
  query: unknown;
  /** The body as validated, so key order and whitespace do not matter. */
  body: unknown;
}

/** SHA-256 of the method, route pattern, path parameters, query and body. */
export function hashRequest(identity: RequestIdentity): string {
  const { method, route, params, query, body } = identity;
  return createHash('sha256')
    .update(canonicalJson([method, route, params ?? {}, query ?? {}, body ?? null]))
    .digest('hex');
}

export function idempotencyRequestHash(request: FastifyRequest): string {
  return hashRequest({
    method: request.method,
    route: request.routeOptions.url ?? request.url,
    params: request.params,
    query: request.query,
    body: request.body,
  });
}

/** JSON with object keys sorted at every depth: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

function replay(reply: FastifyReply, row: IdempotencyKeyRow): FastifyReply {
  reply.status(row.responseStatus!);
  for (const [name, value] of Object.entries(row.responseHeaders ?? {})) reply.header(name, value);
  reply.header('idempotent-replayed', 'true');
  return reply.send(row.responseBody ?? '');
}

async function settle(
  request: FastifyRequest,
  reply: FastifyReply,
  claim: IdempotencyClaim,
  payload: unknown,
  db: Db,
): Promise<void> {
  const status = reply.statusCode;
  const body = payload === null || payload === undefined ? '' : typeof payload === 'string' ? payload : undefined;
  const storable =
    status < 500 && status !== 429 && body !== undefined && Buffer.byteLength(body) <= IDEMPOTENCY_MAX_STORED_BYTES;
  try {
    if (!storable) {
      await releaseIdempotencyKey(db, claim);
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of IDEMPOTENCY_REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const stored = await completeIdempotencyKey(db, claim, { status, headers, body });
    if (!stored) request.log.warn({ route: request.routeOptions.url }, 'idempotency claim lost before completion');
  } catch (err) {
    // The answer itself stands (its work is done); the claim expires after its lease.
    request.log.error({ err }, 'idempotency key not settled');
  }
}

const idempotencyKeyHeader = z
  .string()
  .optional()
  .describe(
    'Makes the request safe to retry: 1–255 printable ASCII characters, unique per request (a UUID). ' +
      'A repeat with the same key and request within 24 h answers the first response again, with ' +
      '`Idempotent-Replayed: true`; the same key with another request is refused (422 ' +
      '`idempotency_key_reused`); a repeat while the first is still running gets 409 ' +
      '`idempotency_in_progress` with `Retry-After`. Keys are per user. Server errors (5xx) are not ' +
      'kept: a retry runs again.',
  )
  .meta({
    minLength: 1,
    maxLength: IDEMPOTENCY_KEY_MAX_LENGTH,
    examples: ['5f0c7a52-8d3e-4b1f-9a61-2c4e8b7d9f10'],
  });

/**
 * OpenAPI for idempotent routes, added in one place like the shared problems: the header
 * as a parameter and the 409 and 422 answers it can cause. The header's schema is loose;
 * its value is checked by the preHandler hook, which answers 422 on the header by name.
 */
function documentIdempotentRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.config?.idempotent) return;
    const schema = (route.schema ??= {});
    const headers = schema.headers;
    if (headers === undefined) {
      schema.headers = z.looseObject({ [IDEMPOTENCY_HEADER]: idempotencyKeyHeader });
    } else if (headers instanceof z.ZodObject) {
      schema.headers = headers.extend({ [IDEMPOTENCY_HEADER]: idempotencyKeyHeader });
    }
    schema.response = mergeProblems(schema.response as Record<number, unknown> | undefined, {
      409: ['idempotency_in_progress'],
      422: ['idempotency_key_reused'],
    });
  });
}
