// Background work: the outbox table, job definitions, the embedded runner and the cron scheduler.
export { jobs, JOB_STATES, type JobRow, type JobState } from './outbox.table.js';
export {
  checkSchedules,
  createJobRegistry,
  defineJob,
  type JobContext,
  type JobDefinition,
  type JobRegistry,
  type Schedule,
} from './job.js';
export {
  claimDueJobs,
  claimJobById,
  claimJobsByIds,
  enqueue,
  markJobDone,
  markJobFailed,
  markJobsDone,
  nextDueAt,
  relayDueJobs,
  renewJobLease,
  requeueStaleRelayed,
  type NewJob,
} from './outbox.repository.js';
export {
  countJobsByKindAndState,
  getJob,
  listJobs,
  purgeFinishedJobs,
  rerunJob,
  reviveDeadJob,
  type JobSummary,
} from './outbox.admin.repository.js';
export {
  createJobExecutor,
  createJobRunner,
  DEFAULT_LEASE_MS,
  type JobExecutor,
  type JobExecutorOptions,
  defaultBackoffMs,
  DEFAULT_MAX_ATTEMPTS,
  type DrainResult,
  type JobOutcome,
  type JobRunEvent,
  type JobRunner,
  type JobRunnerOptions,
} from './runner.js';
export { createScheduler, cronKey, type Scheduler } from './scheduler.js';
export { currentJobId, runAsJob } from './current-job.js';
// The BullMQ transport (queue-transport.ts) is not re-exported: importing it loads bullmq and
// ioredis, which embedded mode never uses. Its users import it directly, when they need it.
