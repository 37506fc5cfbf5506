import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { movableClock, register, registerAdmin, rowsOf, useTestApp, type Session } from '#test/helpers.js';
import { createSecurityGuard, MAX_TRACKED_ADDRESSES } from '../security.guard.js';
import { SWEEP_SUSPICIOUS_IPS } from '../security.jobs.js';

const clock = movableClock();
const testApp = useTestApp({ clock, env: { SUSPICIOUS_REQUESTS_PER_HOUR: '10' } });
let admin: Session;
let guest: Session;

beforeAll(async () => {
  admin = await registerAdmin(testApp());
  guest = await register(testApp().app);
});

const HOUR = 3_600_000;
const security = () => testApp().container.services.security;
const from = (remoteAddress: string, url = '/v1/properties', headers: Record<string, string> = {}) =>
  testApp().app.inject({ url, remoteAddress, headers });

interface Flagged {
  ip: string;
  hour: string;
  requests: number;
  adminProbes: number;
  reasons: string[];
  blocked: boolean;
  location: unknown;
}

describe('the hourly sweep of suspicious addresses', () => {
  it('flags an address over the hourly threshold and one that probed admin routes, once, and not the others', async () => {
    const hourStart = Math.floor(clock.now().getTime() / HOUR) * HOUR;
    for (let i = 0; i < 12; i++) expect((await from('8.8.8.8')).statusCode).toBe(200);
    expect((await from('198.51.100.8', '/v1/admin/jobs')).statusCode).toBe(401);
    expect((await from('198.51.100.8', '/v1/admin/audit', guest.auth)).statusCode).toBe(403);
    for (let i = 0; i < 3; i++) await from('198.51.100.9');
    // An admin's own calls to admin routes are no probes.
    expect((await from('198.51.100.10', '/v1/admin/jobs', admin.auth)).statusCode).toBe(200);
    await security().guard.flush();

    // The tick a few minutes into the next hour sweeps the hour the requests were made in.
    const job = testApp().container.jobs.registry.get(SWEEP_SUSPICIOUS_IPS)!;
    const tick = new Date(hourStart + HOUR + 4 * 60_000);
    const run = { id: 'x', kind: SWEEP_SUSPICIOUS_IPS, attempt: 1, runAt: tick, now: tick };
    expect(await job.handle({}, run)).toEqual({ flagged: 2 });
    expect(await job.handle({}, run)).toEqual({ flagged: 0 }); // a repeated run flags nothing twice

    const res = await from('127.0.0.1', '/v1/admin/suspicious-ips', admin.auth);
    expect(res.statusCode).toBe(200);
    const flagged = res.json<{ data: Flagged[] }>().data;
    expect(flagged.map((f) => f.ip).sort()).toEqual(['198.51.100.8', '8.8.8.8']);
    expect(flagged.find((f) => f.ip === '8.8.8.8')).toMatchObject({
      hour: new Date(hourStart).toISOString(),
      requests: 12,
      adminProbes: 0,
      reasons: ['requests'],
      blocked: false,
      location: { country: 'US' },
    });
    expect(flagged.find((f) => f.ip === '198.51.100.8')).toMatchObject({
      adminProbes: 2,
      reasons: ['admin_probes'],
      location: null,
    });

    // Blocking it shows on the list; the filter narrows it to one address.
    const blocked = await testApp().app.inject({
      method: 'POST',
      url: '/v1/admin/blocked-ips',
      headers: admin.auth,
      payload: { ip: '198.51.100.0/24' },
    });
    expect(blocked.statusCode).toBe(201);
    const one = await from('127.0.0.1', '/v1/admin/suspicious-ips?ip=198.51.100.8', admin.auth);
    expect(one.json<{ data: Flagged[] }>().data).toMatchObject([{ ip: '198.51.100.8', blocked: true }]);
    expect((await from('127.0.0.1', '/v1/admin/suspicious-ips', guest.auth)).statusCode).toBe(403);
  });

  it('drops counts after two days and flags after ninety', async () => {
    const db = testApp().container.database.db;
    const old = new Date(Date.now() - 100 * 86_400_000);
    await db.execute(sql`
      insert into ip_activity (hour, ip, requests, admin_probes) values (${old.toISOString()}, '192.0.2.1', 5000, 0)`);
    await db.execute(sql`
      insert into suspicious_ips (ip, hour, requests, admin_probes) values ('192.0.2.1', ${old.toISOString()}, 5000, 0)`);
    await security().sweep(clock.now());
    const left = await rowsOf<{ n: number }>(
      db,
      sql`select (select count(*) from ip_activity where ip = '192.0.2.1')::int
               + (select count(*) from suspicious_ips where ip = '192.0.2.1')::int as n`,
    );
    expect(left[0]!.n).toBe(0);
  });

  it(`writes its counts early past ${MAX_TRACKED_ADDRESSES} addresses, so memory stays bounded`, async () => {
    const db = testApp().container.database.db;
    const guard = createSecurityGuard({ db, clock, refreshSeconds: 3600 });
    const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    for (let i = 0; i <= MAX_TRACKED_ADDRESSES; i++) await guard.admit(address(i), '/v1/properties');
    const written = async () =>
      (await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from ip_activity where ip like '10.%'`))[0]!.n;
    // The last admit found the map full and wrote it without being asked; one address is still held.
    await expect.poll(written, { timeout: 10_000 }).toBe(MAX_TRACKED_ADDRESSES);
    await guard.flush();
    expect(await written()).toBe(MAX_TRACKED_ADDRESSES + 1);
  });
});
