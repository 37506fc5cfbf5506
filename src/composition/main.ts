import { parseArgs } from 'node:util';
import { ConfigError, platformConfigIfValid } from '../config.js';
import type { Config } from './config.js';
import type { Container } from './container.js';
import { DataDirLockedError } from '../platform/db/data-dir-lock.js';
import { openEmbeddedDatabase } from '../platform/db/embedded.js';
import { AppError } from '../platform/errors.js';

/**
 * Command line: `staylane serve | worker | migrate | seed | create-admin --email E --password P`.
 * The application is imported when a command needs it, not before: `serve` opens the embedded
 * database while the rest loads (cold start: `npm start` to the first /healthz answer within 4 s).
 */

const usage = async () => `Usage: staylane <command>

Commands:
  serve [--workers N]                     serve the API (embedded mode: migrations applied first, jobs run in-process);
                                          --workers N: N API processes on one port (needs DATABASE_URL)
  worker                                  run background jobs from the queue (needs REDIS_URL and DATABASE_URL)
  migrate                                 apply pending database migrations
  seed [--users N --properties N --bookings N] [--seed S]
                                          fill the database with demo data (migrations applied first;
                                          defaults: 200 users, 1,000 properties; password ${(await import('../modules/users/index.js')).SEED_PASSWORD})
  create-admin --email E --password P     create an admin account
`;

async function withContainer<T>(
  config: Config,
  command: string,
  fn: (c: Container) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const { startRuntime } = await import('./lifecycle.js');
  const runtime = await startRuntime(config, command, options);
  try {
    return await fn(runtime.container);
  } finally {
    await runtime.stop();
  }
}

/** The whole configuration: the platform's and every module's settings (the modules load first). */
const loadConfig = async (): Promise<Config> => (await import('./config.js')).loadConfig();

async function serve(): Promise<void> {
  // Template copy and PGlite start-up are mostly I/O and WebAssembly compilation, which run
  // off the main thread while it evaluates the application's modules. The platform's settings
  // say where the database is; the whole environment is validated while it opens.
  const platform = platformConfigIfValid();
  const embedded = !platform || platform.databaseUrl ? undefined : openEmbeddedDatabase(platform.dataDir, 'serve');
  // Awaited by startServer; a failure before then must not count as unhandled.
  embedded?.catch(() => undefined);
  let config: Config;
  try {
    config = await loadConfig();
  } catch (e) {
    const opened = await embedded?.catch(() => undefined);
    await opened?.database.close();
    await opened?.unlock();
    throw e;
  }
  const { startServer, stopOnSignals } = await import('./lifecycle.js');
  const server = await startServer(config, { embedded });
  // The drain comes on top of the time in-flight work gets to finish.
  stopOnSignals(server, server.app.log, config.shutdownDrainMs + 10_000);
}

/** `serve`, or with `--workers N` (N > 1) a process that runs N of them on one port. */
async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { workers: { type: 'string' } } });
  const raw = values.workers ?? '1';
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 64) {
    console.error(`serve: --workers must be an integer from 1 to 64, got "${raw}"`);
    return 2;
  }
  const { isClusterWorker, runCluster } = await import('./cluster.js');
  if (Number(raw) === 1 || isClusterWorker()) {
    await serve();
    return -1;
  }
  const config = await loadConfig();
  if (!config.databaseUrl) {
    console.error('serve: --workers needs DATABASE_URL (the embedded database belongs to one process)');
    return 2;
  }
  runCluster(Number(raw), (line) => console.log(line));
  return -1;
}

async function seed(config: Config, args: string[]): Promise<number> {
  const [{ formatSeedSummary, seedDatabase }, { createSeedProgress }] = await Promise.all([
    import('./seed.js'),
    import('../platform/seeding/progress.js'),
  ]);
  const { values } = parseArgs({
    args,
    options: {
      users: { type: 'string', default: '200' },
      properties: { type: 'string', default: '1000' },
      bookings: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const counts: Record<string, number> = {};
  for (const name of ['users', 'properties', 'bookings', 'seed'] as const) {
    const raw = values[name];
    if (raw === undefined) continue;
    // Digits only: Number() would also take '1e5', '0x10' and ' 7 '.
    if (!/^\d+$/.test(raw) || (name !== 'seed' && Number(raw) < 1) || !Number.isSafeInteger(Number(raw))) {
      console.error(`seed: --${name} must be a ${name === 'seed' ? 'non-negative' : 'positive'} integer, got "${raw}"`);
      return 2;
    }
    counts[name] = Number(raw);
  }
  const wanted = {
    counts: { users: counts.users!, properties: counts.properties!, bookings: counts.bookings ?? 0 },
    seed: counts.seed,
    settings: { serviceFeePercent: config.settings.bookings.serviceFeePercent },
  };
  const summary = await withContainer(config, 'seed', async (c) => {
    if (c.database.kind === 'postgres') await c.database.migrate();
    return seedDatabase(
      c.database.db,
      // A pool lets one batch be written while the next is inserted; PGlite has one connection.
      { ...wanted, concurrency: c.database.kind === 'postgres' ? 2 : 1 },
      createSeedProgress(process.stderr),
    );
  });
  console.log(formatSeedSummary(summary));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || !['serve', 'worker', 'migrate', 'seed', 'create-admin'].includes(command)) {
    process.stderr.write(
      command && command !== 'help' ? `Unknown command: ${command}\n\n${await usage()}` : await usage(),
    );
    return command && command !== 'help' ? 2 : 0;
  }
  if (command === 'serve') return serveCommand(rest);
  const config = await loadConfig();
  switch (command) {
    case 'worker': {
      const { startWorker, stopOnSignals } = await import('./lifecycle.js');
      const worker = await startWorker(config);
      stopOnSignals(worker, worker.log, 15_000);
      return -1;
    }
    case 'migrate':
      await withContainer(config, 'migrate', (c) => c.database.migrate(), { migrate: false });
      console.log('Migrations applied.');
      return 0;
    case 'seed':
      return seed(config, rest);
    case 'create-admin': {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, password: { type: 'string' } },
      });
      if (!values.email || !values.password) {
        console.error('create-admin needs --email and --password');
        return 2;
      }
      const { email, password } = values;
      let created;
      try {
        created = await withContainer(config, 'create-admin', (c) => c.services.users.createAdmin({ email, password }));
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'weak_password')) throw e;
        console.error(`create-admin: --password is refused: ${e.message}`);
        return 2;
      }
      if (!created) {
        console.error(`A user with the e-mail ${email} already exists; nothing changed.`);
        return 1;
      }
      console.log(`Admin ${created.email} created (id ${created.id}).`);
      return 0;
    }
    default:
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    const sysCode = (e as NodeJS.ErrnoException | undefined)?.code;
    if (e instanceof ConfigError || e instanceof DataDirLockedError) {
      console.error(e.message);
    } else if (sysCode === 'EACCES' || sysCode === 'EROFS' || sysCode === 'EADDRINUSE' || sysCode === 'ENOTDIR') {
      // Environment problems (permissions, a taken port) need no stack trace to be understood.
      console.error(`Cannot start: ${(e as Error).message}`);
    } else {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    }
    process.exit(1);
  },
);
