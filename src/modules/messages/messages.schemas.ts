import { z } from 'zod';
import { EXAMPLE_ID, idParam } from '../../platform/openapi-examples.js';
import { pageQuerySchema, type Page } from '../../platform/pagination.js';
import type { ConversationRow, MessageRow } from './messages.table.js';

/** Most characters a message body holds, after trimming. */
export const MESSAGE_MAX_LENGTH = 4000;

/**
 * A character that shows: anything but whitespace, separators, control and format
 * characters (zero-width space and joiners, word joiner, BOM, bidi marks), the other
 * default-ignorable code points (variation selectors, Hangul fillers) and the blank
 * Braille pattern. A body made of those alone reads as an empty message.
 */
const VISIBLE_CHARACTER = /[^\p{White_Space}\p{Z}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * Plain text, stored as sent apart from leading and trailing whitespace (trimmed, as every
 * text field of the API); no HTML processing, clients render it as text.
 */
export const messageBody = z
  .string()
  .trim()
  // An empty body is one error, not also an invisible one.
  .min(1, { message: 'A message cannot be empty.', abort: true })
  .max(MESSAGE_MAX_LENGTH, `At most ${MESSAGE_MAX_LENGTH} characters.`)
  .refine((body) => VISIBLE_CHARACTER.test(body), 'A message needs at least one visible character.')
  .describe(
    `Plain text, 1–${MESSAGE_MAX_LENGTH} characters once leading and trailing whitespace is trimmed, at least one of them visible (not whitespace or an invisible format character such as U+200B).`,
  );

export const StartConversationInput = z
  .strictObject({
    propertyId: z.uuid(),
    body: messageBody,
  })
  .meta({
    id: 'StartConversationInput',
    examples: [{ propertyId: EXAMPLE_ID.property, body: 'Hello! Is there room for a baby cot in the bedroom?' }],
  });
export type StartConversationInput = z.infer<typeof StartConversationInput>;

export const SendMessageInput = z
  .strictObject({ body: messageBody })
  .meta({ id: 'SendMessageInput', examples: [{ body: 'Thank you, see you on the 12th around four.' }] });
export type SendMessageInput = z.infer<typeof SendMessageInput>;

export const ListConversationsQuery = pageQuerySchema;
export type ListConversationsQuery = z.infer<typeof ListConversationsQuery>;

export const ListMessagesQuery = pageQuerySchema;
export type ListMessagesQuery = z.infer<typeof ListMessagesQuery>;

export const ConversationIdParams = z.object({ id: idParam('conversation') });

export const Message = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    senderId: z.uuid(),
    body: z.string(),
    createdAt: z.iso.datetime(),
    readAt: z.iso
      .datetime()
      .nullable()
      .describe('When the other participant marked the conversation read; null while unread.'),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;

export const Conversation = z
  .object({
    id: z.uuid(),
    propertyId: z.uuid(),
    guestId: z.uuid(),
    hostId: z.uuid(),
    bookingId: z
      .uuid()
      .nullable()
      .describe('The guest’s pending or confirmed booking of the place made last, when the guest last wrote.'),
    lastMessageAt: z.iso.datetime(),
    unreadCount: z.number().int().describe('Messages from the other participant that the caller has not read.'),
    lastMessage: Message.nullable(),
  })
  .meta({ id: 'Conversation' });
export type Conversation = z.infer<typeof Conversation>;

export function toMessageDto(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    senderId: row.senderId,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}

/** The conversation as `userId` (one of its participants) sees it: their own unread count. */
export function toConversationDto(
  row: ConversationRow,
  userId: string,
  lastMessage: MessageRow | undefined,
): Conversation {
  return {
    id: row.id,
    propertyId: row.propertyId,
    guestId: row.guestId,
    hostId: row.hostId,
    bookingId: row.bookingId,
    lastMessageAt: row.lastMessageAt.toISOString(),
    unreadCount: userId === row.guestId ? row.guestUnread : row.hostUnread,
    lastMessage: lastMessage ? toMessageDto(lastMessage) : null,
  };
}

/** A page with the cursor after each row, for GraphQL edges. */
export type MessagesPage<T> = Page<T> & { cursors: string[] };
