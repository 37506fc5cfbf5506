import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp, buildOpsApp, loggerOptions } from './app.js';
import type { Logger } from 'pino';
import { ConfigError } from '../config.js';
import type { Config } from './config.js';
import { bootstrapAdmin, createContainer, type Container } from './container.js';
import { queueKeyPrefix, recordJobRun } from './jobs.js';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../platform/db/embedded.js';
import { createJobRunner, createScheduler } from '../platform/jobs/index.js';
import { createLogger, logStreamFor } from '../platform/logging.js';

/**
 * Process lifecycle, shared by every long-running command (`serve`, and a worker later):
 * open in order, close in reverse, stop cleanly on SIGTERM/SIGINT.
 */

export interface Stoppable {
  stop(): Promise<void>;
}

export interface Runtime extends Stoppable {
  container: Container;
  /**
   * Start-up milliseconds: opening the embedded database (template copy, PGlite), which may
   * have run while the code was loading; the wait for it and the container; migrating.
   */
  startup: { openMs?: number; containerMs: number; migrationsMs: number; fromTemplate: boolean };
}

/**
 * Opens the container: in embedded mode the data directory is locked to this process, a
 * database that does not exist yet starts as a copy of the migrated template when one matches
 * (platform/db/template.ts) and, unless `migrate` is false, pending migrations are applied
 * (PostgreSQL is migrated by `staylane migrate`, once per deploy). `embedded` is that
 * database when the caller began opening it already.
 */
export async function startRuntime(
  config: Config,
  command: string,
  { migrate = true, embedded }: { migrate?: boolean; embedded?: Promise<EmbeddedDatabase> } = {},
): Promise<Runtime> {
  const started = performance.now();
  const opening = config.databaseUrl ? undefined : (embedded ?? openEmbeddedDatabase(config.dataDir, command));
  const own = await opening;
  let container: Container | undefined;
  let opened = started;
  try {
    container = await createContainer(config, own ? { database: own.database } : {});
    opened = performance.now();
    // A copy of the template made just now holds every migration of this checkout: the
    // template is named by their hash (platform/db/template.ts). Checking would read and hash
    // them all again, and run the first queries on a cold database, for nothing.
    if (migrate && container.database.kind === 'pglite' && !own?.fromTemplate) await container.database.migrate();
  } catch (e) {
    if (container) await container.close();
    else await own?.database.close();
    await own?.unlock();
    throw e;
  }
  const ready = container;
  return {
    container: ready,
    startup: {
      openMs: own?.openMs,
      containerMs: Math.round(opened - started),
      migrationsMs: Math.round(performance.now() - opened),
      fromTemplate: own?.fromTemplate ?? false,
    },
    async stop() {
      await ready.close();
      await own?.unlock();
    },
  };
}

/** How long a stop waits for running jobs; their rows are then handed back, for another runner to take at once. */
const JOBS_GRACE_MS = 5_000;

/**
 * How long `serve` waits after listening before its embedded jobs start. A start runs every
 * schedule's latest tick at once, each query a stretch of WebAssembly on the main thread; begun
 * with the listen, that burst holds the first requests (a health probe, a page) for most of a
 * second on two cores. Waiting this long lets them through first; due jobs start that much later.
 */
export const EMBEDDED_JOBS_START_DELAY_MS = 1_000;

/**
 * Embedded mode (no REDIS_URL, or no DATABASE_URL): the outbox is the queue. The scheduler writes cron ticks
 * and the runner claims due rows, both in this process; after `startAfterMs` when given.
 */
