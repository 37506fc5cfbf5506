import { and, asc, count, desc, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import {
  events,
  webhookDeliveries,
  webhookEndpoints,
  type EventRow,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from './webhooks.table.js';

export type NewEndpoint = Pick<
  typeof webhookEndpoints.$inferInsert,
  'ownerId' | 'allEvents' | 'url' | 'description' | 'eventTypes' | 'secret' | 'cursorSeq'
>;

export async function insertEndpoint(tx: Db, endpoint: NewEndpoint): Promise<WebhookEndpointRow> {
  const [row] = await tx.insert(webhookEndpoints).values(endpoint).returning();
  return row!;
}

export async function countEndpoints(tx: Db, ownerId: string): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.ownerId, ownerId));
  return row?.n ?? 0;
}

/** Serialises an owner's endpoint creations (the count check is then exact). */
export async function lockOwner(tx: Db, ownerId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('webhook-owner:' || ${ownerId}))`);
}

export async function findEndpoint(db: Db, id: string): Promise<WebhookEndpointRow | undefined> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row;
}

export function listEndpointsOf(db: Db, ownerId: string): Promise<WebhookEndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.ownerId, ownerId))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id))
    .limit(100);
}

export async function updateEndpoint(
  tx: Db,
  id: string,
  change: Partial<typeof webhookEndpoints.$inferInsert>,
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await tx.update(webhookEndpoints).set(change).where(eq(webhookEndpoints.id, id)).returning();
  return row;
}

/** Every endpoint of an owner (their account closes): their deliveries go with them. */
export async function deleteEndpointsOf(tx: Db, ownerId: string): Promise<void> {
  await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.ownerId, ownerId));
}

export async function deleteEndpoint(tx: Db, id: string): Promise<boolean> {
  const gone = await tx
    .delete(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id))
    .returning({ id: webhookEndpoints.id });
  return gone.length > 0;
}

/** Enabled endpoints that may want some of these events (by type, and by owner unless they take all). */
export async function findInterestedEndpoints(
  tx: Db,
  types: readonly string[],
  hostIds: readonly string[],
): Promise<string[]> {
  if (types.length === 0) return [];
  const rows = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        isNull(webhookEndpoints.disabledAt),
        sql`${webhookEndpoints.eventTypes} && ${sql.param([...types])}::text[]`,
        hostIds.length
          ? or(eq(webhookEndpoints.allEvents, true), inArray(webhookEndpoints.ownerId, [...hostIds]))
          : eq(webhookEndpoints.allEvents, true),
      ),
    );
  return rows.map((r) => r.id);
}

/** Endpoints with numbered events beyond their cursor and no back-off pending (the periodic catch-up). */
export async function findBehindEndpoints(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        isNull(webhookEndpoints.disabledAt),
        or(isNull(webhookEndpoints.nextAttemptAt), lte(webhookEndpoints.nextAttemptAt, now)),
        sql`${webhookEndpoints.cursorSeq} < (select coalesce(max(seq), 0) from ${events})`,
      ),
    )
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Takes the endpoint's delivery lease when nobody holds it; the row, or undefined. */
export async function claimEndpoint(
  db: Db,
  id: string,
  token: string,
  now: Date,
  leaseMs: number,
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ leaseUntil: new Date(now.getTime() + leaseMs), leaseToken: token })
    .where(
      and(
        eq(webhookEndpoints.id, id),
        isNull(webhookEndpoints.disabledAt),
        or(isNull(webhookEndpoints.leaseUntil), lt(webhookEndpoints.leaseUntil, now)),
      ),
    )
    .returning();
  return row;
}

/** Changes the endpoint only while `token` still holds its lease; false when it was lost. */
export async function updateLeased(
  db: Db,
  id: string,
  token: string,
  change: Partial<typeof webhookEndpoints.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(webhookEndpoints)
    .set(change)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.leaseToken, token)))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

/** The endpoint's next numbered events after its cursor that it takes (type and visibility). */
export function nextEventsFor(db: Db, endpoint: WebhookEndpointRow, limit: number): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(
      and(
        gt(events.seq, endpoint.cursorSeq),
        inArray(events.type, endpoint.eventTypes),
        endpoint.allEvents ? undefined : sql`${events.hostIds} @> array[${endpoint.ownerId}]::uuid[]`,
      ),
    )
    .orderBy(asc(events.seq))
    .limit(limit);
}

export type DeliveryRecord = Pick<
  typeof webhookDeliveries.$inferInsert,
  'endpointId' | 'eventId' | 'seq' | 'eventType' | 'status' | 'responseStatus' | 'error' | 'nextAttemptAt'
> & { at: Date };

/** Records attempts: a first one inserts the row, a later one adds to its attempts. */
export async function recordDeliveries(db: Db, records: readonly DeliveryRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db
    .insert(webhookDeliveries)
    .values(records.map(({ at, ...r }) => ({ ...r, createdAt: at, updatedAt: at })))
    .onConflictDoUpdate({
      target: [webhookDeliveries.endpointId, webhookDeliveries.eventId],
      set: {
        status: sql`excluded.status`,
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        responseStatus: sql`excluded.response_status`,
        error: sql`excluded.error`,
        nextAttemptAt: sql`excluded.next_attempt_at`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
}

export function listDeliveries(
  db: Db,
  endpointId: string,
  limit: number,
  after?: { createdAt: Date; id: string },
): Promise<WebhookDeliveryRow[]> {
  const d = webhookDeliveries;
  return db
    .select()
    .from(d)
    .where(
      and(
        eq(d.endpointId, endpointId),
        after
          ? sql`(${d.createdAt}, ${d.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(limit);
}

export async function findDelivery(db: Db, endpointId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.id, id)));
  return row;
}

export async function purgeDeliveries(db: Db, before: Date): Promise<number> {
  const gone = await db
    .delete(webhookDeliveries)
    .where(lt(webhookDeliveries.updatedAt, before))
    .returning({ id: webhookDeliveries.id });
  return gone.length;
}
