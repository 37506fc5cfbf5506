import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { formatSeedSummary, seedDatabase } from '../src/composition/seed.js';
import { openDatabase } from '../src/platform/db/client.js';
import { createSeedProgress } from '../src/platform/seeding/progress.js';
import { sparePort, startPostgres, startRedis, type Instance } from '../test/kit/instances.js';
import { guestTokens } from './bookings.js';
import { withClient } from './db.js';
import { awaitArrivals, insertMailUsers, MAIL_HOST, startSmtpSink, type Received } from './queue.js';
import { bookingsAcrossProcesses, type BookingsOutcome } from './scale-bookings.js';
import { DEFAULT_LEASE_SECONDS, faultRun } from './scale-faults.js';
import { cronTicks, duplicates, heldEmails, sentNotReceived, tickFailures, tickTable } from './scale-mail.js';
import { logFileOf, RunLedger, serverPid, startApi, startWorker, type WorkerProcess } from './scale-processes.js';
import { detailPaths, paths, readThroughput } from './scale-reads.js';

/**
 * `npm run bench -- --only scale`: Staylane across processes, on a PostgreSQL and a Redis of
 * the bench's own (started on spare ports, so that faults can be injected without touching
 * anyone else's servers), with the production build:
 *  (1) read throughput with 1, 2 and 4 API processes (`staylane serve --workers N`, one port);
 *  (2) with 4 API processes, concurrent same-dates bookings (exactly one 201) and a burst of
 *      distinct, colliding bookings (no overlap, checked in SQL);
 *  (3) every e-mail once at an SMTP sink, sent by `staylane worker` processes;
 *  (4) every cron tick run once across the workers;
 *  (5) a batch of e-mails drained without faults, then with FLUSHALL of the Redis, kill -9 of
 *      a worker (a replacement started) and a PostgreSQL restart injected part-way.
 * The run fails (exit 1) on an overlap, a duplicate or lost e-mail, or a tick run twice.
 *
 * Env: BENCH_SCALE_PROPERTIES (places seeded, 10000), BENCH_SCALE_DURATION (seconds per wrk
 * run, 10), BENCH_SCALE_ROUNDS (2), BENCH_SCALE_CONNECTIONS (wrk, 50), BENCH_SCALE_RACE (100),
 * BENCH_SCALE_BOOKINGS (the burst, 1000), BENCH_SCALE_WORKERS (2), BENCH_SCALE_FAULT_EMAILS
 * (per drain, 10000: the queue size the e-mail target is set for), BENCH_SCALE_JOB_LEASE_SECONDS (unset: the workers' default, as in production).
 */

export interface ScaleSettings {
  properties: number;
  duration: number;
  rounds: number;
  connections: number;
  race: number;
  burst: number;
  workers: number;
  faultEmails: number;
  leaseSeconds: number | undefined;
}

export function scaleBenchSettings(env: NodeJS.ProcessEnv, int: (name: string, fallback: number) => number) {
  return {
    properties: int('BENCH_SCALE_PROPERTIES', 10_000),
    duration: int('BENCH_SCALE_DURATION', 10),
    rounds: int('BENCH_SCALE_ROUNDS', 2),
    connections: int('BENCH_SCALE_CONNECTIONS', 50),
    race: int('BENCH_SCALE_RACE', 100),
    burst: int('BENCH_SCALE_BOOKINGS', 1_000),
    workers: int('BENCH_SCALE_WORKERS', 2),
    faultEmails: int('BENCH_SCALE_FAULT_EMAILS', 10_000),
    leaseSeconds: env.BENCH_SCALE_JOB_LEASE_SECONDS
      ? int('BENCH_SCALE_JOB_LEASE_SECONDS', DEFAULT_LEASE_SECONDS)
      : undefined,
  } satisfies ScaleSettings;
}

const PROCESS_COUNTS = [1, 2, 4] as const;
const RACE_PROCESSES = 4;
const RACE_WARM_UP_SECONDS = 10;
const thousands = new Intl.NumberFormat('en-US');
const n = (v: number) => thousands.format(Math.round(v));

