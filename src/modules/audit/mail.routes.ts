import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import {
  AdminMailDelivery,
  ListMailDeliveriesQuery,
  MailDeliveryKeyParams,
  ResolveMailDeliveryInput,
} from './mail.schemas.js';
import type { MailAdminService } from './mail.service.js';

export const mailAdminRoutes: FastifyPluginAsyncZod<{ mail: MailAdminService }> = async (app, { mail }) => {
  const bearer = [{ bearerAuth: [] }];

  app.get(
    '/v1/admin/mail-deliveries',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        operationId: 'listMailDeliveries',
        summary: 'E-mail deliveries (admins)',
        description:
          'The delivery log, latest claim first, keyset-paginated: one entry per de-duplication key, without bodies. ' +
          '`state=in_doubt` lists the keys claimed for sending longer ago than MAIL_SENDING_TIMEOUT_SECONDS and never ' +
          'marked sent, to resolve one by one. REST only, like the other admin job operations.',
        security: bearer,
        querystring: ListMailDeliveriesQuery,
        response: { 200: pageSchema(AdminMailDelivery), ...problemResponses({ 403: ['forbidden'] }) },
      },
    },
    (request) => mail.list(request.query, request.ctx),
  );

  const resolveSchema = {
    tags: ['admin'],
    operationId: 'resolveMailDelivery',
    summary: 'Resolve an e-mail in doubt (admins)',
    description:
      "After checking the mail server's log: `sent` marks the key sent (nothing is sent); `resend` releases it " +
      '(`failed`) and makes the job that claimed it run again at once, in the same transaction, so its handler ' +
      'sends the e-mail. Recorded in the audit trail as `mail.resolved`. 409 `mail_not_in_doubt` for a key sent, ' +
      'failed or claimed less than MAIL_SENDING_TIMEOUT_SECONDS ago; 409 `mail_job_missing` (`resend`) when no job ' +
      'can send it again, `mail_job_running` while that job runs. REST only.',
    security: bearer,
    body: ResolveMailDeliveryInput,
    response: {
      200: AdminMailDelivery,
      ...problemResponses({
        403: ['forbidden'],
        404: ['mail_delivery_not_found'],
        409: ['mail_not_in_doubt', 'mail_job_missing', 'mail_job_running'],
      }),
    },
  };

  app.post(
    '/v1/admin/mail-deliveries/:key/resolve',
    { config: { auth: 'required' }, schema: { ...resolveSchema, params: MailDeliveryKeyParams } },
    (request) => mail.resolve(request.params.key, request.body, request.ctx),
  );
};
