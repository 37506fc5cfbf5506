import type { CounterStore } from '../../platform/cache/counters.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import type { Mailer } from '../../platform/mail/index.js';
import type { BookingsApi } from '../bookings/index.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import { createConversations } from './messages.conversations.js';
import { createMessagesDigestSection, type MessagesDigestSection } from './messages.digest.js';
import { createMessagesMail, type NewMessageEmailPayload } from './messages.mail.js';
import type { MessageSendLimit } from './messages.policy.js';
import type {
  Conversation,
  ListConversationsQuery,
  ListMessagesQuery,
  Message,
  MessagesPage,
  SendMessageInput,
  StartConversationInput,
} from './messages.schemas.js';
import { createMessageSending, type PublishLive } from './messages.sending.js';

/** What the transports, the job handlers, the export and the host digest call on messages. */
export interface MessagesApi {
  /** The conversations the user takes part in, on either side (personal-data export). */
  conversationsOf(userId: string): AsyncGenerator<Conversation>;
  /** Every message of the conversations the user takes part in (personal-data export). */
  messagesOf(userId: string): AsyncGenerator<Message>;
  /** A guest writes to the host of a place, opening the conversation or joining it. */
  startConversation(
    input: StartConversationInput,
    ctx: RequestContext,
  ): Promise<{ conversation: Conversation; created: boolean }>;
  /** Adds a message to a conversation the caller takes part in (else 404). */
  sendMessage(conversationId: string, input: SendMessageInput, ctx: RequestContext): Promise<Message>;
  /** Marks the other participant's messages read and zeroes the caller's unread count. */
  markConversationRead(conversationId: string, ctx: RequestContext): Promise<Conversation>;
  getConversation(id: string, ctx: RequestContext): Promise<Conversation>;
  /** The caller's conversations as guest and as host, newest activity first. */
  listConversations(query: ListConversationsQuery, ctx: RequestContext): Promise<MessagesPage<Conversation>>;
  /** A conversation's messages, newest first (participants only, else 404). */
  listMessages(conversationId: string, query: ListMessagesQuery, ctx: RequestContext): Promise<MessagesPage<Message>>;
  /** The first page of messages of each of several conversations, in one query. */
  listMessagesOfConversations(
    conversationIds: readonly string[],
    query: ListMessagesQuery,
    ctx: RequestContext,
  ): Promise<Map<string, MessagesPage<Message>>>;
  /** 404 unless the caller takes part in the conversation (a live subscription's check). */
  requireParticipant(conversationId: string, ctx: RequestContext): Promise<void>;
  /** Job handler: the e-mail of an unread streak, unless its first message was read since. */
  sendNewMessageEmail(payload: NewMessageEmailPayload): Promise<void>;
  /** The messages part of the host digest. */
  digestSection: MessagesDigestSection;
}

export interface MessagesServiceDeps {
  db: Db;
  clock: Clock;
  counters: CounterStore;
  properties: Pick<PropertiesApi, 'getProperty' | 'getPropertiesByIds'>;
  bookings: Pick<BookingsApi, 'findLatestActiveBookingId'>;
  users: Pick<UsersApi, 'getContacts' | 'getPublicProfiles'>;
  mailer: Mailer;
  /** PUBLIC_URL: the e-mail's link to the conversation. */
  publicUrl: string;
  publish: PublishLive;
  sendLimit?: MessageSendLimit;
}

/** Messages by use case: reading conversations, sending, the new-message e-mail, the digest. */
export function createMessagesService(deps: MessagesServiceDeps): MessagesApi {
  return {
    ...createConversations(deps),
    ...createMessageSending(deps),
    ...createMessagesMail(deps),
    digestSection: createMessagesDigestSection(deps),
  };
}
