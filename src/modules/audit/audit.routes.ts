import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import { AdminAuditEntry, ListAuditQuery } from './audit.schemas.js';
import type { AuditService } from './audit.service.js';

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/v1/admin/audit',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        operationId: 'listAuditEntries',
        summary: 'The audit trail (admins)',
        description:
          'Sensitive actions, newest first, keyset-paginated, filtered by action, actor, entity, client address and time; each with where its address is.',
        security: [{ bearerAuth: [] }],
        querystring: ListAuditQuery,
        response: { 200: pageSchema(AdminAuditEntry), ...problemResponses({ 403: ['forbidden'] }) },
      },
    },
    (request) => audit.list(request.query, request.ctx),
  );
};
