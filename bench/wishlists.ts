import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { formatSeedSummary, seedDatabase } from '../src/composition/seed.js';
import { openDatabase } from '../src/platform/db/client.js';
import { createSeedProgress } from '../src/platform/seeding/progress.js';
import { findSavedPropertyIds } from '../src/modules/wishlists/wishlists.repository.js';
import { sparePort } from '../test/kit/instances.js';
import { startServer, type ChildServer } from './child-servers.js';
import { combineCpu, cpuCells, withCpu, type CpuShare } from './cpu.js';
import { withClient } from './db.js';
import { combineWrk, runWrk, type WrkResult } from './wrk.js';

/**
 * `npm run bench -- --only wishlists`: what `saved` costs on a busy page. Search page 1
 * (`GET /v1/properties?city=<the biggest city>&sort=newest&limit=20`, the same URL
 * throughout, as many visitors opening the same list: the 15 s search cache answers the page
 * itself, so what differs between callers is the work done for each request after it) for
 *   - an anonymous caller;
 *   - a signed-in caller who keeps no place (the token's check, and `saved` all false);
 *   - a signed-in caller who keeps 8 of the page's 20 places and 200 others, in 5 lists.
 * wrk, 2 threads, alternating rounds (the variants' order rotates each round, so all see the
 * same machine). Target: the signed-in caller with saved places at most 10 % slower than the
 * anonymous one. The run fails on any error answer or a wrong `saved` mark, not on the target.
 *
 * Its own PostgreSQL database (created, migrated and seeded with listed places when short),
 * the production build (`dist/`, built by the caller) with request logging at info to a file,
 * the in-process cache. Env: BENCH_WISHLISTS_DATABASE_URL
 * (postgres://postgres@127.0.0.1:5432/staylane_bench_wishlists), BENCH_WISHLISTS_PROPERTIES
 * (5000 listed places wanted), BENCH_CONNECTIONS (50), BENCH_WISHLISTS_DURATION (8 s a run),
 * BENCH_WISHLISTS_ROUNDS (2).
 */

export interface WishlistsBenchSettings {
  databaseUrl: string;
  listedWanted: number;
  connections: number;
  duration: number;
  rounds: number;
}

export function wishlistsBenchSettings(
  env: NodeJS.ProcessEnv,
  int: (name: string, fallback: number) => number,
): WishlistsBenchSettings {
  return {
    databaseUrl: env.BENCH_WISHLISTS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/staylane_bench_wishlists',
    listedWanted: int('BENCH_WISHLISTS_PROPERTIES', 5000),
    connections: int('BENCH_CONNECTIONS', 50),
    duration: int('BENCH_WISHLISTS_DURATION', 8),
    rounds: int('BENCH_WISHLISTS_ROUNDS', 2),
  };
}

const PAGE_SIZE = 20;
/** Places of page 1 the saving caller keeps, and places kept elsewhere. */
const SAVED_ON_PAGE = 8;
const SAVED_ELSEWHERE = 200;
const LISTS = 5;

const thousands = new Intl.NumberFormat('en-US');
const n = (v: number) => thousands.format(Math.round(v));
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

async function ensureDatabase(url: string, log: (line: string) => void): Promise<void> {
  try {
    await withClient(url, async () => undefined);
  } catch (e) {
    if ((e as { code?: string }).code !== '3D000') throw e;
    const name = decodeURIComponent(new URL(url).pathname.slice(1));
    const maintenance = new URL(url);
    maintenance.pathname = '/postgres';
    log(`creating database ${name}`);
    await withClient(maintenance.toString(), (c) => c.query(`create database "${name.replace(/"/g, '""')}"`));
  }
}

const countListed = (url: string) =>
  withClient(url, async (c) =>
    Number(
      (
        await c.query<{ n: string }>(
          `select count(*) as n from properties where status = 'listed' and deleted_at is null`,
        )
      ).rows[0]!.n,
    ),
  );

