import { randomUUID } from 'node:crypto';
import { createRandom, deriveSeed, timeline, type Random } from '../../platform/seeding/random.js';
import { DAY_MS, writeInBatches, type SeedRun } from '../../platform/seeding/run.js';
import type { SeededHost } from '../users/index.js';
import { insertBlocksBulk } from './properties.calendar.repository.js';
import { analyzeProperties, insertPropertiesBulk, type PropertyBulkRow } from './properties.repository.js';
import { SEED_CITIES, TYPE_NOUNS, type SeedCity } from './properties.seed-data.js';
import { makeDescription, makeTitle, nearCity, pickAmenities } from './properties.seed-text.js';
import { insertOverridesBulk, type NewPriceOverride } from './properties.prices.repository.js';
import { generatePriceOverrides, pricesRandom } from './properties.seed-prices.js';
import type { CANCELLATION_POLICIES, PROPERTY_STATUSES, PROPERTY_TYPES, propertyCalendar } from './properties.table.js';

const HISTORY_MS = 730 * DAY_MS;

/** What bookings of a seeded place need to know of it (its price terms, zone, host, blocks). */
export interface SeededPlace {
  id: string;
  hostId: string;
  createdAtMs: number;
  status: (typeof PROPERTY_STATUSES)[number];
  timezone: string;
  currency: string;
  nightlyPrice: number;
  weekendPrice: number | null;
  cleaningFee: number;
  weeklyDiscountPercent: number;
  maxGuests: number;
  cancellationPolicy: (typeof CANCELLATION_POLICIES)[number];
  /** Its calendar blocks, [start, end) dates. */
  blocks: { start: string; end: string }[];
}

export interface PropertiesSeeded {
  counts: { properties: number; listed: number; blocks: number };
  summary: string;
  /** Every seeded place, in creation order. */
  places: SeededPlace[];
}

type SeedBlockRow = typeof propertyCalendar.$inferInsert & { kind: 'block' };

const number = new Intl.NumberFormat('en-US');

/**
 * Writes `run.counts.properties` listings owned by the seeded hosts (each created after its
 * host's account), a tenth of them with one or two future calendar blocks, and a tenth
 * (others) with prices by date: a high season and some dearer weekends. Blocks follow
 * their property's batch, since they reference it.
 */
export async function seedProperties(run: SeedRun, hosts: readonly SeededHost[]): Promise<PropertiesSeeded> {
  const total = run.counts.properties ?? 0;
  if (!Number.isInteger(total) || total < 0) throw new RangeError('properties must be a non-negative integer');
  if (total > 0 && hosts.length === 0) throw new RangeError('properties need at least one user to host them');

  let done = 0;
  let listed = 0;
  let blocks = 0;
  const places: SeededPlace[] = [];
  run.progress({ phase: 'properties', done: 0, total });
  await writeInBatches(generateProperties(run, total, hosts), run.batchSize, run.concurrency, async (batch) => {
    await insertPropertiesBulk(
      run.db,
      batch.map((b) => b.property),
    );
    await seedBlocks(
      run,
      batch.flatMap((b) => b.blocks),
    );
    await insertOverridesBulk(
      run.db,
      batch.flatMap((b) => b.prices),
    );
    for (const { property: p, blocks: placeBlocks } of batch) {
      places.push({
        id: p.id,
        hostId: p.hostId,
        createdAtMs: p.createdAt.getTime(),
        status: p.status ?? 'draft',
        timezone: p.timezone,
        currency: p.currency,
        nightlyPrice: p.nightlyPrice,
        weekendPrice: p.weekendPrice ?? null,
        cleaningFee: p.cleaningFee ?? 0,
        weeklyDiscountPercent: p.weeklyDiscountPercent ?? 0,
        maxGuests: p.maxGuests,
        cancellationPolicy: p.cancellationPolicy ?? 'moderate',
        blocks: placeBlocks.map((b) => ({ start: b.start, end: b.end })),
      });
    }
    done += batch.length;
    listed += batch.filter((b) => b.property.status === 'listed').length;
    blocks += batch.reduce((n, b) => n + b.blocks.length, 0);
    run.progress({ phase: 'properties', done, total });
  });
  await analyzeProperties(run.db);
  places.sort((a, b) => a.createdAtMs - b.createdAtMs);
  return {
    places,
    counts: { properties: total, listed, blocks },
    summary: `${number.format(total)} properties (${number.format(listed)} listed) and ${number.format(blocks)} calendar blocks`,
  };
}

