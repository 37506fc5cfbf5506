import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../http/problem.js';
import { AuthResult, LoginInput, RefreshInput, RegisterInput } from './users.schemas.js';
import type { UsersService } from './users.service.js';

const bearer = [{ bearerAuth: [] }];

/** Signing up, in and out: the account, its first session, token refresh, logout. */
export const usersAuthRoutes: FastifyPluginAsyncZod<{ users: UsersService }> = async (app, { users }) => {
  app.post(
    '/v1/auth/register',
    {
      schema: {
        tags: ['auth'],
        operationId: 'register',
        summary: 'Create an account',
        description:
          'Creates a guest (or host) account and signs it in. E-mails are unique, case-insensitively. Limited per client address: 10 calls a minute for one e-mail, and `AUTH_RATE_LIMIT_PER_MINUTE` (30) across e-mails, shared with the other auth calls and with GraphQL (429 with `Retry-After`).',
        security: [],
        body: RegisterInput,
        response: { 201: AuthResult, ...problemResponses({ 409: ['email_taken'] }) },
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
        operationId: 'login',
        summary: 'Sign in with e-mail and password',
        description:
          'Answers 401 alike for an unknown e-mail and a wrong password. After 5 failures within 15 minutes for one e-mail, answers 429 until the window ends (attempts are counted before the password is checked, so parallel attempts cannot slip past 5). Limited per client address: 10 calls a minute for one e-mail, and `AUTH_RATE_LIMIT_PER_MINUTE` (30) across e-mails, shared with the other auth calls and with GraphQL (429 with `Retry-After`).',
        security: [],
        body: LoginInput,
        response: {
          200: AuthResult,
          ...problemResponses({ 401: ['invalid_credentials'], 429: ['too_many_login_failures'] }),
        },
      },
    },
    (request) => users.login(request.body, request.ctx),
  );

  app.post(
    '/v1/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        operationId: 'refreshTokens',
        summary: 'Exchange a refresh token for a new token pair',
        description:
          'Refresh tokens are single-use: each call returns a new one. Presenting a token that was already used revokes every token of its session (401). Limited per client address with the other auth calls (`AUTH_RATE_LIMIT_PER_MINUTE`).',
        security: [],
        body: RefreshInput,
        response: { 200: AuthResult, ...problemResponses({ 401: ['invalid_refresh_token', 'refresh_token_reused'] }) },
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
        operationId: 'logout',
        summary: 'Revoke a session',
        description:
          'Ends the session of the refresh token: its refresh and access tokens answer 401 from then on. Unknown tokens are ignored (still 204).',
        security: bearer,
        body: RefreshInput,
        response: { 204: z.null().describe('Signed out') },
      },
    },
    async (request, reply) => {
      await users.logout(request.body, request.ctx);
      return reply.status(204).send(null);
    },
  );
};
