import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import { defineJob, type JobDefinition, type Schedule } from '../jobs/job.js';
import { summarizeDeliveriesInDoubt } from './deliveries.admin.repository.js';
import type { MailLog } from './mailer.js';

/**
 * Keys counted at most per look (metrics scrape, recurring check): past it the count reads
 * this cap, and the cost of a look stays the same however many keys pile up.
 */
export const IN_DOUBT_COUNT_CAP = 10_000;

export const CHECK_IN_DOUBT_KIND = 'mail.check-in-doubt';

/** Claims made before this instant and still `sending` are in doubt. */
export const inDoubtBefore = (now: Date, sendingTimeoutMs: number): Date => new Date(now.getTime() - sendingTimeoutMs);

/** The number of keys in doubt now (capped), for the metrics gauge. */
export function countInDoubt(deps: { db: Db; clock: Clock; sendingTimeoutMs: number }): () => Promise<number> {
  return async () => {
    const cutoff = inDoubtBefore(deps.clock.now(), deps.sendingTimeoutMs);
    return (await summarizeDeliveriesInDoubt(deps.db, cutoff, IN_DOUBT_COUNT_CAP)).count;
  };
}

/**
 * A recurring look for keys in doubt, run where jobs run (workers, or `serve` in embedded
 * mode): a warning with their number and oldest claim when there are any. Never the keys'
 * recipients: the admin list shows those to admins.
 */
export function checkInDoubtJob(deps: { db: Db; clock: Clock; sendingTimeoutMs: number; log?: MailLog }): {
  definition: JobDefinition;
  schedule: Schedule;
} {
  const { db, clock, sendingTimeoutMs, log } = deps;
  return {
    definition: defineJob({
      kind: CHECK_IN_DOUBT_KIND,
      schema: z.object({}),
      async handle() {
        const cutoff = inDoubtBefore(clock.now(), sendingTimeoutMs);
        const { count, oldestClaim } = await summarizeDeliveriesInDoubt(db, cutoff, IN_DOUBT_COUNT_CAP);
        if (count === 0) return { inDoubt: 0 };
        log?.warn(
          { inDoubt: count, oldestClaim: oldestClaim?.toISOString(), sendingTimeoutSeconds: sendingTimeoutMs / 1000 },
          'e-mails in doubt: claimed for sending longer ago than MAIL_SENDING_TIMEOUT_SECONDS and never marked sent; ' +
            'an admin resolves each (GET /v1/admin/mail-deliveries?state=in_doubt)',
        );
        return { inDoubt: count };
      },
    }),
    schedule: { name: CHECK_IN_DOUBT_KIND, cron: '*/5 * * * *', kind: CHECK_IN_DOUBT_KIND },
  };
}
