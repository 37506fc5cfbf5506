import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './child-servers.js';
import { withClient } from './db.js';
import { withCpu } from './cpu.js';
import { loadGenerator, runWrk } from './wrk.js';
import { sparePort } from '../test/kit/instances.js';

/**
 * `npm run bench:profile`: where the CPU of GET /v1/properties/{id} goes. Starts the production
 * build (`node --cpu-prof dist/composition/main.js serve`, settings as in `npm run bench`) on the benchmark
 * database, sends it distinct listed ids with wrk, stops it and prints the functions with
 * the most self time, then the same grouped by package. The raw profile stays in
 * BENCH_PROFILE_DIR (default: a temporary folder, printed) for Chrome DevTools' Performance
 * panel or speedscope; `tsx bench/profile.ts --summarize <file>` summarizes any .cpuprofile.
 *
 * Env: BENCH_DATABASE_URL, BENCH_DURATION (seconds of load, 20), BENCH_CONNECTIONS (50),
 * BENCH_PROFILE_DIR, BENCH_PROFILE_TOP (30), BENCH_PROFILE_IDS (how many distinct ids to cycle
 * through: all listed ones by default, so the detail cache misses; 1000 profiles the hits),
 * BENCH_PROFILE_PATH (one path requested throughout instead, e.g. a list page).
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const env = process.env;
const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);
const databaseUrl = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/staylane_bench';
const duration = Number(env.BENCH_DURATION ?? 20);
const connections = Number(env.BENCH_CONNECTIONS ?? 50);
const top = Number(env.BENCH_PROFILE_TOP ?? 30);

/** Where a frame comes from: a package, node's internals, the project's code, or V8. */
function origin(url: string): string {
  if (!url) return '(V8 / native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  return url.includes('/dist/') ? 'staylane' : url;
}

function summarize(profile: CpuProfile): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const file = frame.url.replace(/^.*node_modules\//, '').replace(`file://${root}/`, '');
    const key = `${frame.functionName || '(anonymous)'}  ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byOrigin.set(origin(frame.url), (byOrigin.get(origin(frame.url)) ?? 0) + us);
  }
  const rows = (m: Map<string, number>, limit: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  return `Self time by function (top ${top}):\n${rows(byFunction, top)}\n\nSelf time by origin:\n${rows(byOrigin, 20)}\n`;
}

async function main(): Promise<void> {
  loadGenerator(log);
  const dir = env.BENCH_PROFILE_DIR ?? (await mkdtemp(path.join(tmpdir(), 'staylane-profile-')));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-profile-data-'));
  const ids = await withClient(databaseUrl, async (c) =>
    (
      await c.query<{ id: string }>(`select id from properties where status = 'listed' and deleted_at is null`)
    ).rows.map((r) => r.id),
  );
  if (env.BENCH_PROFILE_IDS) ids.splice(Number(env.BENCH_PROFILE_IDS));
  if (ids.length === 0) throw new Error('the benchmark database has no listed properties: run `npm run bench` first');
  const paths = path.join(dataDir, 'paths.txt');
  const targets = env.BENCH_PROFILE_PATH ? [env.BENCH_PROFILE_PATH] : ids.map((id) => `/v1/properties/${id}`);
  await writeFile(paths, `${targets.join('\n')}\n`);
  const port = await sparePort();
  const app = await startServer({
    name: 'staylane',
    cwd: root,
    script: 'dist/composition/main.js',
    args: ['serve'],
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '1000000',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
    },
    port,
    readyPath: '/healthz',
    logFile: path.join(dataDir, 'staylane.log'),
  });
  try {
    const { result, cpu } = await withCpu(app.pid, () =>
      runWrk({ origin: app.origin, script: 'paths.lua', args: [paths, '0', '2'], connections, threads: 2, duration }),
    );
    log(
      `${Math.round(result.perSecond)} req/s, ${result.non2xx + result.socketErrors} failures; CPU: server ` +
        `${cpu?.server.toFixed(0)} %, PostgreSQL ${cpu?.postgres.toFixed(0)} %`,
    );
  } finally {
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const file = (await readdir(dir))
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .at(-1);
  if (!file) throw new Error(`no profile was written to ${dir}`);
  process.stdout.write(summarize(JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile));
  log(`profile: ${path.join(dir, file)}`);
}

async function summarizeFile(file: string): Promise<void> {
  process.stdout.write(summarize(JSON.parse(await readFile(file, 'utf8')) as CpuProfile));
}

// `tsx bench/profile.ts --summarize <file.cpuprofile>` summarizes a profile taken elsewhere.
const summarizeArg = process.argv.indexOf('--summarize');
(summarizeArg >= 0 ? summarizeFile(process.argv[summarizeArg + 1]!) : main()).catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
