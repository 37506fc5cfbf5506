import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inDays, propertyInput } from '#test/factories/properties.js';
import { parseMail, type ReceivedMail } from '#test/fakes/smtp-fake.js';
import { PASSWORD, uniqueEmail } from '#test/helpers.js';
import { sparePort } from '#test/kit/instances.js';

/**
 * The embedded product as a user meets it: `tsx src/composition/main.ts serve` on a fresh data
 * directory, driven over HTTP only, its background jobs running in the same process and
 * its e-mails written as .eml files.
 */
const root = path.resolve(import.meta.dirname, '..');

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('embedded mode end to end (a real server process)', () => {
  let dataDir: string;
  let server: ChildProcess;
  let base: string;
  let output = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-e2e-'));
    // The sandbox checkout posts its webhook to PUBLIC_URL: the port is chosen before start.
    const port = await sparePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['src/composition/main.ts', 'serve'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: dataDir,
        PORT: String(port),
        PUBLIC_URL: base,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 90_000);
      const onData = () => {
        if (!output.includes('Staylane listening on')) return;
        clearTimeout(timer);
        server.stdout!.off('data', onData);
        resolve();
      };
      server.stdout!.on('data', onData);
      server.once('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  /**
   * One call as a client makes it. A 503 `overloaded` is refused before any handler runs, so
   * it is retried like a client honouring Retry-After would (shortened): on a busy machine
   * the embedded server's event loop can lag past the shedding threshold while PGlite works.
   */
  async function api<T>(method: string, url: string, body?: unknown, token?: string): Promise<T> {
    const send = () =>
      fetch(`${base}${url}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    let res = await send();
    for (
      let retry = 0;
      retry < 10 && res.status === 503 && (await res.clone().text()).includes('"overloaded"');
      retry++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      res = await send();
    }
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  const signUp = (role: 'guest' | 'host') =>
    api<{ accessToken: string; user: { email: string } }>('POST', '/v1/auth/register', {
      email: uniqueEmail(role),
      password: PASSWORD,
      firstName: role === 'host' ? 'Hana' : 'Gus',
      lastName: 'Test',
      role,
    });

  async function mailbox(): Promise<ReceivedMail[]> {
    const dir = path.join(dataDir, 'mail');
    const files = await readdir(dir).catch(() => [] as string[]);
    return Promise.all(
      files.filter((f) => f.endsWith('.eml')).map(async (f) => parseMail(await readFile(path.join(dir, f), 'utf8'))),
    );
  }

  it('register, list, book, pay on the sandbox page: the booking is confirmed and its four e-mails are written', async () => {
    const [host, guest] = await Promise.all([signUp('host'), signUp('guest')]);
    const property = await api<{ id: string; title: string }>(
      'POST',
      '/v1/properties',
      propertyInput(),
      host.accessToken,
    );
    const booking = await api<{ id: string; status: string }>(
      'POST',
      '/v1/bookings',
      { propertyId: property.id, checkIn: inDays(20), checkOut: inDays(23), guests: 1 },
      guest.accessToken,
    );
    expect(booking.status).toBe('pending');
    // A hold e-mail whose job runs after the payment is dropped ("pay now" no longer applies):
    // the guest reads it first, as they would.
    const heldSubject = `Your booking of ${property.title} is held: pay to confirm it`;
    await until('the hold e-mail', async () =>
      (await mailbox()).find((m) => m.headers.to === guest.user.email && (m.headers.subject ?? '') === heldSubject),
    );
    const payment = await api<{ checkoutUrl: string }>(
      'POST',
      `/v1/bookings/${booking.id}/payments`,
      undefined,
      guest.accessToken,
    );

    // The checkout page as a browser gets it, then its Pay form submitted as a browser would.
    const page = await fetch(payment.checkoutUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    const form = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].find((m) =>
      /action="[^"]*\/pay"/.test(m[1]!),
    );
    expect(form).toBeDefined();
    const action = /action="([^"]+)"/.exec(form![1]!)![1]!;
    expect(/method="(\w+)"/i.exec(form![1]!)?.[1]?.toLowerCase()).toBe('post');
    const fields = new URLSearchParams();
    for (const input of form![2]!.matchAll(/<input\b[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(input[0])?.[1];
      if (name) fields.append(name, /value="([^"]*)"/.exec(input[0])?.[1] ?? '');
    }
    const paid = await fetch(new URL(action, payment.checkoutUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
    expect(paid.status).toBe(200);

    await until('the booking confirmed', async () => {
      const b = await api<{ status: string }>('GET', `/v1/bookings/${booking.id}`, undefined, guest.accessToken);
      return b.status === 'confirmed' ? b : undefined;
    });

    // The in-process worker writes them as their jobs run.
    const expected = [
      { to: guest.user.email, subject: heldSubject },
      { to: guest.user.email, subject: `Booking confirmed: ${property.title}` },
      { to: host.user.email, subject: `New booking: ${property.title}` },
      { to: guest.user.email, subject: 'Receipt: ' },
    ];
    const mails = await until('the booking e-mails', async () => {
      const all = await mailbox();
      const found = expected.map((e) =>
        all.find((m) => m.headers.to === e.to && (m.headers.subject ?? '').startsWith(e.subject)),
      );
      return found.every(Boolean) ? (found as ReceivedMail[]) : undefined;
    }).catch(async (e: unknown) => {
      const seen = (await mailbox()).map((m) => `${m.headers.to}: ${m.headers.subject ?? ''}`);
      throw new Error(`${(e as Error).message}; written: ${seen.join(' | ')}`);
    });
    for (const mail of mails) {
      expect(mail.text).toContain(property.title);
      expect(mail.headers['message-id']).toMatch(/^<[0-9a-f]{64}@127\.0\.0\.1>$/);
    }
    expect(mails[3]!.text).toMatch(/receipt|paid|payment/i);
    // Each once, whatever the runs: no second copy of any of them.
    const all = await mailbox();
    for (const mail of mails) {
      expect(all.filter((m) => m.headers['message-id'] === mail.headers['message-id'])).toHaveLength(1);
    }
  }, 120_000);
});
