import { ConfigError, platformConfigIfValid } from '../config.js';
import { isCommand, parseCommandArgs, topUsage, usageOf } from './cli.js';
import type { Config } from './config.js';
import type { Container } from './container.js';
import { DataDirLockedError } from '../platform/db/data-dir-lock.js';
import { openEmbeddedDatabase } from '../platform/db/embedded.js';
import { AppError } from '../platform/errors.js';

/**
 * Command line: `staylane serve | worker | migrate | seed | create-admin` (usages in cli.ts).
 * The application is imported when a command needs it, not before: `serve` opens the embedded
 * database while the rest loads (cold start: `npm start` to the first /healthz answer within 4 s).
 */

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
  const parsed = parseCommandArgs('serve', args, { workers: { type: 'string' } });
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
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

const SEED_OPTIONS = {
  users: { type: 'string' },
  properties: { type: 'string' },
  bookings: { type: 'string' },
  photos: { type: 'string' },
  seed: { type: 'string' },
} as const;

async function seed(args: string[]): Promise<number> {
  const parsed = parseCommandArgs('seed', args, SEED_OPTIONS);
  if ('exit' in parsed) return parsed.exit;
  const counts: Record<string, number> = {};
  for (const name of ['users', 'properties', 'bookings', 'photos', 'seed'] as const) {
    const raw = parsed.values[name];
    if (raw === undefined) continue;
    // Digits only: Number() would also take '1e5', '0x10' and ' 7 '.
    // --seed and --photos may be 0 (no photos at all).
    const zeroAllowed = name === 'seed' || name === 'photos';
    if (!/^\d+$/.test(raw) || (!zeroAllowed && Number(raw) < 1) || !Number.isSafeInteger(Number(raw))) {
      console.error(`seed: --${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} integer, got "${raw}"`);
      return 2;
    }
    counts[name] = Number(raw);
  }
  if (counts.photos !== undefined && counts.photos > 50) {
    console.error(`seed: --photos must be at most 50 (photos per place), got "${parsed.values.photos}"`);
    return 2;
  }
  const config = await loadConfig();
  const [{ formatSeedLogins, formatSeedSummary, seedDatabase }, { createSeedProgress }] = await Promise.all([
    import('./seed.js'),
    import('../platform/seeding/progress.js'),
  ]);
  const wanted = {
    // Without --bookings, the demo's share: a few stays per listed place (see the bookings seed step).
    counts: {
      users: counts.users ?? 200,
      properties: counts.properties ?? 1000,
      ...(counts.bookings !== undefined && { bookings: counts.bookings }),
      ...(counts.photos !== undefined && { photos: counts.photos }),
    },
    seed: counts.seed,
    demo: true,
    settings: { serviceFeePercent: config.settings.bookings.serviceFeePercent },
  };
  const summary = await withContainer(config, 'seed', async (c) => {
    if (c.database.kind === 'postgres') await c.database.migrate();
    return seedDatabase(
      c.database.db,
      // A pool lets one batch be written while the next is inserted; PGlite has one connection.
      // Photos' images go to the deployment's media store (DATA_DIR/media or the bucket).
      { ...wanted, concurrency: c.database.kind === 'postgres' ? 2 : 1, files: c.services.photos.store },
      createSeedProgress(process.stderr),
    );
  });
  console.log(formatSeedSummary(summary));
  const logins = formatSeedLogins(summary);
  if (logins) console.log(logins);
  return 0;
}

async function createAdmin(args: string[]): Promise<number> {
  const parsed = parseCommandArgs('create-admin', args, { email: { type: 'string' }, password: { type: 'string' } });
  if ('exit' in parsed) return parsed.exit;
  const { email, password } = parsed.values;
  if (!email || !password) {
    console.error('create-admin needs --email and --password');
    process.stderr.write(`\n${usageOf('create-admin')}`);
    return 2;
  }
  const config = await loadConfig();
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

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    // `staylane help seed` is `staylane seed --help`.
    const topic = command === 'help' ? rest[0] : undefined;
    process.stdout.write(isCommand(topic) ? usageOf(topic) : topUsage());
    return 0;
  }
  if (!isCommand(command)) {
    if (!command) {
      process.stderr.write(topUsage());
      return 0;
    }
    const what = command.startsWith('-') ? `unknown option ${command}` : `unknown command ${command}`;
    process.stderr.write(`staylane: ${what}\n\n${topUsage()}`);
    return 2;
  }
  switch (command) {
    case 'serve':
      return serveCommand(rest);
    case 'worker': {
      const parsed = parseCommandArgs('worker', rest, {});
      if ('exit' in parsed) return parsed.exit;
      const { startWorker, stopOnSignals } = await import('./lifecycle.js');
      const worker = await startWorker(await loadConfig());
      stopOnSignals(worker, worker.log, 15_000);
      return -1;
    }
    case 'migrate': {
      const parsed = parseCommandArgs('migrate', rest, {});
      if ('exit' in parsed) return parsed.exit;
      await withContainer(await loadConfig(), 'migrate', (c) => c.database.migrate(), { migrate: false });
      console.log('Migrations applied.');
      return 0;
    }
    case 'seed':
      return seed(rest);
    case 'create-admin':
      return createAdmin(rest);
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
