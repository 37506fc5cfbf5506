import { z } from 'zod';

/**
 * Amounts are integers in the currency's minor units (cents), never floats, so sums are
 * exact. One amount stays far below an int4 column's limit.
 */
export const MONEY_MAX = 100_000_000;

/** An amount in minor units, from `min` to MONEY_MAX. */
export const money = (min: number) => z.number().int('Must be an integer in minor units.').min(min).max(MONEY_MAX);
