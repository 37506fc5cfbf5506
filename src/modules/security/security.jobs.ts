import { z } from 'zod';
import { defineJob, type JobDefinition, type Schedule } from '../../platform/jobs/index.js';
import type { SecurityService } from './security.service.js';

export const SWEEP_SUSPICIOUS_IPS = 'security.flag-suspicious-ips';

export function securityJobs(security: Pick<SecurityService, 'sweep'>): JobDefinition[] {
  return [
    defineJob({
      kind: SWEEP_SUSPICIOUS_IPS,
      schema: z.object({}),
      // The tick decides the hour swept, so a late or repeated run flags the same hour (once).
      handle: (_payload, job) => security.sweep(job.runAt),
    }),
  ];
}

// A few minutes past the hour: every API process has written its counts of the last hour.
export const securitySchedules: Schedule[] = [
  { name: SWEEP_SUSPICIOUS_IPS, cron: '4 * * * *', kind: SWEEP_SUSPICIOUS_IPS },
];
