import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { decodeJwt } from 'jose';
import type { MercuriusContext } from 'mercurius';
import type { MQEmitter } from 'mqemitter';
import { bearerOf, type Authenticate } from '../http/auth.js';
import type { Actor, RequestContext } from '../platform/context.js';
import { AppError, isAppError } from '../platform/errors.js';
import { accessRevokedTopic, type AccessRevoked } from '../platform/live/live.js';
import type { GraphqlGate } from './gate.js';
import type { SocketRegistry } from './socket-registry.js';

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

export const GRAPHQL_TRANSPORT_WS = 'graphql-transport-ws';

export const CloseCode = {
  BadRequest: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  SubprotocolNotAcceptable: 4406,
  ConnectionInitialisationTimeout: 4408,
  SubscriberAlreadyExists: 4409,
  TooManyRequests: 4429,
} as const;

export interface SocketLimits {
  /** Open sockets per user, across API processes. */
  perUser: number;
  /** Open sockets per client address (authenticated or not yet), across API processes. */
  perAddress: number;
  /** Live subscriptions per socket. */
  subscriptionsPerSocket: number;
  /** How long a socket may stay open before its `connection_init`. */
  initTimeoutMs: number;
}

export const SOCKET_LIMITS: SocketLimits = {
  perUser: 10,
  perAddress: 30,
  subscriptionsPerSocket: 20,
  initTimeoutMs: 10_000,
};

/** A caller check this recent is reused before delivering an event. */
export const CALLER_RECHECK_MS = 1_000;
/** Frames a client may have waiting for the guard; past it the socket is closed (4429). */
const MAX_PENDING_FRAMES = 64;
const MAX_ID_LENGTH = 128;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The part of a `ws` WebSocket the guard uses. */
interface WsSocket {
  readonly protocol: string;
  readonly readyState: number;
  emit(event: string | symbol, ...args: unknown[]): boolean;
  send(data: unknown, cb?: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'close', listener: () => void): unknown;
}
const OPEN = 1;

type ErrorFormatter = (
  execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>,
  context: MercuriusContext,
) => { response: ExecutionResult };

export interface SocketGuardOptions {
  gate: GraphqlGate;
  schema: () => GraphQLSchema;
  authenticate: Authenticate;
  emitter: MQEmitter;
  registry: SocketRegistry;
  errorFormatter: ErrorFormatter;
  limits?: Partial<SocketLimits>;
}

interface Upgrade {
  ip: string;
  requestId: string;
  /** The upgrade request's Authorization header: the token when connection_init carries none. */
  authorization: string | undefined;
  log: FastifyBaseLogger;
}

/** Closes the socket: thrown to stop handling a frame. */
class Closed extends Error {}

function initPayloadToken(payload: unknown): string | undefined | null {
  if (payload === null || typeof payload !== 'object') return undefined;
  const p = payload as Record<string, unknown>;
  const headers = p.headers !== null && typeof p.headers === 'object' ? (p.headers as Record<string, unknown>) : {};
  return bearerOf(p.authorization ?? p.Authorization ?? headers.authorization ?? headers.Authorization);
}

// `__proto__` and `constructor` keys are refused as on HTTP (secure-json-parse).
function parseFrame(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text, (key, v: unknown) => {
      if (key === '__proto__' || key === 'constructor') throw new SyntaxError('forbidden key');
      return v;
    });
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

