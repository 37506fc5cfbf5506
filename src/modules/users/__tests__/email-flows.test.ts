import { readdir, readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestApp, graphql, PASSWORD, register, rowsOf, runDueJobs, uniqueEmail } from '#test/helpers.js';
import type { ReceivedMail } from '#test/fakes/smtp-fake.js';
import { deliveriesTo, jobsOf, useTimeTravel } from '#test/kit/scenario.js';

const t = useTimeTravel();
const { clock } = t;

const post = (url: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, payload });
// The e-mails are outbox jobs: run what is due, then wait for the message.
const mailTo = async (email: string, subject: RegExp) => {
  await t.runJobs();
  return t.smtp.waitFor((m) => m.headers.to === email && subject.test(m.headers.subject ?? ''));
};
const tokenIn = (mail: ReceivedMail) => {
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error('no token in the e-mail');
  return token;
};
const NEW_PASSWORD = 'violet tractor umbrella';

describe('verify e-mail', () => {
  it('register e-mails a link; the token verifies the address once', async () => {
    const email = uniqueEmail('verify');
    const session = await register(t.app, { email, firstName: '<script>x</script>' });
    const mail = await mailTo(email, /Confirm your e-mail/);
    expect(mail.headers['message-id']).toMatch(/^<[0-9a-f]{64}@stays\.example\.com>$/);
    expect(mail.text).toContain('https://stays.example.com/verify-email?token=');
    expect(mail.text).toContain('Hello <script>x</script>,');
    expect(mail.html).toContain('Hello &lt;script&gt;x&lt;/script&gt;,');
    expect(mail.html).not.toContain('<script>');

    const token = tokenIn(mail);
    const res = await post('/v1/auth/verify-email', { token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: session.user.id, email, emailVerified: true });
    const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: session.auth });
    expect(me.json()).toMatchObject({ emailVerified: true });

    const again = await post('/v1/auth/verify-email', { token });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ code: 'invalid_token' });
  });

  it('refuses an unknown token and one older than an hour', async () => {
    expect((await post('/v1/auth/verify-email', { token: 'nope' })).json()).toMatchObject({ code: 'invalid_token' });
    const email = uniqueEmail('verify-late');
    await register(t.app, { email });
    const token = tokenIn(await mailTo(email, /Confirm your e-mail/));
    clock.offsetMs = 60 * 60_000 + 1000;
    const res = await post('/v1/auth/verify-email', { token });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'invalid_token' });
  });
});

