import { z } from 'zod';
import { DELIVERY_FILTERS, MAIL_DELIVERY_STATES, type DeliveryView } from '../../platform/mail/index.js';
import { pageQuerySchema } from '../../platform/pagination.js';

/** As long as the mailer lets a de-duplication key be. */
export const MAX_KEY_LENGTH = 500;

export const AdminMailDelivery = z
  .object({
    key: z
      .string()
      .describe('The de-duplication key, e.g. `verify-email:<job id>`; at most one e-mail leaves per key.'),
    recipient: z.string().describe('The address (replaced once its owner closed their account).'),
    subject: z.string(),
    messageId: z
      .string()
      .describe("The message's Message-ID header, derived from the key: what to look for in the mail server's log."),
    state: z
      .enum(MAIL_DELIVERY_STATES)
      .describe(
        '`sending` (claimed, not yet marked sent), `sent`, or `failed` (the next send of the key claims it again).',
      ),
    claimedAt: z.iso.datetime().describe('When the key was last claimed for sending.'),
    sentAt: z.iso.datetime().nullable().describe('When the server took it, or when an admin marked it sent.'),
    lastError: z.string().nullable().describe('Why the last attempt failed, or that an admin released the key.'),
    jobId: z.uuid().nullable().describe('The outbox job whose handler claimed the key; null when sent outside a job.'),
    inDoubt: z
      .boolean()
      .describe(
        '`sending` for longer than MAIL_SENDING_TIMEOUT_SECONDS: its sender died before or after the mail server took the message.',
      ),
  })
  .describe('An entry of the e-mail delivery log. Bodies are never kept (they carry sign-in links).')
  .meta({ id: 'AdminMailDelivery' });
export type AdminMailDelivery = z.infer<typeof AdminMailDelivery>;

export const ListMailDeliveriesQuery = pageQuerySchema.extend({
  state: z
    .enum(DELIVERY_FILTERS)
    .optional()
    .describe('`in_doubt` (see `inDoubt`), or only keys in this state; every key when absent.'),
});
export type ListMailDeliveriesQuery = z.infer<typeof ListMailDeliveriesQuery>;

export const MailDeliveryKeyParams = z.object({
  key: z
    .string()
    .min(1)
    .max(MAX_KEY_LENGTH)
    .describe('The de-duplication key, URL-encoded (keys hold `:` and other reserved characters).')
    .meta({ examples: ['booking-held:0b7e6f9e-2a4c-4d51-9f0e-3c1b2a9d8e7f'] }),
});
export type MailDeliveryKeyParams = z.infer<typeof MailDeliveryKeyParams>;

export const ResolveMailDeliveryInput = z
  .strictObject({
    outcome: z
      .enum(['sent', 'resend'])
      .describe(
        "`sent`: the mail server's log shows the message was taken; the key is marked sent and nothing is sent. " +
          '`resend`: it was not; the key is released and its job runs again at once, sending it.',
      ),
  })
  .meta({ id: 'ResolveMailDeliveryInput', examples: [{ outcome: 'resend' }] });
export type ResolveMailDeliveryInput = z.infer<typeof ResolveMailDeliveryInput>;

export const toAdminMailDelivery = (row: DeliveryView): AdminMailDelivery => ({
  key: row.dedupeKey,
  recipient: row.recipient,
  subject: row.subject,
  messageId: row.messageId,
  state: row.state,
  claimedAt: row.claimTime.toISOString(),
  sentAt: row.sentAt?.toISOString() ?? null,
  lastError: row.lastError,
  jobId: row.jobId,
  inDoubt: row.inDoubt,
});
