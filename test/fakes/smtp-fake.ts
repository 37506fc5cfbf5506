import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the fake SMTP server received it, with its parts decoded. */
export interface ReceivedMail {
  raw: string;
  headers: Record<string, string>;
  text: string;
  html: string;
}

export interface SmtpFake {
  url: string;
  received: ReceivedMail[];
  /** Refuse the next `n` messages after DATA (a 451, as a busy server would). */
  failNext(n: number): void;
  /**
   * From now on, answer each message only on `release()`: it counts as received once its
   * data is in (as a real server has it queued), while its sender still waits for the reply.
   */
  hold(): void;
  /** Answers every held message and stops holding. */
  release(): void;
  /** Messages received and not answered yet. */
  readonly held: number;
  /** Waits until a message matching `predicate` arrived (mail may leave after the response). */
  waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startSmtpFake(): Promise<SmtpFake> {
  const received: ReceivedMail[] = [];
  let failures = 0;
  let holding = false;
  const unanswered: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failures > 0) {
          failures--;
          return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        }
        received.push(parseMail(Buffer.concat(chunks).toString('utf8')));
        if (holding) unanswered.push(() => callback());
        else callback();
      });
    },
  });
  // A client that died while its message was held leaves a closed socket behind.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    failNext: (n) => {
      failures = n;
    },
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const answer of unanswered.splice(0)) answer();
    },
    get held() {
      return unanswered.length;
    },
    async waitFor(predicate, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        if (Date.now() > until) throw new Error('no matching message arrived');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

/** Just enough MIME for the messages nodemailer builds: headers, text and HTML parts. */
export function parseMail(raw: string): ReceivedMail {
  const { headers, body } = splitHeaders(raw);
  const parts: Record<string, string> = {};
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1, -1)) {
      const part = splitHeaders(chunk.replace(/^\r?\n/, ''));
      const type = (part.headers['content-type'] ?? '').split(';')[0]!.trim();
      parts[type] = decode(part.body, part.headers['content-transfer-encoding']);
    }
  } else {
    parts[(headers['content-type'] ?? 'text/plain').split(';')[0]!.trim()] = decode(
      body,
      headers['content-transfer-encoding'],
    );
  }
  return { raw, headers, text: parts['text/plain'] ?? '', html: parts['text/html'] ?? '' };
}

function splitHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, at).replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  return { headers, body: raw.slice(at).replace(/^\r?\n\r?\n/, '') };
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), as a mail client shows them. */
function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi;
  // Whitespace between two adjacent encoded words is not part of the text.
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(word, (_m, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_h, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function decode(body: string, encoding = '7bit'): string {
  const enc = encoding.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}
