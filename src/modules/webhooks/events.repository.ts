import { and, asc, eq, gt, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { resultRows } from '../../platform/db/batch.js';
import type { Db } from '../../platform/db/types.js';
import { events, type EventRow } from './webhooks.table.js';

export interface NewEvent {
  type: string;
  data: Record<string, unknown>;
  hostIds: readonly string[];
  guestId?: string | null;
}

export async function insertEvent(tx: Db, event: NewEvent): Promise<void> {
  await tx.insert(events).values({
    type: event.type,
    data: event.data,
    hostIds: [...new Set(event.hostIds)],
    guestId: event.guestId ?? null,
  });
}

/** One process-wide number: the lock that makes the sequencer one at a time in a deployment. */
const SEQUENCER_LOCK = 7_310_482_219;

export interface SequencedEvent {
  id: string;
  seq: number;
  type: string;
  hostIds: string[];
}

/**
 * Numbers up to `limit` committed, unnumbered events, oldest first, following the highest
 * number given so far. Waits for the sequencer lock (held to the end of the transaction,
 * which the caller opens), so two sequencers never hand out the same numbers; the highest
 * number is read after the lock is held, so it sees the previous sequencer's commit.
 * Rows still uncommitted are invisible here and numbered by a later run.
 */
export async function sequenceEvents(tx: Db, limit: number): Promise<SequencedEvent[]> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SEQUENCER_LOCK})`);
  const rows = resultRows<{ id: string; seq: string | number; type: string; host_ids: string[] | string }>(
    await tx.execute(sql`
      with next as (
        select id, row_number() over (order by created_at, id) as n
        from ${events} where seq is null
        order by created_at, id
        limit ${limit}
      ), base as (select coalesce(max(seq), 0) as top from ${events})
      update ${events} e set seq = base.top + next.n
      from next, base
      where e.id = next.id
      returning e.id, e.seq, e.type, e.host_ids`),
  );
  return rows
    .map((r) => ({ id: r.id, seq: Number(r.seq), type: r.type, hostIds: parseUuidArray(r.host_ids) }))
    .sort((a, b) => a.seq - b.seq);
}

/** node-postgres parses uuid[] to an array; PGlite may hand the literal `{a,b}`. */
function parseUuidArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',');
}

export interface EventQuery {
  after: number;
  types?: readonly string[];
  /** Only events concerning this host; every event when absent (admins). */
  hostId?: string;
  limit: number;
}

/** Numbered events after `after`, in seq order. */
export function listEvents(db: Db, query: EventQuery): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(
      and(
        isNotNull(events.seq),
        gt(events.seq, query.after),
        query.types?.length ? inArray(events.type, [...query.types]) : undefined,
        query.hostId ? sql`${events.hostIds} @> array[${query.hostId}]::uuid[]` : undefined,
      ),
    )
    .orderBy(asc(events.seq))
    .limit(query.limit);
}

export async function findEventById(db: Db, id: string): Promise<EventRow | undefined> {
  const [row] = await db.select().from(events).where(eq(events.id, id));
  return row;
}

/** Numbered events older than `before` (but the last), at most `limit` a run (oldest first); returns how many went. */
export async function purgeEvents(db: Db, before: Date, limit: number): Promise<number> {
  const old = db
    .select({ id: events.id })
    .from(events)
    // The highest numbered event stays: numbering goes on from it.
    .where(
      and(isNotNull(events.seq), lt(events.createdAt, before), sql`${events.seq} < (select max(seq) from ${events})`),
    )
    .orderBy(asc(events.seq))
    .limit(limit);
  const gone = await db.delete(events).where(inArray(events.id, old)).returning({ id: events.id });
  return gone.length;
}

/** The highest number given so far (0 before any event). */
export async function lastSeq(db: Db): Promise<number> {
  const rows = resultRows<{ top: string | number | null }>(
    await db.execute(sql`select max(seq) as top from ${events}`),
  );
  return Number(rows[0]?.top ?? 0);
}
