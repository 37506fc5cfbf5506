import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { IResolvers, MercuriusContext } from 'mercurius';
import type { MQEmitter } from 'mqemitter';
import { bearerOf, type Authenticate } from '../http/auth.js';
import type { RequestContext } from '../platform/context.js';
import { GRAPHQL_TRANSPORT_WS, type SocketGuard } from './socket-guard.js';

/**
 * GraphQL subscriptions over WebSocket (mercurius; subprotocol `graphql-transport-ws`), with
 * the socket guard (socket-guard.ts) in front of mercurius. A connection is authenticated
 * by the access token in the `connection_init` payload (`{ authorization: 'Bearer …' }`, or
 * the same under `headers`), or else by the upgrade request's `Authorization` header. A
 * present but invalid header is refused at the handshake (401); a missing or invalid token
 * at `connection_init` closes the socket with 4401. Queries and mutations stay on HTTP.
 */

/** Messages queued per subscription before a slow reader's stream pushes back. */
export const SUBSCRIPTION_QUEUE_HIGH_WATER_MARK = 16;
/** Keep-alive interval: idle proxies would otherwise cut quiet connections. */
export const SUBSCRIPTION_KEEP_ALIVE_MS = 30_000;

declare module 'mercurius' {
  interface MercuriusContext {
    /** On WebSocket connections only: the socket's guard. */
    guard?: SocketGuard;
    /** On WebSocket connections only: the operation id within the connection. */
    id?: string;
  }
}

export interface SubscriptionOptions {
  emitter: MQEmitter;
  authenticate: Authenticate;
  guardOf: (this: void, socket: unknown) => SocketGuard | undefined;
}

export function subscriptionOptions(options: SubscriptionOptions) {
  const { emitter, authenticate, guardOf } = options;
  return {
    emitter,
    keepAlive: SUBSCRIPTION_KEEP_ALIVE_MS,
    queueHighWaterMark: SUBSCRIPTION_QUEUE_HIGH_WATER_MARK,
    // A client that names no subprotocol speaks the current one.
    wsDefaultSubprotocol: GRAPHQL_TRANSPORT_WS,
    /** At the handshake: an Authorization header, when sent, must hold a valid token. */
    verifyClient(
      info: { req: IncomingMessage },
      next: (result: boolean, code?: number, message?: string) => void,
    ): void {
      const token = bearerOf(info.req.headers.authorization);
      if (token === undefined) return next(true);
      if (token === null) return next(false, 401, 'Unauthorized');
      authenticate(token).then(
        (actor) => (actor ? next(true) : next(false, 401, 'Unauthorized')),
        () => next(false, 401, 'Unauthorized'),
      );
    },
    /**
     * At `connection_init`, which the guard forwards only once it authenticated the caller.
     * Resolvers read the caller as the guard last checked it. `reply.log` is what the error
     * formatter logs with when an event's resolvers fail.
     */
    context(socket: unknown, request: FastifyRequest) {
      const guard = guardOf(socket);
      return {
        guard,
        reply: { log: request.log, request },
        requestContext: (): Promise<RequestContext> => Promise.resolve(guard?.caller ?? {}),
      };
    },
    /** The guard decided already; mercurius must not answer `connection_error`. */
    onConnect(this: unknown) {
      return true;
    },
  };
}

type SubscribeResolver = (root: unknown, args: unknown, context: MercuriusContext, info: unknown) => unknown;

const ended: AsyncIterableIterator<never> = {
  [Symbol.asyncIterator]() {
    return this;
  },
  next: () => Promise.resolve({ done: true, value: undefined }),
  return: () => Promise.resolve({ done: true, value: undefined }),
};

/**
 * Each `Subscription` field's `subscribe`, made to refuse through the socket guard: its error
 * (NOT_FOUND for someone else's conversation, …) becomes an `error` message coded as over
 * HTTP, instead of mercurius' uncoded one and its error-level log line.
 */
export function guardSubscriptionResolvers(resolvers: IResolvers): IResolvers {
  const subscription = resolvers.Subscription as Record<string, { subscribe?: SubscribeResolver }> | undefined;
  if (!subscription) return resolvers;
  const guarded = Object.fromEntries(
    Object.entries(subscription).map(([name, field]) => {
      const subscribe = field.subscribe;
      if (!subscribe) return [name, field];
      const wrapped: SubscribeResolver = async (root, args, context, info) => {
        try {
          return await subscribe(root, args, context, info);
        } catch (error) {
          if (!context.guard || context.id === undefined) throw error;
          context.guard.refuse(String(context.id), error, true);
          return ended;
        }
      };
      return [name, { ...field, subscribe: wrapped }];
    }),
  );
  return { ...resolvers, Subscription: guarded } as IResolvers;
}
