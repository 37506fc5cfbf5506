import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { QUEUE_BOARD_AUDIENCE, QUEUE_BOARD_COOKIE } from '../src/composition/queue-board.js';
import { createTestApp, register, registerAdmin, testEnv, useTestApp, type TestApp } from '#test/helpers.js';

// The dashboard lives where the queue does: production mode, PostgreSQL and Redis.
const redisUrl = process.env.TEST_REDIS_URL;
// Production mode is chosen by DATABASE_URL; the app still runs on the test's own database
// (createTestApp passes it in), so without a PostgreSQL server nothing connects to this URL.
const productionEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://unused@127.0.0.1:1/unused',
};

const openSession = (t: TestApp, headers: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: '/v1/admin/queues/session', headers });

/** The path of the page's first script (relative to its `<base href="/admin/queues/">`). */
function scriptOf(html: string): string {
  const src = /<script defer src="(static\/js\/[^"]+\.js)"/.exec(html)?.[1];
  if (!src) throw new Error('no script in the dashboard page');
  return `/admin/queues/${src}`;
}

function boardCookie(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie[0]! : setCookie!;
  return header.split(';')[0]!;
}

describe('the queue dashboard in embedded mode', () => {
  const testApp = useTestApp();

  it('does not exist (404), for admins too, and no session is handed out', async () => {
    const t = testApp();
    const admin = await registerAdmin(t);
    for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
      const res = await t.app.inject({ url, headers: admin.auth });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'route_not_found' });
    }
    const session = await openSession(t, admin.auth);
    expect(session.statusCode).toBe(404);
    expect(session.json()).toMatchObject({ code: 'queue_dashboard_not_found' });
    expect(session.headers['set-cookie']).toBeUndefined();
    const guest = await register(t.app);
    expect((await openSession(t, guest.auth)).statusCode).toBe(403);
    expect((await openSession(t, {})).statusCode).toBe(401);
  });
});

