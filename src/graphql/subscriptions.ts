import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { MercuriusContext } from 'mercurius';
import type { MQEmitter } from 'mqemitter';
import type { Authenticate } from '../http/auth.js';
import type { RequestContext } from '../platform/context.js';

/**
 * GraphQL subscriptions over WebSocket (mercurius; subprotocols `graphql-transport-ws` and
 * the older `graphql-ws`). A connection is authenticated when it opens: by the access
 * token in the `connection_init` payload (`{ authorization: 'Bearer …' }`, or the same
 * under `headers`), or else by the upgrade request's `Authorization` header. A present but
 * invalid header is refused at the handshake (401); an invalid payload token, or no token
 * at all, gets `connection_error` and the socket is closed. Queries and mutations stay on
 * HTTP, where they are priced and rate limited.
 */

/** Most live subscriptions one connection may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
/** Messages queued per subscription before a slow reader's stream pushes back. */
export const SUBSCRIPTION_QUEUE_HIGH_WATER_MARK = 16;
/** Keep-alive interval: idle proxies would otherwise cut quiet connections. */
export const SUBSCRIPTION_KEEP_ALIVE_MS = 30_000;

/** Per connection: the ids of its live subscriptions, shared by all of its operations. */
export interface LiveSubscriptions {
  active: Set<string>;
}

declare module 'mercurius' {
  interface MercuriusContext {
    /** On WebSocket connections only: the connection's live subscriptions. */
    live?: LiveSubscriptions;
    /** On WebSocket connections only: the operation id within the connection. */
    id?: string;
  }
}

/** Counts a new subscription against its connection's limit (see MAX_SUBSCRIPTIONS_PER_CONNECTION). */
export function trackSubscription(context: MercuriusContext): void {
  const { live, id } = context;
  if (!live || id === undefined) return;
  if (live.active.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION && !live.active.has(id)) {
    throw new Error(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection.`);
  }
  live.active.add(id);
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The token of an `Authorization` value; null when one is present but not a bearer token. */
function bearerOf(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return null;
  return BEARER.exec(value)?.[1] ?? null;
}

function initPayloadToken(payload: unknown): string | undefined | null {
  if (payload === null || typeof payload !== 'object') return undefined;
  const p = payload as Record<string, unknown>;
  const headers = p.headers !== null && typeof p.headers === 'object' ? (p.headers as Record<string, unknown>) : {};
  return bearerOf(p.authorization ?? p.Authorization ?? headers.authorization ?? headers.Authorization);
}

interface ConnectionInfo {
  ip: string;
  requestId: string;
  /** The caller of the upgrade request's Authorization header, when it had one. */
  upgradeCaller: RequestContext | undefined;
}

export interface SubscriptionOptions {
  emitter: MQEmitter;
  authenticate: Authenticate;
}

export function subscriptionOptions(options: SubscriptionOptions) {
  const { emitter, authenticate } = options;
  // An invalid token is an answer (no caller), not an error to log.
  const callerOf = async (
    token: string,
    info: Pick<ConnectionInfo, 'ip' | 'requestId'>,
  ): Promise<RequestContext | undefined> => {
    const actor = await authenticate(token).catch(() => undefined);
    return actor ? { actor, ip: info.ip, requestId: info.requestId } : undefined;
  };

  return {
    emitter,
    keepAlive: SUBSCRIPTION_KEEP_ALIVE_MS,
    queueHighWaterMark: SUBSCRIPTION_QUEUE_HIGH_WATER_MARK,
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
    /** At `connection_init`, before onConnect: what the upgrade request said. */
    async context(_socket: unknown, request: FastifyRequest) {
      const info = { ip: request.ip, requestId: request.id };
      const token = bearerOf(request.headers.authorization);
      const connection: ConnectionInfo = {
        ...info,
        upgradeCaller: token ? await callerOf(token, info) : undefined,
      };
      return { connection, live: { active: new Set<string>() } satisfies LiveSubscriptions };
    },
    /**
     * Decides on `connection_init`. mercurius calls it as a method of the connection, whose
     * context already holds what `context` returned: the upgrade header's caller is read
     * there, so that a client that authenticated the handshake need not repeat the token.
     * Returning false answers `connection_error` and closes the socket.
     */
    async onConnect(this: unknown, data: { payload?: unknown }) {
      const connection = (this as { context?: { connection?: ConnectionInfo } } | undefined)?.context?.connection;
      const info = { ip: connection?.ip ?? '', requestId: connection?.requestId ?? '' };
      const token = initPayloadToken(data.payload);
      if (token === null) return false;
      const caller = token ? await callerOf(token, info) : connection?.upgradeCaller;
      if (!caller) return false;
      return { requestContext: () => Promise.resolve(caller) };
    },
  };
}

/** onSubscriptionEnd hook: a stopped subscription frees its place in the connection's limit. */
export async function releaseSubscription(context: MercuriusContext, id: string | number): Promise<void> {
  context.live?.active.delete(String(id));
}
