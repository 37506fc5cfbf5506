import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../platform/auth/hashing.js';
import type { Db } from '../../platform/db/types.js';
import type { CANCELLATION_POLICIES, PROPERTY_STATUSES, PROPERTY_TYPES } from '../../platform/db/schema.js';
import {
  AMENITIES,
  AMENITY_LABELS,
  CITY_RADIUS_KM,
  COASTAL_FEATURES,
  COASTAL_NOTES,
  DESCRIPTION_HOUSE_NOTES,
  DESCRIPTION_NEIGHBOURHOOD,
  FIRST_NAMES,
  LAST_NAMES,
  SEED_CITIES,
  TITLE_ADJECTIVES,
  TITLE_FEATURES,
  TYPE_NOUNS,
  type Amenity,
  type SeedCity,
} from './seed.data.js';
import { createRandom, deriveSeed, type Random } from './seed.random.js';
import {
  analyzeSeededTables,
  countUsersWithEmailSuffix,
  insertBlockRows,
  insertPropertyRows,
  insertUserRows,
  type SeedBlockRow,
  type SeedPropertyRow,
  type SeedUserRow,
} from './seed.repository.js';

/** Every seeded account signs in with this password. */
export const SEED_PASSWORD = 'staylane-seed-1';
/** Seeded accounts are recognisable by their e-mail domain (reserved, so no mail leaves). */
export const SEED_EMAIL_DOMAIN = 'seed.example.com';
export const DEFAULT_SEED = 20_240_601;

export interface SeedOptions {
  users: number;
  properties: number;
  /** The same seed and counts produce the same data (ids aside). */
  seed?: number;
  /** Timestamps are spread over the two years before this instant; block dates follow it. */
  now?: Date;
  /** Rows per INSERT. 1,000 properties × 31 columns stays well under PostgreSQL's 65,535 parameters. */
  batchSize?: number;
  /** Batches written at once; above 1 only helps over a connection pool. */
  concurrency?: number;
}

export type SeedPhase = 'users' | 'properties';
export interface SeedProgress {
  phase: SeedPhase;
  done: number;
  total: number;
}

export interface SeedSummary {
  seed: number;
  users: number;
  hosts: number;
  properties: number;
  listed: number;
  blocks: number;
  elapsedMs: number;
}

const DAY_MS = 86_400_000;
const HISTORY_MS = 730 * DAY_MS;
const HOST_SHARE = 0.2;

interface HostRef {
  id: string;
  createdAtMs: number;
}

interface SeedContext {
  seed: number;
  nowMs: number;
  passwordHash: string;
  emailOffset: number;
}

/**
 * Fills the database with realistic users, hosts, properties and calendar blocks. Rows
 * come from async generators and are written in multi-row batches, so memory stays flat
 * whatever the counts; only the hosts (a fifth of the users) are kept, to own properties.
 * Each batch commits on its own: an interrupted run leaves what it wrote.
 */
