import { loadavg } from 'node:os';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { createAuditService } from '../src/modules/audit/index.js';
import { createPropertiesService } from '../src/modules/properties/index.js';
import { SearchPropertiesQuery } from '../src/modules/properties/properties.schemas.js';
import { createMemoryCache } from '../src/platform/cache/cache.js';
import { systemClock } from '../src/platform/clock.js';
import type { Db } from '../src/platform/db/types.js';
import { createRandom } from '../src/platform/seeding/random.js';
import { percentile } from './load-runner.js';
import { distinctQueries, SEARCH_MIXES } from './search-mixes.js';

/**
 * `npx tsx bench/search-explain.ts`: the latency of each search mix as PostgreSQL serves it,
 * without HTTP and without the search page cache. For each mix it takes the same distinct
 * queries as `npm run bench` (same seeds), validates each as the route does, and calls the
 * properties service (so the SQL is the app's own), one query at a time on one connection.
 * Every query is distinct, so the 15 s page cache never answers; city names resolve once per
 * name as they do in the app (cached 5 minutes). Then it prints EXPLAIN (ANALYZE, BUFFERS) of
 * the query whose time is nearest the mix's p95 (server time when measured, see below).
 *
 * On a shared machine the wall times swing with the load, so each query's SQL is also run
 * once more under EXPLAIN (ANALYZE, BUFFERS, TIMING OFF): the server's execution time and the
 * shared buffers it touched (hit + read), the work itself, which the load does not change.
 *
 * Env: DATABASE_URL (postgres://postgres@127.0.0.1:5432/staylane_bench), SEARCH_EXPLAIN_QUERIES
 * (200 per mix), SEARCH_EXPLAIN_ONLY (a substring of the mix names to run), SEARCH_EXPLAIN_PLANS
 * (1; 0 skips the plans), SEARCH_EXPLAIN_WORK (1; 0 skips the second, EXPLAIN, pass).
 */

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/staylane_bench';
const perMix = Number(process.env.SEARCH_EXPLAIN_QUERIES ?? 200);
const only = process.env.SEARCH_EXPLAIN_ONLY;
const showPlans = process.env.SEARCH_EXPLAIN_PLANS !== '0';
const measureWork = process.env.SEARCH_EXPLAIN_WORK !== '0';

interface PlanNode {
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
}
interface JsonPlan {
  Plan: PlanNode;
  Planning?: PlanNode;
  'Execution Time': number;
}
const WARM_UP = 20;

interface Logged {
  sql: string;
  params: unknown[];
}

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  let last: Logged | undefined;
  const db = drizzle({
    client: pool,
    logger: { logQuery: (sql, params) => void (last = { sql, params }) },
  }) as unknown as Db;
  const service = createPropertiesService({
    db,
    cache: createMemoryCache(),
    clock: systemClock,
    audit: createAuditService({ db }),
    publish: async () => undefined,
  });
  const today = new Date();
  const summary: string[] = [];
  console.log(`database ${url.replace(/\/\/[^@]*@/, '//')}, ${perMix} distinct queries per mix, one connection`);
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );

  for (const [index, mix] of SEARCH_MIXES.entries()) {
    if (only && !mix.name.includes(only)) continue;
    const run = async (q: string): Promise<{ ms: number; rows: number; sql: Logged }> => {
      const query = SearchPropertiesQuery.parse(Object.fromEntries(new URLSearchParams(q)));
      const started = performance.now();
      const page = await service.searchProperties(query, {});
      const ms = performance.now() - started;
      return { ms, rows: page.data.length, sql: last! };
    };
    // Warm-up on other queries of the mix (other seed), so the first measured ones do not pay
    // for cold buffers the benchmark would have warmed.
    for (const q of distinctQueries(mix, createRandom(9000 + index), today, WARM_UP)) await run(q);

    const queries = distinctQueries(mix, createRandom(1000 + index), today, perMix);
    const results: { q: string; ms: number; rows: number; sql: Logged; serverMs?: number }[] = [];
    for (const q of queries) results.push({ q, ...(await run(q)) });
    const times = results.map((r) => r.ms).sort((a, b) => a - b);
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    const max = times.at(-1)!;
    const rows = results.reduce((sum, r) => sum + r.rows, 0) / results.length;
    const load = loadavg()[0]!.toFixed(2);
    let line = `${mix.name.padEnd(32)} p50 ${p50.toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  max ${max.toFixed(1).padStart(6)} ms  rows ${rows.toFixed(1).padStart(5)}  load ${load}`;
    let serverP95: number | undefined;
    if (measureWork) {
      const exec: number[] = [];
      const buffers: number[] = [];
      for (const r of results) {
        const { rows: out } = await pool.query<{ 'QUERY PLAN': JsonPlan[] }>(
          `explain (analyze, buffers, timing off, format json) ${r.sql.sql}`,
          r.sql.params,
        );
        const plan = out[0]!['QUERY PLAN'][0]!;
        r.serverMs = plan['Execution Time'];
        exec.push(plan['Execution Time']);
        buffers.push((plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0));
      }
      exec.sort((a, b) => a - b);
      serverP95 = percentile(exec, 95);
      buffers.sort((a, b) => a - b);
      line += `  | server p50 ${percentile(exec, 50).toFixed(1).padStart(5)} ms  p95 ${percentile(exec, 95).toFixed(1).padStart(6)} ms  buffers p95 ${percentile(buffers, 95).toFixed(0).padStart(6)}`;
    }
    summary.push(line);
    console.log(line);

    if (showPlans) {
      // Nearest the server's p95 when measured (the wall time also holds the machine's load).
      const at = (r: (typeof results)[number]) => (serverP95 === undefined ? r.ms : r.serverMs!);
      const target = serverP95 ?? p95;
      const nearest = results.reduce((a, b) => (Math.abs(at(b) - target) < Math.abs(at(a) - target) ? b : a));
      const plan = await pool.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, buffers) ${nearest.sql.sql}`,
        nearest.sql.params,
      );
      console.log(
        `  query (≈ p95, ${nearest.ms.toFixed(1)} ms${serverP95 === undefined ? '' : `, server ${nearest.serverMs!.toFixed(1)} ms`}): ?${nearest.q}`,
      );
      for (const r of plan.rows) console.log(`    ${r['QUERY PLAN']}`);
      console.log('');
    }
  }
  console.log('\nsummary');
  for (const line of summary) console.log(line);
  await pool.end();
}

await main();
