import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { openDatabase } from '../src/platform/db/client.js';
import { CACHE_DEFAULTS } from '../src/platform/cache/cache.js';
import { createSeedProgress } from '../src/platform/seeding/progress.js';
import { createRandom } from '../src/platform/seeding/random.js';
import { formatSeedSummary, seedDatabase } from '../src/composition/seed.js';
import { startServer, type ChildServer } from './child-servers.js';
import { writeFile } from 'node:fs/promises';
import {
  bookingThroughput,
  exportBench,
  guestTokens,
  prepareBookings,
  sameDatesRace,
  type BookingFacts,
  type ExportResult,
} from './bookings.js';
import { failures, mergeResults, percentile, runLoad, type LoadResult } from './load-runner.js';
import { distinctQueries, SEARCH_MIXES } from './search-mixes.js';
import { queueBench, queueBenchSettings } from './queue.js';
import { scaleBench, scaleBenchSettings } from './scale.js';
import { coldStartBench, coldStartSettings } from './cold-start.js';
import { photoBenchSettings, photosBench } from './photos.js';
import { wishlistsBench, wishlistsBenchSettings } from './wishlists.js';
import { icalBench } from './ical.js';
import { webhooksBench } from './webhooks.js';
import { fulltextEmbeddedBench, fulltextEmbeddedSettings } from './fulltext-embedded.js';
import { soak } from './soak.js';
import { loadGenerator, runWrk, type WrkResult } from './wrk.js';
import { combineCpu, cpuCells, withCpu, type CpuShare } from './cpu.js';
import { spawnSync } from 'node:child_process';
import { withClient } from './db.js';
import { DETAIL_HEADER, detailRows, detailThroughput, sameJson } from './detail.js';
import { startNestPeer } from './peers.js';
import { sparePort } from '../test/kit/instances.js';

/**
 * `npm run bench`: the performance targets measured side by side in one run, on PostgreSQL.
 *  (a) GET /v1/properties/{id}: Staylane vs a bare node:http + pg server (bench/ceiling-server.ts)
 *      running the same SQL and writing the same JSON, and vs an idiomatic NestJS (Express) +
 *      TypeORM service over the same rows (bench/peers/nestjs, installed and built on demand by
 *      bench/peers.ts), one server at a time in rotating order, as shares of the ceiling (wrk);
 *  (b) search latency (p50/p95/p99) for several realistic filter mixes, dates included, over
 *      the seeded places and bookings;
 *  (c) listing page 1 vs page 5,000 (uncached), and (c2) list pages under load (wrk);
 *  (d) 100 concurrent POST /v1/bookings for the same dates: exactly one 201 (the run fails otherwise);
 *  (e) non-conflicting bookings per second (wrk, distinct places and dates, signed-in guests);
 *  (f) the CSV export of a host with BENCH_EXPORT_BOOKINGS stays: rows/s and the server's RSS growth
 *      (VmRSS polled from /proc/<pid>/status);
 *  (g) background e-mail through two `staylane worker` processes (bench/queue.ts, its own database);
 *  (i) cold and warm `npm start` to the first /healthz 200 (bench/cold-start.ts).
 * `npm run bench -- --only queue` (or BENCH_ONLY=queue) runs (g) alone; `--only cold-start` measures
 * the cold and warm `npm start` to the first /healthz 200 (bench/cold-start.ts, no database needed);
 * `--only detail` runs (a) alone, `--only search` (b) alone, `--only soak` (h) alone; `--only seed` prepares the database and
 * measures nothing. `--only scale` runs the scale bench (bench/scale.ts: 1, 2 and 4 API processes,
 * bookings and e-mails across processes, cron ticks, a drain through Redis, worker and
 * PostgreSQL faults) on a PostgreSQL and a Redis of its own; it takes several minutes and
 * needs nothing of the runs above, so the default run leaves it out. `--only photos` uploads a
 * 12-megapixel JPEG to an embedded server (curl, 1, 4 and 20 at once) and follows it to its
 * variants (bench/photos.ts). `--only wishlists` measures
 * search page 1 for a signed-in caller with saved places against an anonymous one (bench/wishlists.ts,
 * its own database; under 2 minutes once seeded). `--only ical` syncs one 1,000-event feed and
 * 1,000 small feeds with one job runner (bench/ical.ts, its own database; about a minute). `--only webhooks`
 * fans events out to 10 local endpoints through two workers, then takes one endpoint down and back
 * (bench/webhooks.ts, its own database). `--only fulltext-embedded` times relevance search on 10,000
 * places seeded into an in-process PGlite (bench/fulltext-embedded.ts; also in the default run, about a minute).
 *  (h) the soak: BENCH_SOAK_MINUTES (10) of mixed reads and writes at full load, RSS, heap and
 *      event-loop delay each minute, no error allowed (bench/soak.ts).
 * Staylane runs its production build with request logging at info; beside each figure, the CPU
 * the server and PostgreSQL used (bench/cpu.ts). Throughput comes from wrk (native, so the
 * generator does not take the server's CPU; installed with apt-get when missing and possible,
 * else autocannon stands in and the report says so); autocannon's JS API remains where each
 * request's latency or an exact request count is needed.
 * The report (markdown) goes to stdout, progress to stderr.
 *
 * Env: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/staylane_bench, created and
 * seeded when needed), BENCH_PROPERTIES (listed properties wanted, 100000), BENCH_CONNECTIONS
 * (50), BENCH_DURATION (seconds per run, 10), BENCH_ROUNDS (3), BENCH_SEARCH_REQUESTS (400
 * per mix), BENCH_SEARCH_CONNECTIONS (4), BENCH_PAGE_DEPTH (5000), BENCH_REDIS_URL (unset:
 * the server caches in process), BENCH_BOOKINGS (stays seeded over the places when there are
 * none, 1000000), BENCH_EXPORT_BOOKINGS (the export host's stays, as many as BENCH_BOOKINGS),
 * BENCH_RACE (concurrent same-dates bookings, 100), BENCH_BOOKING_CONNECTIONS (16),
 * BENCH_SOAK_MINUTES (10).
 */

