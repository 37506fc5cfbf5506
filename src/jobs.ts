import { z } from 'zod';
import { purgeExpiredIdempotencyKeys } from './http/idempotency.repository.js';
import type { AnyModule } from './module.js';
import type { Clock } from './platform/clock.js';
import type { Db } from './platform/db/types.js';
import type { Metrics } from './platform/metrics/metrics.js';
import {
  checkSchedules,
  createJobRegistry,
  defineJob,
  type JobDefinition,
  type JobRegistry,
  type JobRunEvent,
  type Schedule,
} from './platform/jobs/index.js';

/** Every job kind the app handles and every schedule, from the modules and the transports. */
export interface JobCatalog {
  registry: JobRegistry;
  schedules: readonly Schedule[];
}

const PURGE_BATCH = 1_000;

/** Jobs of the HTTP layer (which no module owns): expired idempotency keys are deleted hourly. */
function httpJobs(db: Db, clock: Clock): { definitions: JobDefinition[]; schedules: Schedule[] } {
  return {
    definitions: [
      defineJob({
        kind: 'http.purge-idempotency-keys',
        schema: z.object({}),
        async handle() {
          while ((await purgeExpiredIdempotencyKeys(db, clock.now(), PURGE_BATCH)) === PURGE_BATCH);
        },
      }),
    ],
    schedules: [{ name: 'http.purge-idempotency-keys', cron: '10 * * * *', kind: 'http.purge-idempotency-keys' }],
  };
}

/**
 * One registry from every module's `jobs` (given its service and the services it depends
 * on) plus the transports' own; fails on a kind defined twice or a schedule of an unknown kind.
 */
export function buildJobCatalog(
  modules: readonly AnyModule[],
  services: Readonly<Record<string, unknown>>,
  platform: { db: Db; clock: Clock },
): JobCatalog {
  const http = httpJobs(platform.db, platform.clock);
  const definitions = [...http.definitions];
  const schedules = [...http.schedules];
  for (const module of modules) {
    if (module.jobs) definitions.push(...module.jobs(services[module.name], services));
    if (module.schedules) schedules.push(...module.schedules);
  }
  const registry = createJobRegistry(definitions);
  checkSchedules(schedules, registry);
  return { registry, schedules };
}

/** The runner's (and the worker's) report of each run, as Prometheus metrics. */
export const recordJobRun =
  (metrics: Metrics) =>
  (event: JobRunEvent): void => {
    metrics.jobRuns.inc({ kind: event.kind, outcome: event.outcome });
    metrics.jobDuration.observe({ kind: event.kind }, event.durationMs / 1000);
    metrics.jobLateness.observe({ kind: event.kind }, event.latenessMs / 1000);
  };
