import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { consumeLimit, type CounterStore } from '../../platform/cache/counters.js';
import type { Clock } from '../../platform/clock.js';
import { requireActor, type Actor, type RequestContext } from '../../platform/context.js';
import { keysetPages, keysetRows } from '../../platform/db/keyset.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { mapConstraintError } from '../../platform/errors.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import type { BookingsService } from '../bookings/index.js';
import type { PropertiesService } from '../properties/index.js';
import {
  conversationNotFound,
  messageRateLimited,
  messagesConstraints,
  ownPropertyConversation,
} from './messages.errors.js';
import { enqueueNewMessageEmail } from './messages.mail.js';
import { messageAddedTopic, sideOf } from './messages.policy.js';
import * as repo from './messages.repository.js';
import {
  toConversationDto,
  toMessageDto,
  type Conversation,
  type ListConversationsQuery,
  type ListMessagesQuery,
  type Message,
  type SendMessageInput,
  type StartConversationInput,
} from './messages.schemas.js';
import type { ConversationRow, MessageRow, SenderSide } from './messages.table.js';

/** Hands a live event to subscribers (GraphQL `messageAdded`), after the commit that made it. */
export type PublishLive = (topic: string, payload: Record<string, unknown>) => Promise<void>;

export interface MessageSendLimit {
  max: number;
  windowMs: number;
}

/**
 * Messages one user may send a minute, across conversations, on top of the per-IP limit:
 * enough for a brisk chat, and a participant cannot flood the other's inbox (or their
 * e-mail, which is one per unread streak anyway).
 */
export const DEFAULT_MESSAGE_SEND_LIMIT: MessageSendLimit = { max: 60, windowMs: 60_000 };

export interface MessagesServiceDeps {
  db: Db;
  clock: Clock;
  counters: CounterStore;
  properties: Pick<PropertiesService, 'getProperty'>;
  bookings: Pick<BookingsService, 'findLatestActiveBookingId'>;
  publish: PublishLive;
  sendLimit?: MessageSendLimit;
}

export type MessagesService = ReturnType<typeof createMessagesService>;

/** A page with the cursor after each row, for GraphQL edges. */
export type MessagesPage<T> = Page<T> & { cursors: string[] };

const keysetCursor = z.tuple([isoInstant, z.uuid()]);
const conversationKey = (r: ConversationRow) => [r.lastMessageAt.toISOString(), r.id];
const messageKey = (r: MessageRow) => [r.createdAt.toISOString(), r.id];
const decodeKeyset = (cursor: string | undefined) => {
  if (!cursor) return undefined;
  const [at, id] = decodeCursor(cursor, keysetCursor);
  return { at, id };
};

