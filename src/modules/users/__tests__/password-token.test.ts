import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { graphql, PASSWORD, register, uniqueEmail, type Session, useTestApp } from '#test/helpers.js';
import { passwordWeakness, SCORED_LENGTH } from '../../../platform/auth/password-strength.js';
import type { Property } from '../../properties/properties.schemas.js';
import { createProperty } from '#test/factories/properties.js';

const testApp = useTestApp();
let host: Session;
let property: Property;

beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
  property = await createProperty(testApp().app, host);
});

const registerWith = (body: Record<string, unknown>) =>
  testApp().app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: { email: uniqueEmail(), firstName: 'Test', lastName: 'User', ...body },
  });

describe('password strength', () => {
  it.each([
    ['ten spaces', ' '.repeat(10)],
    ['a digit run', '1234567890'],
    ['a common password', 'password12'],
    ['a keyboard row', 'qwertyuiop'],
    ['a repeated pattern', 'abcabcabcabc'],
  ])('refuses %s on register with the reason (422)', async (_name, password) => {
    const res = await registerWith({ password });
    expect(res.statusCode).toBe(422);
    const body = res.json<{ code: string; errors: { path: string; message: string }[] }>();
    expect(body.code).toBe('validation_failed');
    expect(body.errors).toEqual([{ path: 'password', message: expect.stringMatching(/^Too easy to guess\. \S/) }]);
  });

  it('refuses a password built on the user’s own name or e-mail', async () => {
    const email = `marguerite.okonkwo@${Date.now().toString(36)}.example.com`;
    for (const password of ['MargueriteOkonkwo', 'marguerite.okonkwo1']) {
      const res = await registerWith({ email, password, firstName: 'Marguerite', lastName: 'Okonkwo' });
      expect(res.statusCode, password).toBe(422);
      expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(['password']);
    }
    // The same password is fine for someone else.
    expect((await registerWith({ password: 'MargueriteOkonkwo' })).statusCode).toBe(201);
  });

  it('reports the length rule alone for a short password, not a second strength error', async () => {
    const res = await registerWith({ password: '12345' });
    expect(res.json<{ errors: { path: string; message: string }[] }>().errors).toEqual([
      { path: 'password', message: 'Must be at least 10 characters.' },
    ]);
  });

  it('accepts a strong passphrase', async () => {
    expect((await registerWith({ password: PASSWORD })).statusCode).toBe(201);
  });

  it('refuses a weak password over GraphQL as BAD_USER_INPUT at input.password', async () => {
    const res = await graphql(testApp().app, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', {
      i: { email: uniqueEmail(), password: 'password12', firstName: 'G', lastName: 'Q' },
    });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.extensions?.errors).toEqual([
      { path: 'input.password', message: expect.stringMatching(/^Too easy to guess/) },
    ]);
  });

  it('refuses a weak password for a new admin', async () => {
    const users = testApp().container.services.users;
    const email = uniqueEmail('admin');
    await expect(users.createAdmin({ email, password: '1234567890' })).rejects.toMatchObject({
      code: 'weak_password',
      errors: [{ path: 'password', message: expect.stringMatching(/^Too easy to guess/) }],
    });
    const login = await testApp().app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password: '1234567890' },
    });
    expect(login.statusCode).toBe(401);
    expect(await users.createAdmin({ email, password: PASSWORD })).toMatchObject({ role: 'admin' });
  });

  it('stays fast on long crafted passwords by scoring only a prefix', () => {
    // Unbounded, each of these costs zxcvbn 1–4 s of CPU.
    const crafted = [
      Array.from({ length: 256 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join(''),
      '4@3!1|0$'.repeat(32),
      'p4ssw0rd'.repeat(32),
      '19901231'.repeat(32),
      '0123456789'.repeat(26).slice(0, 256),
    ];
    passwordWeakness('warm the dictionaries up');
    for (const password of crafted) {
      const started = performance.now();
      passwordWeakness(password, ['someone@example.com']);
      expect(performance.now() - started, password.slice(0, 16)).toBeLessThan(1000);
    }
    // Only the prefix counts: a weak start is weak whatever follows it.
    expect(passwordWeakness('a'.repeat(SCORED_LENGTH) + 'Zq7#vL2!mP9@wX4$')).toMatch(/^Too easy to guess/);
  });
});

