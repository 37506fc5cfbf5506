import { randomUUID } from 'node:crypto';
import {
  analyzeProperties,
  insertCalendarRangesBulk,
  type CalendarRangeBulkRow,
  type PropertiesSeeded,
  type SeededPlace,
} from '../properties/index.js';
import type { SeededHost, UsersSeeded } from '../users/index.js';
import { createRandom, deriveSeed, type Random } from '../../platform/seeding/random.js';
import { DAY_MS, writeInBatches, type SeedRun } from '../../platform/seeding/run.js';
import { nightPrices, priceStay, refundAmount, stayBeginsAt, type CanceledBy } from './bookings.policy.js';
import { analyzeBookings, insertBookingsBulk, type BookingBulkRow } from './bookings.seed.repository.js';
import { createStaySampler, pickShowcase, type SeededStay, type Showcase } from './bookings.seed-sample.js';

/** The default settings, when the run names no other. */
const DEFAULT_SERVICE_FEE_PERCENT = 12;
const HOLD_MINUTES = 15;
/** Stays reach this far back (never before their place existed) … */
const HISTORY_DAYS = 730;
/** … and check in at most this far ahead (365 days). */
const AHEAD_DAYS = 365;
const MINUTE_MS = 60_000;
/** Completed and once-confirmed canceled stays: paid this long after booking (no random draw, so the data set stays as it was). */
const PAID_AFTER_MS = 5 * MINUTE_MS;
/** A demo seed without `--bookings`: this many stays for each place that was ever listed. */
const DEMO_STAYS_PER_PLACE = 2;

export interface BookingsSeeded {
  counts: { bookings: number; bookingRanges: number };
  summary: string;
  /** A demo's sample of the stays written (see DEMO_SAMPLE_LIMIT), in booking order. */
  stays?: SeededStay[];
  /** A demo's accounts worth signing in as. */
  showcase?: Showcase;
}

const number = new Intl.NumberFormat('en-US');

/**
 * Writes `run.counts.bookings` stays on the seeded places that were ever listed (drafts
 * never were): past ones `completed`, current and future ones `confirmed`, some `canceled`
 * (with the refund the policy gives) or `expired`, and some future ones `pending` with a
 * hold that has not run out. Each place's time line, from its creation (at most two years
 * back) to a year ahead, is cut into one slot per stay and each stay lies inside its slot,
 * so no two stays of a place ever overlap, whatever their status. Prices follow the
 * pricing rule; `host_id` is the place's host. Pending, confirmed and completed stays hold
 * their dates on the calendar (the occupant is the guest; confirmed and completed ones
 * reveal the address); a stay that would cross a host block was canceled by the host.
 */
export async function seedBookings(
  run: SeedRun,
  seeded: { users: UsersSeeded; properties: PropertiesSeeded },
): Promise<BookingsSeeded> {
  const places = seeded.properties.places.filter((p) => p.status !== 'draft');
  const total = run.counts.bookings ?? (run.demo ? DEMO_STAYS_PER_PLACE * places.length : 0);
  if (!Number.isInteger(total) || total < 0) throw new RangeError('bookings must be a non-negative integer');
  if (total > 0 && places.length === 0) throw new RangeError('bookings need at least one listed property');
  if (total > 0 && seeded.users.accounts.length < 2) throw new RangeError('bookings need at least two users');

  const today = Math.floor(run.nowMs / DAY_MS);
  const spans = places.map((p) => {
    const start = Math.max(today - HISTORY_DAYS, Math.floor(p.createdAtMs / DAY_MS) + 1);
    return { place: p, start, days: Math.max(0, today + AHEAD_DAYS + 1 - start) };
  });
  const capacity = spans.reduce((sum, s) => sum + s.days, 0);
  if (total > capacity) {
    throw new RangeError(`at most ${number.format(capacity)} bookings fit on these ${places.length} places`);
  }

  let done = 0;
  let ranges = 0;
  if (total > 0) run.progress({ phase: 'bookings', done: 0, total });
  const sampler = run.demo ? createStaySampler(run) : undefined;
  const generated = generateBookings(run, total, spans, capacity, seeded.users.accounts, today);
  const items = sampler ? sampled(generated, (b) => sampler.offer(b)) : generated;
  await writeInBatches(items, run.batchSize, run.concurrency, async (batch) => {
    await insertBookingsBulk(
      run.db,
      batch.map((b) => b.booking),
    );
    const held = batch.flatMap((b) => (b.range ? [b.range] : []));
    await insertCalendarRangesBulk(run.db, held);
    done += batch.length;
    ranges += held.length;
    run.progress({ phase: 'bookings', done, total });
  });
  await analyzeBookings(run.db);
  if (ranges > 0) await analyzeProperties(run.db);
  const counts = { bookings: total, bookingRanges: ranges };
  const summary = `${number.format(total)} bookings`;
  if (!sampler) return { counts, summary };
  const stays = sampler.stays();
  return { counts, summary, stays, showcase: pickShowcase(stays, run.nowMs) };
}

