import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { loadConfig } from '../src/composition/config.js';
import { buildApp } from '../src/composition/app.js';
import { createContainer } from '../src/composition/container.js';
import { createJobRunner } from '../src/platform/jobs/index.js';
import { freshDatabase, withClient } from './db.js';

/**
 * `npm run bench -- --only ical`: imported calendars (iCal) against their limits, in one
 * process (the service and one job runner, as one worker runs them) over PostgreSQL, feeds
 * served by a local HTTP server (ICAL_ALLOW_PRIVATE=true, loopback only):
 *   - one feed of 1,000 events (all-day, one night each, on 360 nights over the next two years):
 *     its first sync (fetch, parse, write every range), a sync of a changed body that moves
 *     100 events (diff: only those rows change), and a 304 sync. Target: ≤ 1 s each.
 *   - 1,000 feeds (one per place, 3 events each) all due at once: the minute's tick hands
 *     them to jobs (500 a tick) and one runner (concurrency 4, the worker's default) drains
 *     them. Target: all synced well within a 15-minute cycle.
 * Env: BENCH_ICAL_DATABASE_URL (postgres://postgres@127.0.0.1:5432/staylane_bench_ical),
 * BENCH_ICAL_FEEDS (1000).
 */

const day = (today: string, n: number) =>
  DateTime.fromISO(today, { zone: 'utc' }).plus({ days: n }).toFormat('yyyyMMdd');

