import { z } from 'zod';
import { defineJob, type JobDefinition, type Schedule } from '../../platform/jobs/index.js';
import { RESEND_VERIFICATION_EMAIL, SEND_PASSWORD_RESET_EMAIL, SEND_VERIFICATION_EMAIL } from './users.mail.js';
import type { UsersService } from './users.service.js';

export function usersJobs(
  users: Pick<
    UsersService,
    'purgeExpiredRefreshTokens' | 'sendVerificationEmail' | 'sendPasswordResetEmail' | 'resendVerificationEmailTo'
  >,
): JobDefinition[] {
  return [
    defineJob({
      kind: SEND_VERIFICATION_EMAIL,
      schema: z.object({ userId: z.uuid() }),
      handle: (payload, job) => users.sendVerificationEmail(payload.userId, job.id),
    }),
    defineJob({
      kind: SEND_PASSWORD_RESET_EMAIL,
      schema: z.object({ email: z.string().max(320) }),
      handle: (payload, job) => users.sendPasswordResetEmail(payload.email, job.id),
    }),
    defineJob({
      kind: RESEND_VERIFICATION_EMAIL,
      schema: z.object({ email: z.string().max(320) }),
      handle: (payload, job) => users.resendVerificationEmailTo(payload.email, job.id),
    }),
    defineJob({
      kind: 'users.purge-refresh-tokens',
      schema: z.object({}),
      async handle() {
        await users.purgeExpiredRefreshTokens();
      },
    }),
  ];
}

// Off the hour, so the hourly purges do not all start at once.
export const usersSchedules: Schedule[] = [
  { name: 'users.purge-refresh-tokens', cron: '20 * * * *', kind: 'users.purge-refresh-tokens' },
];