export function startEmbeddedJobs(
  container: Container,
  log: Pick<FastifyBaseLogger, 'error'>,
  options: { pollMs?: number; startAfterMs?: number } = {},
): Stoppable {
  const { database, jobs, clock, metrics } = container;
  const scheduler = createScheduler({ db: database.db, schedules: jobs.schedules, clock, log });
  const runner = createJobRunner({
    db: database.db,
    registry: jobs.registry,
    clock,
    log,
    pollMs: options.pollMs,
    onRun: recordJobRun(metrics),
  });
  const start = () => {
    scheduler.start();
    runner.start();
  };
  let delayed: NodeJS.Timeout | undefined;
  if (options.startAfterMs) {
    delayed = setTimeout(start, options.startAfterMs);
    delayed.unref();
  } else start();
  return {
    async stop() {
      clearTimeout(delayed);
      scheduler.stop();
      await runner.stop(JOBS_GRACE_MS);
    },
  };
}

/**
 * `worker` (production, REDIS_URL set): the scheduler, the relay of due rows to BullMQ and
 * the requeue of rows a lost queue forgot, and a BullMQ consumer running the handlers; its
 * health, readiness and job metrics are served on WORKER_PORT. Any number may run: ticks,
 * relays and claims are all safe to repeat.
 */
export async function startWorker(config: Config): Promise<Runtime & { log: Logger }> {
  if (!config.redisUrl) {
    throw new ConfigError('worker needs REDIS_URL; without Redis, `serve` runs the jobs in its own process');
  }
  if (!config.databaseUrl)
    throw new ConfigError('worker needs DATABASE_URL (the embedded database is one process only)');
  // Loads bullmq and ioredis, which only the worker uses.
  const { createQueueTransport } = await import('../platform/jobs/queue-transport.js');
  const log = createLogger(config);
  const runtime = await startRuntime(config, 'worker', { migrate: false });
  const { container } = runtime;
  const { database, jobs, clock, metrics } = container;
  // Health and metrics first: a port already taken stops start-up before any job is touched.
  let http: FastifyInstance | undefined;
  try {
    http = await buildOpsApp(container, { logger: loggerOptions(config.logLevel, logStreamFor(config)) });
    await http.listen({ port: config.worker.port, host: config.host });
  } catch (e) {
    await http?.close();
    await runtime.stop();
    throw e;
  }
  const ops = http;
  const scheduler = createScheduler({ db: database.db, schedules: jobs.schedules, clock, log });
  const transport = createQueueTransport({
    db: database.db,
    registry: jobs.registry,
    clock,
    redisUrl: config.redisUrl,
    prefix: queueKeyPrefix(container.redisPrefix),
    leaseMs: config.worker.leaseMs,
    requeueAfterMs: config.worker.requeueAfterMs,
    onRun: recordJobRun(metrics),
    log,
  });
  scheduler.start();
  transport.startRelay();
  transport.startWorker();
  const address = ops.server.address();
  const port = typeof address === 'object' && address ? address.port : config.worker.port;
  log.info(
    { kinds: jobs.registry.kinds().length, schedules: jobs.schedules.length, port },
    `Staylane worker running (health and metrics on http://${config.host}:${port})`,
  );
  return {
    container,
    log,
    startup: runtime.startup,
    async stop() {
      scheduler.stop();
      await Promise.all([transport.stop(JOBS_GRACE_MS), ops.close()]);
      await runtime.stop();
    },
  };
}

export interface Server extends Runtime {
  app: FastifyInstance;
}

/** How often a server started on a database that lacks migrations looks again. */
const MIGRATION_CHECK_MS = 2_000;

/**
 * A server whose database lacks migrations answers only its probes (see the app's
 * `migrations_pending`); this looks again every MIGRATION_CHECK_MS and, once none is
 * missing, runs `ready` and lets requests through. Returns what stops the looking.
 */