const env = process.env;
const int = (name: string, fallback: number) => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return Number(raw);
};
const settings = {
  databaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/staylane_bench',
  listedWanted: int('BENCH_PROPERTIES', 100_000),
  connections: int('BENCH_CONNECTIONS', 50),
  duration: int('BENCH_DURATION', 10),
  rounds: int('BENCH_ROUNDS', 3),
  searchRequests: int('BENCH_SEARCH_REQUESTS', 400),
  searchConnections: int('BENCH_SEARCH_CONNECTIONS', 4),
  pageDepth: int('BENCH_PAGE_DEPTH', 5000),
  redisUrl: env.BENCH_REDIS_URL,
  bookings: int('BENCH_BOOKINGS', 1_000_000),
  exportBookings: int('BENCH_EXPORT_BOOKINGS', int('BENCH_BOOKINGS', 1_000_000)),
  race: int('BENCH_RACE', 100),
  bookingConnections: int('BENCH_BOOKING_CONNECTIONS', 16),
  soakMinutes: int('BENCH_SOAK_MINUTES', 10),
};
const HOT_IDS = 1000;
/** Guests to book as, at most: every seeded guest, so that each sends only a few of a run's bookings. */
const GUESTS_FOR_BOOKINGS = 50_000;
// The in-process cache's size: ids further apart than this are misses.
const CACHE_ENTRIES = CACHE_DEFAULTS.maxEntries;
const PAGE_SIZE = 20;
const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);
const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const thousands = new Intl.NumberFormat('en-US');
const n = (v: number) => thousands.format(Math.round(v));

interface DatabaseFacts {
  version: string;
  users: number;
  listed: number;
  properties: number;
  blocks: number;
  bookings: number | undefined;
}

/** Creates the benchmark database when it does not exist yet. */
async function ensureDatabase(url: string): Promise<void> {
  try {
    await withClient(url, async () => undefined);
  } catch (e) {
    if ((e as { code?: string }).code !== '3D000') throw e;
    const target = new URL(url);
    const name = decodeURIComponent(target.pathname.slice(1));
    const maintenance = new URL(url);
    maintenance.pathname = '/postgres';
    log(`creating database ${name}`);
    await withClient(maintenance.toString(), (c) => c.query(`create database "${name.replace(/"/g, '""')}"`));
  }
}

function databaseFacts(url: string): Promise<DatabaseFacts> {
  return withClient(url, async (c) => {
    const one = async (q: string) => Number((await c.query<{ n: string }>(q)).rows[0]!.n);
    const hasBookings = (await c.query<{ t: string | null }>(`select to_regclass('bookings')::text as t`)).rows[0]!.t;
    return {
      version: (await c.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0]!.v,
      users: await one('select count(*) as n from users'),
      properties: await one('select count(*) as n from properties where deleted_at is null'),
      listed: await one(`select count(*) as n from properties where status = 'listed' and deleted_at is null`),
      blocks: await one(`select count(*) as n from property_calendar where kind = 'block' and released_at is null`),
      bookings: hasBookings ? await one('select count(*) as n from bookings') : undefined,
    };
  });
}

