import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import { AdminUpdateUserInput, AdminUser, ListUsersQuery, UserIdParams } from './users.schemas.js';
import type { UsersService } from './users.service.js';

const bearer = [{ bearerAuth: [] }];

/** Admins: listing users, suspending and reactivating them. */
export const usersAdminRoutes: FastifyPluginAsyncZod<{ users: UsersService }> = async (app, { users }) => {
  app.get(
    '/v1/admin/users',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        operationId: 'listUsers',
        summary: 'List users (admins)',
        description: 'Newest first, keyset-paginated.',
        security: bearer,
        querystring: ListUsersQuery,
        response: { 200: pageSchema(AdminUser), ...problemResponses({ 403: ['forbidden'] }) },
      },
    },
    (request) => users.listUsers(request.query, request.ctx),
  );

  app.patch(
    '/v1/admin/users/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        operationId: 'setUserStatus',
        summary: 'Suspend or reactivate a user (admins)',
        description:
          'A suspended user gets 403 on every authenticated call and their sessions are revoked. A closed account (its owner closed it) stays closed: 409 `account_closed`.',
        security: bearer,
        params: UserIdParams,
        body: AdminUpdateUserInput,
        response: {
          200: AdminUser,
          ...problemResponses({
            403: ['forbidden'],
            404: ['user_not_found'],
            409: ['account_closed'],
            422: ['cannot_change_own_status'],
          }),
        },
      },
    },
    (request) => users.setUserStatus(request.params.id, request.body, request.ctx),
  );
};
