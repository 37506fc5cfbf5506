import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import { AuditEntry, ListAuditQuery } from './audit.schemas.js';
import type { AuditService } from './audit.service.js';

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/v1/admin/audit',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        summary: 'The audit trail (admins)',
        description: 'Sensitive actions, newest first, keyset-paginated.',
        security: [{ bearerAuth: [] }],
        querystring: ListAuditQuery,
        response: { 200: pageSchema(AuditEntry), ...problemResponses(401, 403, 422) },
      },
    },
    (request) => audit.list(request.query, request.ctx),
  );
};
