import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  PASSWORD,
  register,
  registerAdmin,
  uniqueEmail,
  type TestApp,
  useTestApp,
} from '#test/helpers.js';

/**
 * Lock-out and auth limits hold under parallel attempts, across transports and whatever
 * else fills the cache. Runs on the in-process stores, or Redis when TEST_REDIS_URL is set.
 */
const testApp = useTestApp();

const login = (app: TestApp['app'], email: string, password: string, remoteAddress = '127.0.0.1') =>
  app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password }, remoteAddress });

describe('login lock-out', () => {
  it('checks at most 5 passwords when 30 wrong logins arrive at once', async () => {
    const s = await register(testApp().app);
    // From 30 addresses, as a distributed guesser would, so only the lock-out stands in the way.
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        login(testApp().app, s.user.email, `wrong password ${i} zq`, `10.0.1.${i + 1}`),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(25);
    for (const r of results.filter((x) => x.statusCode === 429)) {
      expect(r.json().code).toBe('too_many_login_failures');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Each password check leaves one audit row: exactly five were made.
    const admin = await registerAdmin(testApp());
    const audit = await testApp().app.inject({
      url: '/v1/admin/audit?action=auth.login_failed&limit=100',
      headers: admin.auth,
    });
    expect(audit.statusCode).toBe(200);
    const rows = audit.json<{ data: { entityId: string | null }[] }>().data.filter((r) => r.entityId === s.user.id);
    expect(rows).toHaveLength(5);
    // Still locked for the right password.
    expect((await login(testApp().app, s.user.email, PASSWORD)).statusCode).toBe(429);
  });

  it('stays locked after the cache is flooded with other entries', async () => {
    const s = await register(testApp().app);
    for (let i = 0; i < 5; i++)
      expect((await login(testApp().app, s.user.email, `wrong ${i} password`)).statusCode).toBe(401);
    expect((await login(testApp().app, s.user.email, PASSWORD)).statusCode).toBe(429);

    // More distinct entries than the in-process cache holds, as distinct searches would write.
    const { cache } = testApp().container;
    const page = 'x'.repeat(2_000);
    for (let i = 0; i < 60_000; i++) await cache.set(`properties:search:flood:${i}`, page, 60_000);
    // And real traffic of the same kind.
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => testApp().app.inject({ url: `/v1/properties?maxPrice=${1000 + i}` })),
    );

    const after = await login(testApp().app, s.user.email, PASSWORD);
    expect(after.statusCode).toBe(429);
    expect(after.json().code).toBe('too_many_login_failures');
  });

  it('a success resets the count', async () => {
    const s = await register(testApp().app);
    // (Register, 2 failures, 1 success, 5 failures and the last try: the 10 calls a minute one e-mail may make.)
    for (let i = 0; i < 2; i++)
      expect((await login(testApp().app, s.user.email, `wrong ${i} password`)).statusCode).toBe(401);
    expect((await login(testApp().app, s.user.email, PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await login(testApp().app, s.user.email, `wrong ${i} password`)).statusCode).toBe(401);
    expect((await login(testApp().app, s.user.email, PASSWORD)).statusCode).toBe(429);
  });
});

describe('auth limit per client address (AUTH_RATE_LIMIT_PER_MINUTE)', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '30' } });
  });
  afterAll(() => small.close());

  it('answers 429 to the 31st login of a minute from one address, whatever the e-mails', async () => {
    const ip = '10.20.30.40';
    const codes: number[] = [];
    for (let i = 0; i < 31; i++)
      codes.push((await login(small.app, uniqueEmail('spray'), 'some password', ip)).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 401)).toBe(true);
    expect(codes[30]).toBe(429);
    // Another address is not affected.
    expect((await login(small.app, uniqueEmail('other'), 'some password', '10.20.30.41')).statusCode).toBe(401);
  });

  it('counts GraphQL auth mutations with REST, one per alias', async () => {
    const ip = '10.20.30.50';
    const registerAs = (i: number) =>
      `r${i}: register(input: { email: "${uniqueEmail(`gql${i}`)}", password: "${PASSWORD}", firstName: "A", lastName: "B" }) { user { id } }`;
    const gql = (query: string) =>
      small.app.inject({ method: 'POST', url: '/graphql', payload: { query }, remoteAddress: ip });

    // 20 accounts in one request, one per alias, then 10 over REST: the address's 30.
    const first = await gql(`mutation { ${Array.from({ length: 20 }, (_, i) => registerAs(i)).join('\n')} }`);
    const body = first.json<{ data: Record<string, unknown> | null; errors?: unknown[] }>();
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data ?? {})).toHaveLength(20);
    for (let i = 0; i < 10; i++) {
      const res = await small.app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: { email: uniqueEmail(), password: PASSWORD, firstName: 'A', lastName: 'B' },
        remoteAddress: ip,
      });
      expect(res.statusCode).toBe(201);
    }
    const over = await gql(`mutation { ${registerAs(99)} }`);
    const overBody = over.json<{ data: unknown; errors?: { extensions?: { code?: string } }[] }>();
    expect(overBody.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('limits password-reset requests like the other auth calls: 10 a minute for one e-mail from one address', async () => {
    const ip = '10.20.30.70';
    const email = uniqueEmail('reset-spray');
    const request = (to: string, from = ip) =>
      small.app.inject({
        method: 'POST',
        url: '/v1/auth/password-reset/request',
        payload: { email: to },
        remoteAddress: from,
      });
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await request(email)).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 202)).toBe(true);
    expect(codes[10]).toBe(429);
    expect((await request(uniqueEmail('reset-other'))).statusCode).toBe(202);
  });

  it('GraphQL login answers RATE_LIMITED once the address is over its limit', async () => {
    const ip = '10.20.30.60';
    for (let i = 0; i < 30; i++) await login(small.app, uniqueEmail('fill'), 'some password', ip);
    const res = await small.app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query: `mutation { login(email: "${uniqueEmail()}", password: "x") { accessToken } }` },
      remoteAddress: ip,
    });
    const body = res.json<{ errors?: { extensions?: { code?: string; retryAfter?: number } }[] }>();
    expect(body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(body.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
  });
});
