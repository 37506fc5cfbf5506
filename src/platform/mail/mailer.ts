import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Nodemailer from 'nodemailer';
import pRetry from 'p-retry';
import type { Transporter } from 'nodemailer';
import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { createBatcher } from '../db/batch.js';
import { currentJobId } from '../jobs/current-job.js';
import {
  claimDeliveries,
  findTakenKeys,
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
   * failed (a later call may send it) and rethrows; a failure that leaves unknown whether
   * the server took the message (MailOutcomeUnknown) leaves the key claimed, for an admin to
   * resolve once it is in doubt.
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
  /**
   * Delivers the message if `claim` allows it. `claim` is called as late as the transport
   * can (SMTP: once a connection is open and ready for the message; files: before the
   * write), and may be called again for the same message (it answers the same); when it
   * answers false nothing leaves and the result is `duplicate`.
   */
  deliver(mail: OutgoingMail, claim: () => Promise<boolean>): Promise<SendResult>;
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
  // Lookups, claims and sent-markings made while one is under way go together in the next one.
  const taken = createBatcher((keys: readonly string[]) => findTakenKeys(db, keys));
  const claim = createBatcher((claims: readonly DeliveryClaim[]) => claimDeliveries(db, claims));
  const markSent = createBatcher(async (sent: readonly { dedupeKey: string; at: Date }[]) => {
    await markDeliveriesSent(db, sent);
    return sent.map(() => undefined);
  });
  return {
    async send(message) {
      assertSendable(message);
      const { dedupeKey } = message;
      const messageId = messageIdFor(dedupeKey, messageIdHost);
      // Read here, in the handler's context: the transport calls `claimOnce` from its own.
      const jobId = currentJobId() ?? null;
      // A key sent or being sent goes no further: no connection is taken for it.
      if (await taken(dedupeKey)) return 'duplicate';
      let claiming: Promise<boolean> | undefined;
      const claimOnce = () =>
        (claiming ??= claim({
          dedupeKey,
          recipient: message.to,
          subject: message.subject,
          messageId,
          at: clock.now(),
          jobId,
        }));
      let result: SendResult;
      try {
        result = await transport.deliver({ ...message, from, messageId }, claimOnce);
      } catch (e) {
        const reason = describeFailure(e);
        if (e instanceof MailOutcomeUnknown) {
          // Marked failed, a retry would send it again, perhaps a second time: the key stays
          // claimed, and is reported in doubt once MAIL_SENDING_TIMEOUT_SECONDS have passed.
          log?.warn({ dedupeKey, messageId, reason }, 'mail outcome unknown: the server may have taken it');
          throw e;
        }
        log?.warn({ dedupeKey, messageId, reason }, 'mail send failed');
        // A failure before the claim (connecting, say) left nothing to undo; the claim, when
        // one was made, has settled before the key is marked.
        if (claiming && (await claiming.catch(() => false))) await markDeliveryFailed(db, dedupeKey, reason);
        throw e;
      }
      if (result === 'duplicate') return 'duplicate';
      // The server took it: a database restarting at this moment (a second or two) must not
      // leave the key in doubt, so the marking is tried again for a while.
      const at = clock.now();
      await pRetry(() => markSent({ dedupeKey, at }), { retries: 6, minTimeout: 200, maxTimeout: 2_000 });
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

/**
 * The transport handed the whole message over and then got no answer (a timeout, a lost
 * connection): the server may or may not have taken it, so the key is not released.
 */
export class MailOutcomeUnknown extends Error {
  constructor(cause: unknown) {
    super(`no answer after the message was handed over: ${describeFailure(cause)}`, { cause });
    this.name = 'MailOutcomeUnknown';
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
export function lazyTransporter(make: (nodemailer: typeof Nodemailer) => Transporter) {
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
 * Embedded mode: each message is built by nodemailer (RFC 5322, CRLF line ends) and written
 * to `dir` as `<time>-<key hash>.eml`. Only the envelope is logged: bodies carry tokens.
 */
export function createFileTransport(dir: string, log?: MailLog): MailTransport {
  const builder = lazyTransporter((nodemailer) =>
    nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }),
  );
  return {
    kind: 'file',
    async deliver(mail, claim) {
      const info = await (await builder.get()).sendMail(mail);
      if (!(await claim())) return 'duplicate';
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.slice(1, 17)}.eml`;
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, name);
      await writeFile(file, info.message as Buffer, { flag: 'wx' });
      log?.info({ to: mail.to, subject: mail.subject, messageId: mail.messageId, file }, 'mail written');
      return 'sent';
    },
    close: () => builder.close(),
  };
}
