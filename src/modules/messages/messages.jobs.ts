import { defineJob, type JobDefinition } from '../../platform/jobs/index.js';
import { NewMessageEmailPayload, SEND_NEW_MESSAGE_EMAIL } from './messages.mail.js';
import type { MessagesApi } from './messages.service.js';

export function messagesJobs(messages: Pick<MessagesApi, 'sendNewMessageEmail'>): JobDefinition[] {
  return [
    defineJob({
      kind: SEND_NEW_MESSAGE_EMAIL,
      schema: NewMessageEmailPayload,
      handle: (payload) => messages.sendNewMessageEmail(payload),
    }),
  ];
}
