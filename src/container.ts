import { Redis } from 'ioredis';
import { ConfigError, type Config } from './config.js';
import { createJwtService, resolveJwtSecret, type JwtService } from './platform/auth/jwt.js';
import { createMemoryCache, createRedisCache, type Cache } from './platform/cache/cache.js';
import { createMemoryCounters, createRedisCounters, type CounterStore } from './platform/cache/counters.js';
import { systemClock, type Clock } from './platform/clock.js';
import { openDatabase, type Database } from './platform/db/client.js';
import { AppError } from './platform/errors.js';
import { createMetrics, type Metrics } from './platform/metrics/metrics.js';
import { createAuditService, type AuditService } from './modules/audit/index.js';
import { createPropertiesService, type PropertiesService } from './modules/properties/index.js';
import { createUsersService, type UsersService } from './modules/users/index.js';

/**
 * The composition root: picks adapters from the configuration (PGlite or PostgreSQL,
 * LRU or Redis) and builds every service once.
 */
export interface Container {
  config: Config;
  database: Database;
  redis: Redis | undefined;
  /** Prefix of every Redis key this instance writes (tests give each run its own). */
  redisPrefix: string;
  cache: Cache;
  /** Security counters (lock-out, auth and GraphQL limits): never in the cache's store. */
  counters: CounterStore;
  clock: Clock;
  jwt: JwtService;
  metrics: Metrics;
  services: { users: UsersService; audit: AuditService; properties: PropertiesService };
  close(): Promise<void>;
}

export interface ContainerOverrides {
  database?: Database;
  clock?: Clock;
  redisPrefix?: string;
}

export async function createContainer(config: Config, overrides: ContainerOverrides = {}): Promise<Container> {
  const database =
    overrides.database ??
    (config.databaseUrl
      ? await openDatabase({ kind: 'postgres', url: config.databaseUrl })
      : await openDatabase({ kind: 'pglite', dataDir: `${config.dataDir}/pg` }));
  const redisPrefix = overrides.redisPrefix ?? 'staylane:';
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true })
    : undefined;
  // Connection errors surface through /readyz and failing calls; unhandled, they would crash.
  redis?.on('error', () => undefined);
  const cache = redis ? createRedisCache(redis, redisPrefix) : createMemoryCache();
  const counters = redis ? createRedisCounters(redis, redisPrefix) : createMemoryCounters();
  const clock = overrides.clock ?? systemClock;
  const jwt = createJwtService(await resolveJwtSecret(config.jwtSecret, config.dataDir));
  const metrics = createMetrics(() => database.poolStats());

  const db = database.db;
  const audit = createAuditService({ db });
  const users = createUsersService({
    db,
    counters,
    authLimits: {
      perAddressPerMinute: config.authAddressRateLimitPerMinute,
      perEmailPerMinute: config.authRateLimitPerMinute,
    },
    clock,
    jwt,
    audit,
  });
  const onCacheLookup = (name: string, hit: boolean) =>
    metrics.cacheLookups.inc({ cache: name, result: hit ? 'hit' : 'miss' });
  const properties = createPropertiesService({ db, cache, clock, audit, onCacheLookup });

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
    services: { users, audit, properties },
    async close() {
      redis?.disconnect();
      await database.close();
    },
  };
}

/**
 * Creates the ADMIN_EMAIL admin at start-up when no user has that e-mail. A weak
 * ADMIN_PASSWORD, when it is about to be used, stops start-up like any other bad setting.
 */
export async function bootstrapAdmin(container: Container): Promise<boolean> {
  const admin = container.config.admin;
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
