import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { PASSWORD, register, registerAdmin, testEnv, uniqueEmail, useTestApp } from '#test/helpers.js';

const testApp = useTestApp();

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  testApp().app.inject({ method: 'POST', url, payload: payload as object, headers });

describe('register', () => {
  it('creates a guest, answers 201 with tokens and a Location', async () => {
    const email = uniqueEmail();
    const res = await post('/v1/auth/register', {
      email,
      password: PASSWORD,
      firstName: ' Ada ',
      lastName: 'Lovelace',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('/v1/me');
    const body = res.json();
    expect(body.user).toMatchObject({
      email,
      firstName: 'Ada',
      lastName: 'Lovelace',
      role: 'guest',
      emailVerified: false,
      phone: null,
    });
    expect(body.expiresIn).toBe(900);
    expect(body.accessToken.split('.')).toHaveLength(3);
    expect(body.refreshToken.length).toBeGreaterThan(30);
    expect(body.user).not.toHaveProperty('passwordHash');
  });

  it('treats e-mails case-insensitively: a second account differing in case is 409', async () => {
    const email = uniqueEmail('case');
    await register(testApp().app, { email });
    const res = await post('/v1/auth/register', {
      email: email.toUpperCase(),
      password: PASSWORD,
      firstName: 'A',
      lastName: 'B',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ status: 409, code: 'email_taken' });
  });

  it('lets a host register as a host but never as an admin', async () => {
    const host = await register(testApp().app, { role: 'host' });
    expect(host.user.role).toBe('host');
    const res = await post('/v1/auth/register', {
      email: uniqueEmail(),
      password: PASSWORD,
      firstName: 'A',
      lastName: 'B',
      role: 'admin',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: 'role' })]);
  });

  it('lists every invalid and unknown field in one 422', async () => {
    const res = await post('/v1/auth/register', { email: 'nope', password: 'short', firstName: '', isAdmin: true });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({
      type: 'urn:staylane:problem:validation_failed',
      status: 422,
      title: 'Unprocessable Content',
      instance: '/v1/auth/register',
    });
    const paths = body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['email', 'firstName', 'isAdmin', 'lastName', 'password']);
  });
});

