import { DateTime } from 'luxon';

/**
 * The ledger's rules, pure: accounts, a stay's split between host and platform, a refund's
 * split, and when earnings become due.
 */

export const ACCOUNT = {
  guestFunds: 'guest_funds',
  platformRevenue: 'platform_revenue',
  refunds: 'refunds',
  heldForRefund: 'held_for_refund',
  payoutsInTransit: 'payouts_in_transit',
  payouts: 'payouts',
} as const;

export const HOST_ACCOUNT_PREFIX = 'host_payable:';
export const hostAccount = (hostId: string) => `${HOST_ACCOUNT_PREFIX}${hostId}`;

/** Half-up rounding of a non-negative ratio, in integers (no float drift on large amounts). */
export function roundHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

export interface PriceParts {
  subtotal: number;
  discount: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
}

export interface StaySplit {
  /** What the stay earns before the host fee: subtotal − discount + cleaning fee. */
  gross: number;
  hostFee: number;
  /** gross − hostFee. */
  hostEarnings: number;
  /** total − hostEarnings: the service fee and the host fee. */
  platform: number;
}

export function staySplit(price: PriceParts, hostFeePercent: number): StaySplit {
  const gross = price.subtotal - price.discount + price.cleaningFee;
  const hostFee = roundHalfUp(gross * hostFeePercent, 100);
  const hostEarnings = gross - hostFee;
  return { gross, hostFee, hostEarnings, platform: price.total - hostEarnings };
}

/**
 * The host's share of what has been refunded of a stay, cumulatively: refunds come out of
 * the host's earnings in proportion to the stay's gross (a guest's cancel refunds a share
 * of total − service fee, which is the gross), up to the whole earnings; what goes beyond
 * the gross (a host's or admin's cancel refunds the service fee too) is the platform's.
 * A refund's host part is this function's step from before to after it, so several
 * partial refunds round to exactly the share of their sum.
 */
export function hostShareOfRefunded(refunded: number, split: Pick<StaySplit, 'gross' | 'hostEarnings'>): number {
  if (split.gross <= 0 || split.hostEarnings <= 0) return 0;
  return Math.min(split.hostEarnings, roundHalfUp(Math.min(refunded, split.gross) * split.hostEarnings, split.gross));
}

/** Hours after the stay's check-in time that its earnings become due. */
export const DUE_AFTER_CHECK_IN_HOURS = 24;
/** Check-in time, place local. */
const CHECK_IN_HOUR = 15;

/** When a stay's earnings become due: 24 h after check-in (15:00 in the place's zone, DST-correct). */
export function earningsDueAt(checkIn: string, timezone: string): Date {
  return DateTime.fromISO(checkIn, { zone: timezone })
    .set({ hour: CHECK_IN_HOUR, minute: 0, second: 0, millisecond: 0 })
    .plus({ hours: DUE_AFTER_CHECK_IN_HOURS })
    .toJSDate();
}