// mercurius writes `{"type":…,"id":…,"payload":…}`: type and id are read without parsing the payload.
const OUTGOING = /^\{"type":"([a-z_]+)"(?:,"id":("(?:[^"\\]|\\.)*"))?/;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

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

export class SocketGuard {
  readonly id = randomUUID();
  /** The caller, as last checked. */
  caller: RequestContext | undefined;
  private token: string | undefined;
  private checkedAt = 0;
  private checking: Promise<boolean> | undefined;
  private phase: 'opened' | 'initialising' | 'acknowledged' | 'closed' = 'opened';
  private acknowledged: (() => void) | undefined;
  /** Subscriptions given to mercurius and not ended. */
  private readonly operations = new Set<string>();
  /** Ended by the guard with an `error`: mercurius' `complete` that follows is not sent. */
  private readonly refused = new Set<string>();
  private readonly claims: string[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private revoked: ((message: { payload?: AccessRevoked }, done: () => void) => void) | undefined;
  private incoming: Promise<void> = Promise.resolve();
  private outgoing: Promise<void> = Promise.resolve();
  private pending = 0;
  private readonly socketClosed: Promise<void>;
  private readonly deliver: (event: string | symbol, ...args: unknown[]) => boolean;
  private readonly rawSend: (data: unknown, cb?: (err?: Error) => void) => void;

  constructor(
    private readonly socket: WsSocket,
    private readonly upgrade: Upgrade,
    private readonly options: SocketGuardOptions,
    private readonly limits: SocketLimits,
    private readonly open: Set<SocketGuard>,
  ) {
    open.add(this);
    this.socketClosed = new Promise((resolve) => socket.on('close', resolve));
    this.deliver = socket.emit.bind(socket);
    this.rawSend = socket.send.bind(socket);
    socket.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event !== 'message') return this.deliver(event, ...args);
      this.receive(args[0], args[1] === true);
      return true;
    };
    socket.send = (data: unknown, cb?: (err?: Error) => void) => this.send(data, cb);
    socket.on('close', () => void this.cleanUp());

    // An empty protocol is mercurius' default subprotocol, set to this one.
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS && socket.protocol !== '') {
      this.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    const timer = setTimeout(() => {
      if (this.phase !== 'acknowledged')
        this.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }, limits.initTimeoutMs);
    this.timers.push(timer);
    // The address bound, before any frame is handled.
    this.enqueue(async () => {
      if (!(await this.claim(`addr:${upgrade.ip}`, limits.perAddress)))
        this.close(CloseCode.TooManyRequests, 'Too many open sockets from this address');
    });
  }

  /** A getter, so that TypeScript does not narrow `phase` across the awaits that may change it. */
  private get closed(): boolean {
    return this.phase === 'closed';
  }

  private get log() {
    return this.upgrade.log;
  }

  private close(code: number, reason: string): void {
    if (this.closed) return;
    this.log.info({ socket: this.id, closeCode: code, closeReason: reason }, 'graphql socket closed by the server');
    this.phase = 'closed';
    this.socket.close(code, reason);
    void this.cleanUp();
  }

  /** Closes the socket (1001) and waits for it to be closed, a second at most. */
  async shutdown(): Promise<void> {
    this.close(1001, 'Server shutting down');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, 1_000);
    });
    await Promise.race([this.socketClosed, late]);
    clearTimeout(timer);
  }

  private async cleanUp(): Promise<void> {
    this.phase = 'closed';
    this.open.delete(this);
    for (const t of this.timers.splice(0)) clearTimeout(t);
    this.acknowledged?.();
    const actor = this.caller?.actor;
    if (this.revoked && actor) {
      this.options.emitter.removeListener(accessRevokedTopic(actor.id), this.revoked as never);
      this.revoked = undefined;
    }
    const claims = this.claims.splice(0);
    await Promise.all(
      claims.map((key) =>
        this.options.registry
          .release(key, this.id)
          .catch((err: unknown) => this.log.warn({ err }, 'socket release failed')),
      ),
    );
  }

  private async claim(key: string, max: number): Promise<boolean> {
    if (this.closed) return true;
    const ok = await this.options.registry.claim(key, this.id, max);
    if (ok) {
      this.claims.push(key);
      // Closed while claiming: cleanUp already ran.
      if (this.closed) await this.cleanUp();
    }
    return ok;
  }

  // ---- Frames from the client ----

  private receive(data: unknown, isBinary: boolean): void {
    if (this.closed) return;
    if (++this.pending > MAX_PENDING_FRAMES) {
      this.close(CloseCode.TooManyRequests, 'Too many messages waiting');
      return;
    }
    this.enqueue(async () => {
      this.pending--;
      await this.handle(data, isBinary);
    });
  }

  /** One frame at a time, in order: a `complete` is not handled before the `subscribe` it ends. */
  private enqueue(work: () => Promise<void>): void {
    this.incoming = this.incoming
      .then(() => (this.closed ? undefined : work()))
      .catch((err: unknown) => {
        if (err instanceof Closed) return;
        this.log.error({ err, socket: this.id }, 'graphql socket failed');
        this.close(1011, 'Internal error');
      });
  }

  private async handle(data: unknown, isBinary: boolean): Promise<void> {
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Array.isArray(data)
        ? Buffer.concat(data as Buffer[]).toString('utf8')
        : String(data);
    const message = isBinary ? undefined : parseFrame(text);
    if (!message || typeof message.type !== 'string')
      return this.close(CloseCode.BadRequest, 'Invalid message received');
    const forward = () => this.deliver('message', Buffer.from(text), false);
    switch (message.type) {
      case 'connection_init':
        return this.init(message, forward);
      case 'subscribe':
        return this.subscribe(message, forward);
      case 'complete': {
        const { id } = message;
        // The protocol's ids are non-empty strings, as `subscribe` requires.
        if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH)
          return this.close(CloseCode.BadRequest, 'Invalid message received');
        this.operations.delete(id);
        forward();
        return;
      }
      case 'ping':
      case 'pong':
        if (message.payload !== undefined && message.payload !== null && !isObject(message.payload))
          return this.close(CloseCode.BadRequest, 'Invalid message received');
        forward();
        return;
      default:
        return this.close(CloseCode.BadRequest, `Invalid message type`);
    }
  }

  private async init(message: Record<string, unknown>, forward: () => void): Promise<void> {
    if (this.phase !== 'opened') return this.close(CloseCode.TooManyRequests, 'Too many initialisation requests');
    const { payload } = message;
    if (payload !== undefined && payload !== null && !isObject(payload))
      return this.close(CloseCode.BadRequest, 'Invalid message received');
    this.phase = 'initialising';
    // The token of the payload, else the upgrade request's Authorization header.
    const fromPayload = initPayloadToken(payload);
    const token = fromPayload === undefined ? bearerOf(this.upgrade.authorization) : fromPayload;
    if (!token) return this.close(CloseCode.Unauthorized, 'Unauthorized');
    let actor: Actor | undefined;
    try {
      actor = await this.options.authenticate(token);
    } catch (err) {
      if (!isAppError(err) || (err.kind !== 'unauthorized' && err.kind !== 'forbidden')) throw err;
      if (err.kind === 'forbidden') return this.close(CloseCode.Forbidden, 'Forbidden');
    }
    if (this.closed) return;
    if (!actor) return this.close(CloseCode.Unauthorized, 'Unauthorized');
    this.token = token;
    this.caller = { actor, ip: this.upgrade.ip, requestId: this.upgrade.requestId };
    this.checkedAt = Date.now();
    if (!(await this.claim(`user:${actor.id}`, this.limits.perUser)))
      return this.close(CloseCode.TooManyRequests, 'Too many open sockets for this user');
    if (this.closed) return;
    this.expireWithToken(token);
    await this.listenForRevocation(actor.id);
    if (this.closed) return;
    const acked = new Promise<void>((resolve) => (this.acknowledged = resolve));
    forward();
    // mercurius answers `connection_ack` once its own context is ready: subscriptions wait for it.
    await acked;
    if (this.closed) return;
    this.phase = 'acknowledged';
  }

  private expireWithToken(token: string): void {
    const { exp } = decodeJwt(token);
    if (typeof exp !== 'number') return;
    const timer = setTimeout(
      () => this.close(CloseCode.Forbidden, 'Token expired'),
      Math.min(Math.max(0, exp * 1000 - Date.now()), MAX_TIMER_MS),
    );
    this.timers.push(timer);
  }

  private listenForRevocation(userId: string): Promise<void> {
    const sessionId = this.caller?.actor?.sessionId;
    this.revoked = (message, done) => {
      const ended = message.payload?.sessionId;
      if (ended === undefined || ended === sessionId) this.close(CloseCode.Forbidden, 'Access revoked');
      done();
    };
    return new Promise((resolve) =>
      this.options.emitter.on(accessRevokedTopic(userId), this.revoked as never, () => resolve()),
    );
  }

  private async subscribe(message: Record<string, unknown>, forward: () => void): Promise<void> {
    if (this.phase !== 'acknowledged') return this.close(CloseCode.Unauthorized, 'Unauthorized');
    const { id, payload } = message;
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || !isObject(payload))
      return this.close(CloseCode.BadRequest, 'Invalid message received');
    if (this.operations.has(id))
      return this.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`);
    if (this.operations.size >= this.limits.subscriptionsPerSocket) {
      return this.refuse(
        id,
        new AppError(
          'rate_limited',
          'too_many_subscriptions',
          `At most ${this.limits.subscriptionsPerSocket} subscriptions per connection.`,
        ),
      );
    }
    try {
      await this.options.gate.admitSubscription(this.options.schema(), payload, {
        ip: this.upgrade.ip,
        requestContext: () => this.recheck(),
      });
    } catch (error) {
      if (error instanceof Closed) throw error;
      return this.refuse(id, error);
    }
    if (this.closed) return;
    this.operations.add(id);
    forward();
  }

  /** A fresh check of the caller; closes the socket (4403) when it lost access. */
  private async recheck(): Promise<RequestContext> {
    if (!(await this.alive(0))) throw new Closed();
    return this.caller!;
  }

  /** Whether the caller still has access, by a check at most `maxAgeMs` old. */
  private alive(maxAgeMs: number): Promise<boolean> {
    if (this.closed || !this.token) return Promise.resolve(false);
    if (Date.now() - this.checkedAt < maxAgeMs) return Promise.resolve(true);
    const token = this.token;
    return (this.checking ??= this.options
      .authenticate(token)
      .then(
        (actor) => {
          if (!actor) {
            this.close(CloseCode.Forbidden, 'Forbidden');
            return false;
          }
          this.caller = { ...this.caller, actor };
          this.checkedAt = Date.now();
          return true;
        },
        (err: unknown) => {
          if (isAppError(err) && (err.kind === 'unauthorized' || err.kind === 'forbidden')) {
            this.close(CloseCode.Forbidden, 'Forbidden');
            return false;
          }
          throw err;
        },
      )
      .finally(() => (this.checking = undefined)));
  }

  /**
   * Ends operation `id` with an `error` message, coded as HTTP codes it. Client errors are
   * logged at info; the formatter logs what is ours (INTERNAL_SERVER_ERROR) at error. When
   * mercurius runs the operation (`mercuriusHasIt`), the `complete` it sends next is dropped:
   * an operation ends with one of the two.
   */
  refuse(id: string, error: unknown, mercuriusHasIt = false): void {
    this.operations.delete(id);
    if (mercuriusHasIt) this.refused.add(id);
    const original = error instanceof Error ? error : new Error(String(error));
    const graphqlError =
      original instanceof GraphQLError ? original : new GraphQLError(original.message, { originalError: original });
    const { response } = this.options.errorFormatter({ data: undefined, errors: [graphqlError] }, {
      reply: { log: this.log },
    } as unknown as MercuriusContext);
    const errors = response.errors ?? [];
    const first = errors[0]?.extensions as { code?: unknown; reason?: unknown } | undefined;
    this.log.info(
      { socket: this.id, operation: id, code: first?.code, reason: first?.reason },
      'graphql subscription refused',
    );
    if (this.socket.readyState === OPEN) this.rawSend(JSON.stringify({ type: 'error', id, payload: errors }));
  }

  // ---- Frames to the client ----

  private send(data: unknown, cb?: (err?: Error) => void): void {
    const match = typeof data === 'string' ? OUTGOING.exec(data) : null;
    const type = match?.[1];
    const id = match?.[2] !== undefined ? (JSON.parse(match[2]) as string) : undefined;
    const done = (err?: Error) => cb?.(err);
    switch (type) {
      case 'connection_ack':
        this.rawSend(data, done);
        this.acknowledged?.();
        this.acknowledged = undefined;
        return;
      // Never sent on this protocol: the guard decides on connection_init before mercurius does.
      case 'connection_error':
        this.close(CloseCode.Forbidden, 'Forbidden');
        return done();
      case 'next': {
        // In order, each after a check of the caller (reused within CALLER_RECHECK_MS).
        this.outgoing = this.outgoing.then(async () => {
          const ok =
            id !== undefined && this.operations.has(id) && (await this.alive(CALLER_RECHECK_MS).catch(() => false));
          if (ok && this.socket.readyState === OPEN) this.rawSend(data, done);
          else done();
        });
        return;
      }
      case 'complete':
      case 'error':
        if (id !== undefined && this.refused.delete(id)) return done();
        if (id !== undefined) this.operations.delete(id);
        this.outgoing = this.outgoing.then(() => {
          if (this.socket.readyState === OPEN) this.rawSend(data, done);
          else done();
        });
        return;
      default:
        this.rawSend(data, done);
    }
  }
}
