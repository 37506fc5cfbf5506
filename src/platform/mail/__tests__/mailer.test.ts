import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '#test/helpers.js';
import { startSmtpFake, type SmtpFake } from '#test/fakes/smtp-fake.js';
import { systemClock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import {
  createFileTransport,
  createMailer,
  createSmtpTransport,
  findDelivery,
  messageIdFor,
  renderEmail,
  type Mailer,
  type MailMessage,
} from '../index.js';

const HOST = 'staylane.example.com';
let database: Database;
let smtp: SmtpFake;
let mailer: Mailer;
let n = 0;
const key = (tag: string) => `test-${tag}:${Date.now().toString(36)}-${++n}`;

const message = (dedupeKey: string, firstName = 'Ada'): MailMessage => ({
  to: 'guest@example.com',
  dedupeKey,
  ...renderEmail({
    subject: `Welcome, ${firstName}`,
    paragraphs: [`Hello ${firstName},`, 'Your stay is booked.'],
    action: { label: 'See the booking', url: 'https://staylane.example.com/bookings/1?a=1&b=2' },
  }),
});

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtpFake();
  mailer = createMailer({
    db: database.db,
    clock: systemClock,
    transport: createSmtpTransport(smtp.url),
    from: 'Staylane <no-reply@staylane.example.com>',
    messageIdHost: HOST,
  });
});

afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await database?.close();
});

describe('SMTP mailer', () => {
  it('delivers a text and an HTML part with user values escaped and a Message-ID from the key', async () => {
    const k = key('escape');
    expect(await mailer.send(message(k, '<script>alert(1)</script>'))).toBe('sent');
    const got = await smtp.waitFor((m) => m.headers['message-id'] === messageIdFor(k, HOST));
    expect(got.headers['message-id']).toMatch(new RegExp(`^<[0-9a-f]{64}@${HOST.replace(/\./g, '\\.')}>$`));
    expect(got.headers.from).toContain('no-reply@staylane.example.com');
    expect(got.headers.to).toBe('guest@example.com');
    expect(got.text).toContain('Hello <script>alert(1)</script>,');
    expect(got.text).toContain('https://staylane.example.com/bookings/1?a=1&b=2');
    expect(got.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(got.html).not.toContain('<script>');
    expect(got.html).toContain('href="https://staylane.example.com/bookings/1?a=1&amp;b=2"');
    const row = await findDelivery(database.db, k);
    expect(row).toMatchObject({ state: 'sent', recipient: 'guest@example.com', messageId: messageIdFor(k, HOST) });
    expect(row?.sentAt).toBeInstanceOf(Date);
  });

  it('keeps a subject and body outside ASCII intact, and sends to an international address', async () => {
    const k = key('utf8');
    const name = 'Zoë 東京 '.repeat(12).trim();
    expect(await mailer.send(message(k, name))).toBe('sent');
    const got = await smtp.waitFor((m) => m.headers['message-id'] === messageIdFor(k, HOST));
    // RFC 2047 words on folded lines, each whole characters and short enough for a header line.
    const header = /^Subject: (.*(?:\r\n .*)*)/m.exec(got.raw)![1]!;
    const words = header.split(/\r\n /);
    for (const w of words) expect(w).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]{1,60}\?=$/);
    const subject = words.map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8')).join('');
    expect(subject).toBe(`Welcome, ${name}`);
    // As a mail client shows it.
    expect(got.headers.subject).toBe(`Welcome, ${name}`);
    expect(got.text).toContain(`Hello ${name},`);
    expect(got.raw).not.toMatch(/[^\r]\n/);
    // Body and subject lines within 78 characters (the ids in Message-ID and the boundary are longer).
    const lines = got.raw.split('\r\n').filter((l) => !/^(Message-ID|Content-Type):/i.test(l));
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(78);

    const k2 = key('idn');
    expect(await mailer.send({ ...message(k2), to: 'gäst@exämple.com' })).toBe('sent');
    const idn = await smtp.waitFor((m) => m.headers['message-id'] === messageIdFor(k2, HOST));
    expect(idn.text).toContain('Hello Ada,');
  });

  it('records a key with commas, quotes and backslashes as sent', async () => {
    const k = key('odd,"key"\\{x}');
    expect(await mailer.send(message(k))).toBe('sent');
    expect(await findDelivery(database.db, k)).toMatchObject({ state: 'sent' });
    expect(await mailer.send(message(k))).toBe('duplicate');
  });

  it('sends one message for a key, however often and however concurrently it is sent', async () => {
    const k = key('dup');
    const before = smtp.received.length;
    expect(await mailer.send(message(k))).toBe('sent');
    expect(await mailer.send(message(k))).toBe('duplicate');
    const k2 = key('race');
    const results = await Promise.all(Array.from({ length: 8 }, () => mailer.send(message(k2))));
    expect(results.filter((r) => r === 'sent')).toHaveLength(1);
    // Every send has returned, so all the mailer let out was answered by the server: one per key.
    expect(await findDelivery(database.db, k)).toMatchObject({ state: 'sent' });
    expect(await findDelivery(database.db, k2)).toMatchObject({ state: 'sent' });
    expect(smtp.received.filter((m) => m.headers['message-id'] === messageIdFor(k2, HOST))).toHaveLength(1);
    expect(smtp.received.length - before).toBe(2);
  });

  it('marks a failed send failed, and a retry sends it once with the same Message-ID', async () => {
    const k = key('fail');
    smtp.failNext(1);
    await expect(mailer.send(message(k))).rejects.toThrow();
    const failed = await findDelivery(database.db, k);
    expect(failed).toMatchObject({ state: 'failed', sentAt: null });
    expect(failed?.lastError).toMatch(/451|Try again/);
    expect(smtp.received.some((m) => m.headers['message-id'] === messageIdFor(k, HOST))).toBe(false);

    expect(await mailer.send(message(k))).toBe('sent');
    expect(await mailer.send(message(k))).toBe('duplicate');
    expect(smtp.received.filter((m) => m.headers['message-id'] === messageIdFor(k, HOST))).toHaveLength(1);
    expect(await findDelivery(database.db, k)).toMatchObject({ state: 'sent', lastError: null });
  });

  it('marks a sent message sent although the database refused the marking once (a restart), so its key is not left in doubt', async () => {
    const k = key('restart');
    let calls = 0;
    // Statements in order: the taken-key lookup, the claim, the sent-marking (refused once).
    const flaky = new Proxy(database.db, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (prop !== 'execute') return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
        return (...args: unknown[]) =>
          ++calls === 3
            ? Promise.reject(new Error('terminating connection due to administrator command'))
            : (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      },
    });
    const restarting = createMailer({
      db: flaky,
      clock: systemClock,
      transport: createSmtpTransport(smtp.url),
      from: 'Staylane <no-reply@staylane.example.com>',
      messageIdHost: HOST,
    });
    try {
      expect(await restarting.send(message(k))).toBe('sent');
    } finally {
      restarting.close();
    }
    expect(calls).toBe(4);
    expect(await findDelivery(database.db, k)).toMatchObject({ state: 'sent' });
    expect(smtp.received.filter((m) => m.headers['message-id'] === messageIdFor(k, HOST))).toHaveLength(1);
  });

  it('refuses line breaks in the recipient or subject (header injection) and sends nothing', async () => {
    const k = key('inject');
    await expect(mailer.send({ ...message(k), subject: 'Hi\r\nBcc: victim@example.com' })).rejects.toMatchObject({
      code: 'invalid_mail_header',
    });
    await expect(mailer.send({ ...message(k), to: 'a@example.com\nBcc: b@example.com' })).rejects.toMatchObject({
      code: 'invalid_mail_header',
    });
    await expect(mailer.send({ ...message(k), to: 'a@example.com, b@example.com' })).rejects.toMatchObject({
      code: 'invalid_mail_header',
    });
    expect(await findDelivery(database.db, k)).toBeUndefined();
  });

  it('keeps user line breaks out of a rendered subject', () => {
    expect(renderEmail({ subject: 'Hi\r\nBcc: x@example.com', paragraphs: [] }).subject).toBe('Hi Bcc: x@example.com');
  });
});

