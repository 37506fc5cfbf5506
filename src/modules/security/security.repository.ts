import { and, count, desc, eq, lt, sql } from 'drizzle-orm';
import { afterDescending } from '../../platform/db/keyset.js';
import { recordset, resultRows } from '../../platform/db/batch.js';
import type { Db } from '../../platform/db/types.js';
import { blockedIps, ipActivity, suspiciousIps, type BlockedIpRow, type SuspiciousIpRow } from './security.table.js';

/** An address or CIDR range as PostgreSQL's `cidr`: host bits cleared, `/32` or `/128` for an address. */
const asRange = (ip: string) => sql`network(${ip}::inet)::cidr`;

/** Every blocked range as text, for the in-memory list (bounded by the list's ceiling). */
export async function allBlockedRanges(db: Db): Promise<string[]> {
  const rows = await db.select({ range: blockedIps.range }).from(blockedIps);
  return rows.map((r) => r.range);
}

export async function countBlockedRanges(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(blockedIps);
  return row?.n ?? 0;
}

/** Adds a range; undefined when it is already on the list. */
export async function insertBlockedRange(
  db: Db,
  entry: { ip: string; reason: string | null; createdBy: string | null },
): Promise<BlockedIpRow | undefined> {
  const [row] = await db
    .insert(blockedIps)
    .values({ range: asRange(entry.ip), reason: entry.reason, createdBy: entry.createdBy })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** Removes a range given as an address or CIDR in any spelling; undefined when it was not listed. */
export async function deleteBlockedRange(db: Db, ip: string): Promise<BlockedIpRow | undefined> {
  const [row] = await db
    .delete(blockedIps)
    .where(eq(blockedIps.range, asRange(ip)))
    .returning();
  return row;
}

export function findBlockedRanges(
  db: Db,
  opts: { limit: number; after?: { createdAt: Date; range: string } },
): Promise<BlockedIpRow[]> {
  return db
    .select()
    .from(blockedIps)
    .where(
      opts.after &&
        afterDescending(blockedIps.createdAt, blockedIps.range, [opts.after.createdAt.toISOString(), opts.after.range]),
    )
    .orderBy(desc(blockedIps.createdAt), desc(blockedIps.range))
    .limit(opts.limit);
}

/** Adds one process's counts of an hour to the totals of every process. */
export async function addActivity(
  db: Db,
  hour: Date,
  counts: readonly { ip: string; requests: number; adminProbes: number }[],
): Promise<void> {
  if (counts.length === 0) return;
  const rows = recordset(
    counts.map((c) => ({ ip: c.ip, requests: String(c.requests), admin_probes: String(c.adminProbes) })),
  );
  await db.execute(sql`
    insert into ${ipActivity} (hour, ip, requests, admin_probes)
    select ${hour.toISOString()}::timestamptz, c.ip, c.requests, c.admin_probes
    from jsonb_to_recordset(${rows}::jsonb) as c(ip text, requests int, admin_probes int)
    order by c.ip
    on conflict (hour, ip) do update
    set requests = ${ipActivity.requests} + excluded.requests,
        admin_probes = ${ipActivity.adminProbes} + excluded.admin_probes`);
}

/** Flags the addresses of one hour over the request threshold or with admin probes; returns how many are new. */
export async function flagSuspicious(db: Db, hour: Date, maxRequests: number): Promise<number> {
  const flagged = resultRows<{ ip: string }>(
    await db.execute(sql`
      insert into ${suspiciousIps} (ip, hour, requests, admin_probes)
      select ip, hour, requests, admin_probes from ${ipActivity}
      where hour = ${hour.toISOString()}::timestamptz and (requests > ${maxRequests} or admin_probes > 0)
      on conflict (hour, ip) do nothing
      returning ip`),
  );
  return flagged.length;
}

/** Retention: counts and flags older than their horizons. */
export async function purgeActivity(db: Db, countsBefore: Date, flagsBefore: Date): Promise<void> {
  await db.delete(ipActivity).where(lt(ipActivity.hour, countsBefore));
  await db.delete(suspiciousIps).where(lt(suspiciousIps.hour, flagsBefore));
}

export type SuspiciousIpListRow = SuspiciousIpRow & { blocked: boolean };

export function findSuspicious(
  db: Db,
  opts: { limit: number; after?: { hour: Date; ip: string }; ip?: string },
): Promise<SuspiciousIpListRow[]> {
  return db
    .select({
      ip: suspiciousIps.ip,
      hour: suspiciousIps.hour,
      requests: suspiciousIps.requests,
      adminProbes: suspiciousIps.adminProbes,
      flaggedAt: suspiciousIps.flaggedAt,
      blocked: sql<boolean>`exists (select 1 from ${blockedIps} where ${blockedIps.range} >>= ${suspiciousIps.ip}::inet)`,
    })
    .from(suspiciousIps)
    .where(
      and(
        opts.ip ? eq(suspiciousIps.ip, opts.ip) : undefined,
        opts.after &&
          afterDescending(suspiciousIps.hour, suspiciousIps.ip, [opts.after.hour.toISOString(), opts.after.ip]),
      ),
    )
    .orderBy(desc(suspiciousIps.hour), desc(suspiciousIps.ip))
    .limit(opts.limit);
}
