import { and, asc, count, eq, gt, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { afterDescending } from '../../platform/db/keyset.js';
import type { Db } from '../../platform/db/types.js';
import { conversations, messages, type ConversationRow, type MessageRow, type SenderSide } from './messages.table.js';

type Keyset = { at: string; id: string };

/**
 * Opens the guest's conversation about the place, or finds the one that exists (a parallel
 * first message included): `inserted` tells which. The row is locked either way, so the
 * message that follows is counted under the lock.
 */
export async function openConversation(
  tx: Db,
  row: { propertyId: string; guestId: string; hostId: string; bookingId: string | null; now: Date },
): Promise<{ conversation: ConversationRow; inserted: boolean }> {
  const [created] = await tx
    .insert(conversations)
    .values({
      propertyId: row.propertyId,
      guestId: row.guestId,
      hostId: row.hostId,
      bookingId: row.bookingId,
      lastMessageAt: row.now,
      createdAt: row.now,
    })
    .onConflictDoNothing({ target: [conversations.guestId, conversations.propertyId] })
    .returning();
  if (created) return { conversation: created, inserted: true };
  const [existing] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.guestId, row.guestId), eq(conversations.propertyId, row.propertyId)))
    .for('update');
  return { conversation: existing!, inserted: false };
}

export async function findConversationById(db: Db, id: string): Promise<ConversationRow | undefined> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, id)).limit(1);
  return row;
}

export async function findConversationsByIds(db: Db, ids: readonly string[]): Promise<ConversationRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(conversations)
    .where(inArray(conversations.id, [...ids]));
}

export async function setConversationBooking(tx: Db, id: string, bookingId: string): Promise<void> {
  await tx.update(conversations).set({ bookingId }).where(eq(conversations.id, id));
}

/**
 * Records a message on its conversation in one statement: the recipient's unread counter
 * goes up by one and the last message moves forward (never back, should clocks disagree).
 * The update takes the row's lock until the transaction ends, so concurrent sends and
 * reads of one conversation apply one after the other. Returns the recipient's new count.
 */
