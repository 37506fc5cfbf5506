import { z } from 'zod';
import { defineJob, type JobDefinition, type Schedule } from '../../platform/jobs/index.js';
import type { UsersService } from './users.service.js';

export function usersJobs(users: Pick<UsersService, 'purgeExpiredRefreshTokens'>): JobDefinition[] {
  return [
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
