import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import {
  AdminUpdateUserInput,
  AdminUser,
  AuthResult,
  ChangePasswordInput,
  ListSessionsQuery,
  ListUsersQuery,
  LoginInput,
  PasswordResetConfirmInput,
  PasswordResetRequestInput,
  RefreshInput,
  RegisterInput,
  UpdateMeInput,
  User,
  SessionIdParams,
  UserIdParams,
  UserSession,
  VerifyEmailInput,
  VerifyEmailResendInput,
} from './users.schemas.js';
import type { UsersService } from './users.service.js';

export interface UsersRoutesOptions {
  users: UsersService;
}

const bearer = [{ bearerAuth: [] }];

export const usersRoutes: FastifyPluginAsyncZod<UsersRoutesOptions> = async (app, { users }) => {
  app.post(
    '/v1/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an account',
        description:
          'Creates a guest (or host) account and signs it in. E-mails are unique, case-insensitively. Limited per client address: 10 calls a minute for one e-mail, and `AUTH_RATE_LIMIT_PER_MINUTE` (30) across e-mails, shared with the other auth calls and with GraphQL (429 with `Retry-After`).',
        body: RegisterInput,
        response: { 201: AuthResult, ...problemResponses(400, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const result = await users.register(request.body, request.ctx);
      return reply.status(201).header('location', '/v1/me').send(result);
    },
  );

  app.post(
    '/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password',
        description:
          'Answers 401 alike for an unknown e-mail and a wrong password. After 5 failures within 15 minutes for one e-mail, answers 429 until the window ends (attempts are counted before the password is checked, so parallel attempts cannot slip past 5). Limited per client address: 10 calls a minute for one e-mail, and `AUTH_RATE_LIMIT_PER_MINUTE` (30) across e-mails, shared with the other auth calls and with GraphQL (429 with `Retry-After`).',
        body: LoginInput,
        response: { 200: AuthResult, ...problemResponses(400, 401, 403, 415, 422) },
      },
    },
    (request) => users.login(request.body, request.ctx),
  );

  app.post(
    '/v1/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new token pair',
        description:
          'Refresh tokens are single-use: each call returns a new one. Presenting a token that was already used revokes every token of its session (401). Limited per client address with the other auth calls (`AUTH_RATE_LIMIT_PER_MINUTE`).',
        body: RefreshInput,
        response: { 200: AuthResult, ...problemResponses(400, 401, 403, 415, 422) },
      },
    },
    (request) => users.refresh(request.body, request.ctx),
  );

  app.post(
    '/v1/auth/logout',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke a session',
        description:
          'Ends the session of the refresh token: its refresh and access tokens answer 401 from then on. Unknown tokens are ignored (still 204).',
        security: bearer,
        body: RefreshInput,
        response: { 204: z.null().describe('Signed out'), ...problemResponses(400, 401, 403, 415, 422) },
      },
    },
    async (request, reply) => {
      await users.logout(request.body, request.ctx);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/auth/verify-email',
    {
      schema: {
        tags: ['auth'],
        summary: 'Confirm an e-mail address with the token sent at registration',
        description:
          'The token comes from the link in the verification e-mail; it works once, for one hour. Answers 200 with the user (`emailVerified: true`); 422 `invalid_token` when the token is unknown, expired or already used. Limited per client address with the other auth calls (`AUTH_RATE_LIMIT_PER_MINUTE`).',
        body: VerifyEmailInput,
        response: { 200: User, ...problemResponses(400, 415, 422) },
      },
    },
    (request) => users.verifyEmail(request.body, request.ctx),
  );

  app.post(
    '/v1/auth/verify-email/resend',
    {
      schema: {
        tags: ['auth'],
        summary: 'E-mail the address-verification link again',
        description:
          'Always answers 202, at the same speed, whether or not the e-mail has an account: when it has, is not verified yet and is not suspended, a new single-use link valid for one hour is e-mailed. At most one e-mail every 2 minutes and 5 a day reach one address (counted with password-reset e-mails), whoever asks; past that the answer is still 202 and nothing is sent. Limited per client address like the other auth calls (429 with `Retry-After`).',
        body: VerifyEmailResendInput,
        response: {
          202: z.null().describe('Accepted; a link is e-mailed if an unverified account has this address'),
          ...problemResponses(400, 415, 422),
        },
      },
    },
    async (request, reply) => {
      await users.resendVerificationEmail(request.body, request.ctx);
      return reply.status(202).send(undefined as unknown as null);
    },
  );

  app.post(
    '/v1/auth/password-reset/request',
    {
      schema: {
        tags: ['auth'],
        summary: 'E-mail a password-reset link',
        description:
          'Always answers 202, at the same speed, whether or not the e-mail has an account: when it has (and is not suspended), a single-use link valid for one hour is e-mailed. At most one e-mail every 2 minutes and 5 a day reach one address (counted with verification resends), whoever asks; past that the answer is still 202 and nothing is sent. Limited per client address: 10 calls a minute for one e-mail, and `AUTH_RATE_LIMIT_PER_MINUTE` (30) across e-mails, shared with the other auth calls and with GraphQL (429 with `Retry-After`).',
        body: PasswordResetRequestInput,
        response: {
          202: z.null().describe('Accepted; a link is e-mailed if the account exists'),
          ...problemResponses(400, 415, 422),
        },
      },
    },
    async (request, reply) => {
      await users.requestPasswordReset(request.body, request.ctx);
      // No body at all (a JSON `null` would be a body the 202 does not document).
      return reply.status(202).send(undefined as unknown as null);
    },
  );

  app.post(
    '/v1/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the token of a reset e-mail',
        description:
          'The token works once, for one hour; the password follows the registration rules (422 with the reason). On success (204) every session of the account ends (its refresh tokens and access tokens answer 401 from then on), other reset links stop working and the address counts as verified. 422 `invalid_token` when the token is unknown, expired or already used. Limited per client address with the other auth calls (`AUTH_RATE_LIMIT_PER_MINUTE`).',
        body: PasswordResetConfirmInput,
        response: { 204: z.null().describe('Password changed'), ...problemResponses(400, 415, 422) },
      },
    },
    async (request, reply) => {
      await users.confirmPasswordReset(request.body, request.ctx);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/me',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['me'],
        summary: 'The signed-in user',
        security: bearer,
        response: { 200: User, ...problemResponses(401, 403) },
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
        summary: 'Update the signed-in user',
        description: 'Only `firstName`, `lastName` and `phone` (null clears it) can change here.',
        security: bearer,
        body: UpdateMeInput,
        response: { 200: User, ...problemResponses(400, 401, 403, 415, 422) },
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
        summary: 'Sign out everywhere',
        description:
          'Ends every session of the caller, this one included: every refresh and access token issued to the account answers 401 from the next call on, and open subscription sockets close.',
        security: bearer,
        response: { 204: z.null().describe('Every session ended'), ...problemResponses(401, 403) },
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
        summary: 'Change the password',
        description:
          'Needs the current password: a wrong one answers 403 `wrong_password` and counts as a failed login for the account (after 5 in 15 minutes, 429 until the window ends, for logins too). The new password follows the registration rules (422 with the reason). On success (204) every other session ends at once (its tokens answer 401); the caller’s own goes on, and pending reset links stop working.',
        security: bearer,
        body: ChangePasswordInput,
        response: { 204: z.null().describe('Password changed'), ...problemResponses(400, 401, 403, 415, 422) },
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
        summary: 'The caller’s sessions',
        description:
          'Every sign-in (register or login) of the account that has not ended, newest first: when it began, when it was last used (sign-in or token refresh), the client address and user agent last seen, and `current` for the session of the token that asks. Keyset-paginated.',
        security: bearer,
        querystring: ListSessionsQuery,
        response: { 200: pageSchema(UserSession), ...problemResponses(401, 403, 422) },
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
        summary: 'End one of the caller’s sessions',
        description:
          'Its refresh and access tokens answer 401 from the next call on. 404 for an unknown, ended or another user’s session. Ending the current session signs the caller out.',
        security: bearer,
        params: SessionIdParams,
        response: { 204: z.null().describe('Session ended'), ...problemResponses(401, 403, 404, 422) },
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
        summary: 'Turn a guest account into a host account',
        description: 'A host is also a guest. 409 when the account is already a host or an admin.',
        security: bearer,
        response: { 200: User, ...problemResponses(401, 403, 409) },
      },
    },
    (request) => users.becomeHost(request.ctx),
  );

  app.get(
    '/v1/admin/users',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        summary: 'List users (admins)',
        description: 'Newest first, keyset-paginated.',
        security: bearer,
        querystring: ListUsersQuery,
        response: { 200: pageSchema(AdminUser), ...problemResponses(401, 403, 422) },
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
        summary: 'Suspend or reactivate a user (admins)',
        description:
          'A suspended user gets 403 on every authenticated call and their sessions are revoked. A closed account (its owner closed it) stays closed: 409 `account_closed`.',
        security: bearer,
        params: UserIdParams,
        body: AdminUpdateUserInput,
        response: { 200: AdminUser, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
      },
    },
    (request) => users.setUserStatus(request.params.id, request.body, request.ctx),
  );
};
