import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import {
  ChangePasswordInput,
  ListSessionsQuery,
  SessionIdParams,
  UpdateMeInput,
  User,
  UserSession,
} from './users.schemas.js';
import type { UsersService } from './users.service.js';

const bearer = [{ bearerAuth: [] }];

/** The caller's own account: profile, sessions, password, the guest → host step. */
export const usersAccountRoutes: FastifyPluginAsyncZod<{ users: UsersService }> = async (app, { users }) => {
  app.get(
    '/v1/me',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['me'],
        operationId: 'getMe',
        summary: 'The signed-in user',
        security: bearer,
        response: { 200: User },
      },
    },
    (request) => users.getMe(request.ctx),
  );

  app.patch(
    '/v1/me',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['me'],
        operationId: 'updateMe',
        summary: 'Update the signed-in user',
        description: 'Only `firstName`, `lastName` and `phone` (null clears it) can change here.',
        security: bearer,
        body: UpdateMeInput,
        response: { 200: User },
      },
    },
    (request) => users.updateMe(request.body, request.ctx),
  );

  app.post(
    '/v1/auth/logout-all',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['auth'],
        operationId: 'logoutAll',
        summary: 'Sign out everywhere',
        description:
          'Ends every session of the caller, this one included: every refresh and access token issued to the account answers 401 from the next call on, and open subscription sockets close.',
        security: bearer,
        response: { 204: z.null().describe('Every session ended') },
      },
    },
    async (request, reply) => {
      await users.logoutAll(request.ctx);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/me/password',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['me'],
        operationId: 'changePassword',
        summary: 'Change the password',
        description:
          'Needs the current password: a wrong one answers 403 `wrong_password` and counts as a failed login for the account (after 5 in 15 minutes, 429 until the window ends, for logins too). The new password follows the registration rules (422 with the reason). On success (204) every other session ends at once (its tokens answer 401); the caller’s own goes on, and pending reset links stop working.',
        security: bearer,
        body: ChangePasswordInput,
        response: {
          204: z.null().describe('Password changed'),
          ...problemResponses({ 403: ['wrong_password'], 429: ['too_many_login_failures'] }),
        },
      },
    },
    async (request, reply) => {
      await users.changePassword(request.body, request.ctx);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/me/sessions',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['me'],
        operationId: 'listMySessions',
        summary: 'The caller’s sessions',
        description:
          'Every sign-in (register or login) of the account that has not ended, newest first: when it began, when it was last used (sign-in or token refresh), the client address and user agent last seen, and `current` for the session of the token that asks. Keyset-paginated.',
        security: bearer,
        querystring: ListSessionsQuery,
        response: { 200: pageSchema(UserSession) },
      },
    },
    (request) => users.listSessions(request.query, request.ctx),
  );

  app.delete(
    '/v1/me/sessions/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['me'],
        operationId: 'endMySession',
        summary: 'End one of the caller’s sessions',
        description:
          'Its refresh and access tokens answer 401 from the next call on. 404 for an unknown, ended or another user’s session. Ending the current session signs the caller out.',
        security: bearer,
        params: SessionIdParams,
        response: { 204: z.null().describe('Session ended'), ...problemResponses({ 404: ['session_not_found'] }) },
      },
    },
    async (request, reply) => {
      await users.endSession(request.params.id, request.ctx);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/me/become-host',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['me'],
        operationId: 'becomeHost',
        summary: 'Turn a guest account into a host account',
        description: 'A host is also a guest. 409 when the account is already a host or an admin.',
        security: bearer,
        response: { 200: User, ...problemResponses({ 409: ['already_host'] }) },
      },
    },
    (request) => users.becomeHost(request.ctx),
  );
};