export async function seedDatabase(
  db: Db,
  options: SeedOptions,
  onProgress: (progress: SeedProgress) => void = () => undefined,
): Promise<SeedSummary> {
  const started = performance.now();
  const { users: userCount, properties: propertyCount } = options;
  if (!Number.isInteger(userCount) || userCount < 0 || !Number.isInteger(propertyCount) || propertyCount < 0) {
    throw new RangeError('users and properties must be non-negative integers');
  }
  if (propertyCount > 0 && userCount === 0) throw new RangeError('properties need at least one user to host them');
  const batchSize = options.batchSize ?? 1000;
  const concurrency = options.concurrency ?? 1;

  const ctx: SeedContext = {
    seed: options.seed ?? DEFAULT_SEED,
    nowMs: (options.now ?? new Date()).getTime(),
    // Argon2 is slow by design; one hash serves every seeded account.
    passwordHash: await hashPassword(SEED_PASSWORD),
    emailOffset: await countUsersWithEmailSuffix(db, `@${SEED_EMAIL_DOMAIN}`),
  };

  const hosts: HostRef[] = [];
  let usersDone = 0;
  onProgress({ phase: 'users', done: 0, total: userCount });
  await writeInBatches(generateUsers(ctx, userCount), batchSize, concurrency, async (batch) => {
    await insertUserRows(db, batch);
    for (const u of batch) if (u.role === 'host') hosts.push({ id: u.id, createdAtMs: u.createdAt.getTime() });
    usersDone += batch.length;
    onProgress({ phase: 'users', done: usersDone, total: userCount });
  });
  // Concurrent batches may finish out of order; host look-ups need creation order.
  hosts.sort((a, b) => a.createdAtMs - b.createdAtMs);

  let propertiesDone = 0;
  let listed = 0;
  let blocks = 0;
  onProgress({ phase: 'properties', done: 0, total: propertyCount });
  await writeInBatches(generateProperties(ctx, propertyCount, hosts), batchSize, concurrency, async (batch) => {
    await insertPropertyRows(
      db,
      batch.map((b) => b.property),
    );
    // Blocks reference their property, so they follow its batch.
    const batchBlocks = batch.flatMap((b) => b.blocks);
    await insertBlockRows(db, batchBlocks);
    propertiesDone += batch.length;
    listed += batch.filter((b) => b.property.status === 'listed').length;
    blocks += batchBlocks.length;
    onProgress({ phase: 'properties', done: propertiesDone, total: propertyCount });
  });
  await analyzeSeededTables(db);

  return {
    seed: ctx.seed,
    users: userCount,
    hosts: hosts.length,
    properties: propertyCount,
    listed,
    blocks,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/**
 * Groups a stream into batches and writes up to `concurrency` of them at a time; the next
 * batch is generated while earlier ones are in the database.
 */
async function writeInBatches<T>(
  source: AsyncIterable<T>,
  size: number,
  concurrency: number,
  write: (batch: T[]) => Promise<void>,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const start = (batch: T[]) => {
    const task: Promise<void> = write(batch).finally(() => inFlight.delete(task));
    // Failures surface through race/all below; this only stops an "unhandled" report.
    task.catch(() => undefined);
    inFlight.add(task);
  };
  try {
    let batch: T[] = [];
    for await (const item of source) {
      batch.push(item);
      if (batch.length < size) continue;
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      start(batch);
      batch = [];
    }
    if (batch.length > 0) start(batch);
    await Promise.all(inFlight);
  } finally {
    // Never return while a write still uses the connection.
    await Promise.allSettled(inFlight);
  }
}

/** Evenly spread, strictly increasing instants in [from, to): distinct timestamps in creation order. */
function* timeline(rng: Random, count: number, fromMs: number, toMs: number): Generator<number> {
  const step = (toMs - fromMs) / Math.max(count, 1);
  for (let i = 0; i < count; i++) yield Math.floor(fromMs + i * step + rng.next() * Math.max(step - 1, 0));
}

async function* generateUsers(ctx: SeedContext, count: number): AsyncGenerator<SeedUserRow> {
  const rng = createRandom(deriveSeed(ctx.seed, 1));
  // Accounts predate the listings window by half a year, so the first hosts exist before any place.
  const from = ctx.nowMs - HISTORY_MS - 180 * DAY_MS;
  let i = 0;
  for (const createdAtMs of timeline(rng, count, from, ctx.nowMs - DAY_MS)) {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const n = ctx.emailOffset + i + 1;
    const createdAt = new Date(createdAtMs);
    yield {
      id: randomUUID(),
      email: `${asciiSlug(firstName)}.${asciiSlug(lastName)}.${n}@${SEED_EMAIL_DOMAIN}`,
      passwordHash: ctx.passwordHash,
      firstName,
      lastName,
      phone: rng.chance(0.7) ? fictionalPhone(rng) : null,
      // The first account always hosts, so every property has an owner older than itself.
      role: i === 0 || rng.chance(HOST_SHARE) ? 'host' : 'guest',
      status: 'active',
      emailVerified: rng.chance(0.85),
      createdAt,
      updatedAt: createdAt,
    };
    i++;
  }
}

function asciiSlug(name: string): string {
  return name
    .replace(/ı/g, 'i')
    .replace(/ø/gi, 'o')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

// Numbers from ranges reserved for fiction, so no real person is ever called.
function fictionalPhone(rng: Random): string {
  switch (rng.int(0, 2)) {
    case 0:
      return `+1 555 01${rng.int(0, 99).toString().padStart(2, '0')}`;
    case 1:
      return `+44 7700 900${rng.int(0, 999).toString().padStart(3, '0')}`;
    default:
      return `+61 491 570 ${rng.int(0, 999).toString().padStart(3, '0')}`;
  }
}

interface SeedPropertyItem {
  property: SeedPropertyRow;
  blocks: SeedBlockRow[];
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
  ctx: SeedContext,
  count: number,
  hosts: readonly HostRef[],
): AsyncGenerator<SeedPropertyItem> {
  const rng = createRandom(deriveSeed(ctx.seed, 2));
  const cityWeights = SEED_CITIES.map((c) => [c, c.weight] as const);
  const today = Math.floor(ctx.nowMs / DAY_MS) * DAY_MS;
  for (const createdAtMs of timeline(rng, count, ctx.nowMs - HISTORY_MS, ctx.nowMs)) {
    const property = generateProperty(
      rng,
      rng.weighted(cityWeights),
      pickHost(rng, hosts, createdAtMs),
      createdAtMs,
      ctx,
    );
    const blocks = rng.chance(0.1) ? generateBlocks(rng, property.id, today) : [];
    yield { property, blocks };
  }
}

/** Any host whose account existed when the place was created. */
function pickHost(rng: Random, hosts: readonly HostRef[], atMs: number): string {
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
  ctx: SeedContext,
): SeedPropertyRow {
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
    ? new Date(createdAtMs + Math.floor(rng.next() * (ctx.nowMs - createdAtMs)))
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
function nearCity(rng: Random, city: SeedCity): { latitude: number; longitude: number } {
  const distanceKm = CITY_RADIUS_KM * rng.next() ** 1.5;
  const bearing = rng.next() * 2 * Math.PI;
  const kmPerDegree = 111.32;
  const latitude = city.latitude + (distanceKm * Math.cos(bearing)) / kmPerDegree;
  const longitude =
    city.longitude + (distanceKm * Math.sin(bearing)) / (kmPerDegree * Math.cos((city.latitude * Math.PI) / 180));
  return { latitude: Math.round(latitude * 1e6) / 1e6, longitude: Math.round(longitude * 1e6) / 1e6 };
}

function pickAmenities(rng: Random, city: SeedCity, type: PropertyType): string[] {
  const warm = Math.abs(city.latitude) < 35;
  const roomy = type === 'house' || type === 'villa' || type === 'cabin';
  const odds: Record<Amenity, number> = {
    wifi: 0.95,
    kitchen: type === 'room' ? 0.3 : 0.85,
    parking: roomy ? 0.8 : 0.3,
    pool: type === 'villa' ? 0.7 : warm ? 0.12 : 0.04,
    air_conditioning: warm ? 0.85 : 0.35,
    heating: warm ? 0.3 : 0.92,
    washer: type === 'room' ? 0.35 : 0.65,
    tv: 0.7,
    workspace: 0.4,
    hot_tub: type === 'cabin' || type === 'villa' ? 0.3 : 0.04,
    gym: type === 'apartment' ? 0.12 : 0.03,
    pets_allowed: roomy ? 0.35 : 0.15,
    ev_charger: roomy ? 0.12 : 0.03,
    fireplace: type === 'cabin' ? 0.6 : type === 'house' ? 0.2 : 0.04,
    balcony: type === 'apartment' ? 0.5 : 0.2,
    beach_access: city.coastal ? 0.25 : 0,
  };
  // Sorted, as the API stores amenity lists.
  return AMENITIES.filter((a) => rng.chance(odds[a])).sort();
}

function makeTitle(
  rng: Random,
  city: SeedCity,
  street: string,
  type: PropertyType,
  noun: string,
  bedrooms: number,
): string {
  const adjective = rng.pick(TITLE_ADJECTIVES);
  const feature = city.coastal && rng.chance(0.4) ? rng.pick(COASTAL_FEATURES) : rng.pick(TITLE_FEATURES);
  switch (rng.int(0, 4)) {
    case 0:
      return `${adjective} ${noun} in ${city.name}`;
    case 1:
      return `${adjective} ${noun} with ${feature}`;
    case 2:
      return `${adjective} ${noun} near ${street}`;
    case 3:
      return `${adjective} ${noun} in the heart of ${city.name}`;
    default:
      return bedrooms >= 2 && type !== 'room'
        ? `${adjective} ${bedrooms}-bedroom ${noun} in ${city.name}`
        : `${adjective} ${noun} with ${feature} in ${city.name}`;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function makeDescription(
  rng: Random,
  city: SeedCity,
  street: string,
  noun: string,
  place: { maxGuests: number; bedrooms: number; beds: number; bathrooms: number; amenities: string[] },
): string {
  const setting = rng.pick([
    `in one of the liveliest parts of ${city.name}`,
    `a short walk from the centre of ${city.name}`,
    `in a quiet corner of ${city.name}`,
    `in a well-connected part of ${city.name}`,
  ]);
  const rooms = place.bedrooms === 0 ? 'an open-plan living and sleeping area' : plural(place.bedrooms, 'bedroom');
  const sentences = [
    `Welcome to our ${rng.pick(TITLE_ADJECTIVES).toLowerCase()} ${noun} on ${street}, ${setting}.`,
    `It sleeps ${plural(place.maxGuests, 'guest')}, with ${rooms}, ${plural(place.beds, 'bed')} and ${plural(place.bathrooms, 'bathroom')}.`,
  ];
  const highlights = rng.sample(place.amenities, 4).map((a) => AMENITY_LABELS[a as Amenity]);
  if (highlights.length >= 2) {
    sentences.push(`Guests love the ${highlights.slice(0, -1).join(', ')} and ${highlights.at(-1)}.`);
  }
  sentences.push(...rng.sample(DESCRIPTION_NEIGHBOURHOOD, rng.int(1, 2)));
  if (city.coastal && rng.chance(0.5)) sentences.push(rng.pick(COASTAL_NOTES));
  sentences.push(...rng.sample(DESCRIPTION_HOUSE_NOTES, rng.int(1, 2)));
  return sentences.join(' ');
}

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
