import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { bookingsModule } from '../src/modules/bookings/index.js';
import type { PropertiesSeeded, SeededPlace } from '../src/modules/properties/index.js';
import { propertiesModule } from '../src/modules/properties/index.js';
import { SEED_PASSWORD, usersModule, type UsersSeeded } from '../src/modules/users/index.js';
import { createJwtService } from '../src/platform/auth/jwt.js';
import type { Db } from '../src/platform/db/types.js';
import { createSeedProgress } from '../src/platform/seeding/progress.js';
import type { SeedRun } from '../src/platform/seeding/run.js';
import type { ChildServer } from './child-servers.js';
import { runWrk, type WrkResult } from './wrk.js';
import { withCpu, type CpuShare } from './cpu.js';

/**
 * The bookings part of the benchmark: seeding stays when the database has none, the
 * same-dates race, bookings per second (wrk) and the export of a million rows with the
 * server's RSS read from /proc.
 */

const log = (line: string) => process.stderr.write(`${line}\n`);
const DAY_MS = 86_400_000;
const noAudit = { counts: {}, summary: '' };

export interface BookingFacts {
  /** Stays on the searchable places. */
  bookings: number;
  exportHost: { id: string; email: string; bookings: number; places: number } | undefined;
}

function seedRun(db: Db, counts: Record<string, number>, seed: number): SeedRun {
  return {
    db,
    seed,
    nowMs: Date.now(),
    counts,
    batchSize: 2000,
    concurrency: 2,
    // The server runs with the default fee; seeded prices must match what it would charge.
    settings: { serviceFeePercent: 12 },
    progress: createSeedProgress(process.stderr),
  };
}

/** What the seed steps reported, read back from the database (the places were seeded by an earlier run). */
async function readSeeded(
  client: pg.Client,
  hostFilter = '',
): Promise<{ users: UsersSeeded; properties: PropertiesSeeded }> {
  const users = await client.query<{ id: string; ms: string; role: string }>(
    `select id, (extract(epoch from created_at) * 1000)::bigint as ms, role from users where status = 'active' order by created_at`,
  );
  const accounts = users.rows.map((u) => ({ id: u.id, createdAtMs: Number(u.ms) }));
  const places = await client.query<Omit<SeededPlace, 'blocks' | 'createdAtMs'> & { ms: string }>(
    `select id, host_id as "hostId", (extract(epoch from created_at) * 1000)::bigint as ms, status, timezone, currency,
            nightly_price as "nightlyPrice", weekend_price as "weekendPrice", cleaning_fee as "cleaningFee", weekly_discount_percent as "weeklyDiscountPercent",
            max_guests as "maxGuests", cancellation_policy as "cancellationPolicy"
     from properties where deleted_at is null ${hostFilter} order by created_at`,
  );
  const blocks = await client.query<{ property_id: string; start: string; end: string }>(
    `select property_id, start_date::text as start, end_date::text as "end" from property_calendar where kind = 'block' and released_at is null`,
  );
  const blocksOf = new Map<string, { start: string; end: string }[]>();
  for (const b of blocks.rows) blocksOf.set(b.property_id, [...(blocksOf.get(b.property_id) ?? []), b]);
  return {
    users: {
      counts: { users: accounts.length, hosts: 0 },
      summary: '',
      hosts: users.rows.filter((u) => u.role === 'host').map((u) => ({ id: u.id, createdAtMs: Number(u.ms) })),
      accounts,
    },
    properties: {
      counts: { properties: places.rows.length, listed: 0, blocks: 0 },
      summary: '',
      places: places.rows.map(({ ms, ...p }) => ({
        ...p,
        nightlyPrice: Number(p.nightlyPrice),
        weekendPrice: p.weekendPrice === null ? null : Number(p.weekendPrice),
        cleaningFee: Number(p.cleaningFee),
        createdAtMs: Number(ms),
        blocks: blocksOf.get(p.id) ?? [],
      })),
    },
  };
}

export async function findExportHost(client: pg.Client): Promise<BookingFacts['exportHost']> {
  // The export host is the one whose places are all unlisted and who has far more stays than anyone.
  const top = await client.query<{ host_id: string; n: string }>(
    `select host_id, count(*) as n from bookings group by host_id order by n desc limit 2`,
  );
  const [first, second] = top.rows;
  if (!first || (second && Number(first.n) < 10 * Number(second.n))) return undefined;
  const info = await client.query<{ email: string; places: string }>(
    `select u.email, (select count(*) from properties p where p.host_id = u.id) as places from users u where u.id = $1`,
    [first.host_id],
  );
  return {
    id: first.host_id,
    email: info.rows[0]!.email,
    bookings: Number(first.n),
    places: Number(info.rows[0]!.places),
  };
}

/**
 * Seeds `wanted` stays over the existing places when there are none, and a host of its own
 * with `exportWanted` stays for the export figure, on places kept unlisted so that the
 * search figures stay those of the searchable data.
 */