/** Migrates, then seeds until the wanted number of listed places exists; answers how many there are. */
async function prepare(settings: WishlistsBenchSettings, log: (line: string) => void): Promise<number> {
  await ensureDatabase(settings.databaseUrl, log);
  const database = await openDatabase({ kind: 'postgres', url: settings.databaseUrl, poolMax: 4 });
  try {
    await database.migrate();
    const listed = await countListed(settings.databaseUrl);
    const missing = settings.listedWanted - listed;
    if (missing > 0) {
      // About 90 % of seeded places are listed.
      const properties = Math.ceil(missing / 0.9) + 10;
      log(`seeding ${n(properties)} properties`);
      const summary = await seedDatabase(
        database.db,
        { counts: { users: Math.max(10, Math.ceil(properties / 5)), properties }, seed: 7 + listed, concurrency: 2 },
        createSeedProgress(process.stderr),
      );
      log(formatSeedSummary(summary));
    }
    return countListed(settings.databaseUrl);
  } finally {
    await database.close();
  }
}

interface Answer {
  status: number;
  body: unknown;
}

async function call(
  app: ChildServer,
  method: string,
  url: string,
  token?: string,
  payload?: Record<string, unknown>,
): Promise<Answer> {
  const res = await fetch(app.origin + url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(payload ? { 'content-type': 'application/json' } : {}),
    },
    body: payload ? JSON.stringify(payload) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function expectStatus(answer: Promise<Answer>, status: number, what: string): Promise<Answer> {
  const got = await answer;
  if (got.status !== status) throw new Error(`${what}: HTTP ${got.status} ${JSON.stringify(got.body).slice(0, 300)}`);
  return got;
}

/** A new guest, signed in: its id and access token. */
async function signUp(app: ChildServer, name: string): Promise<{ id: string; token: string }> {
  const registered = await expectStatus(
    call(app, 'POST', '/v1/auth/register', undefined, {
      email: `bench-${name}-${randomBytes(4).toString('hex')}@example.com`,
      password: `${randomBytes(12).toString('base64url')}-Wishlist`,
      firstName: 'Bench',
      lastName: name,
    }),
    201,
    `register ${name}`,
  );
  const body = registered.body as { user: { id: string }; accessToken: string };
  return { id: body.user.id, token: body.accessToken };
}

/**
 * The `saved` lookup alone, as the server runs it (the same prepared statement), from this
 * process over one connection: wall time and this process's CPU per call, after a warm-up.
 */
async function lookupCost(
  url: string,
  userId: string,
  ids: readonly string[],
): Promise<{ wallUs: number; cpuUs: number }> {
  const database = await openDatabase({ kind: 'postgres', url, poolMax: 1 });
  try {
    for (let i = 0; i < 300; i++) await findSavedPropertyIds(database.db, userId, ids);
    const calls = 3000;
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < calls; i++) await findSavedPropertyIds(database.db, userId, ids);
    const wallUs = ((performance.now() - started) * 1000) / calls;
    const used = process.cpuUsage(cpu);
    return { wallUs, cpuUs: (used.user + used.system) / calls };
  } finally {
    await database.close();
  }
}

type Card = { id: string; saved?: boolean };

interface Variant {
  label: string;
  token?: string;
  runs: { result: WrkResult; cpu: CpuShare | undefined }[];
}