const sessionOf = (accessToken: string): string =>
  (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

describe('access tokens', () => {
  const secret = () => new TextEncoder().encode(testApp().container.config.jwtSecret);
  const token = (build: (jwt: SignJWT) => SignJWT) =>
    build(
      // The host's own session, so that only the claim under test differs from a real token.
      new SignJWT({ role: host.user.role, sid: sessionOf(host.accessToken) })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(host.user.id)
        .setIssuer('staylane')
        .setIssuedAt(),
    ).sign(secret());

  let badHeaders: [string, string][];
  beforeAll(async () => {
    const [sig, ...rest] = host.accessToken.split('.').reverse();
    const flipped = (sig!.startsWith('A') ? 'B' : 'A') + sig!.slice(1);
    badHeaders = [
      ['a token without exp', `Bearer ${await token((jwt) => jwt)}`],
      ['an expired token', `Bearer ${await token((jwt) => jwt.setExpirationTime(Math.floor(Date.now() / 1000) - 60))}`],
      ['a tampered token', `Bearer ${[flipped, ...rest].reverse().join('.')}`],
      ['a malformed token', 'Bearer not.a.token'],
      ['a non-Bearer header', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ];
  });

  it('a well-signed token with exp is accepted (control)', async () => {
    const ok = await token((jwt) => jwt.setExpirationTime('5m'));
    expect((await testApp().app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${ok}` } })).statusCode).toBe(
      200,
    );
  });

  it('refuses a token without exp on a signed-in route, REST and GraphQL', async () => {
    const noExp = { authorization: `Bearer ${await token((jwt) => jwt)}` };
    expect((await testApp().app.inject({ url: '/v1/me', headers: noExp })).statusCode).toBe(401);
    const me = await graphql(testApp().app, '{ me { id } }', {}, noExp);
    expect(me.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses every bad token on public REST routes (401)', async () => {
    for (const [name, authorization] of badHeaders) {
      for (const url of ['/v1/properties', `/v1/properties/${property.id}`]) {
        const res = await testApp().app.inject({ url, headers: { authorization } });
        expect(res.statusCode, `${name} on ${url}`).toBe(401);
      }
    }
  });

  it('refuses every bad token on public GraphQL queries (UNAUTHENTICATED, no data)', async () => {
    const queries = [
      ['properties', '{ properties(first: 1) { edges { node { id } } } }', {}],
      ['property(id)', 'query($id: ID!) { property(id: $id) { id title } }', { id: property.id }],
    ] as const;
    for (const [name, authorization] of badHeaders) {
      for (const [what, query, variables] of queries) {
        const res = await graphql(testApp().app, query, variables, { authorization });
        expect(
          res.body.errors?.map((e) => e.extensions?.code),
          `${name} on ${what}`,
        ).toEqual(['UNAUTHENTICATED']);
        expect(res.body.data ?? null, `${name} on ${what}`).toBeNull();
      }
    }
  });

  it('answers public GraphQL queries as before without a header, and with a valid token', async () => {
    for (const headers of [{}, host.auth]) {
      const res = await graphql(
        testApp().app,
        'query($id: ID!) { property(id: $id) { id } }',
        { id: property.id },
        headers,
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.property).toEqual({ id: property.id });
    }
  });

  it('resolves the caller once per GraphQL request', async () => {
    const authenticate = vi.spyOn(testApp().container.services.users, 'authenticate');
    try {
      const res = await graphql(
        testApp().app,
        'query($id: ID!) { me { id } property(id: $id) { id } properties(first: 1) { edges { node { id } } } }',
        { id: property.id },
        host.auth,
      );
      expect(res.body.errors).toBeUndefined();
      expect(authenticate).toHaveBeenCalledTimes(1);
      authenticate.mockClear();
      await graphql(testApp().app, '{ properties(first: 1) { edges { node { id } } } }');
      expect(authenticate).not.toHaveBeenCalled();
    } finally {
      authenticate.mockRestore();
    }
  });
});