export async function prepareBookings(
  db: Db,
  url: string,
  wanted: number,
  exportWanted: number,
): Promise<BookingFacts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let exportHost = await findExportHost(client);
    const count = async () =>
      Number(
        (
          await client.query<{ n: string }>(
            `select count(*) as n from bookings where host_id <> coalesce($1::uuid, '00000000-0000-0000-0000-000000000000')`,
            [exportHost?.id ?? null],
          )
        ).rows[0]!.n,
      );
    const noHost = exportHost?.id ?? null;
    const existing = await count();
    if (existing < wanted) {
      // Stays cannot be topped up without overlapping the ones there: a short set is replaced.
      if (existing > 0) {
        log(`replacing ${existing.toLocaleString('en-US')} bookings (want ${wanted.toLocaleString('en-US')})`);
        await deleteBookings(client, `b.host_id is distinct from $1::uuid`, [noHost]);
      }
      log(`seeding ${wanted.toLocaleString('en-US')} bookings`);
      // Over the searchable places only: the export host's places already hold its stays.
      const seeded = await readSeeded(client, exportHost ? `and host_id <> '${exportHost.id}'::uuid` : '');
      const report = await bookingsModule.seed!(seedRun(db, { bookings: wanted }, 3), { audit: noAudit, ...seeded });
      log(report.summary);
    }
    if (!exportHost || exportHost.bookings < exportWanted) {
      // A short export host is dropped (its stays deleted, its places left unlisted) for a new one.
      if (exportHost) await deleteBookings(client, `b.host_id = $1::uuid`, [exportHost.id]);
      // About 730 days of time line per place, a stay every ~3 days: 250 stays a place.
      const places = Math.ceil(exportWanted / 250);
      log(`seeding an export host: ${places} places, ${exportWanted.toLocaleString('en-US')} bookings`);
      const users = await usersModule.seed!(seedRun(db, { users: 200 }, 901), { audit: noAudit });
      const host = users.hosts[0]!;
      const properties = await propertiesModule.seed!(seedRun(db, { properties: places }, 902), {
        audit: noAudit,
        users: { ...users, hosts: [host] },
      });
      await client.query(`update properties set status = 'unlisted' where host_id = $1`, [host.id]);
      await bookingsModule.seed!(seedRun(db, { bookings: exportWanted }, 903), { audit: noAudit, users, properties });
      exportHost = await findExportHost(client);
    }
    // Deleted and re-seeded stays leave dead rows, and fresh tables have neither statistics
    // nor a visibility map; with autovacuum off (as on our machines) every table is vacuumed
    // and analyzed here, as autovacuum would have done on a server in service (the prices by
    // date had never been analyzed: the planner guessed their sizes).
    await client.query('vacuum (analyze)');
    return { bookings: await count(), exportHost };
  } finally {
    await client.end();
  }
}

/** Deletes benchmark stays (and their calendar ranges) matching `where` over `bookings b`. */
async function deleteBookings(client: pg.Client, where: string, params: unknown[]): Promise<void> {
  await client.query(
    `delete from property_calendar c using bookings b where c.kind = 'booking' and c.ref_id = b.id and ${where}`,
    params,
  );
  await client.query(`delete from bookings b where ${where}`, params);
}

/**
 * Access tokens of up to `count` seeded guests (never hosts, so they may book any place),
 * made as a login makes them: a session row each, and a token signed with the server's
 * JWT_SECRET naming it. Thousands are needed — a guest may hold only 3 unpaid bookings at
 * once, so each sends a few of a run's bookings — and logging in that many would spend
 * minutes on Argon2 before anything is measured.
 */
export async function guestTokens(url: string, jwtSecret: string, count: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ sessionId: string; userId: string }>(
      `insert into sessions (user_id, expires_at)
       select id, now() + interval '1 day' from users
       where role = 'guest' and status = 'active' and email like '%@seed.example.com'
       order by created_at limit $1
       returning id as "sessionId", user_id as "userId"`,
      [count],
    );
    const jwt = createJwtService(jwtSecret);
    return await Promise.all(rows.map((r) => jwt.sign({ sub: r.userId, role: 'guest', sid: r.sessionId })));
  } finally {
    await client.end();
  }
}