/** Migrates, seeds until the wanted number of listed properties exists, then the bookings. */
async function prepareDatabase(): Promise<DatabaseFacts & { stays: BookingFacts }> {
  await ensureDatabase(settings.databaseUrl);
  const database = await openDatabase({ kind: 'postgres', url: settings.databaseUrl, poolMax: 4 });
  try {
    await database.migrate();
    for (let attempt = 0; attempt < 5; attempt++) {
      const facts = await databaseFacts(settings.databaseUrl);
      const missing = settings.listedWanted - facts.listed;
      if (missing <= 0) {
        const stays = await prepareBookings(
          database.db,
          settings.databaseUrl,
          settings.bookings,
          settings.exportBookings,
        );
        return { ...(await databaseFacts(settings.databaseUrl)), stays };
      }
      // About 90 % of seeded places are listed; aim a little over and top up if short.
      const properties = Math.ceil((missing / 0.9) * 1.02) + 10;
      log(`seeding ${n(properties)} properties (have ${n(facts.listed)} listed, want ${n(settings.listedWanted)})`);
      const summary = await seedDatabase(
        database.db,
        {
          counts: { users: Math.max(10, Math.ceil(properties / 5)), properties },
          seed: 1 + facts.properties,
          concurrency: 2,
        },
        createSeedProgress(process.stderr),
      );
      log(formatSeedSummary(summary));
    }
    throw new Error('seeding did not reach the wanted number of listed properties');
  } finally {
    await database.close();
  }
}

async function listedIds(): Promise<string[]> {
  const rows = await withClient(settings.databaseUrl, (c) =>
    c.query<{ id: string }>(`select id from properties where status = 'listed' and deleted_at is null order by id`),
  );
  const ids = rows.rows.map((r) => r.id);
  // A fixed shuffle: runs on the same data request the same ids in the same order.
  const rng = createRandom(20_240_601);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids;
}

const cycle = (items: readonly string[], toPath: (item: string) => string) => {
  let i = 0;
  return () => toPath(items[i++ % items.length]!);
};

