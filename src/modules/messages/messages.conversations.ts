import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { requireActor, type Actor, type RequestContext } from '../../platform/context.js';
import { keysetPages, keysetRows } from '../../platform/db/keyset.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { decodeCursor, toPage } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import { conversationNotFound } from './messages.errors.js';
import { sideOf } from './messages.policy.js';
import * as repo from './messages.repository.js';
import {
  toConversationDto,
  toMessageDto,
  type Conversation,
  type ListConversationsQuery,
  type ListMessagesQuery,
  type Message,
  type MessagesPage,
} from './messages.schemas.js';
import type { ConversationRow, MessageRow, SenderSide } from './messages.table.js';

const keysetCursor = z.tuple([isoInstant, z.uuid()]);
const conversationKey = (r: ConversationRow) => [r.lastMessageAt.toISOString(), r.id];
const messageKey = (r: MessageRow) => [r.createdAt.toISOString(), r.id];
const decodeKeyset = (cursor: string | undefined) => {
  if (!cursor) return undefined;
  const [at, id] = decodeCursor(cursor, keysetCursor);
  return { at, id };
};

/** The conversation and the caller's side of it; anyone else (and any unknown id) gets 404. */
export async function participantOf(
  db: Db,
  id: string,
  actor: Actor,
): Promise<{ row: ConversationRow; side: SenderSide }> {
  const row = await repo.findConversationById(db, id);
  const side = row && sideOf(row, actor.id);
  if (!row || !side) throw conversationNotFound();
  return { row, side };
}

export interface ConversationsDeps {
  db: Db;
  clock: Clock;
}

/** Reading conversations and their messages as a participant, and marking them read. */
export function createConversations(deps: ConversationsDeps) {
  const { db, clock } = deps;

  async function withLastMessages(rows: ConversationRow[]): Promise<Map<string, MessageRow>> {
    const ids = rows.flatMap((r) => (r.lastMessageId ? [r.lastMessageId] : []));
    return new Map((await repo.findMessagesByIds(db, ids)).map((m) => [m.id, m]));
  }

  const conversationPages = (userId: string) =>
    keysetPages(
      (after: { at: string; id: string } | undefined, limit: number) =>
        repo.listConversations(db, { userId, after, limit }),
      (c) => ({ at: c.lastMessageAt.toISOString(), id: c.id }),
    );

  return {
    /** The conversations the user takes part in, on either side (their personal-data export). */
    async *conversationsOf(userId: string): AsyncGenerator<Conversation> {
      for await (const page of conversationPages(userId)) {
        const last = await repo.findMessagesByIds(
          db,
          page.flatMap((c) => (c.lastMessageId ? [c.lastMessageId] : [])),
        );
        const byId = new Map(last.map((m) => [m.id, m]));
        for (const c of page) yield toConversationDto(c, userId, byId.get(c.lastMessageId ?? ''));
      }
    },

    /** Every message, by either side, of the conversations the user takes part in. */
    async *messagesOf(userId: string): AsyncGenerator<Message> {
      for await (const page of conversationPages(userId)) {
        for (const c of page) {
          const rows = keysetRows(
            (after: { at: string; id: string } | undefined, limit: number) =>
              repo.listMessages(db, { conversationId: c.id, after, limit }),
            (m) => ({ at: m.createdAt.toISOString(), id: m.id }),
          );
          for await (const m of rows) yield toMessageDto(m);
        }
      }
    },

    /**
     * Marks every message from the other participant read and zeroes the caller's unread
     * count, in one transaction under the conversation's lock. Repeating it changes nothing.
     */
    async markConversationRead(conversationId: string, ctx: RequestContext): Promise<Conversation> {
      const actor = requireActor(ctx);
      const { side } = await participantOf(db, conversationId, actor);
      const conversation = await withTransaction(db, async (tx) => {
        const { conversation } = await repo.markRead(tx, {
          conversationId,
          readerSide: side,
          readerId: actor.id,
          at: clock.now(),
        });
        return conversation;
      });
      const last = await withLastMessages([conversation]);
      return toConversationDto(conversation, actor.id, last.get(conversation.lastMessageId ?? ''));
    },

    async getConversation(id: string, ctx: RequestContext): Promise<Conversation> {
      const actor = requireActor(ctx);
      const { row } = await participantOf(db, id, actor);
      const last = await withLastMessages([row]);
      return toConversationDto(row, actor.id, last.get(row.lastMessageId ?? ''));
    },

    /** The caller's conversations as guest and as host, newest activity first. */
    async listConversations(query: ListConversationsQuery, ctx: RequestContext): Promise<MessagesPage<Conversation>> {
      const actor = requireActor(ctx);
      const rows = await repo.listConversations(db, {
        userId: actor.id,
        limit: query.limit + 1,
        after: decodeKeyset(query.cursor),
      });
      const last = await withLastMessages(rows.slice(0, query.limit));
      return toPage(rows, query.limit, conversationKey, (r) =>
        toConversationDto(r, actor.id, last.get(r.lastMessageId ?? '')),
      );
    },

    /** A conversation's messages, newest first (participants only, else 404). */
    async listMessages(
      conversationId: string,
      query: ListMessagesQuery,
      ctx: RequestContext,
    ): Promise<MessagesPage<Message>> {
      const actor = requireActor(ctx);
      await participantOf(db, conversationId, actor);
      const rows = await repo.listMessages(db, {
        conversationId,
        limit: query.limit + 1,
        after: decodeKeyset(query.cursor),
      });
      return toPage(rows, query.limit, messageKey, toMessageDto);
    },

    /**
     * The first page of messages of each of several conversations the caller was already
     * shown (GraphQL `Conversation.messages`), in one query. Only conversations the caller
     * takes part in are answered; others get an empty page.
     */
    async listMessagesOfConversations(
      conversationIds: readonly string[],
      query: ListMessagesQuery,
      ctx: RequestContext,
    ): Promise<Map<string, MessagesPage<Message>>> {
      const actor = requireActor(ctx);
      const rows = await repo.findConversationsByIds(db, conversationIds);
      const allowed = rows.filter((r) => sideOf(r, actor.id)).map((r) => r.id);
      const found = await repo.listMessagesOfMany(db, {
        conversationIds: allowed,
        limit: query.limit + 1,
        after: decodeKeyset(query.cursor),
      });
      const byConversation = new Map<string, MessageRow[]>(conversationIds.map((id) => [id, []]));
      for (const m of found) byConversation.get(m.conversationId)?.push(m);
      return new Map(
        [...byConversation].map(([id, list]) => [id, toPage(list, query.limit, messageKey, toMessageDto)]),
      );
    },

    /** The conversation if the caller takes part in it (a live subscription's check); else 404. */
    async requireParticipant(conversationId: string, ctx: RequestContext): Promise<void> {
      await participantOf(db, conversationId, requireActor(ctx));
    },
  };
}
