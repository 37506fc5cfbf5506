import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createRandom } from '../src/platform/seeding/random.js';
import { processCpu, treeCpuDelta } from './cpu.js';
import { startApi } from './scale-processes.js';
import { distinctQueries, SEARCH_MIXES } from './search-mixes.js';
import { combineWrk, runWrk, type WrkResult } from './wrk.js';

/**
 * Read throughput of `staylane serve --workers N` for several N on one port: wrk over the
 * detail pages of every listed place, then over one search mix whose every request is a
 * new query (so the 15 s search cache never answers and each reaches PostgreSQL). Rounds
 * alternate the order of N (1, 2, 4, then 4, 2, 1), so that a neighbour's load on the
 * shared machine does not fall on one N only.
 */

const SEARCH_MIX = 'city + dates + guests, by price';
/** Each API process compiles its hot paths itself: 4 processes on 2 cores take several seconds to settle. */
const WARM_UP_SECONDS = 10;
const SEARCH_WARM_UP_SECONDS = 3;

export interface ReadOptions {
  root: string;
  env: Record<string, string>;
  port: number;
  /** The bench's PostgreSQL server (its backends are its children) and Redis server processes. */
  servers: { postgres: number; redis: number };
  listedIds: readonly string[];
  dir: string;
  processCounts: readonly number[];
  rounds: number;
  duration: number;
  connections: number;
  log: (line: string) => void;
}

type Workload = 'detail' | 'search';

interface Measured extends WrkResult {
  /**
   * CPU used meanwhile, % of one core: the API processes (with their cluster parent), the
   * bench's PostgreSQL, the rest of the bench (wrk, Redis, the idle workers, this process),
   * and whatever else ran on the machine.
   */
  api: number;
  postgres: number;
  bench: number;
  outside: number;
}

/** Busy CPU time of the whole machine so far, seconds (/proc/stat: all but idle and iowait). */
function machineBusy(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (fields.slice(0, 8).reduce((a, b) => a + b, 0) - fields[3]! - fields[4]!) / 100;
}

async function measure(pids: { api: number; postgres: number; redis: number }, run: () => Promise<WrkResult>) {
  const before = { busy: machineBusy(), table: processCpu() };
  const started = performance.now();
  const result = await run();
  const wall = (performance.now() - started) / 1000;
  const table = processCpu();
  const used = (root: number) => treeCpuDelta(before.table, table, root);
  const api = used(pids.api);
  const postgres = used(pids.postgres);
  // The API processes are children of this one; Redis and PostgreSQL run on their own.
  const bench = used(process.pid) - api + used(pids.redis);
  const share = (seconds: number) => (seconds / wall) * 100;
  return {
    ...result,
    api: share(api),
    postgres: share(postgres),
    bench: share(bench),
    outside: share(Math.max(0, machineBusy() - before.busy - api - postgres - bench)),
  };
}

/** Several runs as one (combineWrk), their CPU shares weighted by duration. */
function combine(runs: readonly Measured[]): Measured {
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const weighted = (pick: (r: Measured) => number) => runs.reduce((s, r) => s + pick(r) * r.seconds, 0) / seconds;
  return {
    ...combineWrk(runs),
    api: weighted((r) => r.api),
    postgres: weighted((r) => r.postgres),
    bench: weighted((r) => r.bench),
    outside: weighted((r) => r.outside),
  };
}

/** The file of detail paths readThroughput writes (one listed place a line), for a warm-up elsewhere. */
export const detailPaths = (dir: string) => path.join(dir, 'scale-details.txt');

/** wrk over a file of paths from line `offset` on, 2 threads. */
export const paths = (origin: string, file: string, offset: number, duration: number, connections: number) =>
  runWrk({ origin, script: 'paths.lua', args: [file, String(offset), '2'], connections, threads: 2, duration });

const thousands = new Intl.NumberFormat('en-US');
const n = (v: number) => thousands.format(Math.round(v));
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
const pct = (v: number) => (Number.isNaN(v) ? 'n/a' : `${v.toFixed(0)} %`);