/** The stream unchanged, each booking shown to `offer` on its way. */
async function* sampled(
  source: AsyncIterable<SeedBookingItem>,
  offer: (booking: BookingBulkRow) => void,
): AsyncGenerator<SeedBookingItem> {
  for await (const item of source) {
    offer(item.booking);
    yield item;
  }
}

interface SeedBookingItem {
  booking: BookingBulkRow;
  range: CalendarRangeBulkRow | undefined;
}

const NIGHTS: readonly (readonly [number, number])[] = [
  [1, 10],
  [2, 22],
  [3, 22],
  [4, 14],
  [5, 9],
  [6, 5],
  [7, 8],
  [10, 4],
  [14, 4],
  [21, 1],
  [28, 1],
];
const GUEST_CANCEL_REASONS = [
  'Change of plans',
  'Found another place',
  'Travel dates moved',
  'Family emergency',
  'Flight canceled',
  null,
  null,
] as const;
const HOST_CANCEL_REASONS = ['Maintenance needed', 'Double-booked elsewhere', 'Owner needs the place'] as const;
const CANCELED_BY_WEIGHTS: readonly (readonly [CanceledBy, number])[] = [
  ['guest', 75],
  ['host', 20],
  ['admin', 5],
];

async function* generateBookings(
  run: SeedRun,
  total: number,
  spans: readonly { place: SeededPlace; start: number; days: number }[],
  capacity: number,
  accounts: readonly SeededHost[],
  today: number,
): AsyncGenerator<SeedBookingItem> {
  const rng = createRandom(deriveSeed(run.seed, 3));
  const feePercent = run.settings.serviceFeePercent ?? DEFAULT_SERVICE_FEE_PERCENT;
  // Each place gets a share proportional to its time line; the running floor makes them sum to `total`.
  let before = 0;
  let given = 0;
  for (const span of spans) {
    before += span.days;
    const count = Math.floor((total * before) / Math.max(capacity, 1)) - given;
    given += count;
    const slot = span.days / Math.max(count, 1);
    for (let j = 0; j < count; j++) {
      const slotStart = span.start + Math.floor(j * slot);
      const slotEnd = span.start + Math.floor((j + 1) * slot);
      yield makeBooking(rng, span.place, slotStart, slotEnd, { accounts, today, nowMs: run.nowMs, feePercent });
    }
  }
}

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