function feedBody(today: string, events: number, shift = 0, moved = 0): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Bench//Feed//EN'];
  for (let i = 0; i < events; i++) {
    // One night every other day over ~two years (360 separate ranges), the rest of the events
    // on the same nights again (several channels' copies of one stay merge, as in real feeds).
    const start = 1 + 2 * (i % 360) + (i < moved ? shift : 0);
    lines.push(
      'BEGIN:VEVENT',
      `UID:bench-${i}@example.com`,
      'DTSTAMP:20260101T000000Z',
      `DTSTART;VALUE=DATE:${day(today, start)}`,
      `DTEND;VALUE=DATE:${day(today, start + 1)}`,
      'SUMMARY:Reserved',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

export interface IcalBenchResult {
  markdown: string;
  failure?: string;
}

export async function icalBench(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<IcalBenchResult> {
  const databaseUrl = env.BENCH_ICAL_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/staylane_bench_ical';
  const feedCount = Number(env.BENCH_ICAL_FEEDS ?? 1000);
  log(`ical: fresh database ${new URL(databaseUrl).pathname.slice(1)}`);
  await freshDatabase(databaseUrl);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-bench-ical-'));
  const feeds = new Map<string, { body: string; etag: string }>();
  const server = http.createServer((req, res) => {
    const feed = feeds.get(req.url ?? '');
    if (!feed) return void res.writeHead(404).end();
    if (req.headers['if-none-match'] === feed.etag) return void res.writeHead(304, { etag: feed.etag }).end();
    res.writeHead(200, { 'content-type': 'text/calendar', etag: feed.etag }).end(feed.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'bench-secret-0123456789-0123456789-abcdef',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    ICAL_ALLOW_PRIVATE: 'true',
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
    LOAD_SHED_EVENT_LOOP_DELAY_MS: '0',
  });
  const container = await createContainer(config);
  const app = await buildApp(container, { logger: false });
  const rows: string[] = [];
  let failure: string | undefined;
  try {
    const db = container.database.db;
    const ical = container.services.ical;
    const email = `bench-host-${Date.now()}@example.com`;
    const reg = await app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email, password: 'Bench-password-9x!', firstName: 'Bench', lastName: 'Host' },
    });
    const auth = { authorization: `Bearer ${reg.json<{ accessToken: string }>().accessToken}` };
    await app.inject({ method: 'POST', url: '/v1/me/become-host', headers: auth });
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password: 'Bench-password-9x!' },
    });
    const hostAuth = { authorization: `Bearer ${login.json<{ accessToken: string }>().accessToken}` };
    const created = await app.inject({
      method: 'POST',
      url: '/v1/properties',
      headers: hostAuth,
      payload: {
        title: 'Bench place',
        description: 'A place for the iCal bench.',
        propertyType: 'apartment',
        address: { line1: '1 Main Street', city: 'Lisbon', region: '', postalCode: '', country: 'PT' },
        latitude: 38.72,
        longitude: -9.14,
        timezone: 'Europe/Lisbon',
        currency: 'EUR',
        nightlyPrice: 10000,
        maxGuests: 2,
        status: 'listed',
      },
    });
    if (created.statusCode !== 201) throw new Error(`create place: ${created.statusCode} ${created.body}`);
    const placeId = created.json<{ id: string }>().id;
    const today = DateTime.now().setZone('Europe/Lisbon').toISODate()!;

    // One feed of 1,000 events.
    feeds.set('/big.ics', { body: feedBody(today, 1000), etag: '"big-1"' });
    const add = await app.inject({
      method: 'POST',
      url: `/v1/properties/${placeId}/ical/imports`,
      headers: hostAuth,
      payload: { url: `${base}/big.ics`, name: 'Big feed' },
    });
    const bigId = add.json<{ id: string }>().id;
    const timed = async (label: string) => {
      const t0 = performance.now();
      await ical.syncFeed(bigId);
      const elapsed = performance.now() - t0;
      const [state] = await ical.listImports(placeId, {
        actor: { id: reg.json<{ user: { id: string } }>().user.id, role: 'host' },
      } as never);
      rows.push(`| ${label} | ${elapsed.toFixed(0)} ms | ${state?.status} | ${state?.eventCount} events |`);
      if (elapsed > 1000) failure = `${label} took ${elapsed.toFixed(0)} ms`;
      log(`ical: ${label} ${elapsed.toFixed(0)} ms`);
    };
    await timed('1,000-event feed, first sync');
    feeds.set('/big.ics', { body: feedBody(today, 1000, 2, 100), etag: '"big-2"' });
    await timed('same feed, 100 events moved');
    await timed('same feed, 304');
    const ranges = await withClient(
      databaseUrl,
      async (c) =>
        (
          await c.query<{ n: number }>(
            `select count(*)::int as n from property_calendar where kind = 'external' and released_at is null`,
          )
        ).rows[0]!.n,
    );

    // 1,000 feeds, one per place, 3 events each.
    await withClient(databaseUrl, async (c) => {
      const places = await c.query<{ id: string }>(
        `insert into properties (host_id, title, description, property_type, address_line1, city, country, latitude, longitude, timezone, currency, nightly_price, max_guests, status)
         select host_id, title, description, property_type, address_line1, city, country, latitude, longitude, timezone, currency, nightly_price, max_guests, 'listed'
         from properties p cross join generate_series(1, $2::int) where p.id = $1 returning id`,
        [placeId, feedCount],
      );
      for (const [i, p] of places.rows.entries()) {
        feeds.set(`/small/${i}.ics`, { body: feedBody(today, 3), etag: `"s-${i}"` });
        void p;
      }
      await c.query(
        `insert into ical_imports (property_id, url, name, next_sync_at)
         select id, $1 || (row_number() over (order by id) - 1)::text || '.ics', 'Feed', now() - interval '1 minute'
         from unnest($2::uuid[]) as t(id)`,
        [`${base}/small/`, places.rows.map((r) => r.id)],
      );
    });
    const runner = createJobRunner({ db, registry: container.jobs.registry, clock: container.clock });
    const t0 = performance.now();
    let enqueued = 0;
    let done = 0;
    for (;;) {
      const n = await ical.enqueueDueSyncs(new Date());
      enqueued += n;
      const drained = await runner.drainDue();
      done += drained.done;
      if (n === 0 && drained.done === 0) break;
    }
    const total = performance.now() - t0;
    const synced = await withClient(
      databaseUrl,
      async (c) =>
        (
          await c.query<{ n: number }>(
            `select count(*)::int as n from ical_imports where status = 'ok' and name = 'Feed'`,
          )
        ).rows[0]!.n,
    );
    rows.push(
      `| ${feedCount} feeds × 3 events, one runner | ${(total / 1000).toFixed(1)} s | ${synced} ok | ${done} jobs, ${(total / Math.max(1, feedCount)).toFixed(1)} ms a feed |`,
    );
    log(`ical: ${feedCount} feeds in ${(total / 1000).toFixed(1)} s (${enqueued} enqueued, ${synced} ok)`);
    if (synced !== feedCount) failure = `${synced} of ${feedCount} feeds synced`;
    if (total > 15 * 60_000) failure = `${feedCount} feeds took ${(total / 1000).toFixed(0)} s`;
    rows.push(`| (external ranges of the big feed) | | | ${ranges} ranges |`);
  } finally {
    await app.close();
    await container.close();
    server.closeAllConnections();
    server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  const markdown = ['### iCal import', '', '| run | time | status | |', '|---|---:|---|---|', ...rows].join('\n');
  return failure ? { markdown, failure } : { markdown };
}
