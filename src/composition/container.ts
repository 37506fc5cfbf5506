import type { Redis } from 'ioredis';
import { ConfigError } from '../config.js';
import type { Config } from './config.js';
import { createJwtService, resolveJwtSecret } from '../platform/auth/jwt.js';
import { createMemoryCache, createRedisCache } from '../platform/cache/cache.js';
import { createMemoryCounters, createRedisCounters } from '../platform/cache/counters.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { openDatabase, type Database } from '../platform/db/client.js';
import { AppError } from '../platform/errors.js';
import { createLogger } from '../platform/logging.js';
import { countJobsByKindAndState } from '../platform/jobs/index.js';
import { countInDoubt, mailerFromConfig, type Mailer } from '../platform/mail/index.js';
import { createMetrics } from '../platform/metrics/metrics.js';
import { createLiveEvents, type LiveEvents } from '../platform/live/live.js';
import { buildJobCatalog, type JobCatalog } from './jobs.js';
import { inDependencyOrder, type PlatformDeps } from '../module.js';
import {
  createEventHub,
  wireListeners,
  type EventDeps,
  type EventHub,
  type EventMap,
  type EventsOf,
} from '../module.js';
import { MODULES, type Services } from '../modules/index.js';

/**
 * The composition root: picks adapters from the configuration (PGlite or PostgreSQL,
 * LRU or Redis) and builds every module's service once, each after those it depends on.
 */
export interface Container extends Omit<PlatformDeps, 'config' | 'db' | 'publishLive'> {
  config: Config;
  database: Database;
  redis: Redis | undefined;
  /** Prefix of every Redis key this instance writes (tests give each run its own). */
  redisPrefix: string;
  /** The emitter GraphQL subscriptions listen on, shared by every API process through Redis when configured. */
  live: LiveEvents;
  services: Services;
  /** Every job kind and schedule (run by the embedded runner or the worker). */
  jobs: JobCatalog;
  /**
   * `draining`: the process is stopping (/readyz answers 503 while requests are still
   * served). `pendingMigrations`: what the database lacks; while any, only the probes answer.
   */
  readonly lifecycle: { draining: boolean; pendingMigrations: readonly string[] };
  close(): Promise<void>;
  // ── Cross-module events ──
  /** The events modules publish, wired to the handlers modules declare (`listens`); more can be added. */
  events: Pick<EventHub<EventsOf<typeof MODULES>>, 'listen'>;
}

export interface ContainerOverrides {
  database?: Database;
  clock?: Clock;
  redisPrefix?: string;
  mailer?: Mailer;
}

export async function createContainer(config: Config, overrides: ContainerOverrides = {}): Promise<Container> {
  const database =
    overrides.database ??
    (config.databaseUrl
      ? await openDatabase({ kind: 'postgres', url: config.databaseUrl, migrationTimeouts: config.migrationTimeouts })
      : await openDatabase({ kind: 'pglite', dataDir: `${config.dataDir}/pg` }));
  const redisPrefix = overrides.redisPrefix ?? config.redisPrefix;
  // Imported only with REDIS_URL set: embedded mode never loads the client (cold start: `npm start` to the first /healthz answer within 4 s).
  const redis = config.redisUrl
    ? new (await import('ioredis')).Redis(config.redisUrl, {
        lazyConnect: false,
        maxRetriesPerRequest: 2,
        enableOfflineQueue: true,
        // Reconnect at most a second apart, so a Redis that is back is used again within one.
        retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
      })
    : undefined;
  // Connection errors surface through /readyz and failing calls; unhandled, they would crash.
  redis?.on('error', () => undefined);
  const cache = redis ? createRedisCache(redis, redisPrefix) : createMemoryCache();
  const clock = overrides.clock ?? systemClock;
  // Windows follow the app's clock (a test that moves it moves them too).
  const nowMs = () => clock.now().getTime();
  const counters = redis ? createRedisCounters(redis, redisPrefix, nowMs) : createMemoryCounters(200_000, nowMs);
  const jwt = createJwtService(await resolveJwtSecret(config.jwtSecret, config.dataDir));
  const metrics = createMetrics(
    () => database.poolStats(),
    () => countJobsByKindAndState(database.db),
    countInDoubt({ db: database.db, clock, sendingTimeoutMs: config.mail.sendingTimeoutMs }),
  );

  const mailLog = createLogger(config).child({ component: 'mail' });
  const mailer =
    overrides.mailer ??
    mailerFromConfig(
      { ...config.mail, publicUrl: config.publicUrl, dataDir: config.dataDir },
      { db: database.db, clock, log: mailLog },
    );

  const live = createLiveEvents({
    redisUrl: config.redisUrl,
    prefix: redisPrefix,
    log: createLogger(config).child({ component: 'live' }),
  });

  const platform: PlatformDeps = {
    config,
    db: database.db,
    cache,
    counters,
    clock,
    jwt,
    metrics,
    mailer,
    publishLive: live.publish,
  };
  // Cross-module events: handlers are wired once every service exists.
  const events = createEventHub<EventMap>();
  const services = buildServices({ ...platform, publish: events.publish }, config.settings);
  wireListeners(events, inDependencyOrder(MODULES), services);
  const jobs = buildJobCatalog(inDependencyOrder(MODULES), services, { ...platform, mailLog });

  return {
    config,
    database,
    redis,
    redisPrefix,
    cache,
    counters,
    clock,
    jwt,
    metrics,
    mailer,
    live,
    services,
    jobs,
    lifecycle: { draining: false, pendingMigrations: [] },
    events,
    async close() {
      mailer.close();
      await live.close();
      redis?.disconnect();
      await database.close();
    },
  };
}

function buildServices(
  platform: PlatformDeps & EventDeps<EventMap>,
  settings: Readonly<Record<string, unknown>>,
): Services {
  const built: Record<string, unknown> = {};
  for (const module of inDependencyOrder(MODULES)) {
    // Its dependencies are in `built` already; their names and types are checked where
    // the module declares `dependsOn`. Its settings were read by its own fragment.
    built[module.name] = module.createService({ ...platform, ...built, settings: settings[module.name] });
  }
  // Every module of the list was built under its own name: the shape `Services` describes.
  return built as Services;
}

/**
 * Creates the ADMIN_EMAIL admin at start-up when no user has that e-mail. A weak
 * ADMIN_PASSWORD, when it is about to be used, stops start-up like any other bad setting.
 */
export async function bootstrapAdmin(container: Container): Promise<boolean> {
  const admin = container.config.settings.users.admin;
  if (!admin) return false;
  try {
    return (await container.services.users.createAdmin(admin)) !== undefined;
  } catch (e) {
    if (e instanceof AppError && e.code === 'weak_password') {
      throw new ConfigError(`Invalid configuration: ADMIN_PASSWORD is refused: ${e.message}`);
    }
    throw e;
  }
}
