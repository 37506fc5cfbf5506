import { DateTime } from 'luxon';
import { daysBetween, todayIn } from '../../platform/dates.js';
import type { FieldError } from '../../platform/errors.js';

/** Pure rules of a stay: its price, who may book what and when, and what a cancellation refunds. */

export const MIN_NIGHTS = 1;
export const MAX_NIGHTS = 90;
/** How far ahead a check-in may be, in days after today (property local time). */
export const MAX_DAYS_AHEAD = 365;
/** Check-in and check-out times, property local time. */
export const CHECK_IN_HOUR = 15;
export const CHECK_OUT_HOUR = 11;
/** Nights from which the weekly discount applies. */
export const WEEKLY_NIGHTS = 7;

/**
 * Holds a guest may have at once: unpaid pending bookings whose hold has not passed. Each
 * one keeps its nights from everyone else, so without a cap one account could hold a
 * town's calendar and renew it every BOOKING_HOLD_MINUTES.
 */
export const MAX_ACTIVE_HOLDS = 3;
/**
 * Holds a guest may have let lapse unpaid in the last HOLD_HISTORY_HOURS (expired, or
 * canceled by the guest before paying), beyond which they cannot hold more: the cap on
 * renewing holds.
 */
export const MAX_LAPSED_HOLDS = 10;
export const HOLD_HISTORY_HOURS = 24;

/** The hold limits as the API documents them (REST and GraphQL). */
export const HOLD_LIMITS = `A guest holds at most ${MAX_ACTIVE_HOLDS} unpaid pending bookings or unanswered requests to book at once, and at most ${MAX_LAPSED_HOLDS} holds may have ended unpaid (expired, or canceled by the guest before paying) in the last ${HOLD_HISTORY_HOURS} hours; past either, \`too_many_holds\` (409; CONFLICT in GraphQL). Each booking created counts, one per GraphQL alias.`;

export interface GuestHolds {
  /** Unpaid pending bookings whose hold has not passed. */
  active: number;
  /** Holds that ended unpaid in the last HOLD_HISTORY_HOURS (overdue ones included). */
  lapsed: number;
}

/** Which hold limit a new booking would break, if any. */
export function holdLimitBroken(holds: GuestHolds): 'active' | 'lapsed' | undefined {
  if (holds.active >= MAX_ACTIVE_HOLDS) return 'active';
  if (holds.lapsed >= MAX_LAPSED_HOLDS) return 'lapsed';
  return undefined;
}

/**
 * `numerator / denominator` rounded half up, over non-negative integers. BigInt, so that
 * no intermediate product loses precision and no binary fraction (1.005 × 100) can tip a
 * half the wrong way.
 */
