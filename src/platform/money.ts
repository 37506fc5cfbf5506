import { z } from 'zod';

/**
 * Amounts are integers in the currency's minor units (cents), never floats, so sums are
 * exact. One amount stays far below an int4 column's limit.
 */
export const MONEY_MAX = 100_000_000;

/** An amount in minor units, from `min` to MONEY_MAX. */
export const money = (min: number) => z.number().int('Must be an integer in minor units.').min(min).max(MONEY_MAX);

/** An amount in minor units as the currency writes it, e.g. 12550 EUR → €125.50. */
export function formatMoney(minor: number, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