describe('login', () => {
  it('signs in with the right password, in any e-mail case', async () => {
    const s = await register(testApp().app);
    const res = await post('/v1/auth/login', { email: s.user.email.toUpperCase(), password: PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.id).toBe(s.user.id);
  });

  it('answers the same 401 for a wrong password and an unknown e-mail', async () => {
    const s = await register(testApp().app);
    const wrong = await post('/v1/auth/login', { email: s.user.email, password: 'wrong password!' });
    const unknown = await post('/v1/auth/login', { email: uniqueEmail('ghost'), password: 'wrong password!' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
  });

  it('locks an e-mail out after 5 failures in 15 minutes, even with the right password', async () => {
    const s = await register(testApp().app);
    for (let i = 0; i < 5; i++) {
      expect((await post('/v1/auth/login', { email: s.user.email, password: `wrong-${i}-xxxx` })).statusCode).toBe(401);
    }
    const locked = await post('/v1/auth/login', { email: s.user.email, password: PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.json().code).toBe('too_many_login_failures');
    // Another e-mail from the same address is not affected.
    const other = await register(testApp().app);
    expect((await post('/v1/auth/login', { email: other.user.email, password: PASSWORD })).statusCode).toBe(200);
  });

  it('audits failures and successes', async () => {
    const s = await register(testApp().app);
    await post('/v1/auth/login', { email: s.user.email, password: 'not the password' });
    await post('/v1/auth/login', { email: s.user.email, password: PASSWORD });
    const admin = await registerAdmin(testApp());
    const res = await testApp().app.inject({ url: `/v1/admin/audit?actorId=${s.user.id}`, headers: admin.auth });
    expect(res.statusCode).toBe(200);
    const actions = res.json().data.map((e: { action: string }) => e.action);
    expect(actions).toContain('auth.login');
    const failed = await testApp().app.inject({
      url: '/v1/admin/audit?action=auth.login_failed&limit=100',
      headers: admin.auth,
    });
    expect(failed.json().data.some((e: { entityId: string }) => e.entityId === s.user.id)).toBe(true);
  });
});

describe('refresh and logout', () => {
  it('rotates the refresh token on every use', async () => {
    const s = await register(testApp().app);
    const r1 = await post('/v1/auth/refresh', { refreshToken: s.refreshToken });
    expect(r1.statusCode).toBe(200);
    const next = r1.json();
    expect(next.refreshToken).not.toBe(s.refreshToken);
    const r2 = await post('/v1/auth/refresh', { refreshToken: next.refreshToken });
    expect(r2.statusCode).toBe(200);
  });

  it('revokes the whole family when a rotated token is reused', async () => {
    const s = await register(testApp().app);
    const rotated = (await post('/v1/auth/refresh', { refreshToken: s.refreshToken })).json();
    const reuse = await post('/v1/auth/refresh', { refreshToken: s.refreshToken });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().code).toBe('refresh_token_reused');
    // The legitimate successor is dead too.
    const successor = await post('/v1/auth/refresh', { refreshToken: rotated.refreshToken });
    expect(successor.statusCode).toBe(401);
    // Other sessions of the same user live on.
    const other = (await post('/v1/auth/login', { email: s.user.email, password: PASSWORD })).json();
    expect((await post('/v1/auth/refresh', { refreshToken: other.refreshToken })).statusCode).toBe(200);
  });

  it('lets exactly one of many concurrent refreshes with one token succeed', async () => {
    const s = await register(testApp().app);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => post('/v1/auth/refresh', { refreshToken: s.refreshToken })),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 401)).toHaveLength(7);
  });

  it('rejects unknown refresh tokens', async () => {
    const res = await post('/v1/auth/refresh', { refreshToken: 'not-a-token' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_refresh_token');
  });

  it('logout revokes the session (204) and needs a signed-in user', async () => {
    const s = await register(testApp().app);
    expect((await post('/v1/auth/logout', { refreshToken: s.refreshToken })).statusCode).toBe(401);
    const out = await post('/v1/auth/logout', { refreshToken: s.refreshToken }, s.auth);
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    expect((await post('/v1/auth/refresh', { refreshToken: s.refreshToken })).statusCode).toBe(401);
  });
});

describe('access tokens', () => {
  const secret = new TextEncoder().encode(testEnv().JWT_SECRET);
  const me = (authorization?: string) =>
    testApp().app.inject({ url: '/v1/me', headers: authorization ? { authorization } : {} });

  it('401 without a token', async () => {
    const res = await me();
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('401 for an expired token', async () => {
    const s = await register(testApp().app);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const token = await new SignJWT({ role: 'guest' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(s.user.id)
      .setIssuer('staylane')
      .setIssuedAt(past - 900)
      .setExpirationTime(past)
      .sign(secret);
    expect((await me(`Bearer ${token}`)).statusCode).toBe(401);
  });

  it('401 for a tampered token', async () => {
    const s = await register(testApp().app);
    const [h, p, sig] = s.accessToken.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url');
    expect((await me(`Bearer ${h}.${forged}.${sig}`)).statusCode).toBe(401);
    const flipped = sig!.slice(0, -2) + (sig!.endsWith('AA') ? 'BB' : 'AA');
    expect((await me(`Bearer ${h}.${p}.${flipped}`)).statusCode).toBe(401);
  });

  it('401 for an alg:none token', async () => {
    const s = await register(testApp().app);
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const token = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: s.user.id, role: 'admin', iss: 'staylane', iat: now, exp: now + 600 })}.`;
    expect((await me(`Bearer ${token}`)).statusCode).toBe(401);
  });

  it('401 for a token signed with another secret, and for a non-bearer header', async () => {
    const s = await register(testApp().app);
    const other = await new SignJWT({ role: 'guest' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(s.user.id)
      .setIssuer('staylane')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('another-secret-another-secret-another-secret'));
    expect((await me(`Bearer ${other}`)).statusCode).toBe(401);
    expect((await me(`Basic ${Buffer.from('a:b').toString('base64')}`)).statusCode).toBe(401);
  });
});

describe('me', () => {
  it('reads and updates the profile; email and role cannot change here', async () => {
    const s = await register(testApp().app, { phone: '+251911234567' });
    const got = await testApp().app.inject({ url: '/v1/me', headers: s.auth });
    expect(got.json()).toMatchObject({ id: s.user.id, phone: '+251911234567' });

    const patched = await testApp().app.inject({
      method: 'PATCH',
      url: '/v1/me',
      headers: s.auth,
      payload: { firstName: 'Grace', phone: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ firstName: 'Grace', lastName: 'User', phone: null });

    const forbidden = await testApp().app.inject({
      method: 'PATCH',
      url: '/v1/me',
      headers: s.auth,
      payload: { role: 'admin', email: 'x@y.io' },
    });
    expect(forbidden.statusCode).toBe(422);
    expect(
      forbidden
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['email', 'role']);
    expect((await testApp().app.inject({ url: '/v1/me', headers: s.auth })).json().role).toBe('guest');
  });

  it('become-host turns a guest into a host once', async () => {
    const s = await register(testApp().app);
    const res = await post('/v1/me/become-host', undefined, s.auth);
    expect(res.statusCode).toBe(200);
    expect(res.json().role).toBe('host');
    expect((await post('/v1/me/become-host', undefined, s.auth)).statusCode).toBe(409);
  });
});

describe('admin', () => {
  it('keeps guests and hosts out of admin routes (403)', async () => {
    const guest = await register(testApp().app);
    const host = await register(testApp().app, { role: 'host' });
    for (const s of [guest, host]) {
      expect((await testApp().app.inject({ url: '/v1/admin/users', headers: s.auth })).statusCode).toBe(403);
      expect((await testApp().app.inject({ url: '/v1/admin/audit', headers: s.auth })).statusCode).toBe(403);
      const patch = await testApp().app.inject({
        method: 'PATCH',
        url: `/v1/admin/users/${guest.user.id}`,
        headers: s.auth,
        payload: { status: 'suspended' },
      });
      expect(patch.statusCode).toBe(403);
    }
  });

  it('suspends a user: 403 on every authenticated call, sessions revoked, login refused; reactivation lets them sign in again', async () => {
    const admin = await registerAdmin(testApp());
    const s = await register(testApp().app);
    const suspend = await testApp().app.inject({
      method: 'PATCH',
      url: `/v1/admin/users/${s.user.id}`,
      headers: admin.auth,
      payload: { status: 'suspended' },
    });
    expect(suspend.statusCode).toBe(200);
    expect(suspend.json().status).toBe('suspended');

    const me = await testApp().app.inject({ url: '/v1/me', headers: s.auth });
    expect(me.statusCode).toBe(403);
    expect(me.json().code).toBe('account_suspended');
    expect((await post('/v1/me/become-host', undefined, s.auth)).statusCode).toBe(403);
    expect((await post('/v1/auth/refresh', { refreshToken: s.refreshToken })).statusCode).toBe(401);
    expect((await post('/v1/auth/login', { email: s.user.email, password: PASSWORD })).statusCode).toBe(403);

    await testApp().app.inject({
      method: 'PATCH',
      url: `/v1/admin/users/${s.user.id}`,
      headers: admin.auth,
      payload: { status: 'active' },
    });
    // The sessions ended with the suspension: the old token stays dead, a new sign-in works.
    const old = await testApp().app.inject({ url: '/v1/me', headers: s.auth });
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe('session_ended');
    const again = await post('/v1/auth/login', { email: s.user.email, password: PASSWORD });
    expect(again.statusCode).toBe(200);
    const auth = { authorization: `Bearer ${again.json().accessToken}` };
    expect((await testApp().app.inject({ url: '/v1/me', headers: auth })).statusCode).toBe(200);

    const audit = await testApp().app.inject({
      url: '/v1/admin/audit?action=admin.user_suspended',
      headers: admin.auth,
    });
    expect(audit.json().data[0]).toMatchObject({ actorId: admin.user.id, entity: 'user', entityId: s.user.id });
  });

  it('404 for an unknown user id, 422 for a bad status, 422 for suspending oneself', async () => {
    const admin = await registerAdmin(testApp());
    const patch = (id: string, payload: object) =>
      testApp().app.inject({ method: 'PATCH', url: `/v1/admin/users/${id}`, headers: admin.auth, payload });
    expect((await patch('00000000-0000-4000-8000-000000000000', { status: 'suspended' })).statusCode).toBe(404);
    expect((await patch('not-a-uuid', { status: 'suspended' })).statusCode).toBe(404);
    expect((await patch(admin.user.id, { status: 'banned' })).statusCode).toBe(422);
    expect((await patch(admin.user.id, { status: 'suspended' })).statusCode).toBe(422);
  });

  it('pages through users with an opaque keyset cursor, each exactly once', async () => {
    const admin = await registerAdmin(testApp());
    const created = new Set<string>();
    for (let i = 0; i < 7; i++) created.add((await register(testApp().app, { role: 'host' })).user.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs: string = `role=host&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await testApp().app.inject({ url: `/v1/admin/users?${qs}`, headers: admin.auth });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.data.length).toBeLessThanOrEqual(3);
      seen.push(...body.data.map((u: { id: string }) => u.id));
      cursor = body.page.nextCursor;
      expect(body.page.hasMore).toBe(cursor !== null);
      pages++;
    } while (cursor && pages < 20);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of created) expect(seen).toContain(id);
  });

  it('rejects a limit above 100 and a forged cursor with 422', async () => {
    const admin = await registerAdmin(testApp());
    const big = await testApp().app.inject({ url: '/v1/admin/users?limit=101', headers: admin.auth });
    expect(big.statusCode).toBe(422);
    expect(big.json().errors[0].path).toBe('limit');
    const bad = await testApp().app.inject({ url: '/v1/admin/users?cursor=garbage', headers: admin.auth });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('invalid_cursor');
  });

  it('create-admin refuses an e-mail that already exists', async () => {
    const s = await register(testApp().app);
    expect(
      await testApp().container.services.users.createAdmin({ email: s.user.email, password: PASSWORD }),
    ).toBeUndefined();
    expect((await testApp().app.inject({ url: '/v1/me', headers: s.auth })).json().role).toBe('guest');
  });
});

describe('public profiles', () => {
  it('getPublicProfiles gives id, first name and member-since only; unknown ids are left out', async () => {
    const s = await register(testApp().app, { firstName: 'Selam', phone: '+251911234567' });
    const unknownId = randomUUID();
    const profiles = await testApp().container.services.users.getPublicProfiles([s.user.id, unknownId]);
    expect([...profiles.keys()]).toEqual([s.user.id]);
    const me = (await testApp().app.inject({ url: '/v1/me', headers: s.auth })).json<{ createdAt: string }>();
    expect(profiles.get(s.user.id)).toStrictEqual({
      id: s.user.id,
      firstName: 'Selam',
      memberSince: me.createdAt,
      guestRating: { average: null, count: 0 },
    });
    expect(await testApp().container.services.users.getPublicProfiles([])).toEqual(new Map());
  });
});
