import { z } from 'zod';
import type { Db } from '../../platform/db/types.js';
import { enqueue } from '../../platform/jobs/index.js';
import { publicLink, renderEmail, type Mailer } from '../../platform/mail/index.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import { excerpt, NEW_MESSAGE_EMAIL_DELAY_MS, sideOf } from './messages.policy.js';
import * as repo from './messages.repository.js';

/**
 * The new-message e-mail (5 min after a message, only if still unread then). One
 * per unread streak: the message that makes the recipient's unread count 1 enqueues it,
 * keyed by conversation, recipient and that first unread message; the messages that follow
 * before a read join the streak and the one e-mail counts them ("3 new messages").
 */
export const SEND_NEW_MESSAGE_EMAIL = 'messages.send-new-message-email';
export const NewMessageEmailPayload = z.object({
  conversationId: z.uuid(),
  recipientId: z.uuid(),
  firstUnreadId: z.uuid(),
});
export type NewMessageEmailPayload = z.infer<typeof NewMessageEmailPayload>;

export const newMessageEmailKey = (p: NewMessageEmailPayload) =>
  `new-message:${p.conversationId}:${p.recipientId}:${p.firstUnreadId}`;

export async function enqueueNewMessageEmail(tx: Db, payload: NewMessageEmailPayload, sentAt: Date): Promise<void> {
  await enqueue(tx, {
    kind: SEND_NEW_MESSAGE_EMAIL,
    payload,
    runAt: new Date(sentAt.getTime() + NEW_MESSAGE_EMAIL_DELAY_MS),
    key: `job:${newMessageEmailKey(payload)}`,
  });
}

export interface MessagesMailDeps {
  db: Db;
  users: Pick<UsersApi, 'getContacts'>;
  properties: Pick<PropertiesApi, 'getPropertiesByIds'>;
  mailer: Mailer;
  publicUrl: string;
}

export function createMessagesMail(deps: MessagesMailDeps) {
  const { db, users, properties, mailer, publicUrl } = deps;
  return {
    /** Sends the streak's e-mail unless its first message has been read since. */
    async sendNewMessageEmail(payload: NewMessageEmailPayload): Promise<void> {
      const first = await repo.findMessageById(db, payload.firstUnreadId);
      if (!first || first.readAt || first.recipientId !== payload.recipientId) return;
      const [conversation] = await repo.findConversationsByIds(db, [payload.conversationId]);
      const side = conversation && sideOf(conversation, payload.recipientId);
      if (!conversation || !side) return;
      // Exact: the counter moves with every send and read, under the row's lock.
      const unread = side === 'guest' ? conversation.guestUnread : conversation.hostUnread;
      if (unread === 0) return;
      const contacts = await users.getContacts([payload.recipientId, first.senderId]);
      const recipient = contacts.get(payload.recipientId);
      // An account gone or suspended since gets nothing.
      if (!recipient) return;
      const sender = contacts.get(first.senderId)?.firstName ?? (side === 'host' ? 'Your guest' : 'Your host');
      const place = (
        await properties.getPropertiesByIds([conversation.propertyId], {
          actor: { id: payload.recipientId, role: side },
        })
      ).get(conversation.propertyId);
      const about = place ? ` about ${place.title}` : '';
      const count = unread === 1 ? 'a new message' : `${unread} new messages`;
      await mailer.send({
        to: recipient.email,
        dedupeKey: newMessageEmailKey(payload),
        ...renderEmail({
          subject: `${sender} sent you ${count}${about}`,
          paragraphs: [
            `Hello ${recipient.firstName},`,
            `${sender} sent you ${count}${about}. The first one:`,
            `“${excerpt(first.body)}”`,
          ],
          action: { label: 'Read and reply', url: publicLink(publicUrl, `/conversations/${conversation.id}`) },
        }),
      });
    },
  };
}
