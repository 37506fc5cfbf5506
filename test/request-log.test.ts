import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loggerOptions } from '../src/composition/app.js';
import { createTestApp, register, type TestApp } from '#test/helpers.js';

// The request log: one line per answered request, with what an operator needs to follow it
// (request id, method, URL, route, status, time) and nothing a reader of logs must not see.

const lines: Record<string, unknown>[] = [];
const stream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ logger: loggerOptions('info', stream) });
});
afterAll(() => t.close());

it('writes one line per request once it is answered, with its id, route, status and time', async () => {
  const session = await register(t.app);
  lines.length = 0;
  const res = await t.app.inject({
    method: 'GET',
    url: '/v1/me?x=1',
    headers: { ...session.auth, 'x-request-id': 'trace-me-1' },
  });
  expect(res.statusCode).toBe(200);
  const mine = lines.filter((l) => l.reqId === 'trace-me-1');
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({
    level: 30,
    msg: 'request completed',
    method: 'GET',
    url: '/v1/me?x=1',
    route: '/v1/me',
    statusCode: 200,
  });
  expect(mine[0]!.responseTimeMs).toBeTypeOf('number');
  // Neither the bearer token nor any header is written.
  const written = JSON.stringify(lines);
  expect(written).not.toContain(session.accessToken);
  expect(written).not.toContain('authorization');
});

it('logs a refused request with its status, and an unknown route as unmatched', async () => {
  lines.length = 0;
  await t.app.inject({ method: 'GET', url: '/v1/me', headers: { 'x-request-id': 'trace-me-2' } });
  await t.app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'trace-me-3' } });
  const completed = lines.filter((l) => l.msg === 'request completed');
  expect(completed.find((l) => l.reqId === 'trace-me-2')).toMatchObject({ statusCode: 401, route: '/v1/me' });
  expect(completed.find((l) => l.reqId === 'trace-me-3')).toMatchObject({ statusCode: 404, route: 'unmatched' });
  expect(completed).toHaveLength(2);
});
