import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { MercuriusContext } from 'mercurius';
import type { MQEmitter } from 'mqemitter';
import { bearerOf, type Authenticate } from '../http/auth.js';
import type { Actor, RequestContext } from '../platform/context.js';
import { AppError, isAppError } from '../platform/errors.js';
import type { GraphqlGate } from './gate.js';
import { CallerCheck } from './socket-caller.js';
import {
  CALLER_RECHECK_MS,
  CloseCode,
  Closed,
  frameText,
  GRAPHQL_TRANSPORT_WS,
  initPayloadToken,
  isObject,
  isOperationId,
  MAX_PENDING_FRAMES,
  OPEN,
  outgoingFrame,
  parseFrame,
  type SocketLimits,
  type WsSocket,
} from './socket-protocol.js';
import type { SocketRegistry } from './socket-registry.js';

/**
 * The guard of one WebSocket of /graphql (see socket-guard.ts): it holds the socket's
 * `emit('message')` and `send`, so that every frame from the client reaches mercurius only
 * through it, in order, and every frame mercurius sends passes through it.
 */

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

export interface Upgrade {
  ip: string;
  requestId: string;
  /** The upgrade request's Authorization header: the token when connection_init carries none. */
  authorization: string | undefined;
  log: FastifyBaseLogger;
}

export class SocketGuard {
  readonly id = randomUUID();
  private phase: 'opened' | 'initialising' | 'acknowledged' | 'closed' = 'opened';
  private readonly identity: CallerCheck;
  private acknowledged: (() => void) | undefined;
  /** Subscriptions given to mercurius and not ended. */
  private readonly operations = new Set<string>();
  /** Ended by the guard with an `error`: mercurius' `complete` that follows is not sent. */
  private readonly refused = new Set<string>();
  private readonly claims: string[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
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
    this.identity = new CallerCheck(options, {
      isClosed: () => this.closed,
      close: (code, reason) => this.close(code, reason),
    });
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

  /** The caller, as last checked. */
  get caller(): RequestContext | undefined {
    return this.identity.caller;
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
    this.identity.stop();
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
    const text = frameText(data);
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
        if (!isOperationId(id)) return this.close(CloseCode.BadRequest, 'Invalid message received');
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
    this.identity.accept(token, { actor, ip: this.upgrade.ip, requestId: this.upgrade.requestId });
    if (!(await this.claim(`user:${actor.id}`, this.limits.perUser)))
      return this.close(CloseCode.TooManyRequests, 'Too many open sockets for this user');
    if (this.closed) return;
    this.identity.expireWithToken(token);
    await this.identity.listenForRevocation(actor.id);
    if (this.closed) return;
    const acked = new Promise<void>((resolve) => (this.acknowledged = resolve));
    forward();
    // mercurius answers `connection_ack` once its own context is ready: subscriptions wait for it.
    await acked;
    if (this.closed) return;
    this.phase = 'acknowledged';
  }

  private async subscribe(message: Record<string, unknown>, forward: () => void): Promise<void> {
    if (this.phase !== 'acknowledged') return this.close(CloseCode.Unauthorized, 'Unauthorized');
    const { id, payload } = message;
    if (!isOperationId(id) || !isObject(payload)) return this.close(CloseCode.BadRequest, 'Invalid message received');
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
        requestContext: () => this.identity.recheck(),
      });
    } catch (error) {
      if (error instanceof Closed) throw error;
      return this.refuse(id, error);
    }
    if (this.closed) return;
    this.operations.add(id);
    forward();
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
    const { type, id } = outgoingFrame(data);
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
            id !== undefined &&
            this.operations.has(id) &&
            (await this.identity.alive(CALLER_RECHECK_MS).catch(() => false));
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
