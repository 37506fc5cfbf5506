import type { EventEmitter } from 'node:events';
import mqemitter, { type MQEmitter } from 'mqemitter';
import mqemitterRedis from 'mqemitter-redis';

/**
 * Live events for GraphQL subscriptions. One emitter per process: in-process (mqemitter)
 * without Redis; with REDIS_URL, mqemitter-redis, so an event published by one API process
 * reaches the subscribers connected to any other. Modules only see `publish`.
 */
export interface LiveEvents {
  /** The emitter mercurius subscribes on. */
  readonly emitter: MQEmitter;
  /**
   * Delivers `payload` to the subscribers of `topic`. Best effort: the change it reports is
   * already committed, so a failure is logged, never thrown at the caller.
   */
  publish(this: void, topic: string, payload: Record<string, unknown>): Promise<void>;
  close(this: void): Promise<void>;
}

export interface LiveLog {
  warn(obj: object, msg: string): void;
}

export function createLiveEvents(options: { redisUrl?: string; log?: LiveLog }): LiveEvents {
  let emitter: MQEmitter;
  if (options.redisUrl) {
    const redis = mqemitterRedis({ connectionString: options.redisUrl });
    // Unhandled, a connection error would crash the process; ioredis reconnects by itself.
    (redis as unknown as { state: EventEmitter }).state.on('error', (err: unknown) =>
      options.log?.warn({ err }, 'live events: Redis error'),
    );
    emitter = redis;
  } else {
    emitter = mqemitter();
  }
  return {
    emitter,
    publish: (topic, payload) =>
      new Promise<void>((resolve) => {
        try {
          emitter.emit({ topic, payload }, (err) => {
            if (err) options.log?.warn({ err, topic }, 'live event not delivered');
            resolve();
          });
        } catch (err) {
          options.log?.warn({ err, topic }, 'live event not delivered');
          resolve();
        }
      }),
    close: () => new Promise<void>((resolve) => emitter.close(() => resolve())),
  };
}