export async function wishlistsBench(
  settings: WishlistsBenchSettings,
  root: string,
  log: (line: string) => void,
): Promise<{ markdown: string; failure?: string }> {
  log(`preparing ${settings.databaseUrl.replace(/\/\/[^@]*@/, '//')}`);
  const listed = await prepare(settings, log);
  const city = await withClient(
    settings.databaseUrl,
    async (c) =>
      (
        await c.query<{ city: string }>(
          `select city from properties where status = 'listed' and deleted_at is null
           group by city order by count(*) desc, city limit 1`,
        )
      ).rows[0]!.city,
  );
  const pagePath = `/v1/properties?city=${encodeURIComponent(city)}&sort=newest&limit=${PAGE_SIZE}`;

  const dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-bench-wishlists-'));
  let app: ChildServer | undefined;
  try {
    const port = await sparePort();
    app = await startServer({
      name: 'staylane',
      cwd: root,
      script: 'dist/composition/main.js',
      args: ['serve'],
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: settings.databaseUrl,
        JWT_SECRET: randomBytes(32).toString('hex'),
        PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'info',
        RATE_LIMIT_PER_MINUTE: '1000000',
        AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
        METRICS_TOKEN: randomBytes(16).toString('hex'),
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
      },
      port,
      readyPath: '/healthz',
      logFile: path.join(dataDir, 'staylane.log'),
    });
    const server = app;

    // The saving caller keeps every other place of page 1 (8 of 20) and 200 places elsewhere, in 5 lists.
    const [saverUser, keepsNoneUser] = [await signUp(server, 'saver'), await signUp(server, 'none')];
    const [saver, keepsNone] = [saverUser.token, keepsNoneUser.token];
    const page = (await expectStatus(call(server, 'GET', pagePath), 200, 'search page 1')).body as { data: Card[] };
    if (page.data.length < PAGE_SIZE) throw new Error(`page 1 of ${city} holds ${page.data.length} places`);
    const onPage = page.data
      .filter((_, i) => i % 2 === 0)
      .slice(0, SAVED_ON_PAGE)
      .map((c) => c.id);
    const elsewhere = await withClient(settings.databaseUrl, async (c) =>
      (
        await c.query<{ id: string }>(
          `select id from properties where status = 'listed' and deleted_at is null and not (id = any($1::uuid[]))
           order by md5(id::text) limit $2`,
          [page.data.map((p) => p.id), SAVED_ELSEWHERE],
        )
      ).rows.map((r) => r.id),
    );
    const lists: string[] = [];
    for (let i = 0; i < LISTS; i++) {
      const list = await expectStatus(
        call(server, 'POST', '/v1/wishlists', saver, { name: `Bench list ${i + 1}` }),
        201,
        'create a list',
      );
      lists.push((list.body as { id: string }).id);
    }
    const keep = [...onPage.map((id, i) => [lists[i % 2]!, id]), ...elsewhere.map((id, i) => [lists[i % LISTS]!, id])];
    for (const [list, place] of keep) {
      await expectStatus(call(server, 'PUT', `/v1/wishlists/${list}/places/${place}`, saver), 200, 'save a place');
    }

    // The marks each caller gets, checked before measuring.
    const marks = async (token?: string) =>
      ((await expectStatus(call(server, 'GET', pagePath, token), 200, 'search page 1')).body as { data: Card[] }).data;
    const savedMarks = await marks(saver);
    const noneMarks = await marks(keepsNone);
    const anonymousMarks = await marks();
    const wrongMarks =
      savedMarks.filter((c) => c.saved !== onPage.includes(c.id)).length +
      noneMarks.filter((c) => c.saved !== false).length +
      anonymousMarks.filter((c) => 'saved' in c).length;

    const file = path.join(dataDir, 'page-1.txt');
    await writeFile(file, `${pagePath}\n`);
    const variants: Variant[] = [
      { label: 'anonymous', runs: [] },
      { label: 'signed in, keeps no place', token: keepsNone, runs: [] },
      {
        label: `signed in, keeps ${SAVED_ON_PAGE} of the page's ${PAGE_SIZE} (+${SAVED_ELSEWHERE} elsewhere)`,
        token: saver,
        runs: [],
      },
    ];
    const wrk = (v: Variant, duration: number) =>
      runWrk({
        origin: server.origin,
        script: 'paths.lua',
        args: [file, '0', '2'],
        connections: settings.connections,
        threads: 2,
        duration,
        headers: v.token ? { authorization: `Bearer ${v.token}` } : undefined,
      });
    log('warming up');
    for (const v of variants) await wrk(v, 3);
    for (let round = 0; round < settings.rounds; round++) {
      // Rotated each round, so no variant always runs first or last.
      const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
      for (const v of order) {
        const run = await withCpu(server.pid, () => wrk(v, settings.duration));
        v.runs.push(run);
        log(`  round ${round + 1}, ${v.label}: ${n(run.result.perSecond)} req/s, p50 ${ms(run.result.p50)} ms`);
      }
    }

    const lookup = await lookupCost(
      settings.databaseUrl,
      saverUser.id,
      page.data.map((p) => p.id),
    );
    const totals = variants.map((v) => ({
      v,
      r: combineWrk(v.runs.map((run) => run.result)),
      cpu: combineCpu(v.runs.map((run) => ({ cpu: run.cpu, seconds: run.result.seconds }))),
    }));
    const anonymous = totals[0]!.r;
    const withSaved = totals[2]!.r;
    const slower = (1 - withSaved.perSecond / anonymous.perSecond) * 100;
    const errors = totals.reduce((sum, t) => sum + t.r.non2xx + t.r.socketErrors, 0);
    /** Server CPU per answer, µs: its CPU share over its answers per second. */
    const cpuPerAnswer = (t: (typeof totals)[number]) => (t.cpu ? (t.cpu.server / 100 / t.r.perSecond) * 1e6 : NaN);
    const rows = totals.map(({ v, r, cpu }) => {
      const vsAnonymous = (r.perSecond / anonymous.perSecond) * 100;
      return `| ${v.label} | ${n(r.perSecond)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.non2xx + r.socketErrors} | ${vsAnonymous.toFixed(1)} % | ${cpuCells(cpu).join(' | ')} |`;
    });
    const markdown = [
      `## Staylane benchmark (wishlists: \`saved\` on search page 1), ${new Date().toISOString().slice(0, 16)}Z`,
      '',
      `Node ${process.version} · ${availableParallelism()} CPUs · PostgreSQL, ${n(listed)} listed places · production build, ` +
        `request logging at info (to a file), in-process cache · wrk, 2 threads, ${settings.connections} connections, ` +
        `${settings.rounds} alternating rounds of ${settings.duration} s per variant (percentiles: the worst round's), on the same machine`,
      '',
      `\`GET ${pagePath}\`, the same URL throughout (the search cache answers the page; each signed-in answer then ` +
        "reads its caller's marks, one indexed query).",
      '',
      '| caller | req/s | p50 ms | p95 ms | p99 ms | errors | vs anonymous | server CPU | PostgreSQL CPU |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Signed in with saved places vs anonymous: **${slower >= 0 ? `${slower.toFixed(1)} % slower` : `${(-slower).toFixed(1)} % faster`}** ` +
        `(target ≤ 10 %: ${slower <= 10 ? 'met' : '**missed**'}). Marks checked before measuring: ${wrongMarks === 0 ? 'all right' : `**${wrongMarks} wrong**`}.`,
      '',
      `Server CPU per answer: ${totals.map((t) => `${t.v.label} ${n(cpuPerAnswer(t))} µs`).join(' · ')}. ` +
        `The \`saved\` lookup alone (the same prepared statement for page 1's ${PAGE_SIZE} ids, 3,000 calls over one connection ` +
        `from the benchmark's process): ${n(lookup.wallUs)} µs of wall time and ${n(lookup.cpuUs)} µs of Node CPU per call.`,
      '',
    ].join('\n');
    const failure =
      wrongMarks > 0
        ? `${wrongMarks} wrong saved marks`
        : errors > 0
          ? `${errors} error answers or socket errors`
          : undefined;
    return { markdown, failure };
  } finally {
    await app?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