interface Row {
  cells: string[];
}
function table(header: string[], rows: Row[]): string {
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((h) => (/^(req|p\d|ratio|ms|requests|rows|non|created|\d{3}|other|socket|seconds|MiB|RSS|VmHWM)|CPU$/i.test(h) ? '---:' : '---')).join('|')}|`,
  ];
  for (const r of rows) lines.push(`| ${r.cells.join(' | ')} |`);
  return lines.join('\n');
}

const latencyCells = (r: LoadResult) => [
  ms(percentile(r.latencies, 50)),
  ms(percentile(r.latencies, 95)),
  ms(percentile(r.latencies, 99)),
];

const wrkLatencyCells = (r: WrkResult) => [ms(r.p50), ms(r.p95), ms(r.p99)];
const wrkFailures = (r: WrkResult) => r.non2xx + r.socketErrors;

async function searchLatency(app: ChildServer): Promise<Row[]> {
  const rows: Row[] = [];
  const today = new Date();
  for (const [index, mix] of SEARCH_MIXES.entries()) {
    const queries = distinctQueries(mix, createRandom(1000 + index), today, settings.searchRequests);
    const probe = await fetch(`${app.origin}/v1/properties?${queries[0]}`);
    const probeBody = await probe.text();
    if (probe.status !== 200) {
      const why =
        probe.status === 404 ? 'n/a (route missing)' : `n/a (HTTP ${probe.status}: ${probeBody.slice(0, 120)})`;
      rows.push({ cells: [mix.name, mix.shape, '0', why, '', '', '', '', '', ''] });
      log(`  search ${mix.name}: ${why}`);
      continue;
    }
    const { result: r, cpu } = await withCpu(app.pid, () =>
      runLoad({
        origin: app.origin,
        nextPath: cycle(queries, (q) => `/v1/properties?${q}`),
        connections: settings.searchConnections,
        amount: queries.length,
      }),
    );
    // Result sizes, to show the queries find something (these repeat queries: cached answers).
    let found = 0;
    const sample = queries.slice(0, 20);
    for (const q of sample) {
      const body = (await (await fetch(`${app.origin}/v1/properties?${q}`)).json()) as { data?: unknown[] };
      found += body.data?.length ?? 0;
    }
    rows.push({
      cells: [
        mix.name,
        mix.shape,
        n(r.requests),
        ...latencyCells(r),
        (found / sample.length).toFixed(1),
        String(failures(r)),
        ...cpuCells(cpu),
      ],
    });
    log(`  search ${mix.name}: p95 ${ms(percentile(r.latencies, 95))} ms over ${r.requests} requests`);
  }
  return rows;
}

interface SearchPage {
  data: { id: string }[];
  page: { nextCursor: string | null; hasMore: boolean };
}

/** (c) Walks the newest-first listing page by page, then times page 1 against the deepest page. */
async function pageDepth(
  app: ChildServer,
): Promise<{ rows: Row[]; ratio: number; depth: number; walkSeconds: number; note: string }> {
  const base = `/v1/properties?sort=newest&limit=${PAGE_SIZE}`;
  const first = await fetch(app.origin + base);
  if (first.status !== 200) {
    return { rows: [], ratio: Number.NaN, depth: 0, walkSeconds: 0, note: `n/a (HTTP ${first.status})` };
  }
  let page = (await first.json()) as SearchPage;
  let cursor: string | undefined;
  let depth = 1;
  const started = performance.now();
  while (depth < settings.pageDepth && page.page.nextCursor) {
    cursor = page.page.nextCursor;
    page = (await (await fetch(`${app.origin}${base}&cursor=${encodeURIComponent(cursor)}`)).json()) as SearchPage;
    depth++;
    if (depth % 500 === 0) log(`  walked to page ${n(depth)}`);
  }
  const walkSeconds = (performance.now() - started) / 1000;
  const deepPath = cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base;

  // The same page asked twice is answered from the 15 s search cache; a price ceiling above
  // every price makes each request a new query with the same rows, so each reaches the database.
  let bust = 0;
  const uncached = (p: string) => () => `${p}&maxPrice=${100_000_000 - (bust++ % 1_000_000)}`;
  const check = (await (await fetch(app.origin + uncached(deepPath)())).json()) as SearchPage;
  const sameRows = isDeepStrictEqual(
    check.data.map((d) => d.id),
    page.data.map((d) => d.id),
  );
  const results: Record<'first' | 'deep', (LoadResult & { cpu: CpuShare | undefined })[]> = { first: [], deep: [] };
  for (let block = 0; block < 4; block++) {
    for (const which of block % 2 === 0 ? (['first', 'deep'] as const) : (['deep', 'first'] as const)) {
      const target = which === 'first' ? base : deepPath;
      const { result, cpu } = await withCpu(app.pid, () =>
        runLoad({
          origin: app.origin,
          nextPath: sameRows ? uncached(target) : () => target,
          connections: 2,
          amount: 50,
        }),
      );
      results[which].push({ ...result, cpu });
    }
  }
  const firstR = mergeResults(results.first);
  const deepR = mergeResults(results.deep);
  const cpuOf = (runs: (LoadResult & { cpu: CpuShare | undefined })[]) => cpuCells(combineCpu(runs));
  const ratio = percentile(deepR.latencies, 50) / percentile(firstR.latencies, 50);
  return {
    rows: [
      { cells: ['1', n(firstR.requests), ...latencyCells(firstR), String(failures(firstR)), ...cpuOf(results.first)] },
      { cells: [n(depth), n(deepR.requests), ...latencyCells(deepR), String(failures(deepR)), ...cpuOf(results.deep)] },
    ],
    ratio,
    depth,
    walkSeconds,
    note: sameRows ? '' : ' (cache-busting changed the rows, so repeats were measured as they come, possibly cached)',
  };
}

/**
 * (c) List pages as clients ask for them: the same URL by many clients at once, so the
 * 15 s search cache answers most of them. Page 1 of `?city=Paris` and the page holding rows
 * 3,981–4,000 (reached through the cursors).
 */
async function listPageThroughput(app: ChildServer, dir: string): Promise<Row[]> {
  const base = `/v1/properties?city=Paris&sort=newest&limit=${PAGE_SIZE}`;
  const deepPage = 200;
  let deepPath = base;
  for (let page = 1; page < deepPage; page++) {
    const body = (await (await fetch(app.origin + deepPath)).json()) as SearchPage;
    if (!body.page?.nextCursor) break;
    deepPath = `${base}&cursor=${encodeURIComponent(body.page.nextCursor)}`;
  }
  const rows: Row[] = [];
  for (const [label, target] of [
    ['page 1', base],
    [`rows ${n((deepPage - 1) * PAGE_SIZE + 1)}–${n(deepPage * PAGE_SIZE)}`, deepPath],
  ] as const) {
    const file = path.join(dir, `list-${rows.length}.txt`);
    await writeFile(file, `${target}\n`);
    const { result: r, cpu } = await withCpu(app.pid, () =>
      runWrk({
        origin: app.origin,
        script: 'paths.lua',
        args: [file, '0', '2'],
        connections: settings.connections,
        threads: 2,
        duration: settings.duration,
      }),
    );
    log(`  ${label}: ${n(r.perSecond)} req/s`);
    rows.push({
      cells: [label, `**${n(r.perSecond)}**`, ...wrkLatencyCells(r), String(wrkFailures(r)), ...cpuCells(cpu)],
    });
  }
  return rows;
}

const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? process.argv[onlyArg + 1] : env.BENCH_ONLY || undefined;
const ONLY = [
  'queue',
  'cold-start',
  'seed',
  'detail',
  'search',
  'soak',
  'scale',
  'photos',
  'wishlists',
  'ical',
  'webhooks',
  'fulltext-embedded',
] as const;
if (only !== undefined && !(ONLY as readonly string[]).includes(only)) {
  throw new Error(`--only takes ${ONLY.map((o) => `"${o}"`).join(', ')}, got "${only}"`);
}
const queueSettings = queueBenchSettings(env, int);

async function queueOnly(): Promise<void> {
  const result = await queueBench(queueSettings, root, log);
  process.stdout.write(
    [
      `## Staylane benchmark (background e-mail), ${new Date().toISOString().slice(0, 16)}Z`,
      '',
      `Node ${process.version} · ${availableParallelism()} CPUs · load generator and SMTP server on the same machine`,
      '',
      result.markdown,
    ].join('\n') + '\n',
  );
  if (result.failure) throw new Error(`(g) failed: ${result.failure}`);
}

