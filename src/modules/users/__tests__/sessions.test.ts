import { sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessRevokedTopic } from '../../../platform/live/live.js';
import {
  graphql,
  PASSWORD,
  register,
  rowsOf,
  toSession,
  uniqueEmail,
  useTestApp,
  type Session,
} from '#test/helpers.js';

const testApp = useTestApp();
const app = () => testApp().app;
const NEW_PASSWORD = 'violet tractor umbrella';

const sessionIdOf = (accessToken: string): string =>
  (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

/** Signs in from a client address and user agent of its own. */
async function login(email: string, from: { ip: string; userAgent: string }, password = PASSWORD): Promise<Session> {
  const res = await app().inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password },
    remoteAddress: from.ip,
    headers: { 'user-agent': from.userAgent },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return toSession(res);
}

const me = (s: Session) => app().inject({ url: '/v1/me', headers: s.auth });
const gqlMe = async (s: Session) => (await graphql(app(), '{ me { id } }', {}, s.auth)).body;
const refresh = (s: Session) =>
  app().inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: s.refreshToken } });

/** The token is refused on both transports: 401 over REST, UNAUTHENTICATED over GraphQL. */
async function expectDead(s: Session) {
  const rest = await me(s);
  expect(rest.statusCode).toBe(401);
  expect(rest.json()).toMatchObject({ code: 'session_ended' });
  const body = await gqlMe(s);
  expect(body.data ?? null).toBeNull();
  expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'session_ended' });
}

async function expectAlive(s: Session) {
  expect((await me(s)).statusCode).toBe(200);
  expect((await gqlMe(s)).data).toEqual({ me: { id: s.user.id } });
}

/** Collects what the users module announces on the user's access-revoked topic. */
function revocationsOf(userId: string): { events: unknown[] } {
  const seen = { events: [] as unknown[] };
  testApp().container.live.emitter.on(accessRevokedTopic(userId), (message, done) => {
    seen.events.push((message as unknown as { payload: unknown }).payload);
    done();
  });
  return seen;
}

const eventually = async (check: () => void) => {
  for (let i = 0; ; i++) {
    try {
      return check();
    } catch (e) {
      if (i >= 100) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
};

const auditActions = async (userId: string) =>
  (
    await rowsOf<{ action: string }>(
      testApp().container.database.db,
      sql`select action from audit_log where entity_id = ${userId} order by at`,
    )
  ).map((r) => r.action);

let email: string;
let laptop: Session;
let phone: Session;

beforeAll(async () => {
  email = uniqueEmail('sessions');
  await register(app(), { email });
  laptop = await login(email, { ip: '198.51.100.7', userAgent: 'Laptop/1.0 (X11)' });
  phone = await login(email, { ip: '2001:db8::42', userAgent: 'Phone/2.0 (Android)' });
});

describe('GET /v1/me/sessions', () => {
  it('lists the live sessions newest first, with address, user agent and the current one marked', async () => {
    const res = await app().inject({ url: '/v1/me/sessions', headers: phone.auth });
    expect(res.statusCode).toBe(200);
    const { data } = res.json<{ data: Record<string, unknown>[] }>();
    expect(data).toHaveLength(3);
    expect(data[0]).toMatchObject({
      id: sessionIdOf(phone.accessToken),
      ip: '2001:db8::42',
      userAgent: 'Phone/2.0 (Android)',
      current: true,
    });
    expect(data[1]).toMatchObject({
      id: sessionIdOf(laptop.accessToken),
      ip: '198.51.100.7',
      userAgent: 'Laptop/1.0 (X11)',
      current: false,
    });
    expect(Object.keys(data[0]!).sort()).toEqual(['createdAt', 'current', 'id', 'ip', 'lastUsedAt', 'userAgent']);

    const paged = await app().inject({ url: '/v1/me/sessions?limit=1', headers: phone.auth });
    const first = paged.json<{ data: { id: string }[]; page: { nextCursor: string } }>();
    expect(first.data.map((s) => s.id)).toEqual([sessionIdOf(phone.accessToken)]);
    const next = await app().inject({
      url: `/v1/me/sessions?limit=1&cursor=${first.page.nextCursor}`,
      headers: phone.auth,
    });
    expect(next.json<{ data: { id: string }[] }>().data.map((s) => s.id)).toEqual([sessionIdOf(laptop.accessToken)]);
  });

  it('keeps the session through refreshes, marking it used and seen from the new address', async () => {
    const s = await login(email, { ip: '192.0.2.1', userAgent: 'Tablet/1' });
    const before = (await app().inject({ url: '/v1/me/sessions', headers: s.auth })).json<{
      data: { id: string; lastUsedAt: string }[];
    }>().data[0]!;
    await new Promise((r) => setTimeout(r, 5));
    const res = await app().inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: s.refreshToken },
      remoteAddress: '192.0.2.99',
      headers: { 'user-agent': 'Tablet/2' },
    });
    expect(res.statusCode).toBe(200);
    const rotated = toSession(res);
    expect(sessionIdOf(rotated.accessToken)).toBe(sessionIdOf(s.accessToken));
    const after = (await app().inject({ url: '/v1/me/sessions', headers: rotated.auth })).json<{
      data: { id: string; lastUsedAt: string; ip: string; userAgent: string; current: boolean }[];
    }>().data[0]!;
    expect(after).toMatchObject({ id: before.id, ip: '192.0.2.99', userAgent: 'Tablet/2', current: true });
    expect(Date.parse(after.lastUsedAt)).toBeGreaterThan(Date.parse(before.lastUsedAt));
    // The access token from before the refresh is of the same session: still good.
    await expectAlive(s);
  });

  it('cuts a long user agent to 512 characters and needs a signed-in caller', async () => {
    const s = await login(email, { ip: '192.0.2.2', userAgent: 'A'.repeat(5_000) });
    const listed = (await app().inject({ url: '/v1/me/sessions', headers: s.auth })).json<{
      data: { userAgent: string }[];
    }>();
    expect(listed.data[0]!.userAgent).toBe('A'.repeat(512));
    expect((await app().inject({ url: '/v1/me/sessions' })).statusCode).toBe(401);
  });
});

