import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '#test/helpers.js';
import { startSmtpFake, type SmtpFake } from '#test/fakes/smtp-fake.js';
import type { Database } from '../../db/client.js';
import { runAsJob } from '../../jobs/current-job.js';
import {
  createMailer,
  createSmtpTransport,
  findDelivery,
  MailOutcomeUnknown,
  messageIdFor,
  SMTP_SEND_DEADLINE_MS,
  SMTP_TIMEOUTS,
  type MailMessage,
} from '../index.js';

const HOST = 'staylane.example.com';
const FROM = 'Staylane <no-reply@staylane.example.com>';
let database: Database;
let smtp: SmtpFake;
let n = 0;
const key = (tag: string) => `claims-${tag}:${Date.now().toString(36)}-${++n}`;
const message = (dedupeKey: string): MailMessage => ({
  to: 'guest@example.com',
  subject: 'Your stay',
  text: 'Hello',
  html: '<p>Hello</p>',
  dedupeKey,
});
/** A clock the test sets. */
const clock = { at: new Date('2031-03-04T05:06:07.890Z'), now: () => clock.at };
const received = (k: string) => smtp.received.filter((m) => m.headers['message-id'] === messageIdFor(k, HOST)).length;

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtpFake();
});

afterAll(async () => {
  await smtp?.close();
  await database?.close();
});

describe('delivery claims', () => {
  it('record when and by which job a key was claimed, and again when a failed key is claimed anew', async () => {
    const mailer = createMailer({
      db: database.db,
      clock,
      transport: createSmtpTransport(smtp.url),
      from: FROM,
      messageIdHost: HOST,
    });
    try {
      const k = key('job');
      const [first, second] = [randomUUID(), randomUUID()];
      smtp.failNext(1);
      await expect(runAsJob(first, () => mailer.send(message(k)))).rejects.toThrow();
      expect(await findDelivery(database.db, k)).toMatchObject({
        state: 'failed',
        jobId: first,
        claimedAt: clock.at,
      });

      const retriedAt = new Date(clock.at.getTime() + 60_000);
      clock.at = retriedAt;
      expect(await runAsJob(second, () => mailer.send(message(k)))).toBe('sent');
      expect(await findDelivery(database.db, k)).toMatchObject({ state: 'sent', jobId: second, claimedAt: retriedAt });

      // Outside a job: no job id.
      const outside = key('outside');
      expect(await mailer.send(message(outside))).toBe('sent');
      expect(await findDelivery(database.db, outside)).toMatchObject({ state: 'sent', jobId: null });
      expect(received(k) + received(outside)).toBe(2);
    } finally {
      mailer.close();
    }
  });

  it('are made only once a connection is ready: a sender stopped while connecting leaves nothing claimed', async () => {
    // A server that holds its greeting until the test lets it go.
    const greetings: (() => void)[] = [];
    let delivered = 0;
    const slow = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onConnect(_session, callback) {
        greetings.push(() => callback());
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => {
          delivered++;
          callback();
        });
      },
    });
    slow.on('error', () => undefined);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const port = (slow.server.address() as AddressInfo).port;
    const mailer = createMailer({
      db: database.db,
      clock,
      transport: createSmtpTransport(`smtp://127.0.0.1:${port}`),
      from: FROM,
      messageIdHost: HOST,
    });
    try {
      const k = key('connecting');
      const sending = mailer.send(message(k));
      for (let i = 0; greetings.length === 0 && i < 250; i++) await sleep(20);
      expect(greetings).toHaveLength(1);
      // Connected, no greeting yet: a worker killed now would leave no claim behind.
      expect(await findDelivery(database.db, k)).toBeUndefined();
      greetings.shift()!();
      expect(await sending).toBe('sent');
      expect(await findDelivery(database.db, k)).toMatchObject({ state: 'sent' });
      expect(delivered).toBe(1);
    } finally {
      mailer.close();
      await new Promise<void>((resolve) => slow.close(resolve));
    }
  });

  it('stay claimed when the server took the whole message and never answered, so no retry sends it twice', async () => {
    const mailer = createMailer({
      db: database.db,
      clock,
      transport: createSmtpTransport(smtp.url, { deadlineMs: 500 }),
      from: FROM,
      messageIdHost: HOST,
    });
    const k = key('silent');
    smtp.hold();
    try {
      await expect(mailer.send(message(k))).rejects.toBeInstanceOf(MailOutcomeUnknown);
    } finally {
      smtp.release();
    }
    try {
      // The server has it; the key is neither sent nor released.
      expect(received(k)).toBe(1);
      expect(await findDelivery(database.db, k)).toMatchObject({ state: 'sending', sentAt: null });
      expect(await mailer.send(message(k))).toBe('duplicate');
      expect(received(k)).toBe(1);
    } finally {
      mailer.close();
    }
  });

  it('bound every SMTP step below the shortest MAIL_SENDING_TIMEOUT_SECONDS (300 s)', () => {
    for (const ms of Object.values(SMTP_TIMEOUTS)) expect(ms).toBeLessThan(SMTP_SEND_DEADLINE_MS);
    expect(SMTP_SEND_DEADLINE_MS).toBeLessThan(300_000);
  });
});
