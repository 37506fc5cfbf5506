import { printSchema } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { createTestApp, graphql, PASSWORD, register, uniqueEmail, useTestApp } from '#test/helpers.js';

const testApp = useTestApp();

const ME = 'query { me { id email firstName lastName phone role emailVerified createdAt } }';

describe('GraphQL', () => {
  it('the schema matches the committed schema.graphql', async () => {
    await expect(printSchema(testApp().app.graphql.schema) + '\n').toMatchFileSnapshot('../../../schema.graphql');
  });

  it('me equals REST /v1/me', async () => {
    const s = await register(testApp().app, { phone: '+15551234567' });
    const rest = await testApp().app.inject({ url: '/v1/me', headers: s.auth });
    const gql = await graphql(testApp().app, ME, {}, s.auth);
    expect(gql.status).toBe(200);
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data?.me).toEqual(rest.json());
  });

  it('register, login, refresh, updateMe and becomeHost run through the same services', async () => {
    const email = uniqueEmail('gql');
    const reg = await graphql(
      testApp().app,
      'mutation($i: RegisterInput!) { register(input: $i) { user { id email role } accessToken refreshToken expiresIn } }',
      { i: { email, password: PASSWORD, firstName: 'Gra', lastName: 'Phql' } },
    );
    expect(reg.body.errors).toBeUndefined();
    const registered = reg.body.data?.register as { user: { id: string }; refreshToken: string };

    const login = await graphql(
      testApp().app,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { id } accessToken } }',
      { e: email, p: PASSWORD },
    );
    const { accessToken } = login.body.data?.login as { accessToken: string; user: { id: string } };
    const auth = { authorization: `Bearer ${accessToken}` };

    const refreshed = await graphql(
      testApp().app,
      'mutation($r: String!) { refresh(refreshToken: $r) { refreshToken } }',
      {
        r: registered.refreshToken,
      },
    );
    expect((refreshed.body.data?.refresh as { refreshToken: string }).refreshToken).not.toBe(registered.refreshToken);

    const upd = await graphql(
      testApp().app,
      'mutation { updateMe(input: { firstName: "Renamed", phone: null }) { firstName phone } }',
      {},
      auth,
    );
    expect(upd.body.data?.updateMe).toEqual({ firstName: 'Renamed', phone: null });

    const host = await graphql(testApp().app, 'mutation { becomeHost { role } }', {}, auth);
    expect(host.body.data?.becomeHost).toEqual({ role: 'host' });
    const again = await graphql(testApp().app, 'mutation { becomeHost { role } }', {}, auth);
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('maps errors to extensions.code', async () => {
    const anon = await graphql(testApp().app, ME);
    expect(anon.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const bad = await graphql(
      testApp().app,
      'mutation { register(input: { email: "x", password: "short", firstName: "", lastName: "L" }) { accessToken } }',
    );
    const err = bad.body.errors?.[0];
    expect(err?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(err?.extensions?.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'input.email' }),
        expect.objectContaining({ path: 'input.password' }),
        expect.objectContaining({ path: 'input.firstName' }),
      ]),
    );

    const s = await register(testApp().app);
    const dup = await graphql(testApp().app, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', {
      i: { email: s.user.email, password: PASSWORD, firstName: 'A', lastName: 'B' },
    });
    expect(dup.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const wrong = await graphql(
      testApp().app,
      'mutation { login(email: "nobody@example.com", password: "whatever-123") { accessToken } }',
    );
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const tampered = await graphql(testApp().app, ME, {}, { authorization: 'Bearer not.a.token' });
    expect(tampered.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a lost database connection as SERVICE_UNAVAILABLE with the seconds to wait', async () => {
    const s = await register(testApp().app);
    const users = testApp().container.services.users;
    const lost = vi.spyOn(users, 'getMe').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    try {
      const res = await graphql(testApp().app, ME, {}, s.auth);
      expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfter: 2 });
    } finally {
      lost.mockRestore();
    }
  });

  it('rejects queries deeper than 10 before running them, fragments and aliases included', async () => {
    // No relation of today's schema leads back to its parent, so a query 11 levels deep names
    // fields that do not exist as well: the depth is refused with them, before any resolver.
    const deep = `fragment Deep on PublicProfile { a: host { b: host { c: host { d: host { e: host { id } } } } } }
      query Deep { myBookings(first: 1) { edges { node { property { host { ...Deep } } } } } }`;
    const res = await graphql(testApp().app, deep);
    expect(res.status).toBe(400);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(
      res.body.errors?.map(() => 'GRAPHQL_VALIDATION_FAILED'),
    );
    expect(res.body.errors?.map((e) => e.message)).toContain('"Deep" is 11 levels deep, more than the limit of 10.');
    // The deepest valid query of the schema runs.
    const ok = await graphql(
      testApp().app,
      '{ myBookings(first: 1) { edges { node { property { host { id } } } } } }',
      {},
      (await register(testApp().app)).auth,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
  });

  it('answers GraphQL validation errors without a stack', async () => {
    const res = await graphql(testApp().app, 'query { nope }');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).not.toContain('stack');
  });
});

describe('GraphQL in production', () => {
  it('turns off introspection and GraphiQL', async () => {
    const prod = await createTestApp({ env: { NODE_ENV: 'production' } });
    try {
      const res = await graphql(prod.app, '{ __schema { types { name } } }');
      expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await prod.app.inject({ url: '/graphiql' })).statusCode).toBe(404);
    } finally {
      await prod.close();
    }
  });
});
