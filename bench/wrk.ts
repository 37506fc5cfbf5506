import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { percentile, runLoad } from './load-runner.js';

/**
 * wrk, the native load generator: on a 2-core machine a JS generator takes CPU from the
 * server it measures, so every throughput figure comes from wrk. Scripts in bench/wrk/
 * pick each request's path or body (never repeating within a run) and print one
 * `WRK_RESULT {json}` line from their `done` hook.
 */
export interface WrkResult {
  requests: number;
  seconds: number;
  perSecond: number;
  /** Latency percentiles, ms (wrk's own histogram). */
  p50: number;
  p95: number;
  p99: number;
  /** Responses with status ≥ 400. */
  non2xx: number;
  /** Connect, read, write errors and timeouts. */
  socketErrors: number;
  /** bookings.lua only: answers by status. */
  created?: number;
  conflicts?: number;
  others?: number;
}

export interface WrkOptions {
  origin: string;
  /** A script in bench/wrk/. */
  script: 'paths.lua' | 'bookings.lua';
  /** Arguments after `--`, as the script reads them. */
  args: string[];
  connections: number;
  threads: number;
  /** Seconds. */
  duration: number;
  /** Headers sent with every request (`Authorization` of a signed-in client). */
  headers?: Readonly<Record<string, string>>;
}

const scripts = path.join(import.meta.dirname, 'wrk');

export type LoadGenerator = 'wrk' | 'autocannon';
let generator: LoadGenerator | undefined;

const hasWrk = () => !spawnSync('wrk', ['-v'], { stdio: 'ignore' }).error;

/**
 * wrk when it is installed; on a Debian machine where this runs as root, it is installed
 * (`apt-get install wrk`) first. Otherwise autocannon stands in, and the report says so: a
 * JavaScript generator takes CPU from the server it measures, so ratios come out flatter.
 */
export function loadGenerator(log: (line: string) => void): LoadGenerator {
  if (generator) return generator;
  if (!hasWrk() && process.getuid?.() === 0 && !spawnSync('apt-get', ['-v'], { stdio: 'ignore' }).error) {
    log('wrk is missing: installing it with apt-get (Debian package "wrk")');
    const install = () => spawnSync('apt-get', ['install', '-y', '-q', 'wrk'], { stdio: 'ignore' }).status === 0;
    if (!install()) {
      spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore' });
      install();
    }
  }
  generator = hasWrk() ? 'wrk' : 'autocannon';
  if (generator === 'autocannon') {
    log(
      'WARNING: wrk is not installed (Debian: `apt-get install wrk`). Falling back to autocannon, which runs in ' +
        'JavaScript on the same CPUs as the server: throughput figures and ratios from this run are understated.',
    );
  }
  return generator;
}

export function runWrk(options: WrkOptions): Promise<WrkResult> {
  return generator === 'autocannon' ? runAutocannon(options) : runNativeWrk(options);
}

function runNativeWrk(options: WrkOptions): Promise<WrkResult> {
  const argv = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.duration}s`,
    '--timeout',
    '30s',
    ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    '-s',
    path.join(scripts, options.script),
    options.origin,
    '--',
    ...options.args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WRK_RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`wrk failed (exit ${code}): ${(err || out).trim().slice(0, 500)}`));
        return;
      }
      const r = JSON.parse(line.slice('WRK_RESULT '.length)) as Record<string, number>;
      const seconds = r.durationUs! / 1e6;
      resolve({
        requests: r.requests!,
        seconds,
        perSecond: r.requests! / seconds,
        p50: r.p50! / 1000,
        p95: r.p95! / 1000,
        p99: r.p99! / 1000,
        non2xx: r.status!,
        socketErrors: r.connect! + r.read! + r.write! + r.timeout!,
        created: r.created,
        conflicts: r.conflicts,
        others: r.others,
      });
    });
  });
}

/** Several runs as one: total requests over total time; percentiles are the worst run's (a bound, not a merge). */
export function combineWrk(results: readonly WrkResult[]): WrkResult {
  const requests = results.reduce((s, r) => s + r.requests, 0);
  const seconds = results.reduce((s, r) => s + r.seconds, 0);
  const worst = (pick: (r: WrkResult) => number) => Math.max(...results.map(pick));
  return {
    requests,
    seconds,
    perSecond: requests / seconds,
    p50: worst((r) => r.p50),
    p95: worst((r) => r.p95),
    p99: worst((r) => r.p99),
    non2xx: results.reduce((s, r) => s + r.non2xx, 0),
    socketErrors: results.reduce((s, r) => s + r.socketErrors, 0),
  };
}

/** The fallback: the same requests as the wrk scripts, sent by autocannon. */
async function runAutocannon(options: WrkOptions): Promise<WrkResult> {
  const lines = readFileSync(options.args[0]!, 'utf8').split('\n').filter(Boolean);
  let index = Number(options.args[options.script === 'paths.lua' ? 1 : 2] ?? 0);
  const next =
    options.script === 'paths.lua'
      ? () => ({ method: 'GET' as const, path: lines[index++ % lines.length]!, headers: { ...options.headers } })
      : () => {
          // bookings.lua: each line once, then its last one again (a 409).
          const line = lines[Math.min(index++, lines.length - 1)]!;
          const tab = line.indexOf('\t');
          return {
            method: 'POST' as const,
            path: '/v1/bookings',
            headers: { authorization: `Bearer ${line.slice(0, tab)}`, 'content-type': 'application/json' },
            body: line.slice(tab + 1),
          };
        };
  const r = await runLoad({
    origin: options.origin,
    nextRequest: next,
    connections: options.connections,
    duration: options.duration,
  });
  let non2xx = 0;
  for (const [status, count] of r.statuses) if (status >= 400) non2xx += count;
  const count = (status: number) => r.statuses.get(status) ?? 0;
  return {
    requests: r.requests,
    seconds: r.seconds,
    perSecond: r.perSecond,
    p50: percentile(r.latencies, 50),
    p95: percentile(r.latencies, 95),
    p99: percentile(r.latencies, 99),
    non2xx,
    socketErrors: r.errors,
    ...(options.script === 'bookings.lua'
      ? { created: count(201), conflicts: count(409), others: r.requests - count(201) - count(409) }
      : {}),
  };
}
