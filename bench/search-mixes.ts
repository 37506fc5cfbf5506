import { AMENITIES, SEED_CITIES, type SeedCity } from '../src/modules/properties/index.js';
import type { Random } from '../src/platform/seeding/random.js';

/**
 * Realistic search requests, by filter mix. Every request of a mix is a different query,
 * so the server's short-lived search cache never answers and each one reaches PostgreSQL.
 */
export interface SearchMix {
  name: string;
  /** The parameters, for the report. */
  shape: string;
  make(rng: Random, today: Date): Record<string, string | number>;
}

const DAY_MS = 86_400_000;
const TYPES = ['apartment', 'house', 'room', 'cabin', 'villa', 'other'] as const;
const SORTS = ['newest', 'price_asc', 'price_desc', 'rating'] as const;
const TERMS = [
  'garden',
  'loft',
  'sea view',
  'quiet',
  'rooftop terrace',
  'fireplace',
  'historic',
  'cosy cabin',
  'pool villa',
  'penthouse',
  'beach',
  'courtyard',
  'bicycles',
  'workspace',
  'harbour',
  'family home',
] as const;

const minorUnits = (c: SeedCity) =>
  10 **
  (new Intl.NumberFormat('en', { style: 'currency', currency: c.currency }).resolvedOptions().maximumFractionDigits ??
    2);

function stay(rng: Random, today: Date): { checkIn: string; checkOut: string } {
  const start = today.getTime() + rng.int(30, 60) * DAY_MS;
  const end = start + rng.int(2, 10) * DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { checkIn: iso(start), checkOut: iso(end) };
}

// Varying the page size keeps otherwise few distinct queries distinct, like real clients do.
const pageSize = (rng: Random) => rng.int(10, 40);

export const SEARCH_MIXES: readonly SearchMix[] = [
  {
    name: 'city',
    shape: 'city',
    make: (rng) => ({ city: rng.pick(SEED_CITIES).name, limit: pageSize(rng) }),
  },
  {
    name: 'city + guests + price range',
    shape: 'city, guests, minPrice, maxPrice',
    make: (rng) => {
      const city = rng.pick(SEED_CITIES);
      const typical = city.typicalNightly * minorUnits(city);
      return {
        city: city.name,
        guests: rng.int(1, 6),
        minPrice: Math.round(typical * (0.3 + 0.5 * rng.next())),
        maxPrice: Math.round(typical * (1.2 + 1.8 * rng.next())),
        sort: rng.pick(SORTS),
      };
    },
  },
  {
    name: 'country + dates + guests',
    shape: 'country, checkIn, checkOut (30–60 days ahead), guests',
    make: (rng, today) => ({ country: rng.pick(SEED_CITIES).country, ...stay(rng, today), guests: rng.int(1, 6) }),
  },
  {
    name: 'city + dates + guests, by price',
    shape: 'city, checkIn, checkOut, guests, sort=price_asc',
    make: (rng, today) => ({
      city: rng.pick(SEED_CITIES).name,
      ...stay(rng, today),
      guests: rng.int(1, 4),
      sort: 'price_asc',
    }),
  },
  {
    // The stay's average nightly price (prices by date included) filters and sorts here.
    name: 'country + dates + price range',
    shape: 'country, checkIn, checkOut, minPrice, maxPrice, sort=price_desc',
    make: (rng, today) => {
      const city = rng.pick(SEED_CITIES);
      const typical = city.typicalNightly * minorUnits(city);
      return {
        country: city.country,
        ...stay(rng, today),
        minPrice: Math.round(typical * (0.3 + 0.5 * rng.next())),
        maxPrice: Math.round(typical * (1.2 + 1.8 * rng.next())),
        sort: 'price_desc',
      };
    },
  },
  {
    name: 'full text',
    shape: 'q (relevance)',
    make: (rng) => ({
      q: rng.chance(0.5) ? rng.pick(TERMS) : `${rng.pick(TERMS)} ${rng.pick(SEED_CITIES).name}`,
      limit: pageSize(rng),
    }),
  },
  {
    name: 'amenities + type',
    shape: 'amenities (1–3), propertyType',
    make: (rng) => ({
      amenities: rng.sample(AMENITIES, rng.int(1, 3)).join(','),
      propertyType: rng.pick(TYPES),
      limit: pageSize(rng),
    }),
  },
  {
    name: 'radius + dates',
    shape: 'lat, lng, radiusKm (2–20), checkIn, checkOut',
    make: (rng, today) => {
      const city = rng.pick(SEED_CITIES);
      return {
        lat: (city.latitude + (rng.next() - 0.5) * 0.06).toFixed(4),
        lng: (city.longitude + (rng.next() - 0.5) * 0.06).toFixed(4),
        radiusKm: rng.int(2, 20),
        ...stay(rng, today),
      };
    },
  },
  // Appended, so the mixes above keep their seeds (bench/run.ts seeds each by its index).
  {
    name: 'full text, other sorts',
    shape: 'q, sort=newest|price_asc|price_desc|rating',
    make: (rng) => ({
      q: rng.chance(0.5) ? rng.pick(TERMS) : `${rng.pick(TERMS)} ${rng.pick(SEED_CITIES).name}`,
      sort: rng.pick(SORTS),
      limit: pageSize(rng),
    }),
  },
  {
    name: 'city, by rating',
    shape: 'city, sort=rating',
    make: (rng) => ({ city: rng.pick(SEED_CITIES).name, sort: 'rating', limit: pageSize(rng) }),
  },
];

/** `count` distinct query strings of a mix (fewer only if the mix cannot make that many). */
export function distinctQueries(mix: SearchMix, rng: Random, today: Date, count: number): string[] {
  const seen = new Set<string>();
  for (let attempt = 0; seen.size < count && attempt < count * 50; attempt++) {
    const params = Object.entries(mix.make(rng, today)).map(([k, v]): [string, string] => [k, String(v)]);
    seen.add(new URLSearchParams(params).toString());
  }
  return [...seen];
}
