import { defineJob, type JobDefinition } from '../../platform/jobs/index.js';
import { NewMessageEmailPayload, SEND_NEW_MESSAGE_EMAIL, type MessagesMail } from './messages.mail.js';

export function messagesJobs(messages: Pick<MessagesMail, 'sendNewMessageEmail'>): JobDefinition[] {
  return [
    defineJob({
      kind: SEND_NEW_MESSAGE_EMAIL,
      schema: NewMessageEmailPayload,
      handle: (payload) => messages.sendNewMessageEmail(payload),
    }),
  ];
}
