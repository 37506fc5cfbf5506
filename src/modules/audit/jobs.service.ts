import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { requireRole, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { notFound } from '../../platform/errors.js';
import { getJob, listJobs, reviveDeadJob } from '../../platform/jobs/index.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import type { AuditService } from './audit.service.js';
import { jobNotDead } from './jobs.errors.js';
import { toAdminJob, type AdminJob, type ListJobsQuery } from './jobs.schemas.js';

export type JobsAdminService = ReturnType<typeof createJobsAdminService>;

const cursorShape = z.tuple([isoInstant, z.uuid()]);

/** Operators' view of the outbox: what is stuck or dead, and a second chance for dead jobs. */
export function createJobsAdminService(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  return {
    async list(query: ListJobsQuery, ctx: RequestContext): Promise<Page<AdminJob>> {
      requireRole(ctx, 'admin');
      const after = query.cursor ? decodeCursor(query.cursor, cursorShape) : undefined;
      const rows = await listJobs(db, {
        limit: query.limit + 1,
        state: query.state,
        kind: query.kind,
        after: after && { createdAt: new Date(after[0]), id: after[1] },
      });
      const page = toPage(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id], toAdminJob);
      return { data: page.data, page: page.page };
    },

    async retry(id: string, ctx: RequestContext): Promise<AdminJob> {
      requireRole(ctx, 'admin');
      return withTransaction(db, async (tx) => {
        const revived = await reviveDeadJob(tx, id, clock.now());
        if (!revived) {
          const existing = await getJob(tx, id);
          if (!existing) throw notFound('job');
          throw jobNotDead(existing.state);
        }
        await audit.record(
          ctx,
          { action: 'job.retried', entity: 'job', entityId: id, detail: { kind: revived.kind } },
          tx,
        );
        return toAdminJob(revived);
      });
    },
  };
}
