import { createRandom, deriveSeed, type Random } from '../../platform/seeding/random.js';
import { DAY_MS } from '../../platform/seeding/run.js';
import type { NewPriceOverride } from './properties.prices.repository.js';

// Seeded prices by date: about a tenth of the places get a few overrides, as hosts set them.

/** Its own stream, so the places and everything seeded after them stay as they were. */
const PRICES_STREAM = 20;
const SHARE_WITH_PRICES = 0.1;

/** The overrides' random source for a seeding run. */
export const pricesRandom = (seed: number): Random => createRandom(deriveSeed(seed, PRICES_STREAM));

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const price = (nightly: number, factor: number) => Math.max(1, Math.min(100_000_000, Math.round(nightly * factor)));

/**
 * The overrides of one place, none for nine places in ten: a high season of three to eight
 * weeks within the next year (dearer, often with a longer minimum stay) and, before it, a
 * run of weekends (Friday and Saturday nights) dearer still, each pair one range. The
 * ranges never share a night, as the exclusion constraint requires.
 */
export function generatePriceOverrides(
  rng: Random,
  place: { id: string; nightlyPrice: number },
  todayMs: number,
): NewPriceOverride[] {
  if (!rng.chance(SHARE_WITH_PRICES)) return [];
  const rows: NewPriceOverride[] = [];
  const seasonStartMs = todayMs + rng.int(60, 300) * DAY_MS;
  const seasonEndMs = seasonStartMs + rng.int(21, 56) * DAY_MS;
  rows.push({
    propertyId: place.id,
    start: isoDate(seasonStartMs),
    end: isoDate(seasonEndMs),
    nightlyPrice: price(place.nightlyPrice, 1.2 + 0.4 * rng.next()),
    minNights: rng.chance(0.6) ? rng.int(3, 7) : null,
  });
  // The next Friday at least 3 days ahead (1970-01-01 was a Thursday: day 1 is a Friday).
  const firstFriday = Math.ceil((todayMs + 3 * DAY_MS - DAY_MS) / (7 * DAY_MS)) * 7 * DAY_MS + DAY_MS;
  const weekendFactor = 1.1 + 0.3 * rng.next();
  for (let w = 0, n = rng.int(2, 8); w < n; w++) {
    const friday = firstFriday + w * 7 * DAY_MS;
    if (friday + 2 * DAY_MS > seasonStartMs) break;
    rows.push({
      propertyId: place.id,
      start: isoDate(friday),
      end: isoDate(friday + 2 * DAY_MS),
      nightlyPrice: price(place.nightlyPrice, weekendFactor),
      minNights: rng.chance(0.5) ? 2 : null,
    });
  }
  return rows;
}
