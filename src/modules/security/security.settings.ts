import { z } from 'zod';
import { int } from '../../config.js';
import { defineSettings } from '../../module.js';

/** The security module's environment variables: the block list's refresh and the hourly sweep's threshold. */
export const securitySettings = defineSettings({
  env: z.object({
    BLOCKLIST_REFRESH_SECONDS: int(10, 1, 3600).describe(
      'Each API process reads the IP block list again this often (a change takes effect at once on the process that made it)',
    ),
    SUSPICIOUS_REQUESTS_PER_HOUR: int(1000, 10, 100_000_000).describe(
      'The hourly sweep flags an address that made more requests than this in an hour',
    ),
  }),
  read: (env) => ({
    blockListRefreshSeconds: env.BLOCKLIST_REFRESH_SECONDS,
    suspiciousRequestsPerHour: env.SUSPICIOUS_REQUESTS_PER_HOUR,
  }),
});

export type SecuritySettings = ReturnType<typeof securitySettings.read>;