/**
 * Waits until the outbox has no due work (with PostgreSQL and no Redis, the server runs it
 * in-process): seeded holds that have expired, for one, each send an e-mail, and a backlog
 * of those would take CPU from the first figures only.
 */
async function settleBackgroundWork(): Promise<void> {
  const due = () =>
    withClient(settings.databaseUrl, async (c) =>
      Number(
        (
          await c.query<{ n: string }>(
            `select count(*) as n from jobs where state in ('pending', 'relayed') and run_at <= now()`,
          )
        ).rows[0]!.n,
      ),
    );
  const deadline = Date.now() + 15 * 60_000;
  for (let left = await due(); left > 0 && Date.now() < deadline; left = await due()) {
    log(`  waiting for ${n(left)} due background jobs to run`);
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
}

/** The production build (dist/), compiled from the current sources. */
function build(): void {
  log('building dist/ (npm run build)');
  const built = spawnSync(process.execPath, ['bin/build.js', '--no-check'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`build failed (exit ${built.status})`);
}

async function main(): Promise<void> {
  const generator = loadGenerator(log);
  build();
  log(`preparing ${settings.databaseUrl.replace(/\/\/[^@]*@/, '//')}`);
  const facts = await prepareDatabase();
  const ids = await listedIds();
  const hot = ids.slice(0, HOT_IDS);
  const cold = ids.slice(HOT_IDS);

  const dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-bench-'));
  const servers: ChildServer[] = [];
  try {
    const [appPort, ceilingPort] = [await sparePort(), await sparePort()];
    const appEnv: Record<string, string> = {
      NODE_ENV: 'production',
      DATABASE_URL: settings.databaseUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
      // Production as deployed: request logging at info, written to a file (a log shipper's input).
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '1000000',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
      METRICS_TOKEN: randomBytes(16).toString('hex'),
      PORT: String(appPort),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ...(settings.redisUrl ? { REDIS_URL: settings.redisUrl } : {}),
    };
    log('starting servers');
    const appLog = path.join(dataDir, 'staylane.log');
    const app = await startServer({
      name: 'staylane',
      cwd: root,
      script: 'dist/composition/main.js',
      args: ['serve'],
      env: appEnv,
      port: appPort,
      readyPath: '/healthz',
      logFile: appLog,
    });
    servers.push(app);
    const ceiling = await startServer({
      name: 'ceiling',
      cwd: root,
      script: 'bench/ceiling-server.ts',
      env: { DATABASE_URL: settings.databaseUrl, PORT: String(ceilingPort), HOST: '127.0.0.1' },
      port: ceilingPort,
      readyPath: `/v1/properties/${hot[0]}`,
    });
    servers.push(ceiling);
    const peer =
      !only || only === 'detail'
        ? await startNestPeer({
            databaseUrl: settings.databaseUrl,
            port: await sparePort(),
            readyPath: `/v1/properties/${hot[0]}`,
            log,
          })
        : 'not run';
    if (typeof peer !== 'string') servers.push(peer);

    await settleBackgroundWork();
    const detailRoute = (await fetch(`${app.origin}/v1/properties/${hot[0]}`)).status;

    // (f) first, on a fresh server, so its RSS baseline is not what earlier load left behind.
    let exported: ExportResult | string;
    if (only) exported = 'skipped';
    else if (!facts.stays.exportHost) exported = 'n/a (no export host)';
    else {
      log(`export of ${n(facts.stays.exportHost.bookings)} bookings`);
      exported = await exportBench(app, facts.stays.exportHost);
      if (exported.status !== 200) exported = `n/a (HTTP ${exported.status})`;
    }
    const report: string[] = [];
    report.push(
      `## Staylane benchmark, ${new Date().toISOString().slice(0, 16)}Z`,
      '',
      `PostgreSQL ${facts.version} · ${n(facts.listed)} listed of ${n(facts.properties)} properties · ${n(facts.users)} users · ` +
        `${n(facts.blocks)} calendar blocks · ${n(facts.stays.bookings)} bookings on those places` +
        (facts.stays.exportHost
          ? ` (plus ${n(facts.stays.exportHost.bookings)} of the export host, on ${n(facts.stays.exportHost.places)} unlisted places of its own)`
          : '') +
        ' · ' +
        `Node ${process.version} · ${availableParallelism()} CPUs · server cache: ${settings.redisUrl ? 'Redis' : 'in-process LRU'} · ` +
        `load generator: ${generator === 'wrk' ? 'wrk' : '**autocannon (wrk missing: figures understated)**'}, on the same machine`,
      '',
      `Staylane runs its production build (\`node dist/composition/main.js serve\`, NODE_ENV=production) with every production ` +
        'feature on: request logging at info (to a file), rate limiting (limit raised so that it never refuses), metrics, ' +
        'request ids, security headers. CPU columns: percent of one core used by that server process and by all ' +
        'PostgreSQL processes during the measurement (200 % = both cores).',
      '',
    );

    // (a)
    if (!only || only === 'detail')
      report.push(
        `### (a) GET /v1/properties/{id}: Staylane vs bare node:http + pg (same SQL, same JSON) and NestJS + TypeORM`,
        '',
        `wrk, 2 threads, ${settings.connections} connections, ${settings.rounds} runs of ${settings.duration} s per server and id set, ` +
          'one server at a time, the order rotating each round; latency percentiles are the worst run’s. ' +
          'Ratio: the share of the ceiling’s requests per second; Staylane ÷ NestJS: Staylane’s requests per second over the peer’s.',
        '',
      );
    if (only === 'soak' || only === 'search') {
      // (h) or (b) alone.
    } else if (detailRoute === 404) {
      report.push('n/a (route missing)', '');
    } else {
      const identical = await sameJson(app, ceiling, hot[0]!);
      const peerIdentical = typeof peer === 'string' ? undefined : await sameJson(peer, ceiling, hot[0]!);
      const measured = typeof peer === 'string' ? [app, ceiling] : [app, peer, ceiling];
      const hotFile = path.join(dataDir, 'hot-paths.txt');
      const coldFile = path.join(dataDir, 'cold-paths.txt');
      await writeFile(hotFile, `${hot.map((id) => `/v1/properties/${id}`).join('\n')}\n`);
      await writeFile(coldFile, `${cold.map((id) => `/v1/properties/${id}`).join('\n')}\n`);
      log('warming up');
      for (const s of measured) {
        await runWrk({
          origin: s.origin,
          script: 'paths.lua',
          args: [hotFile, '0', '2'],
          connections: settings.connections,
          threads: 2,
          duration: 3,
        });
      }
      const rows: Row[] = [];
      const peerName = 'NestJS (Express, TypeORM)';
      const variants = [
        { label: `${n(hot.length)} hot ids`, file: hotFile, size: hot.length },
        { label: 'distinct ids (server cache cold)', file: coldFile, size: cold.length },
      ];
      for (const v of variants) {
        if (v.size === 0) continue;
        const results = await detailThroughput(measured, v.file, v.label, settings, log);
        const [a, c] = [results[0]!, results[results.length - 1]!];
        const p = typeof peer === 'string' ? peer : results[1]!;
        rows.push(...detailRows(v.label, a, { name: peerName, result: p }, c).map((cells) => ({ cells })));
      }
      report.push(table(DETAIL_HEADER, rows), '');
      report.push(
        `Same JSON as the ceiling: Staylane ${identical ? 'yes' : 'NO'}, NestJS ` +
          `${peerIdentical === undefined ? `n/a (peer skipped: ${peer as string})` : peerIdentical ? 'yes' : 'NO'}. "Hot": ${n(hot.length)} ids requested in turn, so Staylane ` +
          `answers from its detail cache after the first pass. "Cold": the other ${n(cold.length)} listed ids in turn, ` +
          (cold.length > CACHE_ENTRIES
            ? `so no id comes back within ${n(CACHE_ENTRIES)} requests and every answer runs the SQL (the cache holds ${n(CACHE_ENTRIES)} entries).`
            : `fewer than the ${n(CACHE_ENTRIES)} entries the cache holds, so repeats may be cache hits.`),
        '',
      );
    }
    // The peer's part is over: it leaves the machine to the sections that follow.
    if (typeof peer !== 'string') await peer.stop();
    let raceFailed = false;
    // Enough guests that none reaches the 3-unpaid-holds limit in the booking runs (d), (e), (h).
    const tokens = await guestTokens(
      settings.databaseUrl,
      appEnv.JWT_SECRET!,
      Math.max(settings.race, GUESTS_FOR_BOOKINGS),
    );
    if (!only || only === 'search') {
      // (b)
      log('search mixes');
      report.push(
        `### (b) Search latency (GET /v1/properties)`,
        '',
        `${n(settings.searchRequests)} distinct queries per mix (so the 15 s search cache never answers), ` +
          `${settings.searchConnections} connections; dates are 30–60 days ahead.`,
        '',
        table(
          [
            'mix',
            'filters',
            'requests',
            'p50 ms',
            'p95 ms',
            'p99 ms',
            'rows/page',
            'non-2xx',
            'server CPU',
            'PostgreSQL CPU',
          ],
          await searchLatency(app),
        ),
        '',
      );
    }
    if (!only) {
      // (c)
      log('page depth');
      const depth = await pageDepth(app);
      report.push(`### (c) Listing depth (sort=newest, limit=${PAGE_SIZE}, uncached)`, '');
      if (depth.rows.length === 0) {
        report.push(depth.note, '');
      } else {
        report.push(
          table(
            ['page', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'non-2xx', 'server CPU', 'PostgreSQL CPU'],
            depth.rows,
          ),
          '',
          `Page ${n(depth.depth)} / page 1 (p50): **${depth.ratio.toFixed(2)}×**${depth.depth < settings.pageDepth ? ` (the listing ends at page ${n(depth.depth)})` : ''}. ` +
            `Walking there took ${depth.walkSeconds.toFixed(1)} s (${n(depth.depth / Math.max(depth.walkSeconds, 0.001))} pages/s, one at a time).${depth.note}`,
          '',
        );
      }
      log('list pages');
      report.push(
        `### (c2) List pages under load (GET /v1/properties?city=Paris&sort=newest&limit=${PAGE_SIZE})`,
        '',
        `wrk, 2 threads, ${settings.connections} connections, ${settings.duration} s, the same URL throughout (as many visitors ` +
          'opening the same list; the 15 s search cache serves repeats).',
        '',
        table(
          ['rows', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'non-2xx', 'server CPU', 'PostgreSQL CPU'],
          await listPageThroughput(app, dataDir),
        ),
        '',
      );

      // (d) and (e)
      log('bookings');
      const bookingRoute = (await fetch(`${app.origin}/v1/bookings`, { method: 'POST' })).status;
      if (bookingRoute === 404) {
        report.push('### (d) Same dates, concurrent bookings', '', 'n/a (route missing)', '');
      } else {
        const race = await sameDatesRace(app, tokens, settings.databaseUrl, settings.race);
        raceFailed = !race.ok;
        const counts = [...race.statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
        report.push(
          `### (d) ${settings.race} concurrent POST /v1/bookings for the same place and dates`,
          '',
          `${settings.race} signed-in guests (${tokens.length >= settings.race ? 'one request each' : 'tokens reused'}), all requests in flight at once ` +
            `(${race.stay.checkIn} → ${race.stay.checkOut}): ${counts.join(' · ')} in ${ms(race.ms)} ms. ` +
            (race.ok ? '**Exactly one 201, the rest 409.**' : '**FAILED: expected exactly one 201 and the rest 409.**'),
          '',
        );
        const rate = await bookingThroughput(app, tokens, settings.databaseUrl, path.join(dataDir, 'bookings.txt'), {
          connections: settings.bookingConnections,
          duration: settings.duration,
          exportHost: facts.stays.exportHost?.id,
        });
        const createdPerSecond = (rate.created ?? 0) / rate.seconds;
        report.push(
          `### (e) Non-conflicting bookings per second (POST /v1/bookings)`,
          '',
          `wrk, 2 threads, ${settings.bookingConnections} connections, ${settings.duration} s; ${n(rate.prepared)} prepared bookings of distinct listed places ` +
            `on free dates 20–300 days ahead, sent once each by ${tokens.length} guests in turn.`,
          '',
          table(
            [
              'requests',
              'req/s',
              'created/s',
              'p50 ms',
              'p95 ms',
              'p99 ms',
              '201',
              '409',
              'other',
              'socket errors',
              'server CPU',
              'PostgreSQL CPU',
            ],
            [
              {
                cells: [
                  n(rate.requests),
                  n(rate.perSecond),
                  `**${n(createdPerSecond)}**`,
                  ...wrkLatencyCells(rate),
                  n(rate.created ?? 0),
                  n(rate.conflicts ?? 0),
                  n(rate.others ?? 0),
                  n(rate.socketErrors),
                  ...cpuCells(rate.cpu),
                ],
              },
            ],
          ),
          '',
        );
      }

      // (f)
      report.push(`### (f) Export (GET /v1/bookings/export, CSV)`, '');
      if (typeof exported === 'string') report.push(exported, '');
      else {
        report.push(
          table(
            [
              'rows',
              'MiB',
              'seconds',
              'rows/s',
              'RSS before MiB',
              'RSS peak MiB',
              'RSS growth MiB',
              'VmHWM before → after MiB',
            ],
            [
              {
                cells: [
                  n(exported.rows),
                  (exported.bytes / 2 ** 20).toFixed(0),
                  exported.seconds.toFixed(1),
                  `**${n(exported.rowsPerSecond)}**`,
                  exported.rssBeforeMiB.toFixed(0),
                  exported.rssPeakMiB.toFixed(0),
                  `**${exported.rssGrowthMiB.toFixed(1)}**`,
                  `${exported.hwmBeforeMiB.toFixed(0)} → ${exported.hwmAfterMiB.toFixed(0)}`,
                ],
              },
            ],
          ),
          '',
          `One request for the export host's whole three-year window, read as fast as the client can; the server's VmRSS ` +
            'polled every 20 ms from /proc/<pid>/status, measured first after start-up and a small warm-up export.',
          '',
        );
      }
    }
    // (h)
    let soakFailure: string | undefined;
    if (!only || only === 'soak') {
      log(`soak, ${settings.soakMinutes} minutes`);
      const soaked = await soak({
        app,
        metricsToken: appEnv.METRICS_TOKEN!,
        databaseUrl: settings.databaseUrl,
        tokens,
        listedIds: cold,
        exportHost: facts.stays.exportHost?.id,
        minutes: settings.soakMinutes,
        readConnections: settings.connections,
        writeConnections: settings.bookingConnections,
        dir: dataDir,
        log,
      });
      report.push(soaked.markdown);
      soakFailure = soaked.failure;
    }
    // (g) last: its workers would otherwise compete with the server for the CPUs.
    for (const s of servers.splice(0).reverse()) await s.stop();
    const queue = only ? undefined : await queueBench(queueSettings, root, log);
    if (queue) report.push(queue.markdown);
    if (!only) {
      log('full text, embedded');
      report.push((await fulltextEmbeddedBench(fulltextEmbeddedSettings(env, int), log)).markdown);
      log('cold start');
      report.push(await coldStartBench(coldStartSettings(env, int, root), log));
    }
    process.stdout.write(`${report.join('\n')}\n`);
    if (raceFailed) throw new Error('(d) failed: concurrent bookings of the same dates did not give exactly one 201');
    if (soakFailure) throw new Error(`(h) failed: ${soakFailure}`);
    if (queue?.failure) throw new Error(`(g) failed: ${queue.failure}`);
  } finally {
    for (const s of servers.reverse()) await s.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function scaleOnly(): Promise<void> {
  loadGenerator(log);
  build();
  const result = await scaleBench(scaleBenchSettings(env, int), root, log);
  process.stdout.write(`${result.markdown}\n`);
  if (result.failure) throw new Error(`scale failed: ${result.failure}`);
}

async function coldStartOnly(): Promise<void> {
  const markdown = await coldStartBench(coldStartSettings(env, int, root), log);
  process.stdout.write(
    [
      `## Staylane benchmark (cold start), ${new Date().toISOString().slice(0, 16)}Z`,
      '',
      `Node ${process.version} · ${availableParallelism()} CPUs`,
      '',
      markdown,
    ].join('\n'),
  );
}

/** Creates, seeds and vacuums the benchmark database, then prints what it holds. */
async function seedOnly(): Promise<void> {
  const facts = await prepareDatabase();
  process.stdout.write(`${JSON.stringify(facts)}\n`);
}

async function wishlistsOnly(): Promise<void> {
  loadGenerator(log);
  build();
  const result = await wishlistsBench(wishlistsBenchSettings(env, int), root, log);
  process.stdout.write(`${result.markdown}\n`);
  if (result.failure) throw new Error(`wishlists failed: ${result.failure}`);
}

async function icalOnly(): Promise<void> {
  const result = await icalBench(env, log);
  process.stdout.write(`${result.markdown}\n`);
  if (result.failure) throw new Error(`ical: ${result.failure}`);
}

async function webhooksOnly(): Promise<void> {
  const result = await webhooksBench(env, root, log);
  process.stdout.write(`${result.markdown}\n`);
  if (result.failure) throw new Error(`webhooks: ${result.failure}`);
}

async function fulltextEmbeddedOnly(): Promise<void> {
  const result = await fulltextEmbeddedBench(fulltextEmbeddedSettings(env, int), log);
  process.stdout.write(`${result.markdown}\n`);
}

async function photosOnly(): Promise<void> {
  build();
  const result = await photosBench(photoBenchSettings(env, int), root, log);
  process.stdout.write(`${result.markdown}\n`);
  if (result.failure) throw new Error(`photos: ${result.failure}`);
}

const runs = {
  queue: queueOnly,
  'cold-start': coldStartOnly,
  seed: seedOnly,
  scale: scaleOnly,
  photos: photosOnly,
  wishlists: wishlistsOnly,
  ical: icalOnly,
  webhooks: webhooksOnly,
  'fulltext-embedded': fulltextEmbeddedOnly,
};
(only && only !== 'detail' && only !== 'search' && only !== 'soak' ? runs[only as keyof typeof runs]() : main()).catch(
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