async function login(app: ChildServer, email: string): Promise<string> {
  const res = await fetch(`${app.origin}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: SEED_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/**
 * Listed places with `nights` free nights from a date between 20 and 300 days ahead, each
 * place once (a salted hash spreads the dates, so every run asks for others), whose stay
 * rules take that many nights from that check-in (the place's minimum and maximum, and a
 * minimum stay the host set for the check-in night), so a booking of it can only be a 201
 * or, taken meanwhile, a 409.
 */
export async function freeStays(
  url: string,
  count: number,
  nights: number,
  excludeHost: string | undefined,
): Promise<{ propertyId: string; checkIn: string; checkOut: string }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ id: string; check_in: string; check_out: string }>(
      `select id, d::text as check_in, (d + $2::int)::text as check_out from (
         select id, current_date + 20 + (abs(hashtext(id::text || $3)) % 280) as d from properties
         where status = 'listed' and deleted_at is null and host_id <> coalesce($4::uuid, '00000000-0000-0000-0000-000000000000')
           and min_nights <= $2 and max_nights >= $2
         order by hashtext(id::text || $3) limit $1 * 2
       ) p
       where not exists (
         select 1 from property_price_overrides o
         where o.property_id = p.id and o.min_nights > $2 and p.d >= o.start_date and p.d < o.end_date)
       and not exists (
         select 1 from property_calendar c
         where c.property_id = p.id and c.released_at is null
           and daterange(c.start_date, c.end_date, '[)') && daterange(p.d, p.d + $2::int, '[)'))
       limit $1`,
      [count, nights, String(Date.now()), excludeHost ?? null],
    );
    return rows.rows.map((r) => ({ propertyId: r.id, checkIn: r.check_in, checkOut: r.check_out }));
  } finally {
    await client.end();
  }
}

export interface RaceResult {
  statuses: Map<number, number>;
  ok: boolean;
  ms: number;
}

/** `concurrency` guests book the same place and dates at the same moment: one 201, the rest 409. */
export async function sameDatesRace(app: ChildServer, tokens: readonly string[], url: string, concurrency: number) {
  const [stay] = await freeStays(url, 1, 3, undefined);
  if (!stay) throw new Error('no free stay found for the race');
  const body = JSON.stringify({ ...stay, guests: 1 });
  const started = performance.now();
  const statuses = new Map<number, number>();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const res = await fetch(`${app.origin}/v1/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` },
        body,
      });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }),
  );
  const ok = statuses.get(201) === 1 && statuses.get(409) === concurrency - 1;
  return { statuses, ok, ms: performance.now() - started, stay };
}

/** Non-conflicting bookings per second: wrk posting pre-made bookings, distinct places, tokens in turn. */
export async function bookingThroughput(
  app: ChildServer,
  tokens: readonly string[],
  url: string,
  file: string,
  options: { connections: number; duration: number; exportHost: string | undefined },
): Promise<WrkResult & { prepared: number; cpu: CpuShare | undefined }> {
  // More than a run can use, so no booking is sent twice.
  const stays = await freeStays(url, 60_000, 2, options.exportHost);
  const lines = stays.map((s, i) => `${tokens[i % tokens.length]}\t${JSON.stringify({ ...s, guests: 1 })}`);
  await writeFile(file, `${lines.join('\n')}\n`);
  const { result: r, cpu } = await withCpu(app.pid, () =>
    runWrk({
      origin: app.origin,
      script: 'bookings.lua',
      args: [file, '2'],
      connections: options.connections,
      threads: 2,
      duration: options.duration,
    }),
  );
  return { ...r, prepared: stays.length, cpu };
}

/** VmRSS and VmHWM of a process, in KiB (Linux). */
async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

export interface ExportResult {
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssGrowthMiB: number;
  hwmBeforeMiB: number;
  hwmAfterMiB: number;
  status: number;
}

/** Downloads the export host's whole window as CSV, polling the server's RSS every 20 ms. */
export async function exportBench(app: ChildServer, host: { email: string }): Promise<ExportResult> {
  if (!app.pid) throw new Error('the server has no pid');
  const token = await login(app, host.email);
  const today = Math.floor(Date.now() / DAY_MS);
  const day = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
  // The seeded time line: check-ins from two years back to a year ahead (the 1,096-day maximum).
  const window = `from=${day(today - 730)}&to=${day(today + 366)}`;
  const headers = { authorization: `Bearer ${token}` };
  // Warm-up: a small export, so code paths are compiled before the baseline is taken.
  await (await fetch(`${app.origin}/v1/bookings/export?from=${day(today)}&to=${day(today + 7)}`, { headers })).text();
  await sleep(500);
  const before = await memoryOf(app.pid);
  let peak = before.rss;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      peak = Math.max(peak, (await memoryOf(app.pid!)).rss);
      await sleep(20);
    }
  })();
  const started = performance.now();
  const res = await fetch(`${app.origin}/v1/bookings/export?${window}`, { headers });
  let bytes = 0;
  let lines = 0;
  if (res.body) {
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  polling = false;
  await poller;
  const after = await memoryOf(app.pid);
  const mib = (kib: number) => kib / 1024;
  const rows = Math.max(0, lines - 1);
  return {
    status: res.status,
    rows,
    bytes,
    seconds,
    rowsPerSecond: rows / seconds,
    rssBeforeMiB: mib(before.rss),
    rssPeakMiB: mib(peak),
    rssGrowthMiB: mib(peak - before.rss),
    hwmBeforeMiB: mib(before.hwm),
    hwmAfterMiB: mib(after.hwm),
  };
}
