import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  bookingRuleViolation,
  nightPrices,
  priceStay,
  refundAmount,
  roundHalfUp,
  stayBeginsAt,
  stayHasBegun,
  type CancellationPolicy,
  type CanceledBy,
} from '../bookings.policy.js';

const H = 3_600_000;

describe('roundHalfUp', () => {
  it.each([
    [0, 1, 0],
    [4, 10, 0],
    [5, 10, 1],
    [15, 10, 2],
    [25, 10, 3],
    [14, 10, 1],
    [1005, 1000, 1],
    [1500, 1000, 2],
    [1499, 1000, 1],
    // 100.5 exactly: a float product (1.005 × 100 = 100.49999…) would round down.
    [100_500, 1000, 101],
    [9_000_000_000n * 12n, 100, 1_080_000_000],
  ])('%s / %s → %s', (n, d, expected) => {
    expect(roundHalfUp(n, d)).toBe(expected);
  });

  it('refuses a non-positive denominator and a negative numerator', () => {
    expect(() => roundHalfUp(1, 0)).toThrow(RangeError);
    expect(() => roundHalfUp(-1, 2)).toThrow(RangeError);
  });
});

describe('priceStay', () => {
  const terms = (nightlyPrice: number, cleaningFee = 0, weeklyDiscountPercent = 0) => ({
    nightlyPrice,
    weekendPrice: null,
    cleaningFee,
    weeklyDiscountPercent,
  });
  /** `count` nights from Monday 2027-01-04, every one at `price`. */
  const flat = (count: number, price: number) =>
    Array.from({ length: count }, (_, i) => ({
      date: DateTime.fromISO('2027-01-04', { zone: 'utc' }).plus({ days: i }).toISODate()!,
      price,
    }));

  it.each([
    // nightly, cleaning, weekly %, nights, fee %, expected breakdown
    ['one night, no extras', terms(10_000), 1, 12, [10_000, 0, 0, 1_200, 11_200]],
    ['two nights with cleaning', terms(10_000, 2_500), 2, 12, [20_000, 0, 2_500, 2_700, 25_200]],
    ['six nights: no weekly discount', terms(10_000, 0, 20), 6, 12, [60_000, 0, 0, 7_200, 67_200]],
    ['seven nights: weekly discount', terms(10_000, 0, 20), 7, 12, [70_000, 14_000, 0, 6_720, 62_720]],
    ['discount rounds .65 up', terms(333, 0, 15), 7, 12, [2_331, 350, 0, 238, 2_219]],
    ['discount of exactly .5 rounds up', terms(10, 0, 5), 7, 0, [70, 4, 0, 0, 66]],
    ['service fee of exactly .5 rounds up', terms(3), 5, 10, [15, 0, 0, 2, 17]],
    ['service fee of .4 rounds down', terms(7), 2, 10, [14, 0, 0, 1, 15]],
    ['zero service fee', terms(999, 1), 1, 0, [999, 0, 1, 0, 1_000]],
    [
      'the largest stay: 90 nights at the highest price, past int4',
      terms(100_000_000, 100_000_000, 50),
      90,
      50,
      [9_000_000_000, 4_500_000_000, 100_000_000, 2_300_000_000, 6_900_000_000],
    ],
  ] as const)('%s', (_name, t, nights, feePercent, [subtotal, discount, cleaningFee, serviceFee, total]) => {
    const price = priceStay(t, flat(nights, t.nightlyPrice), feePercent);
    expect(price).toMatchObject({ nightly: t.nightlyPrice, subtotal, discount, cleaningFee, serviceFee, total });
    expect(price.total).toBe(price.subtotal - price.discount + price.cleaningFee + price.serviceFee);
  });
});

