import { describe, expect, it } from 'vitest';
import { countryCode, currencyCode } from '../iso-codes.js';
import { money, MONEY_MAX } from '../money.js';

describe('countryCode', () => {
  it('upper-cases known ISO 3166-1 alpha-2 codes and refuses the rest', () => {
    expect(countryCode.parse(' pt ')).toBe('PT');
    expect(countryCode.parse('ET')).toBe('ET');
    expect(countryCode.safeParse('ZZ').error?.issues.map((i) => i.message)).toEqual(['Unknown country code.']);
    // A malformed code stops at the format check (Intl.DisplayNames would throw on it).
    expect(countryCode.safeParse('PRT').error?.issues.map((i) => i.message)).toEqual([
      'Must be an ISO 3166-1 alpha-2 code.',
    ]);
  });
});

describe('currencyCode', () => {
  it('upper-cases known ISO 4217 codes and refuses the rest', () => {
    expect(currencyCode.parse('eur')).toBe('EUR');
    expect(currencyCode.parse('ETB')).toBe('ETB');
    expect(currencyCode.safeParse('XYZ').success).toBe(false);
    expect(currencyCode.safeParse('EURO').success).toBe(false);
  });
});

describe('money', () => {
  it('is a whole number of minor units between the minimum and MONEY_MAX', () => {
    expect(money(1).parse(1)).toBe(1);
    expect(money(0).parse(MONEY_MAX)).toBe(MONEY_MAX);
    expect(money(1).safeParse(0).success).toBe(false);
    expect(money(0).safeParse(MONEY_MAX + 1).success).toBe(false);
    expect(money(0).safeParse(10.5).error?.issues[0]?.message).toBe('Must be an integer in minor units.');
  });
});
