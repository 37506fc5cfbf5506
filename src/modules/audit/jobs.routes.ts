import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import { AdminJob, JobIdParams, ListJobsQuery } from './jobs.schemas.js';
import type { JobsAdminService } from './jobs.service.js';

export const jobsAdminRoutes: FastifyPluginAsyncZod<{ jobs: JobsAdminService }> = async (app, { jobs }) => {
  const bearer = [{ bearerAuth: [] }];

  app.get(
    '/v1/admin/jobs',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        operationId: 'listJobs',
        summary: 'Background jobs (admins)',
        description: 'Outbox jobs newest first, keyset-paginated, filtered by state and kind. Payloads are not shown.',
        security: bearer,
        querystring: ListJobsQuery,
        response: { 200: pageSchema(AdminJob), ...problemResponses({ 403: ['forbidden'] }) },
      },
    },
    (request) => jobs.list(request.query, request.ctx),
  );

  app.post(
    '/v1/admin/jobs/:id/retry',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        operationId: 'retryJob',
        summary: 'Retry a dead job (admins)',
        description:
          'Puts a dead job back to pending, due now, with its attempts reset; recorded in the audit trail as `job.retried`. 409 `job_not_dead` for a job in any other state.',
        security: bearer,
        params: JobIdParams,
        response: {
          200: AdminJob,
          ...problemResponses({ 403: ['forbidden'], 404: ['job_not_found'], 409: ['job_not_dead'] }),
        },
      },
    },
    (request) => jobs.retry(request.params.id, request.ctx),
  );
};
