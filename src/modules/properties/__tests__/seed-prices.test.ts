import { describe, expect, it } from 'vitest';
import { generatePriceOverrides, pricesRandom } from '../properties.seed-prices.js';

// Seeded prices by date: a tenth of the places, deterministic for a seed, never two ranges on one night.

const TODAY = Date.UTC(2026, 11, 8);
const places = Array.from({ length: 2000 }, (_, i) => ({ id: `p${i}`, nightlyPrice: 10_000 + i }));
const generate = (seed: number) => {
  const rng = pricesRandom(seed);
  return places.map((p) => generatePriceOverrides(rng, p, TODAY));
};

describe('seeded prices by date', () => {
  it('about a tenth of the places, the same for a seed', () => {
    const first = generate(42);
    const withPrices = first.filter((rows) => rows.length > 0).length;
    expect(withPrices).toBeGreaterThan(150);
    expect(withPrices).toBeLessThan(250);
    expect(generate(42)).toEqual(first);
    expect(generate(43)).not.toEqual(first);
  });

  it('a season and weekends in the future, valid and apart', () => {
    for (const rows of generate(7)) {
      const sorted = [...rows].sort((a, b) => (a.start < b.start ? -1 : 1));
      for (const [i, r] of sorted.entries()) {
        expect(r.start > '2026-12-08').toBe(true);
        expect(r.start < r.end).toBe(true);
        expect(r.nightlyPrice).toBeGreaterThan(0);
        if (r.minNights !== null && r.minNights !== undefined) expect(r.minNights).toBeGreaterThanOrEqual(2);
        if (i > 0) expect(sorted[i - 1]!.end <= r.start).toBe(true);
      }
      // The weekend ranges are Friday and Saturday nights.
      for (const r of rows.slice(1)) expect(new Date(`${r.start}T00:00:00Z`).getUTCDay()).toBe(5);
    }
  });
});
