import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRandom } from '../src/platform/seeding/random.js';
import type { ChildServer } from './child-servers.js';
import { freeStays } from './bookings.js';
import { cpuCells, withCpu } from './cpu.js';
import { distinctQueries, SEARCH_MIXES } from './search-mixes.js';
import { runWrk, type WrkResult } from './wrk.js';

/**
 * The soak: mixed reads and writes at full load for `minutes`, one minute at a time, against
 * the running production build. Each minute two wrk processes run side by side: readers
 * (detail reads of distinct ids, every search mix, list pages) and writers (bookings of free
 * dates by signed-in guests; a booking whose dates were taken meanwhile is a 409). After each
 * minute: the server's RSS and heap, the event-loop delay over that minute (p99 and max,
 * from /metrics, whose histogram restarts at each scrape), the CPU of the server and of
 * PostgreSQL. The soak fails on any 5xx, socket error or answer other than 200 to a read
 * and 201/409 to a booking.
 */
export interface SoakOptions {
  app: ChildServer;
  metricsToken: string;
  databaseUrl: string;
  tokens: readonly string[];
  listedIds: readonly string[];
  exportHost: string | undefined;
  minutes: number;
  readConnections: number;
  writeConnections: number;
  dir: string;
  log: (line: string) => void;
}

export interface SoakResult {
  markdown: string;
  failure: string | undefined;
}

interface Minute {
  reads: WrkResult;
  writes: WrkResult;
  rssMiB: number;
  heapMiB: number;
  lagP99Ms: number;
  lagMaxMs: number;
  cpu: string[];
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** A sample of a Prometheus text exposition, by metric name (no labels). */
function sample(text: string, name: string): number {
  const line = new RegExp(`^${name} ([0-9.eE+-]+)$`, 'm').exec(text);
  return line ? Number(line[1]) : Number.NaN;
}

export async function soak(o: SoakOptions): Promise<SoakResult> {
  const { app, log } = o;
  if (!app.pid) throw new Error('the server has no pid');
  // Reads: detail of distinct ids, searches of every mix and list pages, interleaved.
  const rng = createRandom(77);
  const searches = SEARCH_MIXES.flatMap((mix, i) =>
    distinctQueries(mix, createRandom(5000 + i), new Date(), 2000).map((q) => `/v1/properties?${q}`),
  );
  const reads: string[] = [];
  for (let i = 0; i < o.listedIds.length; i++) {
    reads.push(`/v1/properties/${o.listedIds[i]}`);
    if (i % 4 === 0) reads.push(searches[rng.int(0, searches.length - 1)]!);
    if (i % 50 === 0) reads.push('/v1/properties?city=Paris');
  }
  const readFile_ = path.join(o.dir, 'soak-reads.txt');
  await writeFile(readFile_, `${reads.join('\n')}\n`);
  // Writes: more free stays than the soak can book, each sent once.
  const stays = await freeStays(o.databaseUrl, 150_000, 2, o.exportHost);
  const writeFile_ = path.join(o.dir, 'soak-bookings.txt');
  await writeFile(
    writeFile_,
    `${stays.map((s, i) => `${o.tokens[i % o.tokens.length]}\t${JSON.stringify({ ...s, guests: 1 })}`).join('\n')}\n`,
  );
  const writeLines = stays.length;

  const metrics = async () =>
    (await fetch(`${app.origin}/metrics`, { headers: { authorization: `Bearer ${o.metricsToken}` } })).text();
  await metrics(); // starts the event-loop histogram afresh
  const minutes: Minute[] = [];
  let readOffset = 0;
  let writeOffset = 0;
  for (let m = 0; m < o.minutes; m++) {
    const { result, cpu } = await withCpu(app.pid, () =>
      Promise.all([
        runWrk({
          origin: app.origin,
          script: 'paths.lua',
          args: [readFile_, String(readOffset), '2'],
          connections: o.readConnections,
          threads: 2,
          duration: 60,
        }),
        runWrk({
          origin: app.origin,
          script: 'bookings.lua',
          // Each minute's wrk skips what earlier minutes sent.
          args: [writeFile_, '1', String(writeOffset)],
          connections: o.writeConnections,
          threads: 1,
          duration: 60,
        }),
      ]),
    );
    const [r, w] = result;
    readOffset += r.requests;
    writeOffset += w.requests;
    const text = await metrics();
    const minute: Minute = {
      reads: r,
      writes: w,
      rssMiB: await rssMiB(app.pid),
      heapMiB: sample(text, 'nodejs_heap_size_used_bytes') / 2 ** 20,
      lagP99Ms: sample(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
      lagMaxMs: sample(text, 'nodejs_eventloop_lag_max_seconds') * 1000,
      cpu: cpuCells(cpu),
    };
    minutes.push(minute);
    log(
      `  soak minute ${m + 1}: reads ${Math.round(r.perSecond)}/s, bookings ${Math.round(w.perSecond)}/s ` +
        `(${w.created} created), RSS ${minute.rssMiB.toFixed(0)} MiB, event-loop p99 ${minute.lagP99Ms.toFixed(1)} ms`,
    );
  }

  const bad = minutes.reduce(
    (sum, m) => sum + m.reads.non2xx + m.reads.socketErrors + (m.writes.others ?? 0) + m.writes.socketErrors,
    0,
  );
  const rows = minutes.map(
    (m, i) =>
      `| ${i + 1} | ${Math.round(m.reads.perSecond)} | ${m.reads.p99.toFixed(1)} | ${Math.round(m.writes.perSecond)} | ` +
      `${m.writes.created} | ${m.writes.conflicts} | ${m.reads.non2xx + m.reads.socketErrors + (m.writes.others ?? 0) + m.writes.socketErrors} | ` +
      `${m.rssMiB.toFixed(0)} | ${m.heapMiB.toFixed(0)} | ${m.lagP99Ms.toFixed(1)} | ${m.lagMaxMs.toFixed(0)} | ${m.cpu.join(' | ')} |`,
  );
  const first = minutes[0];
  const last = minutes.at(-1);
  const markdown = [
    `### (h) Soak: ${o.minutes} minutes of mixed reads and writes`,
    '',
    `Two wrk processes at once, each minute: readers (${o.readConnections} connections; detail reads of distinct ids, ` +
      `${SEARCH_MIXES.length} search mixes, the Paris list) and writers (${o.writeConnections} connections; bookings of ` +
      `${writeLines.toLocaleString('en-US')} prepared free stays by ${o.tokens.length} guests, each sent once; 409 = the dates were taken meanwhile). ` +
      'Event-loop delay from the server’s /metrics over each minute.',
    '',
    '| minute | reads/s | read p99 ms | bookings/s | created | 409 | errors | RSS MiB | heap MiB | loop p99 ms | loop max ms | server CPU | PostgreSQL CPU |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    first && last
      ? `RSS minute 1 → ${o.minutes}: ${first.rssMiB.toFixed(0)} → ${last.rssMiB.toFixed(0)} MiB; heap ${first.heapMiB.toFixed(0)} → ` +
        `${last.heapMiB.toFixed(0)} MiB. Errors (5xx, socket errors, reads not 200, bookings neither 201 nor 409): **${bad}**.`
      : '',
    '',
  ].join('\n');
  return { markdown, failure: bad > 0 ? `${bad} failed requests during the soak` : undefined };
}
