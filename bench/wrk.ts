import { spawn } from 'node:child_process';
import path from 'node:path';

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
}

const scripts = path.join(import.meta.dirname, 'wrk');

export function runWrk(options: WrkOptions): Promise<WrkResult> {
  const argv = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.duration}s`,
    '--timeout',
    '30s',
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
