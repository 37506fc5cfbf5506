import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import mqemitter, { type MQEmitter } from 'mqemitter';
import type MqemitterRedis from 'mqemitter-redis';

// Loaded on first use and only with REDIS_URL: the emitter is made synchronously (mercurius
// reads it as a property), and embedded mode has no use for the Redis client (cold start: `npm start` to the first /healthz answer within 4 s).
const require = createRequire(import.meta.url);

/**
 * Live events for GraphQL subscriptions. One emitter per process: in-process (mqemitter)
 * without Redis; with REDIS_URL, mqemitter-redis, so an event published by one API process
 * reaches the subscribers connected to any other. Modules only see `publish`.
 */
export interface LiveEvents {
  /** The emitter mercurius subscribes on (made on first use: a worker never opens it). */
  readonly emitter: MQEmitter;
  /**
   * Hands `payload` to the subscribers of `topic` and returns without waiting for delivery.
   * Best effort: the change it reports is already committed, so a failure is logged, never
   * thrown at the caller.
   */
  publish(this: void, topic: string, payload: Record<string, unknown>): Promise<void>;
  close(this: void): Promise<void>;
}

export interface LiveLog {
  warn(obj: object, msg: string): void;
}

/** How long closing waits for Redis to say goodbye before dropping the connections. */
const CLOSE_TIMEOUT_MS = 2_000;

interface RedisConnections {
  subConn: { disconnect(): void };
  pubConn: { disconnect(): void };
  state: EventEmitter;
}

/**
 * `inner` with every topic under `prefix`, so deployments (or test runs) sharing one Redis
 * hear only their own events. Listeners read the payload, never the topic, so they pass
 * through unchanged (and `removeListener` finds them).
 */
function underPrefix(inner: MQEmitter, prefix: string): MQEmitter {
  // Everything else (close, the emitter's state) is the inner emitter's own.
  const wrapper = Object.create(inner) as MQEmitter;
  return Object.assign(wrapper, {
    on: (topic: string, listener: never, cb?: () => void) => inner.on(prefix + topic, listener, cb),
    removeListener: (topic: string, listener: never, cb?: () => void) =>
      inner.removeListener(prefix + topic, listener, cb),
    emit: (message: { topic: string }, cb?: (err?: Error) => void) =>
      inner.emit({ ...message, topic: prefix + message.topic }, cb),
  });
}

export function createLiveEvents(options: {
  redisUrl?: string;
  /** Prefix of the Redis channels (REDIS_KEY_PREFIX); only with `redisUrl`. */
  prefix?: string;
  log?: LiveLog;
}): LiveEvents {
  const { redisUrl, log } = options;
  let emitter: MQEmitter | undefined;
  let connections: RedisConnections | undefined;
  const open = (): MQEmitter => {
    if (emitter) return emitter;
    if (redisUrl) {
      const mqemitterRedis = require('mqemitter-redis') as typeof MqemitterRedis;
      const redis = mqemitterRedis({ connectionString: redisUrl });
      connections = redis as unknown as RedisConnections;
      // Unhandled, a connection error would crash the process; ioredis reconnects by itself.
      connections.state.on('error', (err: unknown) => log?.warn({ err }, 'live events: Redis error'));
      emitter = underPrefix(redis, `${options.prefix ?? ''}live:`);
    } else {
      emitter = mqemitter();
    }
    return emitter;
  };

  return {
    get emitter() {
      return open();
    },
    // Not waiting for delivery: with Redis unreachable the emit would wait for a reconnection,
    // and the request that sent the message has nothing to gain from waiting.
    publish: (topic, payload) => {
      try {
        open().emit({ topic, payload }, (err) => {
          if (err) log?.warn({ err, topic }, 'live event not delivered');
        });
      } catch (err) {
        log?.warn({ err, topic }, 'live event not delivered');
      }
      return Promise.resolve();
    },
    async close() {
      const current = emitter;
      if (!current) return;
      // A Redis that is down would hold a polite QUIT forever: past the timeout, disconnect.
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        new Promise<false>((resolve) => current.close(() => resolve(false))),
        new Promise<true>((resolve) => {
          timer = setTimeout(() => resolve(true), CLOSE_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut && connections) {
        connections.subConn.disconnect();
        connections.pubConn.disconnect();
      }
    },
  };
}

/**
 * Where the users module announces that access ended: a suspension, a password reset or
 * change, logout-everywhere, account closure (every session of the user: no `sessionId`) or
 * one ended session (`sessionId`). Each API process closes the matching open sockets.
 */
export const accessRevokedTopic = (userId: string): string => `access-revoked:${userId}`;

export interface AccessRevoked {
  /** The one session that ended; absent when every session of the user ended. */
  sessionId?: string;
}
