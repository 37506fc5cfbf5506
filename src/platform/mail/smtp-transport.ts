import { PassThrough, pipeline, Transform } from 'node:stream';
import { buildMime, envelopeAddress } from './mime.js';
import { lazyTransporter, MailOutcomeUnknown, type MailTransport } from './mailer.js';

/** SMTP connections per process: a worker's handlers at once (queue-transport's default concurrency). */
const SMTP_CONNECTIONS = 16;

/**
 * Bounds on each SMTP step, well below MAIL_SENDING_TIMEOUT_SECONDS (at least 300 s), so a
 * key still `sending` after that long was not left by a sender still at work. Connecting
 * (DNS, TCP, TLS and the greeting together) may take 15 s, the server may be silent 2 min
 * on an open connection (a slow answer to the message's end), and a pooled connection
 * unused for 1 min is closed (before the silence limit would cut it).
 */
export const SMTP_TIMEOUTS = {
  connectionTimeout: 15_000,
  greetingTimeout: 15_000,
  dnsTimeout: 10_000,
  socketTimeout: 120_000,
  idleTimeout: 60_000,
} as const;

/**
 * The whole of one message, the wait for a pooled connection included: past it nodemailer
 * closes the connection (a server trickling its replies would hold it open for ever).
 */
export const SMTP_SEND_DEADLINE_MS = 240_000;

/** What a message carries through nodemailer to the stream plugin, under HANDOFF. */
interface Handoff {
  claim(): Promise<boolean>;
  /** The SMTP connection has read the whole message (after the server's go-ahead to DATA). */
  handedOver(): void;
}
const HANDOFF = 'staylaneHandoff';

class ClaimRefused extends Error {}

/**
 * Passes the message through once `claim` allows it, at the first byte nodemailer reads of
 * it, which happens only once a pooled connection is open (and logged in) for it. A refusal
 * fails the stream, so nodemailer closes the connection before the message's end: a server
 * takes a message only at its end. A stream made again for the same message (nodemailer
 * requeues one whose reused connection the server closed) asks again and gets the same answer.
 */
function claimGate(claim: () => Promise<boolean>): Transform {
  let allowed = false;
  const check = (pass: () => void, fail: (e: Error) => void) =>
    void claim().then((ok) => {
      if (!ok) return fail(new ClaimRefused('the delivery key is taken'));
      allowed = true;
      pass();
    }, fail);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (allowed) return done(null, chunk);
      check(() => done(null, chunk), done);
    },
    flush(done) {
      if (allowed) return done();
      check(() => done(), done);
    },
  });
}

/** The last stage before the SMTP connection: tells when the connection has read all of it. */
function handOverMarker(input: NodeJS.ReadableStream, handedOver: () => void): PassThrough {
  const output = new PassThrough();
  output.once('end', handedOver);
  // Errors of the message reach the connection through its stream.
  pipeline(input, output, () => undefined);
  return output;
}

const hasSmtpAnswer = (e: unknown) => typeof (e as { responseCode?: unknown }).responseCode === 'number';

/**
 * SMTP through nodemailer's pooled transport (`smtp://` or `smtps://` URL): up to 16
 * connections kept open and reused, rather than a connection, greeting and EHLO per e-mail.
 * The message is built by buildMime in one pass and handed over as is (nodemailer builds
 * only those with an international address). The key is claimed once a connection is ready
 * for the message, so a worker killed while connecting leaves it unclaimed; an error after
 * the whole message was handed over, with no answer from the server, is MailOutcomeUnknown.
 */
export function createSmtpTransport(url: string, options: { deadlineMs?: number } = {}): MailTransport {
  const deadlineMs = options.deadlineMs ?? SMTP_SEND_DEADLINE_MS;
  // As many connections as a worker runs handlers, so a message never waits long in the
  // pool for one; a connection is reused for 10,000 messages, not closed and opened anew every 100.
  const transporter = lazyTransporter((nodemailer) => {
    const made = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: SMTP_CONNECTIONS,
      maxMessages: 10_000,
      ...SMTP_TIMEOUTS,
    });
    made.use('stream', (mail, done) => {
      const handoff = (mail.data as Record<string, unknown>)[HANDOFF] as Handoff | undefined;
      if (handoff) {
        mail.message.transform(() => claimGate(() => handoff.claim()));
        mail.message.processFunc((input) => handOverMarker(input, () => handoff.handedOver()));
      }
      done();
    });
    return made;
  });
  return {
    kind: 'smtp',
    async deliver(mail, claim) {
      let refused = false;
      let handedOver = false;
      const handoff: Handoff = {
        async claim() {
          const ok = await claim();
          refused = !ok;
          return ok;
        },
        handedOver: () => (handedOver = true),
      };
      const raw = buildMime(mail);
      const sender = await transporter.get();
      const extra = { [HANDOFF]: handoff, signal: AbortSignal.timeout(deadlineMs) };
      try {
        if (raw === undefined) await sender.sendMail({ ...mail, ...extra });
        else await sender.sendMail({ envelope: { from: envelopeAddress(mail.from), to: [mail.to] }, raw, ...extra });
      } catch (e) {
        if (refused) return 'duplicate';
        // A refusal of the message is an answer; silence after all of it was sent is not.
        if (handedOver && !hasSmtpAnswer(e)) throw new MailOutcomeUnknown(e);
        throw e;
      }
      return refused ? 'duplicate' : 'sent';
    },
    close: () => transporter.close(),
  };
}