/** Migrates and seeds the bench's own database: users (a fifth of them hosts) and places. */
async function seed(url: string, properties: number, log: (line: string) => void) {
  const database = await openDatabase({ kind: 'postgres', url, poolMax: 4 });
  try {
    await database.migrate();
    const summary = await seedDatabase(
      database.db,
      // Enough guests that none of the bookings' guests is used twice.
      { counts: { users: Math.max(3_000, Math.ceil(properties / 5)), properties }, concurrency: 2 },
      createSeedProgress(process.stderr),
    );
    log(formatSeedSummary(summary));
  } finally {
    await database.close();
  }
  return withClient(url, async (c) => {
    await c.query('vacuum (analyze)');
    const version = (await c.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0]!.v;
    // A fixed order that is not the order of insertion.
    const ids = await c.query<{ id: string }>(
      `select id from properties where status = 'listed' and deleted_at is null order by md5(id::text)`,
    );
    return { version, ids: ids.rows.map((r) => r.id) };
  });
}

/** The workers of the run: started in turn, one killed on demand (its job runs read first) and replaced. */
function workerPool(root: string, env: Record<string, string>, dir: string) {
  const all: WorkerProcess[] = [];
  const killed = new Set<WorkerProcess>();
  const ledger = new RunLedger();
  const live = () => all.filter((w) => !killed.has(w));
  const start = async () => {
    const name = `worker-${all.length + 1}`;
    all.push(await startWorker({ root, env, name, logFile: logFileOf(dir, name) }));
  };
  return {
    ledger,
    start,
    async killOne() {
      const victim = live()[0]!;
      await ledger.read(victim);
      killed.add(victim);
      await victim.kill();
      await start();
    },
    async readAll() {
      for (const w of live()) await ledger.read(w);
    },
    async stop() {
      for (const w of all.reverse()) await w.stop();
    },
  };
}

async function racingBookings(
  options: { root: string; env: Record<string, string>; port: number; dir: string; url: string },
  settings: ScaleSettings,
  log: (line: string) => void,
): Promise<BookingsOutcome> {
  const tokens = await guestTokens(options.url, options.env.JWT_SECRET!, settings.race + settings.burst);
  const api = await startApi({ ...options, processes: RACE_PROCESSES, logFile: logFileOf(options.dir, 'api-race') });
  try {
    // Warm processes, as in production: a cold one compiling its code under the first burst may shed load (503).
    await paths(api.origin, detailPaths(options.dir), 0, RACE_WARM_UP_SECONDS, settings.connections);
    return await bookingsAcrossProcesses({
      api,
      processes: RACE_PROCESSES,
      url: options.url,
      tokens,
      race: settings.race,
      burst: settings.burst,
      log,
    });
  } finally {
    await api.stop();
  }
}

async function flushAll(url: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await client.flushall();
  } finally {
    client.disconnect();
  }
}

/** Whether every e-mail of the run arrived once: the bookings' (counted before the fault run) and all others. */
async function mailOnce(url: string, received: Received, held: { expected: number; arrived: number }) {
  const dup = duplicates(received);
  const unreceived = await sentNotReceived(url, received);
  const failures: string[] = [];
  if (held.arrived < held.expected) failures.push(`${held.expected - held.arrived} booking e-mails never arrived`);
  if (dup > 0) failures.push(`${dup} e-mails arrived more than once`);
  if (unreceived > 0) failures.push(`${unreceived} e-mails recorded as sent never arrived`);
  const markdown = [
    '### Every e-mail once',
    '',
    `The e-mail each booking sends when it is made (\`booking-held\`): **${n(held.arrived)} of ${n(held.expected)}** ` +
      `received by the SMTP sink. Over the whole run, the fault run included, ${n(received.total)} messages arrived; ` +
      `Message-IDs received more than once: **${n(dup)}**; deliveries recorded as sent that never arrived: ` +
      `**${n(unreceived)}**.`,
    '',
  ].join('\n');
  return { markdown, failures };
}

