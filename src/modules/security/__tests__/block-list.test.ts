import { beforeAll, describe, expect, it } from 'vitest';
import { movableClock, PASSWORD, register, registerAdmin, useTestApp, type Session } from '#test/helpers.js';
import { createSecurityGuard } from '../security.guard.js';

const clock = movableClock();
const testApp = useTestApp({ clock });
let admin: Session;
let guest: Session;

beforeAll(async () => {
  admin = await registerAdmin(testApp());
  guest = await register(testApp().app);
});

const from = (remoteAddress: string, url = '/v1/properties', method: 'GET' | 'POST' = 'GET') =>
  testApp().app.inject({
    method,
    url,
    remoteAddress,
    ...(method === 'POST' && { payload: { query: '{ __typename }' } }),
  });
const block = (body: Record<string, unknown>, headers: Record<string, string> = admin.auth) =>
  testApp().app.inject({ method: 'POST', url: '/v1/admin/blocked-ips', headers, payload: body });
const unblock = (ip: string, headers: Record<string, string> = admin.auth) =>
  testApp().app.inject({ method: 'DELETE', url: `/v1/admin/blocked-ips/${encodeURIComponent(ip)}`, headers });

describe('the IP block list', () => {
  it('refuses a blocked address on every route but /healthz, before authentication, until it is unblocked', async () => {
    const added = await block({ ip: '8.8.8.8', reason: 'scraping' });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({
      ip: '8.8.8.8/32',
      reason: 'scraping',
      createdBy: admin.user.id,
      location: { country: 'US', city: expect.any(String) },
    });

    const refused = await from('8.8.8.8');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'ip_blocked' });
    expect((await from('8.8.8.8', '/graphql', 'POST')).statusCode).toBe(403);
    expect((await from('8.8.8.8', '/v1/no-such-route')).statusCode).toBe(403);
    expect((await from('8.8.8.8', '/readyz')).statusCode).toBe(403);
    expect((await from('8.8.8.8', '/healthz')).statusCode).toBe(200);
    expect((await from('8.8.4.4')).statusCode).toBe(200);

    const listed = await testApp().app.inject({ url: '/v1/admin/blocked-ips', headers: admin.auth });
    expect(listed.json<{ data: { ip: string }[] }>().data.map((e) => e.ip)).toContain('8.8.8.8/32');

    expect((await unblock('8.8.8.8')).statusCode).toBe(204);
    expect((await from('8.8.8.8')).statusCode).toBe(200);
    expect((await unblock('8.8.8.8')).statusCode).toBe(404);
  });

  it('refuses a cursor whose address is not one (422 invalid_cursor, never the database)', async () => {
    const forged = (ip: string) => Buffer.from(JSON.stringify(['2026-12-07T00:00:00.000Z', ip])).toString('base64url');
    for (const path of ['/v1/admin/blocked-ips', '/v1/admin/suspicious-ips']) {
      const res = await testApp().app.inject({
        url: `${path}?cursor=${forged('not-an-address')}`,
        headers: admin.auth,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'invalid_cursor' });
    }
  });

  it('matches CIDR ranges of both families, IPv4-mapped IPv6 peers included, and stores them normalised', async () => {
    const v4 = await block({ ip: '203.0.113.7/24' });
    expect(v4.statusCode).toBe(201);
    expect(v4.json()).toMatchObject({ ip: '203.0.113.0/24', reason: null, location: null });
    expect((await block({ ip: '2001:db8::/32' })).statusCode).toBe(201);

    expect((await from('203.0.113.200')).statusCode).toBe(403);
    expect((await from('::ffff:203.0.113.9')).statusCode).toBe(403);
    expect((await from('2001:db8:1::5')).statusCode).toBe(403);
    expect((await from('203.0.114.1')).statusCode).toBe(200);
    expect((await from('2001:db9::1')).statusCode).toBe(200);

    // An IPv4-mapped IPv6 range is the IPv4 range it maps, for the list and for the self check.
    expect((await block({ ip: '::ffff:198.51.100.0/120' })).statusCode).toBe(201);
    expect((await from('198.51.100.77')).statusCode).toBe(403);
    expect((await unblock('::ffff:198.51.100.0/120')).statusCode).toBe(204);
    expect((await block({ ip: '::ffff:127.0.0.1' })).json().code).toBe('would_block_yourself');

    // Unblocked in another spelling of the same range.
    expect((await unblock('203.0.113.99/24')).statusCode).toBe(204);
    expect((await unblock('2001:db8::/32')).statusCode).toBe(204);
    expect((await from('203.0.113.200')).statusCode).toBe(200);
  });

  it('refuses bad, too wide, self-blocking and repeated entries, and non-admins', async () => {
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ ip: 'not-an-ip' }, 422, 'validation_failed'],
      [{ ip: '10.0.0.0/33' }, 422, 'validation_failed'],
      [{ ip: '10.0.0.1/2/3' }, 422, 'validation_failed'],
      [{ ip: '10.0.0.0/1e1' }, 422, 'validation_failed'],
      [{ ip: '10.0.0.0/' }, 422, 'validation_failed'],
      [{ ip: '10.0.0.1', extra: true }, 422, 'validation_failed'],
      [{ ip: '0.0.0.0/0' }, 422, 'range_too_wide'],
      [{ ip: '2001::/8' }, 422, 'range_too_wide'],
      // The tests' requests come from 127.0.0.1.
      [{ ip: '127.0.0.0/8' }, 422, 'would_block_yourself'],
    ];
    for (const [body, status, code] of refusals) {
      const res = await block(body);
      expect([body, res.statusCode, res.json().code]).toEqual([body, status, code]);
    }
    expect((await block({ ip: '198.51.100.1' })).statusCode).toBe(201);
    const again = await block({ ip: '198.51.100.1/32' });
    expect([again.statusCode, again.json().code]).toEqual([409, 'ip_already_blocked']);

    expect((await block({ ip: '198.51.100.2' }, guest.auth)).statusCode).toBe(403);
    expect((await block({ ip: '198.51.100.2' }, {})).statusCode).toBe(401);
    expect((await unblock('198.51.100.1', guest.auth)).statusCode).toBe(403);
    // A malformed path parameter is a 404, as for every route of the API.
    expect((await unblock('nonsense')).statusCode).toBe(404);
  });

  it('reaches another process within BLOCKLIST_REFRESH_SECONDS', async () => {
    // Another API process's guard over the same database.
    const other = createSecurityGuard({ db: testApp().container.database.db, clock, refreshSeconds: 10 });
    const admitted = () =>
      Promise.resolve(other.admit('192.0.2.44', '/v1/properties')).then(
        () => true,
        (e: { code?: string }) => e.code,
      );
    expect(await admitted()).toBe(true); // it has read the list
    expect((await block({ ip: '192.0.2.0/26' })).statusCode).toBe(201);
    expect(await admitted()).toBe(true); // still the list it read
    clock.offsetMs = 11_000;
    expect(await admitted()).toBe(true); // this request starts the refresh and is not held by it
    // The refresh it started lands without another interval passing.
    await expect.poll(admitted, { timeout: 5_000 }).toBe('ip_blocked');
  });

  it('records blocks and unblocks in the audit trail, found by entity, address and time, with the location', async () => {
    const before = new Date().toISOString();
    expect((await block({ ip: '192.0.2.128/25', reason: 'bots' })).statusCode).toBe(201);
    expect((await unblock('192.0.2.128/25')).statusCode).toBe(204);
    const rows = await testApp().app.inject({
      url: `/v1/admin/audit?entity=ip&entityId=${encodeURIComponent('192.0.2.128/25')}&from=${before}`,
      headers: admin.auth,
    });
    expect(rows.statusCode).toBe(200);
    expect(rows.json<{ data: { action: string; actorId: string }[] }>().data).toMatchObject([
      { action: 'ip.unblocked', actorId: admin.user.id },
      { action: 'ip.blocked', actorId: admin.user.id, detail: { reason: 'bots' } },
    ]);

    // A login from a public address: the admin sees where it came from.
    const login = await testApp().app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress: '81.2.69.142',
      payload: { email: guest.user.email, password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const fromLondon = await testApp().app.inject({
      url: `/v1/admin/audit?ip=81.2.69.142&action=auth.login`,
      headers: admin.auth,
    });
    expect(fromLondon.json<{ data: unknown[] }>().data).toMatchObject([
      { actorId: guest.user.id, ip: '81.2.69.142', location: { country: 'GB', city: 'London' } },
    ]);

    const later = await testApp().app.inject({
      url: `/v1/admin/audit?entity=ip&from=${new Date(Date.now() + 60_000).toISOString()}`,
      headers: admin.auth,
    });
    expect(later.json<{ data: unknown[] }>().data).toEqual([]);
    const orphan = await testApp().app.inject({ url: '/v1/admin/audit?entityId=x', headers: admin.auth });
    expect(orphan.statusCode).toBe(422);
    const backwards = await testApp().app.inject({
      url: `/v1/admin/audit?from=${new Date().toISOString()}&to=${before}`,
      headers: admin.auth,
    });
    expect(backwards.statusCode).toBe(422);
  });
});
