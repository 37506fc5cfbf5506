import { z } from 'zod';
import { idParam } from '../../platform/openapi-examples.js';
import { JOB_STATES, type JobSummary } from '../../platform/jobs/index.js';
import { pageQuerySchema } from '../../platform/pagination.js';

export const AdminJob = z
  .object({
    id: z.uuid(),
    kind: z.string().describe('The job kind, `<module>.<job>`.'),
    state: z
      .enum(JOB_STATES)
      .describe('`pending` (waiting or running), `relayed` (handed to the queue), `done`, or `dead` (out of tries).'),
    attempts: z.number().int().describe('Runs started since the job was written or last retried.'),
    runAt: z.iso.datetime().describe('When the job is (or was last) due.'),
    lastError: z.string().nullable().describe('The error of the latest failed run.'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable().describe('When the job ended done or dead.'),
  })
  .describe('An outbox job without its payload (which may hold personal data).')
  .meta({ id: 'AdminJob' });
export type AdminJob = z.infer<typeof AdminJob>;

export const ListJobsQuery = pageQuerySchema.extend({
  state: z.enum(JOB_STATES).optional().describe('Only jobs in this state.'),
  kind: z.string().max(100).optional().describe('Only jobs of this kind, e.g. `users.send-verification-email`.'),
});
export type ListJobsQuery = z.infer<typeof ListJobsQuery>;

export const JobIdParams = z.object({ id: idParam('job') });
export type JobIdParams = z.infer<typeof JobIdParams>;

export const toAdminJob = (row: JobSummary): AdminJob => ({
  id: row.id,
  kind: row.kind,
  state: row.state,
  attempts: row.attempts,
  runAt: row.runAt.toISOString(),
  lastError: row.lastError,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  finishedAt: row.finishedAt?.toISOString() ?? null,
});
