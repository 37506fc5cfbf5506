import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { systemContext } from '../../../platform/context.js';
import { locationAccess, redactLocation, roundHalfAwayFromZero, showsExactLocation } from '../properties.policy.js';
import type { ExactProperty } from '../properties.schemas.js';

// The pure half of location privacy: the rounding rule, the redaction and who needs no query.

const round2 = (v: number) => roundHalfAwayFromZero(v, 2);

describe('roundHalfAwayFromZero', () => {
  it.each([
    [1.005, 1.01],
    [-1.005, -1.01],
    [41.155, 41.16],
    [-8.625, -8.63],
    [8.625, 8.63],
    [38.7139, 38.71],
    [-9.1394, -9.14],
    [0.005, 0.01],
    [-0.005, -0.01],
    [179.995, 180],
    [-179.995, -180],
    [89.994999, 89.99],
    [12.3449999, 12.34],
    [2.675, 2.68],
    [10, 10],
    [0, 0],
  ])('%d → %d', (value, expected) => {
    expect(round2(value)).toBe(expected);
  });

  it('never gives -0', () => {
    for (const v of [-0, -0.004, -0.0049999, -1e-9, -1e-300]) expect(Object.is(round2(v), 0), String(v)).toBe(true);
  });

  it('refuses what it cannot round', () => {
    expect(() => round2(Number.NaN)).toThrow(RangeError);
    expect(() => round2(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => roundHalfAwayFromZero(1, 6)).toThrow(RangeError);
  });

  const coordinate = fc.double({ min: -180, max: 180, noNaN: true });

  it('keeps 2 decimals, moves at most half a unit, and is symmetric, idempotent and monotone', () => {
    fc.assert(
      fc.property(coordinate, coordinate, (a, b) => {
        const r = round2(a);
        expect(Math.abs(r - a)).toBeLessThanOrEqual(0.005 + 1e-12);
        expect(Math.abs(Number((r * 100).toFixed(6))) % 1).toBe(0);
        expect(round2(-a) + 0).toBe(-r + 0);
        expect(round2(r)).toBe(r);
        if (a <= b) expect(r).toBeLessThanOrEqual(round2(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives what rounding the shortest decimal form digit by digit gives, for any value and decimals', () => {
    // The rule on the digits, written out: keep `d` decimals, add one unit if the next digit is 5 or more.
    const byDigits = (v: number, d: number) => {
      const [whole, fraction = ''] = String(Math.abs(v)).split('.') as [string, string?];
      const kept = BigInt(whole + fraction.slice(0, d).padEnd(d, '0'));
      const units = (fraction[d] ?? '0') >= '5' ? kept + 1n : kept;
      const r = Number(units) / 10 ** d;
      return v < 0 ? -r : r;
    };
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 5 }), (v, d) => {
        if (Math.abs(v) < 0.5 * 10 ** -d || /e/.test(String(Math.abs(v)))) return;
        expect(roundHalfAwayFromZero(v, d)).toBe(byDigits(v, d));
      }),
      { numRuns: 20_000 },
    );
  });

  it('rounds every written tie away from zero: ±n.dd5 → ±(n.dd + 0.01)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17_999 }), fc.boolean(), (cents, negative) => {
        const sign = negative ? '-' : '';
        const written = `${sign}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}5`;
        const up = cents + 1;
        const expected = Number(`${sign}${Math.floor(up / 100)}.${String(up % 100).padStart(2, '0')}`);
        expect(round2(Number(written))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

const place: ExactProperty = {
  id: '00000000-0000-4000-8000-000000000001',
  hostId: '00000000-0000-4000-8000-0000000000aa',
  title: 'A place',
  description: '',
  propertyType: 'house',
  address: { line1: 'Rua das Flores 12', city: 'Porto', region: 'Norte', postalCode: '4050-262', country: 'PT' },
  latitude: 41.155,
  longitude: -8.625,
  timezone: 'Europe/Lisbon',
  currency: 'EUR',
  nightlyPrice: 10_000,
  cleaningFee: 0,
  weeklyDiscountPercent: 0,
  weekendPrice: null,
  minNights: 1,
  maxNights: 90,
  maxGuests: 2,
  bedrooms: 1,
  beds: 1,
  bathrooms: 1,
  amenities: ['wifi'],
  cancellationPolicy: 'moderate',
  bookingMode: 'instant',
  status: 'listed',
  ratingAverage: null,
  ratingCount: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  coverPhoto: null,
};

describe('redactLocation', () => {
  it('nulls the street line and postal code, rounds the point, keeps the rest and leaves its input alone', () => {
    const before = structuredClone(place);
    const shown = redactLocation(place);
    expect(shown).toEqual({
      ...place,
      address: { ...place.address, line1: null, postalCode: null },
      latitude: 41.16,
      longitude: -8.63,
    });
    expect(place).toEqual(before);
    expect(showsExactLocation(shown)).toBe(false);
    expect(showsExactLocation(place)).toBe(true);
    // Redacting twice changes nothing more.
    expect(redactLocation(shown)).toEqual(shown);
  });
});

describe('locationAccess', () => {
  it('needs the calendar only for a signed-in caller who is neither the host nor an admin', () => {
    expect(locationAccess(place, {})).toBe('redacted');
    expect(locationAccess(place, { actor: { id: place.hostId, role: 'host' } })).toBe('exact');
    expect(locationAccess(place, { actor: { id: place.id, role: 'admin' } })).toBe('exact');
    expect(locationAccess(place, systemContext())).toBe('exact');
    expect(locationAccess(place, { actor: { id: place.id, role: 'guest' } })).toBe('calendar');
    expect(locationAccess(place, { actor: { id: place.id, role: 'host' } })).toBe('calendar');
  });
});
