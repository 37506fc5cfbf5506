import { afterEach, describe, expect, it } from 'vitest';
import { buildOpsApp } from '../src/composition/app.js';
import { createTestApp, type TestApp } from '#test/helpers.js';

const TOKEN = 'metrics-token-0123456789abcdef';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const scrape = (authorization?: string) =>
  t!.app.inject({ url: '/metrics', headers: authorization === undefined ? {} : { authorization } });

function expectRefused(res: Awaited<ReturnType<typeof scrape>>) {
  expect(res.statusCode).toBe(401);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
  expect(res.body).not.toContain('http_request_duration');
}

describe('GET /metrics', () => {
  it('is open outside production when no token is configured', async () => {
    t = await createTestApp();
    const res = await scrape();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
  });

  it('does not exist in production without METRICS_TOKEN (404 like an unknown route)', async () => {
    t = await createTestApp({ env: { NODE_ENV: 'production' } });
    for (const authorization of [undefined, `Bearer ${TOKEN}`]) {
      const res = await scrape(authorization);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'route_not_found' });
    }
  });

  it.each([['production'], ['development']])(
    'in %s with METRICS_TOKEN, answers only `Bearer <token>`',
    async (nodeEnv) => {
      t = await createTestApp({ env: { NODE_ENV: nodeEnv, METRICS_TOKEN: TOKEN } });
      expectRefused(await scrape());
      expectRefused(await scrape(`Bearer ${TOKEN.slice(0, -1)}x`));
      expectRefused(await scrape(`Bearer ${TOKEN}${TOKEN}`));
      expectRefused(await scrape(TOKEN));
      expectRefused(await scrape(`Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`));
      const ok = await scrape(`Bearer ${TOKEN}`);
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('http_request_duration');
    },
  );
});

describe("the worker's ops server (buildOpsApp)", () => {
  it('serves health and readiness; /metrics follows the same METRICS_TOKEN rule as the API', async () => {
    t = await createTestApp({ env: { NODE_ENV: 'production' } });
    const closed = await buildOpsApp(t.container, { logger: false });
    try {
      expect((await closed.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await closed.inject({ url: '/readyz' })).statusCode).toBe(200);
      const hidden = await closed.inject({ url: '/metrics' });
      expect(hidden.statusCode).toBe(404);
      expect(hidden.headers['content-type']).toContain('application/problem+json');
      // Nothing but operations: the API's routes are not there.
      expect((await closed.inject({ url: '/v1/me' })).statusCode).toBe(404);
    } finally {
      await closed.close();
    }
    await t.close();
    t = await createTestApp({ env: { NODE_ENV: 'production', METRICS_TOKEN: TOKEN } });
    const open = await buildOpsApp(t.container, { logger: false });
    try {
      expect((await open.inject({ url: '/metrics' })).statusCode).toBe(401);
      t.container.metrics.jobRuns.inc({ kind: 'test.kind', outcome: 'done' });
      const ok = await open.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('job_runs_total{kind="test.kind",outcome="done"} 1');
      expect(ok.body).toContain('outbox_jobs');
    } finally {
      await open.close();
    }
  });
});