export async function scaleBench(
  settings: ScaleSettings,
  root: string,
  log: (line: string) => void,
): Promise<{ markdown: string; failure?: string }> {
  const began = Date.now();
  const instances: Instance[] = [];
  const dir = await mkdtemp(path.join(tmpdir(), 'staylane-bench-scale-'));
  const sink = await startSmtpSink();
  let workers: ReturnType<typeof workerPool> | undefined;
  // A failed run keeps the API processes' and workers' logs for a look at what went wrong.
  let keepLogs = true;
  try {
    log('scale: starting a PostgreSQL and a Redis of its own');
    const pg = await startPostgres();
    instances.push(pg);
    const redis = await startRedis();
    instances.push(redis);
    const db = await seed(pg.url, settings.properties, log);
    await insertMailUsers(pg.url, settings.faultEmails);
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      SMTP_URL: sink.url,
      PUBLIC_URL: `https://${MAIL_HOST}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
      METRICS_TOKEN: randomBytes(16).toString('hex'),
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      RATE_LIMIT_PER_MINUTE: '1000000',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
      // Restarts between the runs need no load-balancer grace.
      SHUTDOWN_DRAIN_SECONDS: '0',
      ...(settings.leaseSeconds ? { JOB_LEASE_SECONDS: String(settings.leaseSeconds) } : {}),
    };
    workers = workerPool(root, env, dir);
    log(`scale: starting ${settings.workers} workers`);
    for (let i = 0; i < settings.workers; i++) await workers.start();

    const port = await sparePort();
    const reads = await readThroughput({
      root,
      env,
      port,
      dir,
      log,
      listedIds: db.ids,
      processCounts: PROCESS_COUNTS,
      servers: { postgres: serverPid('postgres', pg.port), redis: serverPid('redis-server', redis.port) },
      rounds: settings.rounds,
      duration: settings.duration,
      connections: settings.connections,
    });
    const bookings = await racingBookings({ root, env, port, dir, url: pg.url }, settings, log);
    log('scale: waiting for the bookings’ e-mails');
    const heldIds = await heldEmails(pg.url);
    const held = { expected: heldIds.length, arrived: await awaitArrivals(sink.received, heldIds) };
    const pool = workers;
    const faults = await faultRun({
      url: pg.url,
      received: sink.received,
      emails: settings.faultEmails,
      leaseSeconds: settings.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
      flushRedis: () => flushAll(redis.url),
      killWorker: () => pool.killOne(),
      restartPostgres: async () => {
        await pg.stop();
        await pg.start();
      },
      log,
    });
    const ticks = await cronTicks(pg.url, pool.ledger, () => pool.readAll());
    const mail = await mailOnce(pg.url, sink.received, held);
    const failures = [...bookings.failures, ...mail.failures, ...faults.failures, ...tickFailures(ticks)];
    const markdown = [
      `## Staylane benchmark (scale), ${new Date().toISOString().slice(0, 16)}Z`,
      '',
      `PostgreSQL ${db.version} and Redis of the bench's own (fsync off) · ${n(db.ids.length)} listed places · ` +
        `Node ${process.version} · ${availableParallelism()} CPUs shared by everything: API processes, workers, ` +
        `PostgreSQL, Redis, wrk and the SMTP sink · production build · ${settings.workers} \`staylane worker\` processes ` +
        `throughout · ${((Date.now() - began) / 60_000).toFixed(1)} minutes in all`,
      '',
      reads.markdown,
      bookings.markdown,
      mail.markdown,
      '### Every cron tick once',
      '',
      'Each tick is one outbox row keyed `cron:<name>:<tick>` that every worker’s scheduler tries to write; ' +
        '"runs" is `job_runs_total{outcome="done"}` summed over every worker process of the run (a killed worker ' +
        'read just before the kill).',
      '',
      tickTable(ticks),
      '',
      faults.markdown,
    ];
    const failure = failures.length > 0 ? failures.join('; ') : undefined;
    if (failure) markdown.push(`**FAILED: ${failure}**`, '');
    keepLogs = Boolean(failure);
    return { markdown: markdown.join('\n'), failure };
  } finally {
    await workers?.stop();
    await sink.close();
    for (const i of instances.reverse()) await i.close();
    if (keepLogs) log(`scale: the processes' logs are in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}