export function createMessagesService(deps: MessagesServiceDeps) {
  const { db, clock, counters, properties, bookings, publish } = deps;
  const sendLimit = deps.sendLimit ?? DEFAULT_MESSAGE_SEND_LIMIT;

  /** The conversation and the caller's side of it; anyone else (and any unknown id) gets 404. */
  async function participantOf(id: string, actor: Actor): Promise<{ row: ConversationRow; side: SenderSide }> {
    const row = await repo.findConversationById(db, id);
    const side = row && sideOf(row, actor.id);
    if (!row || !side) throw conversationNotFound();
    return { row, side };
  }

  async function withLastMessages(rows: ConversationRow[]): Promise<Map<string, MessageRow>> {
    const ids = rows.flatMap((r) => (r.lastMessageId ? [r.lastMessageId] : []));
    return new Map((await repo.findMessagesByIds(db, ids)).map((m) => [m.id, m]));
  }

  async function checkSendLimit(actor: Actor): Promise<void> {
    await consumeLimit(counters, `message-send:${actor.id}`, { ...sendLimit, exceeded: messageRateLimited });
  }

  /**
   * Inside `tx`, with the conversation row about to be locked by the counter update: the
   * message, the recipient's unread count, the e-mail of a new unread streak, and the live
   * event once committed.
   */
  async function record(
    tx: Db,
    afterCommit: (hook: () => unknown) => void,
    conversation: ConversationRow,
    side: SenderSide,
    sender: Actor,
    body: string,
  ): Promise<{ conversation: ConversationRow; message: MessageRow }> {
    const now = clock.now();
    const id = randomUUID();
    const updated = await repo.countSentMessage(tx, {
      conversationId: conversation.id,
      senderSide: side,
      messageId: id,
      at: now,
    });
    const recipientId = side === 'guest' ? conversation.hostId : conversation.guestId;
    const message = await repo.insertMessage(tx, {
      id,
      conversationId: conversation.id,
      senderId: sender.id,
      recipientId,
      senderSide: side,
      body,
      createdAt: now,
    });
    // The first unread message of a streak schedules the streak's one e-mail; later ones
    // of the same streak find it scheduled.
    const unread = side === 'guest' ? updated.hostUnread : updated.guestUnread;
    if (unread === 1) {
      await enqueueNewMessageEmail(tx, { conversationId: conversation.id, recipientId, firstUnreadId: id }, now);
    }
    const dto = toMessageDto(message);
    afterCommit(() => publish(messageAddedTopic(conversation.id), { messageAdded: dto }));
    return { conversation: updated, message };
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
     * A guest writes to the host of a place. One conversation per guest and place: the
     * first message opens it (`created: true`), later ones join it. The conversation is
     * linked to the guest's pending or confirmed booking of the place made last, looked up
     * again each time the guest writes this way (an earlier link stays when there is none).
     * The place must be visible to the caller (else 404); its host cannot write to it (422
     * own_property).
     */
    async startConversation(
      input: StartConversationInput,
      ctx: RequestContext,
    ): Promise<{ conversation: Conversation; created: boolean }> {
      const actor = requireActor(ctx);
      const property = await properties.getProperty(input.propertyId, ctx);
      if (property.hostId === actor.id) throw ownPropertyConversation();
      await checkSendLimit(actor);
      const result = await withTransaction(db, async (tx, { afterCommit }) => {
        const bookingId = (await bookings.findLatestActiveBookingId(tx, actor.id, property.id)) ?? null;
        let opened: Awaited<ReturnType<typeof repo.openConversation>>;
        try {
          opened = await repo.openConversation(tx, {
            propertyId: property.id,
            guestId: actor.id,
            hostId: property.hostId,
            bookingId,
            now: clock.now(),
          });
        } catch (e) {
          throw mapConstraintError(e, messagesConstraints);
        }
        if (bookingId && opened.conversation.bookingId !== bookingId) {
          await repo.setConversationBooking(tx, opened.conversation.id, bookingId);
        }
        const { conversation, message } = await record(
          tx,
          afterCommit,
          opened.conversation,
          'guest',
          actor,
          input.body,
        );
        return { conversation, message, created: opened.inserted };
      });
      return {
        conversation: toConversationDto(result.conversation, actor.id, result.message),
        created: result.created,
      };
    },

    /** Adds a message to a conversation the caller takes part in (else 404). */
    async sendMessage(conversationId: string, input: SendMessageInput, ctx: RequestContext): Promise<Message> {
      const actor = requireActor(ctx);
      const { row, side } = await participantOf(conversationId, actor);
      await checkSendLimit(actor);
      const { message } = await withTransaction(db, (tx, { afterCommit }) =>
        record(tx, afterCommit, row, side, actor, input.body),
      );
      return toMessageDto(message);
    },

    /**
     * Marks every message from the other participant read and zeroes the caller's unread
     * count, in one transaction under the conversation's lock. Repeating it changes nothing.
     */
    async markConversationRead(conversationId: string, ctx: RequestContext): Promise<Conversation> {
      const actor = requireActor(ctx);
      const { side } = await participantOf(conversationId, actor);
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
      const { row } = await participantOf(id, actor);
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
      await participantOf(conversationId, actor);
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
      await participantOf(conversationId, requireActor(ctx));
    },
  };
}