describe('nightPrices', () => {
  const place = { nightlyPrice: 100, weekendPrice: 150, cleaningFee: 0, weeklyDiscountPercent: 10 };

  it('Friday and Saturday nights at the weekend price, the others at the nightly price', () => {
    // 2027-01-07 is a Thursday: Thu, Fri, Sat, Sun nights.
    expect(nightPrices(place, '2027-01-07', '2027-01-11')).toEqual([
      { date: '2027-01-07', price: 100 },
      { date: '2027-01-08', price: 150 },
      { date: '2027-01-09', price: 150 },
      { date: '2027-01-10', price: 100 },
    ]);
  });

  it('no weekend price: every night at the nightly price', () => {
    expect(nightPrices({ ...place, weekendPrice: null }, '2027-01-08', '2027-01-10').map((n) => n.price)).toEqual([
      100, 100,
    ]);
  });

  it('a night with a price of its own costs that, weekend or not', () => {
    // Thu, Fri, Sat, Sun: Friday and Sunday overridden.
    const overrides = { '2027-01-08': 90, '2027-01-10': 400, '2027-01-20': 1 };
    expect(nightPrices(place, '2027-01-07', '2027-01-11', overrides).map((n) => n.price)).toEqual([100, 90, 150, 400]);
  });

  it('the subtotal is the sum of the nights; the weekly discount applies to that sum', () => {
    // Mon 2027-01-04 to Mon 2027-01-11: 5 × 100 + 2 × 150 = 800, 10 % off = 80.
    const price = priceStay(place, nightPrices(place, '2027-01-04', '2027-01-11'), 10);
    expect(price).toMatchObject({ nightly: 100, subtotal: 800, discount: 80, serviceFee: 72, total: 792 });
    expect(price.nights).toHaveLength(7);
  });
});

describe('stayBeginsAt', () => {
  it.each([
    // Standard time, then the day clocks go forward (02:00 → 03:00), then back.
    ['2027-03-13', 'America/New_York', '2027-03-13T20:00:00.000Z'],
    ['2027-03-14', 'America/New_York', '2027-03-14T19:00:00.000Z'],
    ['2027-11-06', 'America/New_York', '2027-11-06T19:00:00.000Z'],
    ['2027-11-07', 'America/New_York', '2027-11-07T20:00:00.000Z'],
    ['2027-01-10', 'Pacific/Kiritimati', '2027-01-10T01:00:00.000Z'],
    ['2027-01-10', 'Pacific/Pago_Pago', '2027-01-11T02:00:00.000Z'],
    ['2027-01-10', 'UTC', '2027-01-10T15:00:00.000Z'],
  ])('15:00 local on %s in %s is %s', (date, zone, instant) => {
    expect(stayBeginsAt(date, zone).toISOString()).toBe(instant);
  });

  it('the stay has begun from that instant on', () => {
    const begins = stayBeginsAt('2027-03-14', 'America/New_York');
    expect(stayHasBegun(begins, new Date(begins.getTime() - 1))).toBe(false);
    expect(stayHasBegun(begins, begins)).toBe(true);
  });
});

