import { describe, expect, it } from 'vitest';
import { createTestApp, register, uniqueEmail, PASSWORD, useTestApp } from '#test/helpers.js';

const testApp = useTestApp();

const expectProblem = (
  res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
  status: number,
  code?: string,
) => {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({
    status,
    type: expect.stringMatching(/^urn:staylane:problem:/),
    title: expect.any(String),
    detail: expect.any(String),
    instance: expect.any(String),
  });
  if (code) expect(body.code).toBe(code);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+|select |insert into/i);
  return body;
};

describe('REST conventions', () => {
  it('400 on malformed JSON', async () => {
    const res = await testApp().app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c",',
    });
    expectProblem(res, 400, 'malformed_request');
  });

  it('415 on a body that is not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await testApp().app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'content-type': type },
        payload: 'email=a@b.c',
      });
      expectProblem(res, 415, 'unsupported_media_type');
    }
  });

  it('413 on a body over 1 MiB', async () => {
    const res = await testApp().app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        email: uniqueEmail(),
        password: PASSWORD,
        firstName: 'x'.repeat(1024 * 1024),
        lastName: 'y',
      }),
    });
    expectProblem(res, 413, 'body_too_large');
  });

  it('404 problem for an unknown route', async () => {
    const res = await testApp().app.inject({ url: '/v1/nowhere?x=1' });
    const body = expectProblem(res, 404, 'route_not_found');
    expect(body.instance).toBe('/v1/nowhere');
  });

  it('echoes a valid x-request-id and makes one otherwise', async () => {
    const echoed = await testApp().app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123.def' } });
    expect(echoed.headers['x-request-id']).toBe('abc-123.def');
    const invalid = await testApp().app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'bad id with spaces\u0007' },
    });
    expect(invalid.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const errored = await testApp().app.inject({ url: '/v1/me' });
    expect(errored.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers', async () => {
    const res = await testApp().app.inject({ url: '/healthz' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('rate limits', () => {
  it('limits auth calls to 10 per minute per IP and e-mail, with Retry-After', async () => {
    const email = uniqueEmail('burst');
    const payload = { email, password: PASSWORD, firstName: 'Burst', lastName: 'Test' };
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await testApp().app.inject({ method: 'POST', url: '/v1/auth/register', payload });
      codes.push(res.statusCode);
      if (i === 10) {
        expectProblem(res, 429, 'rate_limited');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(codes.slice(0, 10)).toEqual([201, ...Array<number>(9).fill(409)]);
    // Another e-mail from the same IP still gets through.
    const other = await testApp().app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { ...payload, email: uniqueEmail() },
    });
    expect(other.statusCode).toBe(201);
  });

  it('limits every route per IP at RATE_LIMIT_PER_MINUTE', async () => {
    const small = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const s = await register(small.app);
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await small.app.inject({ url: '/v1/me', headers: s.auth })).statusCode);
      // The registration was the first of the three: auth calls count against the per-IP limit too.
      expect(codes).toEqual([200, 200, 429, 429]);
      // Health checks are never limited.
      expect((await small.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('operations', () => {
  it('/healthz and /readyz answer 200 with the dependencies up', async () => {
    expect((await testApp().app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await testApp().app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.database).toBe('ok');
    if (process.env.TEST_REDIS_URL) expect(ready.json().checks.redis).toBe('ok');
  });

  it('/readyz answers 503 when the database is gone', async () => {
    const other = await createTestApp();
    try {
      await other.container.database.close();
      const res = await other.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'unavailable', checks: { database: 'down' } });
    } finally {
      await other.app.close();
    }
  });

  it('/metrics exposes request durations by route and status', async () => {
    await testApp().app.inject({ url: '/v1/me' });
    const res = await testApp().app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/v1\/me",status="401"\} [1-9]/);
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });

  it('serves Swagger UI at /docs and the document at /openapi.json', async () => {
    const docs = await testApp().app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
    const doc = await testApp().app.inject({ url: '/openapi.json' });
    expect(doc.json().openapi).toBe('3.1.0');
  });
});