describe.skipIf(!redisUrl)('the queue dashboard in production mode', () => {
  const testApp = useTestApp({ env: productionEnv });

  it('refuses callers without credentials (401) and non-admins (403), on the page, its API and its assets', async () => {
    const t = testApp();
    const guest = await register(t.app);
    const page = await t.app.inject({ url: '/admin/queues', headers: (await registerAdmin(t)).auth });
    for (const url of ['/admin/queues', '/admin/queues/api/queues', scriptOf(page.body)]) {
      const anonymous = await t.app.inject({ url });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['content-type']).toContain('application/problem+json');
      const nonAdmin = await t.app.inject({ url, headers: guest.auth });
      expect(nonAdmin.statusCode).toBe(403);
      // A guest's own access token in the cookie gets no further.
      const cookie = await t.app.inject({ url, headers: { cookie: `${QUEUE_BOARD_COOKIE}=${guest.accessToken}` } });
      expect(cookie.statusCode).toBe(401);
    }
    expect((await openSession(t, guest.auth)).statusCode).toBe(403);
    expect((await openSession(t, {})).statusCode).toBe(401);
  });

  it('lets an admin in with a bearer token: the page, its assets and a read-only API', async () => {
    const t = testApp();
    const admin = await registerAdmin(t);
    const page = await t.app.inject({ url: '/admin/queues', headers: admin.auth });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<base href="/admin/queues/" />');
    expect((await t.app.inject({ url: scriptOf(page.body), headers: admin.auth })).statusCode).toBe(200);

    const api = await t.app.inject({ url: '/admin/queues/api/queues', headers: admin.auth });
    expect(api.statusCode).toBe(200);
    const queues = api.json<{ queues: { name: string; readOnlyMode: boolean }[] }>().queues;
    expect(queues).toEqual([expect.objectContaining({ name: 'staylane', readOnlyMode: true })]);
    // Retry and clean act on queue entries only: refused, the outbox keeps its own retry.
    const retry = await t.app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/staylane/retry/failed',
      headers: admin.auth,
    });
    expect(retry.statusCode).toBe(405);
  });

  it('trades an admin token for a short-lived HttpOnly, SameSite=Strict, Secure cookie scoped to the board', async () => {
    const t = testApp();
    const admin = await registerAdmin(t);
    const session = await openSession(t, admin.auth);
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ path: '/admin/queues' });
    const expiresIn = Date.parse(session.json<{ expiresAt: string }>().expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
    const setCookie = String(session.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${QUEUE_BOARD_COOKIE}=[\\w-]+\\.[\\w-]+\\.[\\w-]+; `));
    const attributes = setCookie.split('; ').slice(1);
    expect(attributes).toEqual(expect.arrayContaining(['Path=/admin/queues', 'HttpOnly', 'SameSite=Strict', 'Secure']));
    const maxAge = Number(attributes.find((a) => a.startsWith('Max-Age='))!.slice('Max-Age='.length));
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(15 * 60);

    const cookie = boardCookie(session.headers['set-cookie']);
    for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
      expect((await t.app.inject({ url, headers: { cookie: `theme=dark; ${cookie}` } })).statusCode).toBe(200);
    }
    // The board's token is no access token: the API refuses it.
    const token = cookie.slice(QUEUE_BOARD_COOKIE.length + 1);
    const me = await t.app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(401);
  });

  it('refuses an expired or forged cookie, and the cookie of an admin suspended since', async () => {
    const t = testApp();
    const admin = await registerAdmin(t);
    const secret = new TextEncoder().encode(testEnv().JWT_SECRET);
    const boardToken = (expiresAt: number, key = secret) =>
      // The cookie names the session of the token it was traded for, as the server's do.
      new SignJWT({
        role: 'admin',
        sid: JSON.parse(Buffer.from(admin.accessToken.split('.')[1]!, 'base64url').toString()).sid,
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(admin.user.id)
        .setIssuer('staylane')
        .setAudience(QUEUE_BOARD_AUDIENCE)
        .setIssuedAt(expiresAt - 900)
        .setExpirationTime(expiresAt)
        .sign(key);
    const now = Math.floor(Date.now() / 1000);
    const at = (token: string) =>
      t.app.inject({ url: '/admin/queues/api/queues', headers: { cookie: `${QUEUE_BOARD_COOKIE}=${token}` } });

    // The same claims, valid for a minute: accepted, so what follows is refused for its expiry.
    expect((await at(await boardToken(now + 60))).statusCode).toBe(200);
    const expired = await at(await boardToken(now - 5));
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'invalid_token' });
    const forged = await at(await boardToken(now + 60, new TextEncoder().encode('x'.repeat(40))));
    expect(forged.statusCode).toBe(401);

    const cookie = boardCookie((await openSession(t, admin.auth)).headers['set-cookie']);
    expect((await t.app.inject({ url: '/admin/queues', headers: { cookie } })).statusCode).toBe(200);
    const other = await registerAdmin(t);
    const suspend = await t.app.inject({
      method: 'PATCH',
      url: `/v1/admin/users/${admin.user.id}`,
      headers: other.auth,
      payload: { status: 'suspended' },
    });
    expect(suspend.statusCode).toBe(200);
    const after = await t.app.inject({ url: '/admin/queues', headers: { cookie } });
    expect(after.statusCode).toBe(403);
    expect(after.json()).toMatchObject({ code: 'account_suspended' });
  });
});

describe.skipIf(!redisUrl)('the queue dashboard and the rate limit', () => {
  it('counts board requests in the per-IP limit (429 problem+json, not an error page)', async () => {
    const t = await createTestApp({ env: { ...productionEnv, RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await t.app.inject({ url: '/admin/queues' })).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const limited = await t.app.inject({ url: '/admin/queues/api/queues' });
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.json()).toMatchObject({ code: 'rate_limited' });
    } finally {
      await t.close();
    }
  });
});
