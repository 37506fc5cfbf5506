import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, safeFetch, type SafeFetchOptions } from '../safe-fetch.js';

// The guarded fetcher against a local server. Refusals of other addresses happen before
// any connection (literal addresses are checked before the socket opens, names after DNS
// resolution), so no packet leaves this machine.

let server: http.Server;
let base: string;
const routes = new Map<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  routes.set('/ok', (_req, res) => res.writeHead(200, { etag: '"v1"' }).end('hello'));
  routes.set('/redirect-loopback', (_req, res) => res.writeHead(302, { location: 'http://[::1]:9/x' }).end());
  routes.set('/redirect-metadata', (_req, res) =>
    res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  );
  routes.set('/redirect-file', (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end());
  routes.set('/redirect-ok', (_req, res) => res.writeHead(307, { location: '/ok' }).end());
  routes.set('/loop', (_req, res) => res.writeHead(302, { location: '/loop' }).end());
  routes.set('/big', (_req, res) => {
    res.writeHead(200);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const push = () => {
      while (sent < 64) {
        sent++;
        if (!res.write(chunk)) return void res.once('drain', push);
      }
      res.end();
    };
    push();
  });
  routes.set('/declared-big', (_req, res) => res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) }).end());
  routes.set('/slow', () => undefined);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const strict: SafeFetchOptions = { allowPrivate: false, timeoutMs: 2_000, maxBytes: 1024 * 1024 };
/** Only the test server's own address may be reached: every hop elsewhere is checked like in production. */
const onlyTestServer: SafeFetchOptions = { ...strict, allowAddress: (a) => a === '127.0.0.1' };

const failure = (url: string, options: SafeFetchOptions = strict) =>
  safeFetch(url, options).then(
    () => 'fetched',
    (e: { code?: string }) => e.code,
  );

describe('isPublicAddress', () => {
  it('refuses every special range, IPv4-mapped IPv6 included, and takes public unicast', () => {
    for (const a of [
      '127.0.0.1',
      '::1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::',
      '224.0.0.1',
      'ff02::1',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '255.255.255.255',
      'not-an-address',
    ]) {
      expect([a, isPublicAddress(a)]).toEqual([a, false]);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect([a, isPublicAddress(a)]).toEqual([a, true]);
    }
  });
});

describe('safeFetch', () => {
  it('refuses loopback, private and link-local literals, and a name resolving to loopback', async () => {
    expect(await failure(`${base}/ok`)).toBe('blocked_address');
    expect(await failure('http://[::1]:9/')).toBe('blocked_address');
    expect(await failure('http://169.254.169.254/latest/meta-data/')).toBe('blocked_address');
    expect(await failure('http://10.0.0.1/')).toBe('blocked_address');
    expect(await failure('http://[::ffff:127.0.0.1]:9/')).toBe('blocked_address');
    expect(await failure(`http://localhost:${new URL(base).port}/ok`)).toBe('blocked_address');
  });

  it('refuses schemes other than http(s) and URLs with credentials', async () => {
    expect(await failure('file:///etc/passwd')).toBe('invalid_url');
    expect(await failure('ftp://example.com/x.ics')).toBe('invalid_url');
    expect(await failure('http://user:pass@example.com/x.ics')).toBe('invalid_url');
  });

  it('checks every redirect hop again', async () => {
    expect(await failure(`${base}/redirect-loopback`, onlyTestServer)).toBe('blocked_address');
    expect(await failure(`${base}/redirect-metadata`, onlyTestServer)).toBe('blocked_address');
    expect(await failure(`${base}/redirect-file`, onlyTestServer)).toBe('invalid_url');
    expect(await failure(`${base}/loop`, onlyTestServer)).toBe('too_many_redirects');
    const res = await safeFetch(`${base}/redirect-ok`, onlyTestServer);
    expect([res.status, res.body.toString(), res.url]).toEqual([200, 'hello', `${base}/ok`]);
  });

  it('stops a body beyond the cap, declared or streamed, and a server that does not answer in time', async () => {
    expect(await failure(`${base}/big`, { ...onlyTestServer, maxBytes: 1024 * 1024 })).toBe('too_large');
    expect(await failure(`${base}/declared-big`, onlyTestServer)).toBe('too_large');
    const started = Date.now();
    expect(await failure(`${base}/slow`, { ...onlyTestServer, timeoutMs: 300 })).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
    // Just under the cap passes.
    const res = await safeFetch(`${base}/big`, { ...onlyTestServer, maxBytes: 4 * 1024 * 1024 });
    expect(res.body.length).toBe(64 * 64 * 1024);
  });

  it('with allowPrivate, reaches the local server', async () => {
    const res = await safeFetch(`${base}/ok`, { ...strict, allowPrivate: true });
    expect([res.status, res.headers.etag]).toEqual([200, '"v1"']);
  });
});
