import path from 'node:path';
import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import { createFileTransport, createMailer, type MailLog, type Mailer } from './mailer.js';
import { createSmtpTransport } from './smtp-transport.js';

export {
  createFileTransport,
  createMailer,
  MailHeaderError,
  MailOutcomeUnknown,
  messageIdFor,
  type MailLog,
  type MailMessage,
  type Mailer,
  type MailTransport,
  type OutgoingMail,
  type SendResult,
} from './mailer.js';
export { createSmtpTransport, SMTP_SEND_DEADLINE_MS, SMTP_TIMEOUTS } from './smtp-transport.js';
export { escapeHtml, html, oneLine, publicLink, renderEmail, SafeHtml, type EmailContent } from './template.js';
export { eraseRecipient, findDelivery } from './deliveries.repository.js';
export {
  DELIVERY_FILTERS,
  listDeliveries,
  lockDelivery,
  releaseDelivery,
  resolveDeliveryAsSent,
  summarizeDeliveriesInDoubt,
  type DeliveryFilter,
  type DeliveryView,
} from './deliveries.admin.repository.js';
export { CHECK_IN_DOUBT_KIND, checkInDoubtJob, countInDoubt, inDoubtBefore, IN_DOUBT_COUNT_CAP } from './in-doubt.js';
export { MAIL_DELIVERY_STATES, mailDeliveries, type MailDeliveryRow } from './deliveries.table.js';

export interface MailConfig {
  smtpUrl: string | undefined;
  from: string;
  publicUrl: string;
  dataDir: string;
}

/** SMTP when SMTP_URL is set, else `.eml` files under DATA_DIR/mail (embedded mode). */
export function mailerFromConfig(mail: MailConfig, deps: { db: Db; clock: Clock; log?: MailLog }): Mailer {
  const transport = mail.smtpUrl
    ? createSmtpTransport(mail.smtpUrl)
    : createFileTransport(path.join(mail.dataDir, 'mail'), deps.log);
  return createMailer({
    ...deps,
    transport,
    from: mail.from,
    messageIdHost: new URL(mail.publicUrl).hostname,
  });
}
