import { randomBytes } from 'node:crypto';

/** What buildMime needs of a message (the transport's OutgoingMail). */
export interface MimeInput {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// A subject up to this long stays one unencoded header line (RFC 5322 allows 998 characters).
const MAX_PLAIN_SUBJECT = 900;
// UTF-8 bytes per encoded word: 52 base64 characters, 64 with `=?UTF-8?B?…?=`, so even the
// first line, after "Subject: ", stays within 78 characters.
const WORD_BYTES = 39;

/**
 * The message as one string (RFC 5322, CRLF line ends): a multipart/alternative of the text
 * and HTML parts, each UTF-8 in base64; a subject that is not plain ASCII is RFC 2047
 * encoded. Built in one pass, rather than through a tree of streams per message. Returns
 * undefined for a sender or recipient that is not printable ASCII (an international
 * address needs nodemailer's handling), and the caller lets nodemailer build it.
 */
export function buildMime(mail: MimeInput, date: Date = new Date()): string | undefined {
  if (!PRINTABLE_ASCII.test(mail.from) || !PRINTABLE_ASCII.test(mail.to)) return undefined;
  const boundary = `_staylane_${randomBytes(12).toString('hex')}`;
  return [
    `From: ${mail.from}`,
    `To: ${mail.to}`,
    `Subject: ${encodeSubject(mail.subject)}`,
    `Message-ID: ${mail.messageId}`,
    `Date: ${date.toUTCString().replace(/GMT$/, '+0000')}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(mail.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(mail.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** Envelope sender: the address in `Name <address>`, or the whole value when it is a bare address. */
export function envelopeAddress(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}

/** A text part in canonical form (CRLF line breaks, RFC 2045), base64 in lines of 76. */
function base64Lines(value: string): string {
  const encoded = Buffer.from(value.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines.join('\r\n');
}

function encodeSubject(subject: string): string {
  if (PRINTABLE_ASCII.test(subject) && subject.length <= MAX_PLAIN_SUBJECT) return subject;
  // Whole characters per encoded word: a word must not split a character's bytes.
  const words: string[] = [];
  let word = '';
  let bytes = 0;
  for (const ch of subject) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > WORD_BYTES && word) {
      words.push(word);
      word = '';
      bytes = 0;
    }
    word += ch;
    bytes += size;
  }
  if (word) words.push(word);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}