describe('refundAmount', () => {
  // total 11_201, service fee 1_201: the guest's base is 10_000; an odd base tests 50 % rounding.
  const base = (
    policy: CancellationPolicy,
    hoursBefore: number,
    opts: { canceledBy?: CanceledBy; status?: 'pending' | 'confirmed'; total?: number; serviceFee?: number } = {},
  ) => {
    const stayBegins = new Date('2027-06-20T13:00:00.000Z');
    return refundAmount({
      status: opts.status ?? 'confirmed',
      total: opts.total ?? 11_201,
      serviceFee: opts.serviceFee ?? 1_201,
      policy,
      canceledBy: opts.canceledBy ?? 'guest',
      stayBegins,
      now: new Date(stayBegins.getTime() - hoursBefore * H),
    });
  };

  it.each([
    ['flexible', 24, 10_000],
    ['flexible', 24 - 1 / 3600, 0],
    ['flexible', 1, 0],
    ['flexible', 1000, 10_000],
    ['moderate', 120, 10_000],
    ['moderate', 120 - 1 / 3600, 5_000],
    ['moderate', 24, 5_000],
    ['moderate', 24 - 1 / 3600, 0],
    ['strict', 14 * 24, 10_000],
    ['strict', 14 * 24 - 1 / 3600, 5_000],
    ['strict', 7 * 24, 5_000],
    ['strict', 7 * 24 - 1 / 3600, 0],
    ['strict', 0.5, 0],
  ] as const)('a guest canceling %s with %s h of notice gets %s', (policy, hours, expected) => {
    expect(base(policy, hours)).toBe(expected);
  });

  it('50 % of an odd amount rounds half up', () => {
    expect(base('moderate', 48, { total: 10_001, serviceFee: 0 })).toBe(5_001);
    expect(base('strict', 8 * 24, { total: 3, serviceFee: 0 })).toBe(2);
  });

  it.each(['host', 'admin'] as const)('%s cancels: the whole total, whatever the policy and notice', (by) => {
    for (const policy of ['flexible', 'moderate', 'strict'] as const) {
      expect(base(policy, 1, { canceledBy: by })).toBe(11_201);
      expect(base(policy, 1000, { canceledBy: by })).toBe(11_201);
    }
  });

  it('a pending booking refunds nothing, whoever cancels', () => {
    for (const by of ['guest', 'host', 'admin'] as const) {
      expect(base('flexible', 1000, { canceledBy: by, status: 'pending' })).toBe(0);
    }
  });

  it('counts real hours to 15:00 local across a DST change (America/New_York, 2027-03-14 and 2027-11-07)', () => {
    // Spring forward: 5 wall-clock days before check-in at 15:00 is only 119 real hours.
    const spring = stayBeginsAt('2027-03-16', 'America/New_York');
    expect(spring.toISOString()).toBe('2027-03-16T19:00:00.000Z');
    const refund = (now: string, begins: Date) =>
      refundAmount({
        status: 'confirmed',
        total: 10_000,
        serviceFee: 0,
        policy: 'moderate',
        canceledBy: 'guest',
        stayBegins: begins,
        now: new Date(now),
      });
    expect(refund('2027-03-11T20:00:00.000Z', spring)).toBe(5_000); // 15:00 EST on 03-11: 119 h
    expect(refund('2027-03-11T19:00:00.000Z', spring)).toBe(10_000); // 14:00 EST: 120 h
    // Fall back: 5 wall-clock days is 121 real hours; one hour later still qualifies.
    const fall = stayBeginsAt('2027-11-09', 'America/New_York');
    expect(fall.toISOString()).toBe('2027-11-09T20:00:00.000Z');
    expect(refund('2027-11-04T20:00:00.000Z', fall)).toBe(10_000); // 16:00 EDT on 11-04: 120 h
    expect(refund('2027-11-04T20:00:00.001Z', fall)).toBe(5_000);
  });

  it('counts to 15:00 in zones far from UTC (+14 and −11)', () => {
    const refund = (now: string, zone: string) =>
      refundAmount({
        status: 'confirmed',
        total: 10_000,
        serviceFee: 0,
        policy: 'flexible',
        canceledBy: 'guest',
        stayBegins: stayBeginsAt('2027-01-10', zone),
        now: new Date(now),
      });
    // Kiritimati: check-in 2027-01-10T01:00Z; a day before is 2027-01-09T01:00Z.
    expect(refund('2027-01-09T01:00:00.000Z', 'Pacific/Kiritimati')).toBe(10_000);
    expect(refund('2027-01-09T01:00:00.001Z', 'Pacific/Kiritimati')).toBe(0);
    // Pago Pago: check-in 2027-01-11T02:00Z.
    expect(refund('2027-01-10T02:00:00.000Z', 'Pacific/Pago_Pago')).toBe(10_000);
    expect(refund('2027-01-10T02:00:00.001Z', 'Pacific/Pago_Pago')).toBe(0);
  });
});