export async function readThroughput(options: ReadOptions): Promise<{ markdown: string }> {
  const { log } = options;
  const detailFile = detailPaths(options.dir);
  const searchFile = path.join(options.dir, 'scale-search.txt');
  await writeFile(detailFile, `${options.listedIds.map((id) => `/v1/properties/${id}`).join('\n')}\n`);
  const mixIndex = SEARCH_MIXES.findIndex((m) => m.name === SEARCH_MIX);
  const queries = distinctQueries(SEARCH_MIXES[mixIndex]!, createRandom(1000 + mixIndex), new Date(), 40_000);
  await writeFile(searchFile, `${queries.map((q) => `/v1/properties?${q}`).join('\n')}\n`);

  const runs = new Map<string, Measured[]>();
  const record = (processes: number, workload: Workload, r: Measured) =>
    runs.set(`${processes}/${workload}`, [...(runs.get(`${processes}/${workload}`) ?? []), r]);
  let searchOffset = 0;
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? options.processCounts : [...options.processCounts].reverse();
    for (const processes of order) {
      log(`scale: round ${round + 1}, ${processes} API process${processes === 1 ? '' : 'es'}`);
      const api = await startApi({
        root: options.root,
        env: options.env,
        port: options.port,
        processes,
        logFile: path.join(options.dir, `api-${processes}-${round}.log`),
      });
      try {
        const wrk = (file: string, offset: number, duration: number) =>
          paths(api.origin, file, offset, duration, options.connections);
        await wrk(detailFile, 0, WARM_UP_SECONDS);
        const pids = { ...options.servers, api: api.pid! };
        const detail = await measure(pids, () => wrk(detailFile, 0, options.duration));
        log(`  details: ${n(detail.perSecond)} req/s, p99 ${ms(detail.p99)} ms`);
        searchOffset += (await wrk(searchFile, searchOffset, SEARCH_WARM_UP_SECONDS)).requests;
        const search = await measure(pids, () => wrk(searchFile, searchOffset, options.duration));
        searchOffset += search.requests;
        log(`  search: ${n(search.perSecond)} req/s, p99 ${ms(search.p99)} ms`);
        record(processes, 'detail', detail);
        record(processes, 'search', search);
      } finally {
        await api.stop();
      }
    }
  }

  const lines = [
    '| API processes | requests | req/s | p50 ms | p99 ms | non-2xx | vs 1 process | API CPU | PostgreSQL CPU | rest of the bench CPU | outside the bench CPU |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const workload of ['detail', 'search'] as const) {
    const one = runs.get(`1/${workload}`);
    const base = one && combine(one).perSecond;
    for (const processes of options.processCounts) {
      const r = combine(runs.get(`${processes}/${workload}`)!);
      const label =
        workload === 'detail'
          ? `GET /v1/properties/{id}, ${n(options.listedIds.length)} ids`
          : `search "${SEARCH_MIX}"`;
      lines.push(
        `| ${processes} | ${label} | **${n(r.perSecond)}** | ${ms(r.p50)} | ${ms(r.p99)} | ${n(r.non2xx + r.socketErrors)} | ` +
          `${base ? `${(r.perSecond / base).toFixed(2)}×` : 'n/a'} | ${pct(r.api)} | ${pct(r.postgres)} | ${pct(r.bench)} | ${pct(r.outside)} |`,
      );
    }
  }
  const markdown = [
    `### Read throughput by API processes (\`staylane serve --workers N\`, one port)`,
    '',
    `wrk, 2 threads, ${options.connections} connections; ${options.rounds} round${options.rounds === 1 ? '' : 's'} ` +
      `(N in turn, the order reversed each round) of ${options.duration} s per workload after a ${WARM_UP_SECONDS} s warm-up of each start; latency ` +
      'percentiles are the worst round’s. Details: every listed place in turn; after the first request of an id its ' +
      `answer comes from the shared Redis cache (10 min). Search: distinct queries, never repeated in the whole run, ` +
      `each answered by PostgreSQL. CPU: % of one core (the machine has ${100 * availableParallelism()} %) used by ` +
      'the API processes with their cluster parent, by the bench’s PostgreSQL, by the rest of the bench (wrk, Redis, ' +
      'the idle workers, the bench process) and by processes outside the bench (other work on the shared machine).',
    '',
    lines.join('\n'),
    '',
  ].join('\n');
  return { markdown };
}
