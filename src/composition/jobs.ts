import { z } from 'zod';
import { purgeExpiredIdempotencyKeys } from '../platform/idempotency/idempotency.repository.js';
import type { AnyModule } from '../module.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { checkInDoubtJob, type MailLog } from '../platform/mail/index.js';
import type { Metrics } from '../platform/metrics/metrics.js';
import type { Config } from './config.js';
import {
  checkSchedules,
  createJobRegistry,
  defineJob,
  purgeFinishedJobs,
  type JobDefinition,
  type JobRegistry,
  type JobRunEvent,
  type Schedule,
} from '../platform/jobs/index.js';

/** Every job kind the app handles and every schedule, from the modules and the transports. */
export interface JobCatalog {
  registry: JobRegistry;
  schedules: readonly Schedule[];
}

const PURGE_BATCH = 1_000;
/** How long finished jobs stay in the outbox (for looking into what ran). */
const KEEP_DONE_JOBS_MS = 7 * 24 * 60 * 60_000;

/** What the jobs no module owns use. */
interface CompositionDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'mail'>;
  /** Where the e-mail check warns. */
  mailLog?: MailLog;
}

/**
 * Jobs no module owns: expired idempotency keys (the HTTP layer's) and finished outbox rows
 * are deleted hourly; every 5 minutes, e-mail keys in doubt are looked for and warned about.
 */
function compositionJobs({ db, clock, config, mailLog }: CompositionDeps): {
  definitions: JobDefinition[];
  schedules: Schedule[];
} {
  const mailCheck = checkInDoubtJob({ db, clock, sendingTimeoutMs: config.mail.sendingTimeoutMs, log: mailLog });
  return {
    definitions: [
      defineJob({
        kind: 'jobs.purge-finished',
        schema: z.object({}),
        async handle() {
          const before = new Date(clock.now().getTime() - KEEP_DONE_JOBS_MS);
          while ((await purgeFinishedJobs(db, before, PURGE_BATCH)) === PURGE_BATCH);
        },
      }),
      defineJob({
        kind: 'http.purge-idempotency-keys',
        schema: z.object({}),
        async handle() {
          while ((await purgeExpiredIdempotencyKeys(db, clock.now(), PURGE_BATCH)) === PURGE_BATCH);
        },
      }),
      mailCheck.definition,
    ],
    schedules: [
      { name: 'http.purge-idempotency-keys', cron: '10 * * * *', kind: 'http.purge-idempotency-keys' },
      { name: 'jobs.purge-finished', cron: '30 * * * *', kind: 'jobs.purge-finished' },
      mailCheck.schedule,
    ],
  };
}

/**
 * One registry from every module's `jobs` (given its service and the services it depends
 * on) plus the transports' own; fails on a kind defined twice or a schedule of an unknown kind.
 */
export function buildJobCatalog(
  modules: readonly AnyModule[],
  services: Readonly<Record<string, unknown>>,
  platform: CompositionDeps,
): JobCatalog {
  const own = compositionJobs(platform);
  const definitions = [...own.definitions];
  const schedules = [...own.schedules];
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

/** Prefix of the BullMQ queue's keys, under the instance's Redis prefix (workers and the dashboard agree on it). */
export const queueKeyPrefix = (redisPrefix: string): string => `${redisPrefix}bull`;