describe('DELETE /v1/me/sessions/{id}', () => {
  it("ends one session: its access and refresh tokens fail at once, the caller's go on", async () => {
    const own = await register(app());
    const other = await login(own.user.email, { ip: '192.0.2.3', userAgent: 'Other' });
    const seen = revocationsOf(own.user.id);
    await expectAlive(other);

    const res = await app().inject({
      method: 'DELETE',
      url: `/v1/me/sessions/${sessionIdOf(other.accessToken)}`,
      headers: own.auth,
    });
    expect(res.statusCode).toBe(204);
    await expectDead(other);
    expect((await refresh(other)).statusCode).toBe(401);
    await expectAlive(own);
    await eventually(() => expect(seen.events).toEqual([{ sessionId: sessionIdOf(other.accessToken) }]));
    expect(await auditActions(own.user.id)).toContain('auth.session_ended');

    const listed = (await app().inject({ url: '/v1/me/sessions', headers: own.auth })).json<{
      data: { id: string }[];
    }>();
    expect(listed.data.map((s) => s.id)).toEqual([sessionIdOf(own.accessToken)]);
  });

  it("answers 404 for another user's, an unknown, an ended or a malformed id", async () => {
    const [a, b] = await Promise.all([register(app()), register(app())]);
    const del = (id: string) => app().inject({ method: 'DELETE', url: `/v1/me/sessions/${id}`, headers: a.auth });
    const theirs = await del(sessionIdOf(b.accessToken));
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toMatchObject({ code: 'session_not_found' });
    await expectAlive(b);
    expect((await del('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await del('not-a-uuid')).statusCode).toBe(404);

    const second = await login(a.user.email, { ip: '192.0.2.4', userAgent: 'x' });
    expect((await del(sessionIdOf(second.accessToken))).statusCode).toBe(204);
    expect((await del(sessionIdOf(second.accessToken))).statusCode).toBe(404);
  });
});

describe('POST /v1/auth/logout-all', () => {
  it('ends every session of the caller, its own included', async () => {
    const first = await register(app());
    const second = await login(first.user.email, { ip: '192.0.2.5', userAgent: 'y' });
    const stranger = await register(app());
    const seen = revocationsOf(first.user.id);

    const res = await app().inject({ method: 'POST', url: '/v1/auth/logout-all', headers: second.auth });
    expect(res.statusCode).toBe(204);
    await expectDead(first);
    await expectDead(second);
    expect((await refresh(first)).statusCode).toBe(401);
    expect((await refresh(second)).statusCode).toBe(401);
    await expectAlive(stranger);
    await eventually(() => expect(seen.events).toEqual([{}]));
    expect(await auditActions(first.user.id)).toContain('auth.logout_all');

    // Signing in again starts a new session that works.
    await expectAlive(await login(first.user.email, { ip: '192.0.2.6', userAgent: 'z' }));
    expect((await app().inject({ method: 'POST', url: '/v1/auth/logout-all' })).statusCode).toBe(401);
  });

  it('wins over refreshes racing it: nothing a concurrent refresh hands out outlives it', async () => {
    const s = await register(app());
    for (let round = 0; round < 8; round++) {
      const signedIn = await login(s.user.email, { ip: '192.0.2.8', userAgent: 'race' });
      const [refreshed, ended] = await Promise.all([
        refresh(signedIn),
        app().inject({ method: 'POST', url: '/v1/auth/logout-all', headers: signedIn.auth }),
      ]);
      expect(ended.statusCode).toBe(204);
      expect([200, 401]).toContain(refreshed.statusCode);
      if (refreshed.statusCode === 200) {
        const pair = toSession(refreshed);
        await expectDead(pair);
        expect((await refresh(pair)).statusCode).toBe(401);
      }
    }
  });

  it('a reused refresh token ends its session, access tokens included', async () => {
    const s = await register(app());
    const rotated = toSession(await refresh(s));
    await expectAlive(rotated);
    expect((await refresh(s)).statusCode).toBe(401);
    await expectDead(rotated);
    await expectDead(s);
  });

  it('logout (one refresh token) ends the access tokens of that session too', async () => {
    const s = await register(app());
    const res = await app().inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: s.auth,
      payload: { refreshToken: s.refreshToken },
    });
    expect(res.statusCode).toBe(204);
    await expectDead(s);
  });
});

describe('POST /v1/me/password', () => {
  const change = (s: Session, payload: Record<string, unknown>) =>
    app().inject({ method: 'POST', url: '/v1/me/password', headers: s.auth, payload });

  it("changes the password and ends every other session at once; the caller's goes on", async () => {
    const here = await register(app(), { firstName: 'Ada', lastName: 'Lovelace' });
    const elsewhere = await login(here.user.email, { ip: '192.0.2.7', userAgent: 'stolen' });
    const seen = revocationsOf(here.user.id);

    const weak = await change(here, { currentPassword: PASSWORD, newPassword: 'ada lovelace' });
    expect(weak.statusCode).toBe(422);
    expect(weak.json()).toMatchObject({ errors: [{ path: 'newPassword' }] });
    await expectAlive(elsewhere);

    const res = await change(here, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.statusCode).toBe(204);
    await expectDead(elsewhere);
    expect((await refresh(elsewhere)).statusCode).toBe(401);
    await expectAlive(here);
    expect((await refresh(here)).statusCode).toBe(200);
    await eventually(() => expect(seen.events).toEqual([{ sessionId: sessionIdOf(elsewhere.accessToken) }]));

    const signIn = (password: string) =>
      app().inject({ method: 'POST', url: '/v1/auth/login', payload: { email: here.user.email, password } });
    expect((await signIn(PASSWORD)).statusCode).toBe(401);
    expect((await signIn(NEW_PASSWORD)).statusCode).toBe(200);
    expect(await auditActions(here.user.id)).toContain('auth.password_changed');
  });

  it('answers 403 to a wrong current password, counted as a failed login: 429 after 5', async () => {
    const s = await register(app());
    for (let i = 0; i < 5; i++) {
      const res = await change(s, { currentPassword: `wrong password ${i}`, newPassword: NEW_PASSWORD });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'wrong_password' });
    }
    const locked = await change(s, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The same counter as logins: the account's sign-in is locked too.
    const signIn = await app().inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: s.user.email, password: PASSWORD },
    });
    expect(signIn.statusCode).toBe(429);
    expect(await auditActions(s.user.id)).toContain('auth.password_change_failed');
  });

  it('refuses unknown fields and a missing caller', async () => {
    const s = await register(app());
    expect((await change(s, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, x: 1 })).statusCode).toBe(422);
    const anonymous = await app().inject({
      method: 'POST',
      url: '/v1/me/password',
      payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('access tokens name their session', () => {
  it('refuses a well-signed token without a session (issued before sessions existed)', async () => {
    const s = await register(app());
    const secret = new TextEncoder().encode(testApp().container.config.jwtSecret);
    const sessionless = await new SignJWT({ role: 'guest' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(s.user.id)
      .setIssuer('staylane')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(secret);
    const res = await app().inject({ url: '/v1/me', headers: { authorization: `Bearer ${sessionless}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'invalid_token' });
    // …and its refresh token, whose family is a session, brings one that works.
    const refreshed = await refresh(s);
    expect(refreshed.statusCode).toBe(200);
    await expectAlive(toSession(refreshed));
  });
});