export function roundHalfUp(numerator: number | bigint, denominator: number | bigint): number {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  if (d <= 0n) throw new RangeError('roundHalfUp: the denominator must be positive');
  if (n < 0n) throw new RangeError('roundHalfUp: the numerator must not be negative');
  const result = (2n * n + d) / (2n * d);
  if (result > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('roundHalfUp: the result is not a safe integer');
  return Number(result);
}

export interface PriceTerms {
  nightlyPrice: number;
  /** Friday and Saturday nights; null = nightlyPrice. */
  weekendPrice: number | null;
  cleaningFee: number;
  weeklyDiscountPercent: number;
}

/** One night of a stay: the date it begins on and its price, minor units. */
export interface NightPrice {
  date: string;
  price: number;
}

export interface Price {
  nightly: number;
  subtotal: number;
  discount: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  nights: NightPrice[];
}

/** Friday and Saturday nights (luxon weekdays 5 and 6) are weekend nights. */
export const isWeekendNight = (date: string) =>
  DateTime.fromISO(date, { zone: 'utc' }).weekday >= 5 && DateTime.fromISO(date, { zone: 'utc' }).weekday <= 6;

/**
 * The price of each night from check-in to the night before check-out: the night's own
 * price when the host set one for its date (`overrides`, by date), else `weekendPrice` on
 * Friday and Saturday nights when the place has one, else `nightlyPrice`.
 */
export function nightPrices(
  terms: PriceTerms,
  checkIn: string,
  checkOut: string,
  overrides: Readonly<Record<string, number>> = {},
): NightPrice[] {
  const first = DateTime.fromISO(checkIn, { zone: 'utc' });
  return Array.from({ length: daysBetween(checkIn, checkOut) }, (_, i) => {
    const date = first.plus({ days: i }).toISODate()!;
    const price =
      overrides[date] ??
      (terms.weekendPrice !== null && isWeekendNight(date) ? terms.weekendPrice : terms.nightlyPrice);
    return { date, price };
  });
}

/**
 * The price of a stay from its nights' prices, exactly as the pricing rule defines it
 * (README, Bookings and payments), in minor units: the subtotal is the sum of the nights.
 */
export function priceStay(terms: PriceTerms, nights: NightPrice[], serviceFeePercent: number): Price {
  const subtotal = nights.reduce((sum, n) => sum + n.price, 0);
  const discount =
    nights.length >= WEEKLY_NIGHTS ? roundHalfUp(BigInt(subtotal) * BigInt(terms.weeklyDiscountPercent), 100) : 0;
  const base = subtotal - discount + terms.cleaningFee;
  const serviceFee = roundHalfUp(BigInt(base) * BigInt(serviceFeePercent), 100);
  return {
    nightly: terms.nightlyPrice,
    subtotal,
    discount,
    cleaningFee: terms.cleaningFee,
    serviceFee,
    total: base + serviceFee,
    nights,
  };
}

/** Nights from check-in to check-out; a field error when outside 1..90 (or check-out first). */
export function nightsError(checkIn: string, checkOut: string): FieldError | undefined {
  const nights = daysBetween(checkIn, checkOut);
  if (nights < MIN_NIGHTS) return { path: 'checkOut', message: 'Must be after checkIn.' };
  if (nights > MAX_NIGHTS) return { path: 'checkOut', message: `A stay is at most ${MAX_NIGHTS} nights.` };
  return undefined;
}

export interface BookableProperty {
  hostId: string;
  status: string;
  timezone: string;
  maxGuests: number;
  minNights: number;
  maxNights: number;
}

export type BookingRuleViolation =
  | { rule: 'not_listed' }
  | { rule: 'own_property' }
  | { rule: 'too_many_guests'; maxGuests: number }
  | { rule: 'check_in_past'; today: string }
  | { rule: 'check_in_passed'; today: string }
  | { rule: 'check_in_too_far'; latest: string }
  | { rule: 'min_nights'; minNights: number }
  | { rule: 'max_nights'; maxNights: number };

/**
 * The first rule a stay breaks, or undefined. "Today" is the property's: a check-in that
 * is already yesterday there is refused even where the guest still has that date, and so
 * is today once its check-in time has passed there: such a stay would have begun already,
 * so nobody could cancel it.
 */
export function bookingRuleViolation(
  property: BookableProperty,
  stay: { checkIn: string; checkOut: string; guests: number },
  guestId: string | undefined,
  now: Date,
  /** The check-in night's own minimum stay (a price range's); null or left out = the place's. */
  checkInMinNights: number | null = null,
): BookingRuleViolation | undefined {
  if (property.status !== 'listed') return { rule: 'not_listed' };
  if (guestId !== undefined && guestId === property.hostId) return { rule: 'own_property' };
  if (stay.guests > property.maxGuests) return { rule: 'too_many_guests', maxGuests: property.maxGuests };
  const today = todayIn(property.timezone, now);
  if (stay.checkIn < today) return { rule: 'check_in_past', today };
  if (stay.checkIn === today && stayHasBegun(stayBeginsAt(today, property.timezone), now)) {
    return { rule: 'check_in_passed', today };
  }
  if (daysBetween(today, stay.checkIn) > MAX_DAYS_AHEAD) {
    return {
      rule: 'check_in_too_far',
      latest: DateTime.fromISO(today, { zone: 'utc' }).plus({ days: MAX_DAYS_AHEAD }).toISODate()!,
    };
  }
  // The check-in night's rule: its price range's when it has one, else the place's.
  const nights = daysBetween(stay.checkIn, stay.checkOut);
  const minNights = checkInMinNights ?? property.minNights;
  if (nights < minNights) return { rule: 'min_nights', minNights };
  if (nights > property.maxNights) return { rule: 'max_nights', maxNights: property.maxNights };
  return undefined;
}

/** The instant the stay begins: 15:00 on the check-in date in the property's zone (luxon, DST-correct). */
export function stayBeginsAt(checkIn: string, timezone: string): Date {
  return DateTime.fromISO(checkIn, { zone: timezone })
    .set({ hour: CHECK_IN_HOUR, minute: 0, second: 0, millisecond: 0 })
    .toJSDate();
}

/** The instant the stay ends: 11:00 on the check-out date, property local time. */
export function stayEndsAt(checkOut: string, timezone: string): Date {
  return DateTime.fromISO(checkOut, { zone: timezone })
    .set({ hour: CHECK_OUT_HOUR, minute: 0, second: 0, millisecond: 0 })
    .toJSDate();
}

/** How long before the stay begins the guest is reminded: 24 real hours. */
export const CHECK_IN_REMINDER_MS = 24 * 3_600_000;

/**
 * When the check-in reminder is due: 24 elapsed hours before 15:00 local on the check-in
 * date. Across a DST change that is not 15:00 on the day before (e.g. 14:00 local the day
 * before a spring-forward check-in in New York).
 */
export const checkInReminderAt = (checkIn: string, timezone: string): Date =>
  new Date(stayBeginsAt(checkIn, timezone).getTime() - CHECK_IN_REMINDER_MS);

export type CancellationPolicy = 'flexible' | 'moderate' | 'strict';
export type CanceledBy = 'guest' | 'host' | 'admin';

const HOUR_MS = 3_600_000;
const DAY_HOURS = 24;

/**
 * Tiers of each policy, longest notice first: with at least `hours` of notice the guest
 * gets `percent` of what they paid minus the service fee. Notice is elapsed time, so a
 * "day" is 24 real hours whatever a DST change does to the wall clock in between.
 */
export const REFUND_TIERS: Readonly<Record<CancellationPolicy, readonly { hours: number; percent: number }[]>> = {
  flexible: [{ hours: DAY_HOURS, percent: 100 }],
  moderate: [
    { hours: 5 * DAY_HOURS, percent: 100 },
    { hours: DAY_HOURS, percent: 50 },
  ],
  strict: [
    { hours: 14 * DAY_HOURS, percent: 100 },
    { hours: 7 * DAY_HOURS, percent: 50 },
  ],
};

export interface RefundCase {
  status: 'pending' | 'confirmed';
  total: number;
  serviceFee: number;
  policy: CancellationPolicy;
  canceledBy: CanceledBy;
  /** When the stay begins (stayBeginsAt). */
  stayBegins: Date;
  now: Date;
}

/**
 * What a cancellation refunds, in minor units. Nothing for a pending booking (nothing was
 * paid); everything when the host or an admin cancels; otherwise the guest's share of
 * `total − serviceFee` by the tier the notice reaches (50 % rounds half up).
 */
export function refundAmount(c: RefundCase): number {
  if (c.status === 'pending') return 0;
  if (c.canceledBy !== 'guest') return c.total;
  const noticeMs = c.stayBegins.getTime() - c.now.getTime();
  const tier = REFUND_TIERS[c.policy].find((t) => noticeMs >= t.hours * HOUR_MS);
  if (!tier) return 0;
  return roundHalfUp(BigInt(c.total - c.serviceFee) * BigInt(tier.percent), 100);
}

/** Whether the stay has begun: from 15:00 local on the check-in date, nothing can be canceled. */
export const stayHasBegun = (stayBegins: Date, now: Date) => now.getTime() >= stayBegins.getTime();

/** Who a cancellation is by: the guest when the caller is the guest, else the host, else an admin. */
export function cancelerOf(
  booking: { guestId: string; hostId: string },
  actor: { id: string; role: string },
): CanceledBy | undefined {
  if (actor.id === booking.guestId) return 'guest';
  if (actor.id === booking.hostId) return 'host';
  if (actor.role === 'admin') return 'admin';
  return undefined;
}