function awaitMigrations(
  container: Container,
  log: Pick<FastifyBaseLogger, 'info' | 'error'>,
  ready: () => Promise<void>,
): () => void {
  log.error(
    { pending: container.lifecycle.pendingMigrations },
    'the database lacks migrations: run `staylane migrate`; answering 503 until it has',
  );
  const timer = setInterval(() => {
    void container.database
      .pendingMigrations()
      .then(async (pending) => {
        if (pending.length > 0) return;
        clearInterval(timer);
        await ready();
        container.lifecycle.pendingMigrations = [];
        log.info('migrations applied: serving');
      })
      .catch((e: unknown) => log.error({ err: e }, 'checking for pending migrations failed'));
  }, MIGRATION_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** `serve`: the runtime, the admin bootstrap, then the HTTP server listening. */
export async function startServer(
  config: Config,
  options: { embedded?: Promise<EmbeddedDatabase> } = {},
): Promise<Server> {
  const started = performance.now();
  const runtime = await startRuntime(config, 'serve', options);
  const { container } = runtime;
  let app: FastifyInstance | undefined;
  let built = started;
  let awaitingMigrations: (() => void) | undefined;
  try {
    app = await buildApp(container, { logger: loggerOptions(config.logLevel, logStreamFor(config)) });
    built = performance.now();
    const log = app.log;
    const bootstrap = async () => {
      if (await bootstrapAdmin(container))
        log.info({ email: config.settings.users.admin?.email }, 'admin account created');
    };
    container.lifecycle.pendingMigrations = await container.database.pendingMigrations();
    if (container.lifecycle.pendingMigrations.length === 0) await bootstrap();
    else awaitingMigrations = awaitMigrations(container, log, bootstrap);
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    awaitingMigrations?.();
    await app?.close();
    await runtime.stop();
    throw e;
  }
  // With Redis and PostgreSQL, background work belongs to `staylane worker` processes; an
  // embedded database is this process's alone, so its jobs run here even with Redis.
  const jobs =
    config.redisUrl && config.databaseUrl
      ? undefined
      : startEmbeddedJobs(container, app.log, { startAfterMs: EMBEDDED_JOBS_START_DELAY_MS });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const now = performance.now();
  app.log.info(
    {
      mode: config.mode,
      database: container.database.kind,
      startupMs: Math.round(now - started),
      // Where start-up time goes, from the process's own start (bench/cold-start.ts reads it).
      startup: {
        importsMs: Math.round(started),
        ...runtime.startup,
        appMs: Math.round(built - started - runtime.startup.containerMs - runtime.startup.migrationsMs),
        listenMs: Math.round(now - built),
        uptimeMs: Math.round(now),
      },
    },
    `Staylane listening on http://${config.host}:${port} (docs at /docs)`,
  );
  if (config.isProduction && config.settings.payments.provider === 'sandbox') {
    app.log.warn('PAYMENT_PROVIDER is sandbox: payments are simulated, anyone with a payment id can settle it');
  }
  const server = app;
  return {
    app: server,
    container,
    startup: runtime.startup,
    async stop() {
      // Readiness fails first and the port stays open for the drain, so a load balancer
      // stops sending before connections are refused; then in-flight requests and jobs
      // finish, and the database and Redis close after them.
      container.lifecycle.draining = true;
      awaitingMigrations?.();
      if (config.shutdownDrainMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
      await Promise.all([server.close(), jobs?.stop()]);
      await runtime.stop();
    },
  };
}

/**
 * Stops `running` on the first SIGTERM or SIGINT, then exits (code 0; an IPC channel to a
 * parent would otherwise keep the process alive); a stop that takes longer than `graceMs`
 * exits with code 1.
 */
export function stopOnSignals(
  running: Stoppable,
  log: Pick<FastifyBaseLogger, 'info' | 'error'>,
  graceMs = 10_000,
): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight work');
    const force = setTimeout(() => {
      log.error(`shutdown took over ${graceMs / 1000} s; exiting`);
      process.exit(1);
    }, graceMs).unref();
    let code = 0;
    try {
      await running.stop();
    } catch (e) {
      log.error({ err: e }, 'shutdown failed');
      code = 1;
    } finally {
      clearTimeout(force);
    }
    process.exit(code);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop(signal));
}