describe('password reset', () => {
  it('answers 202 for an unknown e-mail and sends nothing', async () => {
    const email = uniqueEmail('nobody');
    const res = await post('/v1/auth/password-reset/request', { email });
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe('');
    expect((await t.runJobs()).done).toBeGreaterThanOrEqual(1);
    // The job ran, found no account, and claimed no e-mail for the address.
    expect(await jobsOf(t, 'users.send-password-reset-email', { email })).toMatchObject([{ state: 'done' }]);
    expect(await deliveriesTo(t, email)).toEqual([]);
    expect(t.smtp.received.some((m) => m.headers.to === email)).toBe(false);
  });

  it('e-mails a link; confirm sets the password, revokes sessions, and works once', async () => {
    const email = uniqueEmail('reset');
    const session = await register(t.app, { email });
    const res = await post('/v1/auth/password-reset/request', { email: email.toUpperCase() });
    expect(res.statusCode).toBe(202);
    const mail = await mailTo(email, /Reset your password/);
    expect(mail.text).toContain('https://stays.example.com/reset-password?token=');
    const token = tokenIn(mail);

    const weak = await post('/v1/auth/password-reset/confirm', { token, password: 'password12' });
    expect(weak.statusCode).toBe(422);
    expect(weak.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'password' }] });

    expect((await t.app.inject({ url: '/v1/me', headers: session.auth })).statusCode).toBe(200);
    const ok = await post('/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(ok.statusCode).toBe(204);

    // Every session ended, access tokens already issued included; the old password is gone,
    // the new one works.
    const me = await t.app.inject({ url: '/v1/me', headers: session.auth });
    expect(me.statusCode).toBe(401);
    expect(me.json()).toMatchObject({ code: 'session_ended' });
    const gqlMe = await graphql(t.app, '{ me { id } }', {}, session.auth);
    expect(gqlMe.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await post('/v1/auth/refresh', { refreshToken: session.refreshToken })).statusCode).toBe(401);
    expect((await post('/v1/auth/login', { email, password: PASSWORD })).statusCode).toBe(401);
    const login = await post('/v1/auth/login', { email, password: NEW_PASSWORD });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ user: { emailVerified: true } });

    const reused = await post('/v1/auth/password-reset/confirm', { token, password: 'another fine passphrase' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'invalid_token' });
  });

  it('lets only one of two concurrent confirms spend a token, and a reset kills other reset links', async () => {
    const email = uniqueEmail('reset-race');
    await register(t.app, { email });
    await post('/v1/auth/password-reset/request', { email });
    const first = tokenIn(await mailTo(email, /Reset your password/));
    // Past the one-mail-per-2-minutes limit of the address, so the second request sends too.
    clock.offsetMs = 2 * 60_000 + 1000;
    await post('/v1/auth/password-reset/request', { email });
    await t.runJobs();
    const second = tokenIn(
      await t.smtp.waitFor(
        (m) => m.headers.to === email && /Reset/.test(m.headers.subject ?? '') && !m.text.includes(first),
      ),
    );
    const results = await Promise.all(
      [0, 1, 2].map(() => post('/v1/auth/password-reset/confirm', { token: first, password: NEW_PASSWORD })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 422, 422]);
    const other = await post('/v1/auth/password-reset/confirm', { token: second, password: NEW_PASSWORD });
    expect(other.json()).toMatchObject({ code: 'invalid_token' });
  });

  it('refuses a reset token older than an hour', async () => {
    const email = uniqueEmail('reset-late');
    await register(t.app, { email });
    await post('/v1/auth/password-reset/request', { email });
    const token = tokenIn(await mailTo(email, /Reset your password/));
    clock.offsetMs = 60 * 60_000 + 1000;
    const res = await post('/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(res.json()).toMatchObject({ code: 'invalid_token' });
    clock.offsetMs = 0;
    expect((await post('/v1/auth/login', { email, password: PASSWORD })).statusCode).toBe(200);
  });

  it('refuses unknown fields and bad e-mails (422)', async () => {
    expect((await post('/v1/auth/password-reset/request', { email: 'x' })).statusCode).toBe(422);
    expect(
      (await post('/v1/auth/password-reset/confirm', { token: 'a', password: NEW_PASSWORD, x: 1 })).statusCode,
    ).toBe(422);
  });
});

