import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SocketGuard, type SocketGuardOptions, type Upgrade } from './socket-connection.js';
import { SOCKET_LIMITS, type WsSocket } from './socket-protocol.js';

/**
 * The WebSocket side of /graphql, in front of mercurius: every frame a client sends reaches
 * mercurius only through `SocketGuard`, and every frame mercurius sends passes through it.
 * mercurius 16 implements the message flow of `graphql-transport-ws` but none of its
 * safeguards (no validation, token limit, cost, init timeout, close codes; a non-string
 * `query` is taken for a syntax tree; errors answered as `connection_error`, a message the
 * protocol does not define), and offers no option to add them. The guard adds them without
 * patching mercurius: it wraps the socket's `emit('message')` and `send` when the socket is
 * handed to mercurius, before mercurius attaches its own listener.
 *
 * The protocol's close codes, bounds and frames are in socket-protocol.ts; the guard of one
 * socket, frames in and out, in socket-connection.ts; the caller's re-check in socket-caller.ts.
 *
 * What it does, in the protocol's terms (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md):
 * - close 4400 for a frame that is not a valid message, 4401 for `subscribe` before the
 *   acknowledgement and for `connection_init` without a valid token, 4403 when the caller
 *   loses access while connected (token expired, account suspended, access revoked), 4406
 *   for another subprotocol, 4408 when `connection_init` does not come within 10 s, 4409 for
 *   a subscription id in use, 4429 for a second `connection_init` and for a socket past the
 *   bounds (10 per user, 30 per client address, 20 subscriptions each);
 * - every `subscribe` passes the GraphQL gate (`gate.ts`) HTTP uses, with the caller checked
 *   anew; what the gate refuses is an `error` message for that id, coded as over HTTP;
 * - before each event is delivered the caller is checked again (reusing a check at most a
 *   second old), and an `access-revoked` live event closes the user's sockets at once.
 */

export { SocketGuard, type SocketGuardOptions } from './socket-connection.js';
export {
  CALLER_RECHECK_MS,
  CloseCode,
  GRAPHQL_TRANSPORT_WS,
  SOCKET_LIMITS,
  type SocketLimits,
} from './socket-protocol.js';

/**
 * Puts a guard in front of mercurius on each WebSocket of /graphql. `register` before
 * mercurius: an `onRoute` hook (Fastify's documented way to change a route's options) wraps
 * the `wsHandler` mercurius declares, so that the guard holds the socket before mercurius
 * attaches its own listeners, in the same tick as the upgrade.
 */
export function socketGuard(options: SocketGuardOptions) {
  const limits = { ...SOCKET_LIMITS, ...options.limits };
  const guards = new WeakMap<object, SocketGuard>();
  const open = new Set<SocketGuard>();
  return {
    limits,
    register(app: FastifyInstance, url = '/graphql') {
      // Before the app's own shutdown closes the live emitter: each socket, its subscriptions
      // and its listeners are gone by then (an unsubscribe after Redis' QUIT would be lost).
      app.addHook('preClose', async () => {
        await Promise.all([...open].map((guard) => guard.shutdown()));
      });
      app.addHook('onRoute', (route) => {
        const wsHandler = (
          route as { wsHandler?: (this: unknown, socket: WsSocket, request: FastifyRequest) => unknown }
        ).wsHandler;
        if (route.url !== url || typeof wsHandler !== 'function') return;
        (route as { wsHandler?: unknown }).wsHandler = function (
          this: unknown,
          socket: WsSocket,
          request: FastifyRequest,
        ) {
          const upgrade: Upgrade = {
            ip: request.ip,
            requestId: request.id,
            authorization: request.headers.authorization,
            log: request.log,
          };
          guards.set(socket, new SocketGuard(socket, upgrade, options, limits, open));
          return wsHandler.call(this, socket, request);
        };
      });
    },
    /** The guard of a socket (mercurius' subscription `context` receives the socket). */
    of(this: void, socket: unknown): SocketGuard | undefined {
      return socket && typeof socket === 'object' ? guards.get(socket) : undefined;
    },
  };
}
