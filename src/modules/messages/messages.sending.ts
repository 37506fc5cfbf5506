import { randomUUID } from 'node:crypto';
import { consumeLimit, type CounterStore } from '../../platform/cache/counters.js';
import type { Clock } from '../../platform/clock.js';
import { requireActor, type Actor, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { mapConstraintError } from '../../platform/errors.js';
import type { BookingsApi } from '../bookings/index.js';
import type { PropertiesApi } from '../properties/index.js';
import { participantOf } from './messages.conversations.js';
import { messageRateLimited, messagesConstraints, ownPropertyConversation } from './messages.errors.js';
import { enqueueNewMessageEmail } from './messages.mail.js';
import { DEFAULT_MESSAGE_SEND_LIMIT, messageAddedTopic, type MessageSendLimit } from './messages.policy.js';
import * as repo from './messages.repository.js';
import {
  toConversationDto,
  toMessageDto,
  type Conversation,
  type Message,
  type SendMessageInput,
  type StartConversationInput,
} from './messages.schemas.js';
import type { ConversationRow, MessageRow, SenderSide } from './messages.table.js';

/** Hands a live event to subscribers (GraphQL `messageAdded`), after the commit that made it. */
export type PublishLive = (topic: string, payload: Record<string, unknown>) => Promise<void>;

export interface MessageSendingDeps {
  db: Db;
  clock: Clock;
  counters: CounterStore;
  properties: Pick<PropertiesApi, 'getProperty'>;
  bookings: Pick<BookingsApi, 'findLatestActiveBookingId'>;
  publish: PublishLive;
  sendLimit?: MessageSendLimit;
}

/** Writing: a guest opening a conversation about a place, and either side adding to one. */
export function createMessageSending(deps: MessageSendingDeps) {
  const { db, clock, counters, properties, bookings, publish } = deps;
  const sendLimit = deps.sendLimit ?? DEFAULT_MESSAGE_SEND_LIMIT;

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

  return {
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
      const { row, side } = await participantOf(db, conversationId, actor);
      await checkSendLimit(actor);
      const { message } = await withTransaction(db, (tx, { afterCommit }) =>
        record(tx, afterCommit, row, side, actor, input.body),
      );
      return toMessageDto(message);
    },
  };
}