/** Calendar blocks of a batch of just-written properties. */
async function seedBlocks(run: SeedRun, rows: SeedBlockRow[]): Promise<void> {
  await insertBlocksBulk(run.db, rows);
}

interface SeedPropertyItem {
  property: PropertyBulkRow;
  blocks: SeedBlockRow[];
  prices: NewPriceOverride[];
}

type PropertyType = (typeof PROPERTY_TYPES)[number];

const TYPE_WEIGHTS: readonly (readonly [PropertyType, number])[] = [
  ['apartment', 46],
  ['house', 20],
  ['room', 14],
  ['cabin', 6],
  ['villa', 8],
  ['other', 6],
];
const STATUS_WEIGHTS: readonly (readonly [(typeof PROPERTY_STATUSES)[number], number])[] = [
  ['listed', 90],
  ['draft', 6],
  ['unlisted', 4],
];
const POLICY_WEIGHTS: readonly (readonly [(typeof CANCELLATION_POLICIES)[number], number])[] = [
  ['flexible', 35],
  ['moderate', 45],
  ['strict', 20],
];
const DISCOUNT_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 45],
  [5, 10],
  [10, 20],
  [15, 12],
  [20, 8],
  [25, 4],
  [30, 1],
];
const PRICE_FACTOR: Record<PropertyType, number> = {
  apartment: 1,
  house: 1.5,
  room: 0.55,
  cabin: 1.1,
  villa: 2.6,
  other: 0.9,
};
const BEDROOMS: Record<PropertyType, readonly (readonly [number, number])[]> = {
  apartment: [
    [0, 15],
    [1, 45],
    [2, 30],
    [3, 10],
  ],
  house: [
    [2, 30],
    [3, 40],
    [4, 20],
    [5, 10],
  ],
  room: [[1, 1]],
  cabin: [
    [1, 40],
    [2, 40],
    [3, 20],
  ],
  villa: [
    [3, 30],
    [4, 35],
    [5, 20],
    [6, 10],
    [7, 5],
  ],
  other: [
    [1, 70],
    [2, 30],
  ],
};
// Places with one of these numbers after the street name ("Oranienstraße 12").
const NUMBER_AFTER_STREET = new Set([
  'AT',
  'BR',
  'CZ',
  'DE',
  'DK',
  'ES',
  'GR',
  'IS',
  'IT',
  'MX',
  'NL',
  'PT',
  'SE',
  'TR',
]);
const BLOCK_NOTES = ['Owner stay', 'Maintenance', 'Repainting', 'Family visit', null, null] as const;
const MAX_MONEY = 100_000_000;

const currencyDigits = new Map<string, number>();
function minorUnitFactor(currency: string): number {
  let digits = currencyDigits.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    currencyDigits.set(currency, digits);
  }
  return 10 ** digits;
}

/** Rounds a price to what a host would type: two or three significant figures. */
function nicePrice(major: number): number {
  const step = Math.max(1, 10 ** Math.floor(Math.log10(Math.max(major, 1)) - 1) / 2);
  return Math.max(step, Math.round(major / step) * step);
}

const toMinor = (major: number, currency: string) =>
  Math.min(MAX_MONEY, Math.max(1, Math.round(nicePrice(major) * minorUnitFactor(currency))));

async function* generateProperties(
  run: SeedRun,
  count: number,
  hosts: readonly SeededHost[],
): AsyncGenerator<SeedPropertyItem> {
  const rng = createRandom(deriveSeed(run.seed, 2));
  const cityWeights = SEED_CITIES.map((c) => [c, c.weight] as const);
  const today = Math.floor(run.nowMs / DAY_MS) * DAY_MS;
  // Prices by date draw from a stream of their own, so the places stay as they were.
  const pricesRng = pricesRandom(run.seed);
  for (const createdAtMs of timeline(rng, count, run.nowMs - HISTORY_MS, run.nowMs)) {
    const property = generateProperty(
      rng,
      rng.weighted(cityWeights),
      pickHost(rng, hosts, createdAtMs),
      createdAtMs,
      run.nowMs,
    );
    const blocks = rng.chance(0.1) ? generateBlocks(rng, property.id, today) : [];
    yield { property, blocks, prices: generatePriceOverrides(pricesRng, property, today) };
  }
}

