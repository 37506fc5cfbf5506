import type { FastifyRequest } from 'fastify';
import type { MercuriusContext } from 'mercurius';
import { resolveRequestContext, type Authenticate } from '../http/auth.js';
import { requireActor, type RequestContext } from '../platform/context.js';

declare module 'mercurius' {
  interface MercuriusContext {
    /** The caller, resolved once per request (the GraphQL gate resolves it before any resolver). */
    requestContext(): Promise<RequestContext>;
  }
}

export type GraphqlContext = MercuriusContext;

export function buildGraphqlContext(authenticate: Authenticate) {
  return (request: FastifyRequest) => {
    let resolved: Promise<RequestContext> | undefined;
    return {
      requestContext: () => (resolved ??= resolveRequestContext(request, authenticate)),
    };
  };
}

/**
 * The caller of an operation that needs one, checked before its input is parsed: REST
 * authenticates in `onRequest`, so without a token both transports answer 401 /
 * UNAUTHENTICATED whatever the input holds.
 */
export async function requireCaller(context: MercuriusContext): Promise<RequestContext> {
  const ctx = await context.requestContext();
  requireActor(ctx);
  return ctx;
}