export async function countSentMessage(
  tx: Db,
  opts: { conversationId: string; senderSide: SenderSide; messageId: string; at: Date },
): Promise<ConversationRow> {
  const unread = opts.senderSide === 'guest' ? conversations.hostUnread : conversations.guestUnread;
  const counter = opts.senderSide === 'guest' ? 'hostUnread' : 'guestUnread';
  const [row] = await tx
    .update(conversations)
    .set({
      [counter]: sql`${unread} + 1`,
      lastMessageId: sql`case when ${opts.at} >= ${conversations.lastMessageAt} then ${opts.messageId}::uuid else ${conversations.lastMessageId} end`,
      lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${opts.at})`,
    })
    .where(eq(conversations.id, opts.conversationId))
    .returning();
  return row!;
}

export async function insertMessage(
  tx: Db,
  row: {
    id: string;
    conversationId: string;
    senderId: string;
    recipientId: string;
    senderSide: SenderSide;
    body: string;
    createdAt: Date;
  },
): Promise<MessageRow> {
  const [created] = await tx.insert(messages).values(row).returning();
  return created!;
}

/**
 * Zeroes the reader's unread counter (locking the row: a send waiting on it counts after
 * the read) and marks every unread message addressed to the reader read. Returns the row.
 */
export async function markRead(
  tx: Db,
  opts: { conversationId: string; readerSide: SenderSide; readerId: string; at: Date },
): Promise<{ conversation: ConversationRow; marked: number }> {
  const counter = opts.readerSide === 'guest' ? 'guestUnread' : 'hostUnread';
  const [conversation] = await tx
    .update(conversations)
    .set({ [counter]: 0 })
    .where(eq(conversations.id, opts.conversationId))
    .returning();
  const marked = await tx
    .update(messages)
    .set({ readAt: opts.at })
    .where(
      and(
        eq(messages.conversationId, opts.conversationId),
        eq(messages.recipientId, opts.readerId),
        isNull(messages.readAt),
      ),
    )
    .returning({ id: messages.id });
  return { conversation: conversation!, marked: marked.length };
}

/**
 * A user's conversations on either side, newest activity first: the two sides are two
 * keyset range scans (conversations_guest_idx, conversations_host_idx), each cut at
 * `limit`, merged. A user is never both sides of one conversation, so nothing repeats.
 */
export async function listConversations(
  db: Db,
  opts: { userId: string; limit: number; after?: Keyset },
): Promise<ConversationRow[]> {
  const side = (column: PgColumn) => {
    const where: SQL[] = [eq(column, opts.userId)];
    if (opts.after)
      where.push(afterDescending(conversations.lastMessageAt, conversations.id, [opts.after.at, opts.after.id]));
    return db
      .select()
      .from(conversations)
      .where(and(...where))
      .orderBy(sql`${conversations.lastMessageAt} desc, ${conversations.id} desc`)
      .limit(opts.limit);
  };
  const rows = [...(await side(conversations.guestId)), ...(await side(conversations.hostId))];
  rows.sort(
    (a, b) => b.lastMessageAt.getTime() - a.lastMessageAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
  return rows.slice(0, opts.limit);
}

export async function findMessagesByIds(db: Db, ids: readonly string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(messages)
    .where(inArray(messages.id, [...ids]));
}

export async function findMessageById(db: Db, id: string): Promise<MessageRow | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, id)).limit(1);
  return row;
}

/** A conversation's messages, newest first, after a keyset (messages_conversation_idx). */
export function listMessages(
  db: Db,
  opts: { conversationId: string; limit: number; after?: Keyset },
): Promise<MessageRow[]> {
  const where: SQL[] = [eq(messages.conversationId, opts.conversationId)];
  if (opts.after) where.push(afterDescending(messages.createdAt, messages.id, [opts.after.at, opts.after.id]));
  return db
    .select()
    .from(messages)
    .where(and(...where))
    .orderBy(sql`${messages.createdAt} desc, ${messages.id} desc`)
    .limit(opts.limit);
}

/**
 * The first `limit` messages (newest first, after one keyset) of each of several
 * conversations, in one query: a lateral range scan of messages_conversation_idx per id.
 */
export async function listMessagesOfMany(
  db: Db,
  opts: { conversationIds: readonly string[]; limit: number; after?: Keyset },
): Promise<MessageRow[]> {
  if (opts.conversationIds.length === 0) return [];
  const ids = sql.join(
    opts.conversationIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const after = opts.after
    ? sql`and (m.created_at, m.id) < (${opts.after.at}::timestamptz, ${opts.after.id}::uuid)`
    : sql``;
  const result: unknown = await db.execute(sql`
    select m.id, m.conversation_id, m.sender_id, m.recipient_id, m.sender_side, m.body, m.created_at, m.read_at
    from unnest(array[${ids}]) as c(id)
    cross join lateral (
      select * from ${messages} m
      where m.conversation_id = c.id ${after}
      order by m.created_at desc, m.id desc
      limit ${opts.limit}
    ) m`);
  const rows = (result as { rows: Record<string, unknown>[] }).rows;
  const instant = (v: unknown) => (v === null ? null : v instanceof Date ? v : new Date(v as string));
  return rows.map((r) => ({
    id: String(r.id),
    conversationId: String(r.conversation_id),
    senderId: String(r.sender_id),
    recipientId: String(r.recipient_id),
    senderSide: r.sender_side as SenderSide,
    body: String(r.body),
    createdAt: instant(r.created_at)!,
    readAt: instant(r.read_at),
  }));
}

/** Guest messages created in [from, to) (the rows of messages_host_inbox_idx), and `also`. */
const guestMessagesIn = (range: { from: Date; to: Date }, also: SQL | undefined) =>
  and(eq(messages.senderSide, 'guest'), gte(messages.createdAt, range.from), lt(messages.createdAt, range.to), also);

/** How many guest messages the host received in [from, to) (messages_host_inbox_idx). */
export async function countGuestMessagesTo(db: Db, opts: { hostId: string; from: Date; to: Date }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(messages)
    .where(guestMessagesIn(opts, eq(messages.recipientId, opts.hostId)));
  return Number(row?.n ?? 0);
}

/**
 * Hosts who received guest messages in [from, to), ascending, after `afterHostId`: one walk
 * of messages_host_inbox_idx (recipient_id, created_at) in host id order.
 */
export async function findHostsWithGuestMessages(
  db: Db,
  opts: { from: Date; to: Date; afterHostId: string | null; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectDistinct({ hostId: messages.recipientId })
    .from(messages)
    .where(guestMessagesIn(opts, opts.afterHostId ? gt(messages.recipientId, opts.afterHostId) : undefined))
    .orderBy(asc(messages.recipientId))
    .limit(opts.limit);
  return rows.map((r) => r.hostId);
}

/** Per conversation, the guest messages a host received in [from, to), busiest first. */
export async function countGuestMessagesFor(
  db: Db,
  opts: { hostId: string; from: Date; to: Date; limit: number },
): Promise<{ conversationId: string; count: number }[]> {
  const n = count();
  const rows = await db
    .select({ conversationId: messages.conversationId, n })
    .from(messages)
    .where(guestMessagesIn(opts, eq(messages.recipientId, opts.hostId)))
    .groupBy(messages.conversationId)
    .orderBy(sql`count(*) desc`, asc(messages.conversationId))
    .limit(opts.limit);
  return rows.map((r) => ({ conversationId: r.conversationId, count: Number(r.n) }));
}

/** Writes many conversations, then their messages (seeding); the messages reference the conversations. */
export async function insertConversationsBulk(
  db: Db,
  rows: readonly (typeof conversations.$inferInsert)[],
  messageRows: readonly (typeof messages.$inferInsert)[],
  batchSize: number,
): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) await db.insert(conversations).values(rows.slice(i, i + batchSize));
  for (let i = 0; i < messageRows.length; i += batchSize) {
    await db.insert(messages).values(messageRows.slice(i, i + batchSize));
  }
}