/** Any host whose account existed when the place was created. */
function pickHost(rng: Random, hosts: readonly SeededHost[], atMs: number): string {
  let lo = 0;
  let hi = hosts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (hosts[mid]!.createdAtMs < atMs) lo = mid + 1;
    else hi = mid;
  }
  return hosts[rng.int(0, Math.max(lo, 1) - 1)]!.id;
}

function generateProperty(
  rng: Random,
  city: SeedCity,
  hostId: string,
  createdAtMs: number,
  nowMs: number,
): PropertyBulkRow {
  const propertyType = rng.weighted(TYPE_WEIGHTS);
  const bedrooms = rng.weighted(BEDROOMS[propertyType]);
  const beds = propertyType === 'room' ? rng.int(1, 2) : Math.max(1, bedrooms + rng.int(0, Math.min(2, bedrooms)));
  const bathrooms = propertyType === 'room' ? 1 : Math.max(1, Math.min(bedrooms, 1 + rng.int(0, bedrooms) * 0.5));
  const maxGuests = Math.max(1, Math.min(16, beds * 2 - rng.int(0, 1)));
  const amenities = pickAmenities(rng, city, propertyType);
  const street = rng.pick(city.streets);
  const number = rng.int(1, 240);

  const sizeFactor = bedrooms === 0 ? 0.8 : 1 + 0.25 * (bedrooms - 1);
  const nightlyMajor = city.typicalNightly * PRICE_FACTOR[propertyType] * sizeFactor * Math.exp(0.3 * rng.normal());
  const cleaningMajor = rng.chance(0.2) ? 0 : nightlyMajor * (0.1 + 0.3 * rng.next());

  const status = rng.weighted(STATUS_WEIGHTS);
  // Drafts were never bookable, so never reviewed; 64 % of the rest ≈ 60 % overall.
  const rated = status !== 'draft' && rng.chance(0.64);
  const ratingCount = rated ? Math.min(200, Math.floor(Math.exp(rng.next() * Math.log(201)))) : 0;
  const average = 5 - Math.abs(rng.normal()) * 0.45;
  const ratingSum = rated ? Math.min(5 * ratingCount, Math.max(3 * ratingCount, Math.round(average * ratingCount))) : 0;

  const { latitude, longitude } = nearCity(rng, city);
  const noun = propertyType === 'apartment' && bedrooms === 0 ? 'studio' : rng.pick(TYPE_NOUNS[propertyType]);
  const title = makeTitle(rng, city, street, propertyType, noun, bedrooms);
  const createdAt = new Date(createdAtMs);
  const updatedAt = rng.chance(0.4)
    ? new Date(createdAtMs + Math.floor(rng.next() * (nowMs - createdAtMs)))
    : createdAt;

  return {
    id: randomUUID(),
    hostId,
    title,
    description: makeDescription(rng, city, street, noun, { maxGuests, bedrooms, beds, bathrooms, amenities }),
    propertyType,
    addressLine1: NUMBER_AFTER_STREET.has(city.country) ? `${street} ${number}` : `${number} ${street}`,
    city: city.name,
    region: city.region,
    postalCode: rng.pick(city.postalCodes),
    country: city.country,
    latitude,
    longitude,
    timezone: city.timezone,
    currency: city.currency,
    nightlyPrice: toMinor(nightlyMajor, city.currency),
    cleaningFee: cleaningMajor === 0 ? 0 : toMinor(cleaningMajor, city.currency),
    weeklyDiscountPercent: rng.weighted(DISCOUNT_WEIGHTS),
    maxGuests,
    bedrooms,
    beds,
    bathrooms,
    amenities,
    cancellationPolicy: rng.weighted(POLICY_WEIGHTS),
    status,
    ratingSum,
    ratingCount,
    createdAt,
    updatedAt,
  };
}

/** A point within CITY_RADIUS_KM of the centre, denser towards it as listings are. */
/** One or two future blocks of a place, apart from each other. */
function generateBlocks(rng: Random, propertyId: string, todayMs: number): SeedBlockRow[] {
  const blocks: SeedBlockRow[] = [];
  let startMs = todayMs + rng.int(3, 200) * DAY_MS;
  for (let i = rng.int(1, 2); i > 0; i--) {
    const endMs = startMs + rng.int(2, 14) * DAY_MS;
    blocks.push({
      propertyId,
      kind: 'block',
      start: isoDate(startMs),
      end: isoDate(endMs),
      note: rng.pick(BLOCK_NOTES),
    });
    startMs = endMs + rng.int(1, 60) * DAY_MS;
  }
  return blocks;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
