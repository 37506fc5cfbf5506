import type { FastifyRequest } from 'fastify';
import type { MercuriusContext } from 'mercurius';
import type { z } from 'zod';
import { resolveRequestContext, type Authenticate } from '../http/auth.js';
import type { RequestContext } from '../platform/context.js';
import { validationError } from '../platform/errors.js';

declare module 'mercurius' {
  interface MercuriusContext {
    /** The caller, resolved once per request (see `resolveCallerFirst`). */
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
 * preExecution hook: resolves the caller before any resolver runs, so that a token that is
 * present but invalid fails every operation, public ones included, as it does over REST.
 * Resolvers reuse this resolution; without an Authorization header it reads nothing.
 */
export async function resolveCallerFirst(_schema: unknown, _document: unknown, context: MercuriusContext) {
  await context.requestContext();
}

/** Parses resolver input with the same zod schema the REST route uses. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, path = 'input'): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error.issues, path);
  return parsed.data;
}

/** Drops GraphQL's explicit nulls for optional fields that zod declares `optional` only. */
export function withoutNulls<T extends Record<string, unknown>>(value: T, keep: string[] = []): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => v !== null || keep.includes(k))) as Partial<T>;
}
