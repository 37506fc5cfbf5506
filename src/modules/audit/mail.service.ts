import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { requireRole, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { getJob, rerunJob } from '../../platform/jobs/index.js';
import {
  inDoubtBefore,
  listDeliveries,
  lockDelivery,
  releaseDelivery,
  resolveDeliveryAsSent,
} from '../../platform/mail/index.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import type { AuditService } from './audit.service.js';
import { mailDeliveryNotFound, mailJobMissing, mailJobRunning, mailNotInDoubt } from './mail.errors.js';
import {
  MAX_KEY_LENGTH,
  toAdminMailDelivery,
  type AdminMailDelivery,
  type ListMailDeliveriesQuery,
  type ResolveMailDeliveryInput,
} from './mail.schemas.js';

export type MailAdminService = ReturnType<typeof createMailAdminService>;

const cursorShape = z.tuple([isoInstant, z.string().min(1).max(MAX_KEY_LENGTH)]);

/** What a released key's `last_error` says. */
export const RELEASED_BY_ADMIN = 'released by an admin to be sent again (the mail server had not taken it)';

/**
 * Operators' view of the e-mail delivery log, and the resolution of keys in doubt: claimed
 * for sending longer ago than `sendingTimeoutMs` and never marked sent, because their sender
 * died before or after the mail server took the message. Only someone who can read the mail
 * server's log knows which; they say so here.
 */
export function createMailAdminService(deps: { db: Db; clock: Clock; audit: AuditService; sendingTimeoutMs: number }) {
  const { db, clock, audit, sendingTimeoutMs } = deps;
  return {
    async list(query: ListMailDeliveriesQuery, ctx: RequestContext): Promise<Page<AdminMailDelivery>> {
      requireRole(ctx, 'admin');
      const after = query.cursor ? decodeCursor(query.cursor, cursorShape) : undefined;
      const rows = await listDeliveries(db, {
        limit: query.limit + 1,
        claimedBefore: inDoubtBefore(clock.now(), sendingTimeoutMs),
        filter: query.state,
        after: after && { claimTime: new Date(after[0]), key: after[1] },
      });
      const page = toPage(rows, query.limit, (r) => [r.claimTime.toISOString(), r.dedupeKey], toAdminMailDelivery);
      return { data: page.data, page: page.page };
    },

    /**
     * `sent` marks a key in doubt sent; `resend` releases it (`failed`) and makes its job
     * run again now, whose handler claims the key and sends. One transaction with the audit
     * row, the delivery locked meanwhile, so two admins resolve a key once.
     */
    async resolve(key: string, input: ResolveMailDeliveryInput, ctx: RequestContext): Promise<AdminMailDelivery> {
      requireRole(ctx, 'admin');
      return withTransaction(db, async (tx) => {
        const now = clock.now();
        const claimedBefore = inDoubtBefore(now, sendingTimeoutMs);
        const delivery = await lockDelivery(tx, key, claimedBefore);
        if (!delivery) throw mailDeliveryNotFound();
        if (!delivery.inDoubt) throw mailNotInDoubt(delivery.state);
        let kind: string | undefined;
        if (input.outcome === 'resend') {
          if (!delivery.jobId) throw mailJobMissing();
          const job = await rerunJob(tx, delivery.jobId, now);
          if (!job) {
            if (await getJob(tx, delivery.jobId)) throw mailJobRunning(delivery.jobId);
            throw mailJobMissing();
          }
          kind = job.kind;
        }
        const resolved =
          input.outcome === 'sent'
            ? await resolveDeliveryAsSent(tx, key, now, claimedBefore)
            : await releaseDelivery(tx, key, RELEASED_BY_ADMIN, claimedBefore);
        // The row is locked and was in doubt: the conditional update matched it.
        if (!resolved) throw mailNotInDoubt(delivery.state);
        await audit.record(
          ctx,
          {
            action: 'mail.resolved',
            entity: 'mail_delivery',
            entityId: key,
            detail: { outcome: input.outcome, jobId: delivery.jobId, ...(kind && { kind }) },
          },
          tx,
        );
        return toAdminMailDelivery(resolved);
      });
    },
  };
}
