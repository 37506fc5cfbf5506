import type { ConversationRow, SenderSide } from './messages.table.js';

/** The side `userId` takes in the conversation, or undefined when it is not theirs. */
export function sideOf(row: Pick<ConversationRow, 'guestId' | 'hostId'>, userId: string): SenderSide | undefined {
  if (row.guestId === userId) return 'guest';
  if (row.hostId === userId) return 'host';
  return undefined;
}

/** The live-event topic of a conversation's new messages (mqemitter topics split on `/`). */
export const messageAddedTopic = (conversationId: string) => `messages/added/${conversationId}`;

/** How long an unread message waits before its recipient is told by e-mail (see the README's e-mail schedule). */
export const NEW_MESSAGE_EMAIL_DELAY_MS = 5 * 60_000;

/** The start of a body for an e-mail or a digest line: one line, at most `max` characters. */
export function excerpt(body: string, max = 200): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

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
