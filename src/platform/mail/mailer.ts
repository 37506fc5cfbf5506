import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { createBatcher } from '../db/batch.js';
import { buildMime, envelopeAddress } from './mime.js';
import {
  claimDeliveries,
  markDeliveriesSent,
  markDeliveryFailed,
  type DeliveryClaim,
} from './deliveries.repository.js';

/** One e-mail: a plain-text and an HTML part, and the key that makes it leave at most once. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** e.g. `booking-confirmed:<bookingId>`; the Message-ID is derived from it. */
  dedupeKey: string;
}

/** `duplicate`: the key was already sent or is being sent; nothing left this time. */
export type SendResult = 'sent' | 'duplicate';

export interface Mailer {
  /**
   * Sends the message unless its key was claimed before. A transport failure marks the key
   * failed (a later call may send it) and rethrows.
   */
  send(message: MailMessage): Promise<SendResult>;
  close(): void;
}

/** What a transport receives: the message with its sender and Message-ID settled. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'file';
  deliver(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** The part of a pino logger the mailer uses. */
export interface MailLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface MailerDeps {
  db: Db;
  clock: Clock;
  transport: MailTransport;
  from: string;
  /** Host part of every Message-ID (the PUBLIC_URL host). */
  messageIdHost: string;
  log?: MailLog;
}

const MAX_ERROR_LENGTH = 500;
/** SMTP connections per process: a worker's handlers at once (queue-transport's default concurrency). */
const SMTP_CONNECTIONS = 16;
// RFC 5321 forward-path limit; a longer recipient is not a real address.
const MAX_RECIPIENT_LENGTH = 254;
const MAX_SUBJECT_LENGTH = 998;
const MAX_KEY_LENGTH = 500;

/** `<sha256(key)@host>`: a retry of the same e-mail carries the same id, so clients thread or drop it. */
export function messageIdFor(dedupeKey: string, host: string): string {
  return `<${createHash('sha256').update(dedupeKey).digest('hex')}@${host}>`;
}

export function createMailer(deps: MailerDeps): Mailer {
  const { db, clock, transport, from, messageIdHost, log } = deps;
  // Claims made while one is under way go together in the next one; likewise sends that
  // finish while a marking is under way are marked sent together.
  const claim = createBatcher((claims: readonly DeliveryClaim[]) => claimDeliveries(db, claims));
  const markSent = createBatcher(async (sent: readonly { dedupeKey: string; at: Date }[]) => {
    await markDeliveriesSent(db, sent);
    return sent.map(() => undefined);
  });
  return {
    async send(message) {
      assertSendable(message);
      const messageId = messageIdFor(message.dedupeKey, messageIdHost);
      const claimed = await claim({
        dedupeKey: message.dedupeKey,
        recipient: message.to,
        subject: message.subject,
        messageId,
        at: clock.now(),
      });
      if (!claimed) return 'duplicate';
      try {
        await transport.deliver({ ...message, from, messageId });
      } catch (e) {
        const reason = describeFailure(e);
        log?.warn({ dedupeKey: message.dedupeKey, messageId, reason }, 'mail send failed');
        await markDeliveryFailed(db, message.dedupeKey, reason);
        throw e;
      }
      await markSent({ dedupeKey: message.dedupeKey, at: clock.now() });
      return 'sent';
    },
    close: () => transport.close(),
  };
}

/**
 * Header injection is refused, not repaired: a CR or LF in a recipient or subject can only
 * come from a bug or an attack. An `invalid` AppError, so that input which slipped through
 * reaches the client as a 422 rather than a 500.
 */
function assertSendable(message: MailMessage): void {
  for (const field of ['to', 'subject', 'dedupeKey'] as const) {
    if (/[\r\n]/.test(message[field])) throw new MailHeaderError(`${field} must not contain a line break`);
  }
  if (message.to.length > MAX_RECIPIENT_LENGTH || !/^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(message.to)) {
    throw new MailHeaderError('to must be one plain e-mail address');
  }
  if (message.subject.length > MAX_SUBJECT_LENGTH) throw new MailHeaderError('subject is too long');
  if (message.dedupeKey.length === 0 || message.dedupeKey.length > MAX_KEY_LENGTH) {
    throw new MailHeaderError('dedupeKey must be 1 to 500 characters');
  }
}

export class MailHeaderError extends AppError {
  constructor(message: string) {
    super('invalid', 'invalid_mail_header', message);
  }
}

/** What mail_deliveries and the log keep of a failure: its code and message, bounded. */
function describeFailure(e: unknown): string {
  if (!(e instanceof Error)) return 'unknown error';
  const code = (e as { code?: unknown }).code;
  const text = typeof code === 'string' ? `${code}: ${e.message}` : e.message;
  return text.slice(0, MAX_ERROR_LENGTH);
}

/**
 * nodemailer is imported by the first message, not at start-up: a server that sends nothing
 * in its first seconds starts without it (cold start: `npm start` to the first /healthz answer within 4 s).
 */
function lazyTransporter(make: (nodemailer: typeof Nodemailer) => Transporter) {
  let made: Promise<Transporter> | undefined;
  let closed = false;
  return {
    get: () =>
      closed
        ? Promise.reject(new Error('the mail transport is closed'))
        : (made ??= import('nodemailer').then((m) => make(m.default))),
    close() {
      if (closed) return;
      closed = true;
      void made?.then(
        (t) => t.close(),
        () => undefined,
      );
    },
  };
}

/**
 * SMTP through nodemailer's pooled transport (`smtp://` or `smtps://` URL): up to 16
 * connections kept open and reused, rather than a connection, greeting and EHLO per e-mail.
 * The message is built by buildMime in one pass and handed over as is (nodemailer builds
 * only those with an international address).
 */
export function createSmtpTransport(url: string): MailTransport {
  // As many connections as a worker runs handlers, so a message whose key is claimed never
  // waits in the pool for one (a worker killed then would leave it claimed and unsent); a
  // connection is reused for 10,000 messages, not closed and opened anew every 100.
  const transporter = lazyTransporter((nodemailer) =>
    nodemailer.createTransport({ url, pool: true, maxConnections: SMTP_CONNECTIONS, maxMessages: 10_000 }),
  );
  return {
    kind: 'smtp',
    async deliver(mail) {
      const raw = buildMime(mail);
      const sender = await transporter.get();
      if (raw === undefined) await sender.sendMail(mail);
      else await sender.sendMail({ envelope: { from: envelopeAddress(mail.from), to: [mail.to] }, raw });
    },
    close: () => transporter.close(),
  };
}

/**
 * Embedded mode: each message is built by nodemailer (RFC 5322, CRLF line ends) and written
 * to `dir` as `<time>-<key hash>.eml`. Only the envelope is logged: bodies carry tokens.
 */
export function createFileTransport(dir: string, log?: MailLog): MailTransport {
  const builder = lazyTransporter((nodemailer) =>
    nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }),
  );
  return {
    kind: 'file',
    async deliver(mail) {
      const info = await (await builder.get()).sendMail(mail);
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.slice(1, 17)}.eml`;
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, name);
      await writeFile(file, info.message as Buffer, { flag: 'wx' });
      log?.info({ to: mail.to, subject: mail.subject, messageId: mail.messageId, file }, 'mail written');
    },
    close: () => builder.close(),
  };
}