describe('mail anyone can send to an address', () => {
  const RESET = '/v1/auth/password-reset/request';
  const RESEND = '/v1/auth/verify-email/resend';
  /** The e-mails that left for `email` (the de-duplication claims the mailer writes). */
  const sent = async (email: string, subject: string) =>
    (
      await rowsOf<{ n: number }>(
        t.container.database.db,
        sql`select count(*)::int as n from mail_deliveries where recipient = ${email} and subject = ${subject}`,
      )
    )[0]!.n;
  /** 10 requests for one address from 10 client addresses at once: all answered 202. */
  const bomb = async (url: string, email: string) => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.app.inject({ method: 'POST', url, payload: { email }, remoteAddress: `203.0.113.${i + 1}` }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(202));
    expect(answers.every((a) => a.body === '')).toBe(true);
    await t.runJobs();
  };
  const twoMinutesLater = () => {
    clock.offsetMs += 2 * 60_000 + 1000;
  };

  it('sends one reset e-mail per 2 minutes and 5 a day to an address, however many clients ask', async () => {
    const email = uniqueEmail('bombed');
    await register(t.app, { email });
    await bomb(RESET, email);
    expect(await sent(email, 'Reset your password')).toBe(1);
    for (let n = 2; n <= 5; n++) {
      twoMinutesLater();
      await bomb(RESET, email);
      expect(await sent(email, 'Reset your password')).toBe(n);
    }
    twoMinutesLater();
    await bomb(RESET, email);
    expect(await sent(email, 'Reset your password')).toBe(5);
    // Verification resends share the address's day.
    twoMinutesLater();
    await bomb(RESEND, email);
    expect(await sent(email, 'Confirm your e-mail address')).toBe(1);
  });

  it('counts an address without an account the same way: one job queued for ten requests', async () => {
    const email = uniqueEmail('no-account');
    await bomb(RESET, email);
    const queued = await rowsOf<{ n: number }>(
      t.container.database.db,
      sql`select count(*)::int as n from jobs where kind = 'users.send-password-reset-email' and payload->>'email' = ${email}`,
    );
    expect(queued[0]!.n).toBe(1);
    expect(await sent(email, 'Reset your password')).toBe(0);
  });

  it('resends the verification e-mail to an unverified account, whose own registration mail is not counted', async () => {
    const email = uniqueEmail('resend');
    await register(t.app, { email });
    const first = await mailTo(email, /Confirm your e-mail/);
    const res = await post(RESEND, { email: email.toUpperCase() });
    expect(res.statusCode).toBe(202);
    await t.runJobs();
    expect(await sent(email, 'Confirm your e-mail address')).toBe(2);
    const latest = await t.smtp.waitFor(
      (m) => m !== first && m.headers.to === email && /Confirm/.test(m.headers.subject ?? ''),
    );
    expect((await post('/v1/auth/verify-email', { token: tokenIn(latest) })).statusCode).toBe(200);

    // Verified now: a resend sends nothing, and still answers 202.
    twoMinutesLater();
    expect((await post(RESEND, { email })).statusCode).toBe(202);
    await t.runJobs();
    expect(await sent(email, 'Confirm your e-mail address')).toBe(2);
    expect((await post(RESEND, { email: 'x' })).statusCode).toBe(422);
  });
});

describe('over GraphQL', () => {
  it('verifies an address and resets a password with the same tokens and rules', async () => {
    const email = uniqueEmail('gql-mail');
    const session = await register(t.app, { email });
    const verifyToken = tokenIn(await mailTo(email, /Confirm your e-mail/));
    const verified = await graphql(t.app, 'mutation($t: String!) { verifyEmail(token: $t) { id emailVerified } }', {
      t: verifyToken,
    });
    expect(verified.body.data).toEqual({ verifyEmail: { id: session.user.id, emailVerified: true } });

    const unknown = await graphql(t.app, 'mutation { requestPasswordReset(email: "nobody-gql@example.com") }');
    expect(unknown.body.data).toEqual({ requestPasswordReset: true });
    const requested = await graphql(t.app, 'mutation($e: String!) { requestPasswordReset(email: $e) }', { e: email });
    expect(requested.body.data).toEqual({ requestPasswordReset: true });
    const token = tokenIn(await mailTo(email, /Reset your password/));
    const confirm = 'mutation($t: String!, $p: String!) { confirmPasswordReset(token: $t, password: $p) }';
    expect((await graphql(t.app, confirm, { t: token, p: NEW_PASSWORD })).body.data).toEqual({
      confirmPasswordReset: true,
    });
    const reused = await graphql(t.app, confirm, { t: token, p: NEW_PASSWORD });
    expect(reused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'invalid_token' });
    expect((await post('/v1/auth/refresh', { refreshToken: session.refreshToken })).statusCode).toBe(401);
  });
});

describe('embedded mode', () => {
  it('writes the verification e-mail as an .eml file under DATA_DIR/mail', async () => {
    const embedded = await createTestApp();
    try {
      const email = uniqueEmail('embedded');
      await register(embedded.app, { email });
      expect((await runDueJobs(embedded)).done).toBe(1);
      const dir = path.join(embedded.container.config.dataDir, 'mail');
      let files: string[] = [];
      for (let i = 0; i < 100 && files.length === 0; i++) {
        files = await readdir(dir).catch(() => []);
        if (files.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
      expect(files).toHaveLength(1);
      const raw = await readFile(path.join(dir, files[0]!), 'utf8');
      expect(raw).toContain(`To: ${email}`);
      expect(raw).toMatch(/^Message-ID:/m);
    } finally {
      await embedded.close();
    }
  });
});
