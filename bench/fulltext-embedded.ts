import { formatSeedSummary, seedDatabase } from '../src/composition/seed.js';
import { openDatabase } from '../src/platform/db/client.js';
import { createRandom } from '../src/platform/seeding/random.js';
import { searchProperties } from '../src/modules/properties/properties.search.repository.js';
import { percentile } from './load-runner.js';
import { SEARCH_MIXES } from './search-mixes.js';

/**
 * `npm run bench -- --only fulltext-embedded` (also part of the default run): relevance search
 * on the embedded database. Seeds BENCH_FULLTEXT_PROPERTIES (10,000) places into an in-memory
 * PGlite, then runs BENCH_FULLTEXT_QUERIES (400) queries of the search bench's "full text" mix
 * (half one word, half a word and a city name) in-process through the search repository, one
 * at a time, and reports p50/p95/p99 by kind: one-word queries are read from the per-lexeme
 * ranks, the others rank their matches with ts_rank; each one-word query is also timed down the
 * ranked path, for comparison. About a minute, seeding included.
 */
export interface FulltextEmbeddedSettings {
  properties: number;
  queries: number;
}

export function fulltextEmbeddedSettings(
  env: NodeJS.ProcessEnv,
  int: (name: string, fallback: number) => number,
): FulltextEmbeddedSettings {
  void env;
  return { properties: int('BENCH_FULLTEXT_PROPERTIES', 10_000), queries: int('BENCH_FULLTEXT_QUERIES', 400) };
}

const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : v < 10 ? v.toFixed(2) : v.toFixed(1));

export async function fulltextEmbeddedBench(
  settings: FulltextEmbeddedSettings,
  log: (line: string) => void,
): Promise<{ markdown: string }> {
  const database = await openDatabase({ kind: 'pglite' });
  try {
    await database.migrate();
    log(`fulltext-embedded: seeding ${settings.properties.toLocaleString('en')} places into PGlite`);
    const summary = await seedDatabase(database.db, {
      counts: { users: Math.max(10, Math.ceil(settings.properties / 5)), properties: settings.properties },
    });
    log(formatSeedSummary(summary));
    const mix = SEARCH_MIXES.find((m) => m.name === 'full text')!;
    const rng = createRandom(7_001);
    const today = new Date();
    const queries = Array.from(
      { length: settings.queries },
      () => mix.make(rng, today) as { q: string; limit: number },
    );
    // Warm-up: the first queries plan and load what every later one uses.
    for (const { q, limit } of queries.slice(0, 20)) await searchProperties(database.db, { q }, 'relevance', limit + 1);
    const times = { oneWord: [] as number[], more: [] as number[], oneWordRanked: [] as number[] };
    let rows = 0;
    for (const { q, limit } of queries) {
      let started = performance.now();
      rows += (await searchProperties(database.db, { q }, 'relevance', limit + 1)).length;
      (q.includes(' ') ? times.more : times.oneWord).push(performance.now() - started);
      if (q.includes(' ')) continue;
      // For comparison, the same one-word query down the ranked path: `guests: 1` holds for
      // every place, so the answer is the same, but a filter other than q ranks every match.
      started = performance.now();
      await searchProperties(database.db, { q, guests: 1 }, 'relevance', limit + 1);
      times.oneWordRanked.push(performance.now() - started);
    }
    const line = (label: string, t: number[]) => {
      const sorted = t.slice().sort((a, b) => a - b);
      return `| ${label} | ${t.length} | ${[50, 95, 99].map((p) => ms(percentile(sorted, p))).join(' | ')} |`;
    };
    const listed = summary.counts.listed ?? settings.properties;
    return {
      markdown: [
        `### Full text by relevance, embedded (PGlite, in-process, ${listed.toLocaleString('en')} listed places)`,
        '',
        `The search bench's "full text" queries through the search repository, one at a time (${rows.toLocaleString('en')} rows returned).`,
        '',
        '| queries | n | p50 ms | p95 ms | p99 ms |',
        '|---|---:|---:|---:|---:|',
        line('one word (per-lexeme ranks)', times.oneWord),
        line('one word, ranked over every match instead (`guests=1`, same answer)', times.oneWordRanked),
        line('two or more words (ts_rank over the matches)', times.more),
        line('the mix (one word and more)', [...times.oneWord, ...times.more]),
        '',
      ].join('\n'),
    };
  } finally {
    await database.close();
  }
}
