import autocannon from 'autocannon';

export interface LoadResult {
  /** Completed responses. */
  requests: number;
  seconds: number;
  perSecond: number;
  /** Response times in ms, one per response, sorted ascending. */
  latencies: number[];
  statuses: Map<number, number>;
  errors: number;
}

export interface LoadOptions {
  /** Origin, e.g. http://127.0.0.1:3000 */
  origin: string;
  /** Called once per request: every request may go to another path. */
  nextPath?: () => string;
  /** Instead of `nextPath`: the whole request (method, path, headers, body), once per request. */
  nextRequest?: () => { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };
  connections: number;
  /** Seconds to run, unless `amount` is given. */
  duration?: number;
  /** Exact number of requests. */
  amount?: number;
}

/**
 * Runs autocannon and keeps every response time, not only its fixed percentiles (it has
 * no p95). `setupRequest` runs for each request, so paths come from one shared sequence
 * across all connections instead of each connection replaying the same list.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.origin,
        connections: options.connections,
        duration: options.duration ?? 10,
        amount: options.amount,
        timeout: 30,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) =>
              options.nextRequest ? { ...req, ...options.nextRequest() } : { ...req, path: options.nextPath!() },
          },
        ],
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) {
          reject(err instanceof Error ? err : new Error(`autocannon failed: ${JSON.stringify(err)}`));
          return;
        }
        const seconds = result.duration;
        latencies.sort((a, b) => a - b);
        resolve({
          requests: latencies.length,
          seconds,
          perSecond: latencies.length / seconds,
          latencies,
          statuses,
          errors: result.errors + result.timeouts,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Responses whose status is outside 2xx/304. */
export function failures(result: LoadResult): number {
  let n = result.errors;
  for (const [status, count] of result.statuses) if (status >= 400 || status < 200) n += count;
  return n;
}

export function mergeResults(results: readonly LoadResult[]): LoadResult {
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const statuses = new Map<number, number>();
  for (const r of results) for (const [s, n] of r.statuses) statuses.set(s, (statuses.get(s) ?? 0) + n);
  const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  return {
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    latencies,
    statuses,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}
