import { BlockList } from 'node:net';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { requireRole, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { notFound } from '../../platform/errors.js';
import { locate } from '../../platform/geo.js';
import { plainAddress, subnetOf } from '../../platform/ip.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import type { AuditService } from '../audit/index.js';
import { alreadyBlocked, blockListFull, rangeTooWide, wouldBlockYourself } from './security.errors.js';
import { createSecurityGuard } from './security.guard.js';
import {
  countBlockedRanges,
  deleteBlockedRange,
  findBlockedRanges,
  findSuspicious,
  flagSuspicious,
  insertBlockedRange,
  purgeActivity,
  type SuspiciousIpListRow,
} from './security.repository.js';
import {
  MIN_PREFIX,
  type BlockedIp,
  type BlockIpBody,
  type ListSuspiciousQuery,
  type SuspiciousIp,
} from './security.schemas.js';
import type { SecuritySettings } from './security.settings.js';
import type { BlockedIpRow } from './security.table.js';

/** The block list's ceiling: the whole list is held in every API process. */
export const MAX_BLOCKED_RANGES = 10_000;
/** Hourly counts are kept two days, flags ninety. */
const COUNTS_KEPT_MS = 48 * 3_600_000;
const FLAGS_KEPT_MS = 90 * 86_400_000;

// The cursor's address is checked before it reaches SQL: a string PostgreSQL cannot read as
// inet/cidr is the cursor's fault (422 invalid_cursor), not the database's.
const address = z
  .string()
  .max(64)
  .refine((s) => subnetOf(s) !== null);
const blockedCursor = z.tuple([isoInstant, address]);
const suspiciousCursor = z.tuple([isoInstant, address]);

export type SecurityService = ReturnType<typeof createSecurityService>;

export function createSecurityService(deps: { db: Db; clock: Clock; audit: AuditService; settings: SecuritySettings }) {
  const { db, clock, audit, settings } = deps;
  const guard = createSecurityGuard({ db, clock, refreshSeconds: settings.blockListRefreshSeconds });

  const toBlockedIp = async (row: BlockedIpRow): Promise<BlockedIp> => ({
    ip: row.range,
    reason: row.reason,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    location: await locate(row.range.split('/')[0]),
  });

  const toSuspiciousIp = async (row: SuspiciousIpListRow): Promise<SuspiciousIp> => ({
    ip: row.ip,
    hour: row.hour.toISOString(),
    requests: row.requests,
    adminProbes: row.adminProbes,
    reasons: [
      ...(row.requests > settings.suspiciousRequestsPerHour ? (['requests'] as const) : []),
      ...(row.adminProbes > 0 ? (['admin_probes'] as const) : []),
    ],
    flaggedAt: row.flaggedAt.toISOString(),
    blocked: row.blocked,
    location: await locate(row.ip),
  });

  return {
    guard,

    async listBlocked(query: { limit: number; cursor?: string }, ctx: RequestContext): Promise<Page<BlockedIp>> {
      requireRole(ctx, 'admin');
      const after = query.cursor ? decodeCursor(query.cursor, blockedCursor) : undefined;
      const rows = await findBlockedRanges(db, {
        limit: query.limit + 1,
        after: after && { createdAt: new Date(after[0]), range: after[1] },
      });
      const page = toPage(
        rows,
        query.limit,
        (r) => [r.createdAt.toISOString(), r.range],
        (r) => r,
      );
      return { data: await Promise.all(page.data.map(toBlockedIp)), page: page.page };
    },

    async block(body: BlockIpBody, ctx: RequestContext): Promise<BlockedIp> {
      requireRole(ctx, 'admin');
      // The schema let through only addresses and ranges.
      const subnet = subnetOf(body.ip)!;
      if (subnet.prefix < MIN_PREFIX[subnet.family]) throw rangeTooWide(MIN_PREFIX[subnet.family]);
      const caller = ctx.ip ? plainAddress(ctx.ip) : null;
      if (caller) {
        const range = new BlockList();
        range.addSubnet(subnet.address, subnet.prefix, subnet.family);
        if (range.check(caller.address, caller.family)) throw wouldBlockYourself();
      }
      const row = await withTransaction(db, async (tx) => {
        if ((await countBlockedRanges(tx)) >= MAX_BLOCKED_RANGES) throw blockListFull(MAX_BLOCKED_RANGES);
        const inserted = await insertBlockedRange(tx, {
          ip: body.ip,
          reason: body.reason ?? null,
          createdBy: ctx.actor?.id ?? null,
        });
        if (!inserted) throw alreadyBlocked(body.ip);
        await audit.record(
          ctx,
          { action: 'ip.blocked', entity: 'ip', entityId: inserted.range, detail: { reason: inserted.reason } },
          tx,
        );
        return inserted;
      });
      await guard.reload().catch(() => undefined);
      return toBlockedIp(row);
    },

    async unblock(ip: string, ctx: RequestContext): Promise<void> {
      requireRole(ctx, 'admin');
      await withTransaction(db, async (tx) => {
        const removed = await deleteBlockedRange(tx, ip);
        if (!removed) throw notFound('blocked_ip');
        await audit.record(ctx, { action: 'ip.unblocked', entity: 'ip', entityId: removed.range }, tx);
      });
      await guard.reload().catch(() => undefined);
    },

    async listSuspicious(query: ListSuspiciousQuery, ctx: RequestContext): Promise<Page<SuspiciousIp>> {
      requireRole(ctx, 'admin');
      const after = query.cursor ? decodeCursor(query.cursor, suspiciousCursor) : undefined;
      const rows = await findSuspicious(db, {
        limit: query.limit + 1,
        ip: query.ip,
        after: after && { hour: new Date(after[0]), ip: after[1] },
      });
      const page = toPage(
        rows,
        query.limit,
        (r) => [r.hour.toISOString(), r.ip],
        (r) => r,
      );
      return { data: await Promise.all(page.data.map(toSuspiciousIp)), page: page.page };
    },

    /**
     * The hourly sweep: flags the addresses of the hour before `tick` (every process has
     * written its counts of it by then), and drops counts and flags past their horizons.
     */
    async sweep(tick: Date): Promise<{ flagged: number }> {
      const hour = new Date(Math.floor(tick.getTime() / 3_600_000) * 3_600_000 - 3_600_000);
      const flagged = await flagSuspicious(db, hour, settings.suspiciousRequestsPerHour);
      await purgeActivity(db, new Date(hour.getTime() - COUNTS_KEPT_MS), new Date(hour.getTime() - FLAGS_KEPT_MS));
      return { flagged };
    },
  };
}
