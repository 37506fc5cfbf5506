import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../http/problem.js';
import {
  PasswordResetConfirmInput,
  PasswordResetRequestInput,
  User,
  VerifyEmailInput,
  VerifyEmailResendInput,
} from './users.schemas.js';
import type { UsersService } from './users.service.js';

/** The e-mailed links: confirming the address, resetting a forgotten password. */
export const usersRecoveryRoutes: FastifyPluginAsyncZod<{ users: UsersService }> = async (app, { users }) => {
  app.post(
    '/v1/auth/verify-email',
    {
      schema: {
        tags: ['auth'],
        operationId: 'verifyEmail',
        summary: 'Confirm an e-mail address with the token sent at registration',
        description:
          'The token comes from the link in the verification e-mail; it works once, for one hour. Answers 200 with the user (`emailVerified: true`); 422 `invalid_token` when the token is unknown, expired or already used. Limited per client address with the other auth calls (`AUTH_RATE_LIMIT_PER_MINUTE`).',
        security: [],
        body: VerifyEmailInput,
        response: { 200: User, ...problemResponses({ 422: ['invalid_token'] }) },
      },
    },
    (request) => users.verifyEmail(request.body, request.ctx),
  );

  app.post(
    '/v1/auth/verify-email/resend',
    {
      schema: {
        tags: ['auth'],
        operationId: 'resendVerificationEmail',
        summary: 'E-mail the address-verification link again',
        description:
          'Always answers 202, at the same speed, whether or not the e-mail has an account: when it has, is not verified yet and is not suspended, a new single-use link valid for one hour is e-mailed. At most one e-mail every 2 minutes and 5 a day reach one address (counted with password-reset e-mails), whoever asks; past that the answer is still 202 and nothing is sent. Limited per client address like the other auth calls (429 with `Retry-After`).',
        security: [],
        body: VerifyEmailResendInput,
        response: {
          202: z.null().describe('Accepted; a link is e-mailed if an unverified account has this address'),
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
        operationId: 'requestPasswordReset',
        summary: 'E-mail a password-reset link',
        description:
          'Always answers 202, at the same speed, whether or not the e-mail has an account: when it has (and is not suspended), a single-use link valid for one hour is e-mailed. At most one e-mail every 2 minutes and 5 a day reach one address (counted with verification resends), whoever asks; past that the answer is still 202 and nothing is sent. Limited per client address: 10 calls a minute for one e-mail, and `AUTH_RATE_LIMIT_PER_MINUTE` (30) across e-mails, shared with the other auth calls and with GraphQL (429 with `Retry-After`).',
        security: [],
        body: PasswordResetRequestInput,
        response: {
          202: z.null().describe('Accepted; a link is e-mailed if the account exists'),
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
        operationId: 'confirmPasswordReset',
        summary: 'Set a new password with the token of a reset e-mail',
        description:
          'The token works once, for one hour; the password follows the registration rules (422 with the reason). On success (204) every session of the account ends (its refresh tokens and access tokens answer 401 from then on), other reset links stop working and the address counts as verified. 422 `invalid_token` when the token is unknown, expired or already used. Limited per client address with the other auth calls (`AUTH_RATE_LIMIT_PER_MINUTE`).',
        security: [],
        body: PasswordResetConfirmInput,
        response: { 204: z.null().describe('Password changed'), ...problemResponses({ 422: ['invalid_token'] }) },
      },
    },
    async (request, reply) => {
      await users.confirmPasswordReset(request.body, request.ctx);
      return reply.status(204).send(null);
    },
  );
};