describe('bookingRuleViolation', () => {
  const place = (timezone: string, over: Partial<{ status: string; maxGuests: number }> = {}) => ({
    hostId: 'host',
    status: 'listed',
    timezone,
    maxGuests: 4,
    minNights: 1,
    maxNights: 90,
    ...over,
  });
  const now = new Date('2027-01-09T12:00:00.000Z');

  it('"today" is the property’s: Kiritimati is already on the 10th, Pago Pago still on the 9th', () => {
    expect(
      bookingRuleViolation(
        place('Pacific/Kiritimati'),
        { checkIn: '2027-01-09', checkOut: '2027-01-10', guests: 1 },
        'g',
        now,
      ),
    ).toEqual({
      rule: 'check_in_past',
      today: '2027-01-10',
    });
    expect(
      bookingRuleViolation(
        place('Pacific/Kiritimati'),
        { checkIn: '2027-01-10', checkOut: '2027-01-11', guests: 1 },
        'g',
        now,
      ),
    ).toBe(undefined);
    expect(
      bookingRuleViolation(
        place('Pacific/Pago_Pago'),
        { checkIn: '2027-01-09', checkOut: '2027-01-10', guests: 1 },
        'g',
        now,
      ),
    ).toBe(undefined);
    expect(
      bookingRuleViolation(
        place('Pacific/Pago_Pago'),
        { checkIn: '2027-01-08', checkOut: '2027-01-09', guests: 1 },
        'g',
        now,
      ),
    ).toEqual({
      rule: 'check_in_past',
      today: '2027-01-09',
    });
  });

  it('check-in at most 365 days after the property’s today', () => {
    const p = place('UTC');
    expect(bookingRuleViolation(p, { checkIn: '2028-01-09', checkOut: '2028-01-10', guests: 1 }, 'g', now)).toBe(
      undefined,
    );
    expect(bookingRuleViolation(p, { checkIn: '2028-01-10', checkOut: '2028-01-11', guests: 1 }, 'g', now)).toEqual({
      rule: 'check_in_too_far',
      latest: '2028-01-09',
    });
  });

  it('the place’s minimum and maximum nights', () => {
    const p = { ...place('UTC'), minNights: 3, maxNights: 5 };
    expect(bookingRuleViolation(p, { checkIn: '2027-02-01', checkOut: '2027-02-03', guests: 1 }, 'g', now)).toEqual({
      rule: 'min_nights',
      minNights: 3,
    });
    expect(bookingRuleViolation(p, { checkIn: '2027-02-01', checkOut: '2027-02-04', guests: 1 }, 'g', now)).toBe(
      undefined,
    );
    expect(bookingRuleViolation(p, { checkIn: '2027-02-01', checkOut: '2027-02-06', guests: 1 }, 'g', now)).toBe(
      undefined,
    );
    expect(bookingRuleViolation(p, { checkIn: '2027-02-01', checkOut: '2027-02-07', guests: 1 }, 'g', now)).toEqual({
      rule: 'max_nights',
      maxNights: 5,
    });
  });

  it('the check-in night’s own minimum stay, higher or lower than the place’s', () => {
    const p = { ...place('UTC'), minNights: 3, maxNights: 5 };
    const stay = (checkOut: string) => ({ checkIn: '2027-02-01', checkOut, guests: 1 });
    expect(bookingRuleViolation(p, stay('2027-02-05'), 'g', now, 5)).toEqual({ rule: 'min_nights', minNights: 5 });
    expect(bookingRuleViolation(p, stay('2027-02-06'), 'g', now, 5)).toBe(undefined);
    expect(bookingRuleViolation(p, stay('2027-02-02'), 'g', now, 1)).toBe(undefined);
    expect(bookingRuleViolation(p, stay('2027-02-02'), 'g', now, null)).toEqual({ rule: 'min_nights', minNights: 3 });
  });

  it('listed, not one’s own, within max guests', () => {
    expect(
      bookingRuleViolation(
        place('UTC', { status: 'unlisted' }),
        { checkIn: '2027-02-01', checkOut: '2027-02-02', guests: 1 },
        'g',
        now,
      ),
    ).toEqual({ rule: 'not_listed' });
    expect(
      bookingRuleViolation(place('UTC'), { checkIn: '2027-02-01', checkOut: '2027-02-02', guests: 1 }, 'host', now),
    ).toEqual({
      rule: 'own_property',
    });
    expect(
      bookingRuleViolation(place('UTC'), { checkIn: '2027-02-01', checkOut: '2027-02-02', guests: 5 }, 'g', now),
    ).toEqual({
      rule: 'too_many_guests',
      maxGuests: 4,
    });
    expect(
      bookingRuleViolation(place('UTC'), { checkIn: '2027-02-01', checkOut: '2027-02-02', guests: 4 }, undefined, now),
    ).toBe(undefined);
  });
});