function makeBooking(
  rng: Random,
  place: SeededPlace,
  slotStart: number,
  slotEnd: number,
  ctx: { accounts: readonly SeededHost[]; today: number; nowMs: number; feePercent: number },
): SeedBookingItem {
  const length = slotEnd - slotStart;
  const wanted = rng.weighted(NIGHTS);
  const offset = length > wanted ? rng.int(0, Math.min(length - wanted, 45)) : 0;
  const checkInDay = slotStart + offset;
  const nights = Math.max(1, Math.min(wanted, slotEnd - checkInDay));
  const checkIn = isoDay(checkInDay);
  const checkOut = isoDay(checkInDay + nights);
  // 15:00 UTC stands in for 15:00 local where a few hours do not matter (luxon per row
  // would cost more than everything else together); refunds use the exact instant.
  const roughBeginsMs = checkInDay * DAY_MS + 15 * 3_600_000;
  const price = priceStay(place, nightPrices(place, checkIn, checkOut), ctx.feePercent);

  // Booked between four months and a day before arrival, never before the place existed.
  const latest = Math.min(ctx.nowMs - MINUTE_MS, roughBeginsMs - DAY_MS);
  let createdAtMs = Math.max(place.createdAtMs + MINUTE_MS, roughBeginsMs - rng.int(1, 120) * DAY_MS);
  createdAtMs = Math.max(place.createdAtMs + MINUTE_MS, Math.min(createdAtMs, latest));
  const guest = pickGuest(rng, ctx.accounts, place.hostId, createdAtMs);
  createdAtMs = Math.min(Math.max(createdAtMs, guest.createdAtMs + MINUTE_MS), ctx.nowMs - MINUTE_MS);

  const past = checkInDay + nights <= ctx.today;
  const future = checkInDay > ctx.today + 1;
  const crossesBlock = place.blocks.some((b) => b.start < checkOut && checkIn < b.end);
  let status: BookingBulkRow['status'];
  if (crossesBlock) status = 'canceled';
  else if (past)
    status = rng.weighted([
      ['completed', 90],
      ['canceled', 7],
      ['expired', 3],
    ] as const);
  else if (!future) status = 'confirmed';
  else
    status = rng.weighted([
      ['confirmed', 78],
      ['canceled', 12],
      ['pending', 7],
      ['expired', 3],
    ] as const);

  let holdExpiresAt: Date | null = null;
  let canceledAt: Date | null = null;
  let confirmedAtMs: number | null = null;
  let canceledBy: CanceledBy | null = null;
  let cancellationReason: string | null = null;
  let refund: number | null = null;
  let updatedAtMs = createdAtMs;
  if (status === 'pending') {
    // A hold still running: booked minutes ago.
    createdAtMs = ctx.nowMs - rng.int(1, HOLD_MINUTES - 1) * MINUTE_MS;
    holdExpiresAt = new Date(createdAtMs + HOLD_MINUTES * MINUTE_MS);
    updatedAtMs = createdAtMs;
  } else if (status === 'expired') {
    holdExpiresAt = new Date(createdAtMs + HOLD_MINUTES * MINUTE_MS);
    updatedAtMs = Math.min(holdExpiresAt.getTime() + rng.int(0, 59) * 1000, ctx.nowMs);
  } else if (status === 'canceled') {
    const beginsMs = stayBeginsAt(checkIn, place.timezone).getTime();
    const end = Math.min(beginsMs - MINUTE_MS, ctx.nowMs);
    const atMs = createdAtMs + Math.floor(rng.next() * Math.max(end - createdAtMs, MINUTE_MS));
    canceledBy = crossesBlock ? 'host' : rng.weighted(CANCELED_BY_WEIGHTS);
    cancellationReason = crossesBlock
      ? 'The host blocked these dates'
      : canceledBy === 'guest'
        ? rng.pick(GUEST_CANCEL_REASONS)
        : rng.pick(HOST_CANCEL_REASONS);
    // Most were paid (confirmed) when canceled; an unpaid hold refunds nothing.
    const wasConfirmed = rng.chance(0.85);
    refund = refundAmount({
      status: wasConfirmed ? 'confirmed' : 'pending',
      total: price.total,
      serviceFee: price.serviceFee,
      policy: place.cancellationPolicy,
      canceledBy,
      stayBegins: new Date(beginsMs),
      now: new Date(atMs),
    });
    if (wasConfirmed) confirmedAtMs = Math.min(createdAtMs + PAID_AFTER_MS, atMs);
    canceledAt = new Date(atMs);
    updatedAtMs = atMs;
  } else if (status === 'completed') {
    confirmedAtMs = createdAtMs + PAID_AFTER_MS;
    updatedAtMs = Math.min(roughBeginsMs + nights * DAY_MS, ctx.nowMs);
  } else {
    // Confirmed by its payment a few minutes after booking.
    updatedAtMs = Math.min(createdAtMs + rng.int(1, HOLD_MINUTES - 1) * MINUTE_MS, ctx.nowMs);
    confirmedAtMs = updatedAtMs;
  }

  const id = randomUUID();
  const booking: BookingBulkRow = {
    id,
    propertyId: place.id,
    guestId: guest.id,
    hostId: place.hostId,
    checkIn,
    checkOut,
    guests: Math.min(
      place.maxGuests,
      rng.weighted([
        [1, 25],
        [2, 45],
        [3, 12],
        [4, 12],
        [6, 6],
      ] as const),
    ),
    nights,
    currency: place.currency,
    cancellationPolicy: place.cancellationPolicy,
    timezone: place.timezone,
    nightlyPrice: price.nightly,
    subtotal: price.subtotal,
    discount: price.discount,
    cleaningFee: price.cleaningFee,
    serviceFee: price.serviceFee,
    total: price.total,
    status,
    holdExpiresAt,
    confirmedAt: confirmedAtMs === null ? null : new Date(confirmedAtMs),
    canceledAt,
    canceledBy,
    cancellationReason,
    refundAmount: refund,
    createdAt: new Date(createdAtMs),
    updatedAt: new Date(updatedAtMs),
  };
  const holds = status === 'pending' || status === 'confirmed' || status === 'completed';
  const range: CalendarRangeBulkRow | undefined = holds
    ? {
        propertyId: place.id,
        start: checkIn,
        end: checkOut,
        refId: id,
        occupantId: guest.id,
        revealsLocation: status !== 'pending',
        createdAt: new Date(createdAtMs),
      }
    : undefined;
  return { booking, range };
}

/** An account other than the host's, preferably one that existed when the stay was booked. */
function pickGuest(rng: Random, accounts: readonly SeededHost[], hostId: string, atMs: number): SeededHost {
  let lo = 0;
  let hi = accounts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (accounts[mid]!.createdAtMs < atMs) lo = mid + 1;
    else hi = mid;
  }
  const existing = Math.max(lo, 2);
  for (let attempt = 0; attempt < 8; attempt++) {
    const guest = accounts[rng.int(0, existing - 1)]!;
    if (guest.id !== hostId) return guest;
  }
  return accounts.find((a) => a.id !== hostId)!;
}
