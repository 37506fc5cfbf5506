import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { bookingIdColumn } from '../bookings/index.js';
import { propertyIdColumn } from '../properties/index.js';
import { userIdColumn } from '../users/index.js';

export const SENDER_SIDES = ['guest', 'host'] as const;

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * One thread per guest and place (unique), between the guest and the place's host at the
 * time it was opened. The unread counters are per side and move in the transaction of the
 * message insert (send) and of the read_at update (read), under the row's lock, so a list
 * of conversations reads them with its rows instead of counting messages.
 *
 * Index choices: a user's list is the union of their guest side and host side, each a
 * (…, last_message_at desc, id desc) keyset.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    propertyId: uuid('property_id').notNull().references(propertyIdColumn),
    guestId: uuid('guest_id').notNull().references(userIdColumn),
    hostId: uuid('host_id').notNull().references(userIdColumn),
    bookingId: uuid('booking_id').references(bookingIdColumn),
    lastMessageAt: instant('last_message_at').notNull(),
    // No foreign key: the message is inserted in the same transaction, after this row.
    lastMessageId: uuid('last_message_id'),
    guestUnread: integer('guest_unread').notNull().default(0),
    hostUnread: integer('host_unread').notNull().default(0),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('conversations_guest_property_key').on(t.guestId, t.propertyId),
    index('conversations_guest_idx').on(t.guestId, t.lastMessageAt.desc(), t.id.desc()),
    index('conversations_host_idx').on(t.hostId, t.lastMessageAt.desc(), t.id.desc()),
    check('conversations_parties_check', sql`guest_id <> host_id`),
    check('conversations_unread_check', sql`guest_unread >= 0 and host_unread >= 0`),
  ],
);

/**
 * A message, as plain text. `recipient_id` and `sender_side` are copied from the
 * conversation so that the host digest finds the hosts who received guest messages in a
 * window by one keyset walk of `messages_host_inbox_idx` in host id order.
 */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    senderId: uuid('sender_id').notNull().references(userIdColumn),
    recipientId: uuid('recipient_id').notNull().references(userIdColumn),
    senderSide: text('sender_side', { enum: SENDER_SIDES }).notNull(),
    body: text('body').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    readAt: instant('read_at'),
  },
  (t) => [
    index('messages_conversation_idx').on(t.conversationId, t.createdAt.desc(), t.id.desc()),
    index('messages_unread_idx')
      .on(t.conversationId, t.recipientId)
      .where(sql`read_at is null`),
    index('messages_host_inbox_idx')
      .on(t.recipientId, t.createdAt)
      .where(sql`sender_side = 'guest'`),
    check('messages_body_check', sql`char_length(body) between 1 and 4000`),
    check('messages_sender_side_check', sql`sender_side in ('guest', 'host')`),
  ],
);

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type SenderSide = (typeof SENDER_SIDES)[number];
