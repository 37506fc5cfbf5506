import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per app instance, so tests can build many apps in one process. */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  cacheLookups: Counter<'cache' | 'result'>;
  /** Job runs by kind and outcome (done, retry, dead). */
  jobRuns: Counter<'kind' | 'outcome'>;
  jobDuration: Histogram<'kind'>;
  /** Start of a run minus the time it was due. */
  jobLateness: Histogram<'kind'>;
}

/** Outbox rows by kind and state (the outbox's grouped count; metrics import no job code). */
export type JobCounts = () => Promise<{ kind: string; state: string; count: number }[]>;

/** E-mail keys in doubt (claimed long ago, never marked sent), counted up to a cap. */
export type MailInDoubtCount = () => Promise<number>;

const OUTBOX_STATES = ['pending', 'relayed', 'done', 'dead'] as const;

export function createMetrics(
  poolStats?: () => { total: number; idle: number; waiting: number } | undefined,
  jobCounts?: JobCounts,
  mailInDoubt?: MailInDoubtCount,
): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: 'cache_lookups_total',
    help: 'Cache lookups by cache and result (hit or miss)',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'job_runs_total',
    help: 'Background job runs by kind and outcome (done, retry, dead)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'job_run_duration_seconds',
    help: 'Background job run time by kind',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [registry],
  });
  const jobLateness = new Histogram({
    name: 'job_lateness_seconds',
    help: 'Start of a background job run minus the time it was due, by kind',
    labelNames: ['kind'] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
    registers: [registry],
  });
  if (poolStats) {
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections by state',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const s = poolStats();
        if (!s) return;
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
      },
    });
  }
  if (jobCounts) {
    new Gauge({
      name: 'outbox_jobs',
      help: 'Outbox jobs by kind and state, counted at scrape time',
      labelNames: ['kind', 'state'] as const,
      registers: [registry],
      async collect() {
        // Kinds whose rows were purged drop out rather than linger with their last count.
        this.reset();
        let rows: Awaited<ReturnType<JobCounts>>;
        try {
          rows = await jobCounts();
        } catch {
          // A database that does not answer shows on /readyz; the other metrics still scrape.
          return;
        }
        // Every state of a kind present, so a state that empties reads 0 instead of vanishing.
        for (const kind of new Set(rows.map((r) => r.kind))) {
          for (const state of OUTBOX_STATES) this.set({ kind, state }, 0);
        }
        for (const r of rows) this.set({ kind: r.kind, state: r.state }, Number(r.count));
      },
    });
  }
  if (mailInDoubt) {
    new Gauge({
      name: 'mail_deliveries_in_doubt',
      help: 'E-mail keys claimed for sending longer ago than MAIL_SENDING_TIMEOUT_SECONDS and never marked sent (at most 10000 counted), at scrape time',
      registers: [registry],
      async collect() {
        try {
          this.set(await mailInDoubt());
        } catch {
          // A database that does not answer shows on /readyz; the last count stands meanwhile
          // (an alert on it keeps firing rather than clearing on a 0 nobody counted).
        }
      },
    });
  }
  return { registry, httpDuration, cacheLookups, jobRuns, jobDuration, jobLateness };
}
