import type { FastifyInstance, FastifyRequest } from 'fastify';
import { USER_AGENT_MAX_LENGTH, type RequestContext } from '../platform/context.js';
import { unauthorized } from '../platform/errors.js';

export type AuthMode = 'required' | 'optional';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
  interface FastifyContextConfig {
    /** `required`: a valid bearer token or 401. `optional` (default): a token, when sent, must be valid. */
    auth?: AuthMode;
  }
}

export type Authenticate = (token: string) => Promise<RequestContext['actor']>;

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The token of an `Authorization` value; null when one is present but not a bearer token. */
export function bearerOf(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return null;
  return BEARER.exec(value)?.[1] ?? null;
}

/** Reads `Authorization: Bearer …`; a header that is present but not a bearer token is a 401. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const token = bearerOf(request.headers.authorization);
  if (token === null) throw unauthorized('Use `Authorization: Bearer <accessToken>`.', 'invalid_token');
  return token;
}

/** Resolves the caller of a request into a RequestContext, shared by REST and GraphQL. */
export async function resolveRequestContext(
  request: FastifyRequest,
  authenticate: Authenticate,
): Promise<RequestContext> {
  const token = bearerToken(request);
  const actor = token ? await authenticate(token) : undefined;
  const userAgent = request.headers['user-agent']?.slice(0, USER_AGENT_MAX_LENGTH);
  return { actor, ip: request.ip, requestId: request.id, ...(userAgent ? { userAgent } : {}) };
}

/** Puts `request.ctx` on every REST request, enforcing each route's `config.auth`. */
export function registerRestAuth(app: FastifyInstance, authenticate: Authenticate): void {
  app.decorateRequest('ctx', null as unknown as RequestContext);
  app.addHook('onRequest', async (request) => {
    request.ctx = await resolveRequestContext(request, authenticate);
    if (request.routeOptions.config.auth === 'required' && !request.ctx.actor) throw unauthorized();
  });
}
