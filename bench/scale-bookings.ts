import { createRandom } from '../src/platform/seeding/random.js';
import { sameDatesRace } from './bookings.js';
import type { ChildServer } from './child-servers.js';
import { withClient } from './db.js';
import { runLoad } from './load-runner.js';

/**
 * Bookings racing across API processes: the same-dates race (exactly one 201), then a burst
 * of distinct bookings crowded on a few places and dates, so that many of them collide in
 * different processes at once; afterwards SQL looks for any two active stays of a place
 * that overlap, and for any active stay over a host's block.
 */

const DAY_MS = 86_400_000;
const BURST_CONNECTIONS = 32;
/** Requests per place in the burst: enough that most places get colliding requests. */
const REQUESTS_PER_PLACE = 4;

export interface BookingsOutcome {
  markdown: string;
  failures: string[];
}

const statusLine = (statuses: Map<number, number>) =>
  [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}: ${count}`)
    .join(' · ');

/** Active stays (pending or confirmed) of one place that overlap, and active stays over a host's block. */
async function overlaps(url: string): Promise<{ stays: number; blocks: number; active: number }> {
  return withClient(url, async (c) => {
    const one = async (q: string) => Number((await c.query<{ n: string }>(q)).rows[0]!.n);
    return {
      stays: await one(
        `select count(*) as n from bookings a join bookings b
           on a.property_id = b.property_id and a.id < b.id
         where a.status in ('pending', 'confirmed') and b.status in ('pending', 'confirmed')
           and daterange(a.check_in, a.check_out, '[)') && daterange(b.check_in, b.check_out, '[)')`,
      ),
      blocks: await one(
        `select count(*) as n from bookings a join property_calendar c
           on c.property_id = a.property_id and c.kind = 'block' and c.released_at is null
         where a.status in ('pending', 'confirmed')
           and daterange(a.check_in, a.check_out, '[)') && daterange(c.start_date, c.end_date, '[)')`,
      ),
      active: await one(`select count(*) as n from bookings where status in ('pending', 'confirmed')`),
    };
  });
}

/** `count` distinct stays (place, check-in, check-out) over count / REQUESTS_PER_PLACE listed places, 20–80 days ahead. */
async function crowdedStays(
  url: string,
  count: number,
): Promise<{ propertyId: string; checkIn: string; checkOut: string }[]> {
  const rng = createRandom(7_000 + count);
  const places = await withClient(url, async (c) => {
    const rows = await c.query<{ id: string }>(
      `select id from properties where status = 'listed' and deleted_at is null order by md5(id::text) limit $1`,
      [Math.max(1, Math.ceil(count / REQUESTS_PER_PLACE))],
    );
    return rows.rows.map((r) => r.id);
  });
  const today = Math.floor(Date.now() / DAY_MS);
  const day = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
  const stays = new Map<string, { propertyId: string; checkIn: string; checkOut: string }>();
  for (let attempt = 0; stays.size < count && attempt < count * 20; attempt++) {
    const start = today + rng.int(20, 40);
    const stay = { propertyId: rng.pick(places), checkIn: day(start), checkOut: day(start + rng.int(2, 5)) };
    stays.set(`${stay.propertyId}/${stay.checkIn}/${stay.checkOut}`, stay);
  }
  return [...stays.values()];
}

export async function bookingsAcrossProcesses(options: {
  api: ChildServer;
  processes: number;
  url: string;
  tokens: readonly string[];
  race: number;
  burst: number;
  log: (line: string) => void;
}): Promise<BookingsOutcome> {
  const { api, url, tokens, log } = options;
  const failures: string[] = [];
  log(`scale: ${options.race} same-dates bookings at once`);
  const race = await sameDatesRace(api, tokens.slice(0, options.race), url, options.race);
  if (!race.ok) failures.push(`same-dates race: ${statusLine(race.statuses)} (expected one 201, the rest 409)`);

  log(`scale: a burst of ${options.burst} distinct bookings`);
  const stays = await crowdedStays(url, options.burst);
  // Each guest once: the race's guests are left out, so no one nears the 3-unpaid-holds limit.
  const guests = tokens.slice(options.race);
  if (guests.length < stays.length) throw new Error(`${guests.length} guests for ${stays.length} bookings`);
  let next = 0;
  const burst = await runLoad({
    origin: api.origin,
    connections: BURST_CONNECTIONS,
    amount: stays.length,
    nextRequest: () => {
      const i = next++;
      return {
        method: 'POST',
        path: '/v1/bookings',
        headers: { authorization: `Bearer ${guests[i % guests.length]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...stays[i % stays.length], guests: 1 }),
      };
    },
  });
  const created = burst.statuses.get(201) ?? 0;
  const found = await overlaps(url);
  if (found.stays > 0) failures.push(`${found.stays} pairs of active stays overlap`);
  if (found.blocks > 0) failures.push(`${found.blocks} active stays overlap a host's block`);
  // Every 201 is one active stay, and nothing else made one.
  if (found.active !== created + (race.statuses.get(201) ?? 0)) {
    failures.push(`${found.active} active stays for ${created + (race.statuses.get(201) ?? 0)} answers 201`);
  }
  const others = burst.requests - created - (burst.statuses.get(409) ?? 0);
  const markdown = [
    `### Bookings racing across ${options.processes} API processes`,
    '',
    `- **Same dates**: ${options.race} signed-in guests book one place for the same nights at once ` +
      `(${race.stay.checkIn} → ${race.stay.checkOut}): ${statusLine(race.statuses)} in ${race.ms.toFixed(0)} ms — ` +
      (race.ok ? '**exactly one 201**.' : '**FAILED: expected exactly one 201**.'),
    `- **Burst**: ${stays.length} distinct bookings (${Math.ceil(stays.length / REQUESTS_PER_PLACE)} places, ` +
      `check-in 20–40 days ahead, 2–5 nights, so many collide), each by another guest, ${BURST_CONNECTIONS} connections ` +
      `spread over the processes, in ${burst.seconds.toFixed(1)} s: ${statusLine(burst.statuses)}` +
      `${others > 0 ? ` (${others} neither 201 nor 409)` : ''}. ` +
      `SQL afterwards: **${found.stays}** overlapping pairs of active stays, **${found.blocks}** active stays over a block, ` +
      `${found.active} active stays for ${created + (race.statuses.get(201) ?? 0)} answers 201.`,
    '',
  ].join('\n');
  return { markdown, failures };
}