describe('embedded mailer (.eml files)', () => {
  it('writes one RFC 5322 file per message, none for a duplicate', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'staylane-mail-')), 'mail');
    const lines: Record<string, unknown>[] = [];
    const log = { info: (f: Record<string, unknown>) => lines.push(f), warn: () => undefined };
    const files = createMailer({
      db: database.db,
      clock: systemClock,
      transport: createFileTransport(dir, log),
      from: 'no-reply@staylane.example.com',
      messageIdHost: HOST,
    });
    const [a, b] = [key('file-a'), key('file-b')];
    expect(await files.send(message(a))).toBe('sent');
    expect(await files.send(message(b, '<b>Bo</b>'))).toBe('sent');
    expect(await files.send(message(a))).toBe('duplicate');
    const names = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
    expect(names).toHaveLength(2);
    const raws = await Promise.all(names.map((f) => readFile(path.join(dir, f), 'utf8')));
    const ids = raws.map((r) => /^Message-ID:\s*(<[^>]+>)/im.exec(r)?.[1]);
    expect(ids.sort()).toEqual([messageIdFor(a, HOST), messageIdFor(b, HOST)].sort());
    for (const raw of raws) {
      expect(raw).toMatch(/\r\n\r\n/);
      expect(raw).not.toMatch(/[^\r]\n/);
      expect(raw).toMatch(/^Content-Type: multipart\/alternative/m);
    }
    // The log line names the message, never its body (which carries links with tokens).
    expect(lines).toHaveLength(2);
    expect(JSON.stringify(lines)).not.toContain('bookings/1');
    files.close();
  });
});
