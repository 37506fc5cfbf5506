import type { Actor, RequestContext } from '../../platform/context.js';
import type { Property, UnavailableRange } from './properties.schemas.js';

/** Pure rules of the listings domain: visibility, ownership, calendars. */

export const isOwner = (property: { hostId: string }, actor: Actor | undefined) => actor?.id === property.hostId;

/** Listed places are public; drafts and unlisted ones only to their host and admins. */
export const canView = (property: { hostId: string; status: string }, actor: Actor | undefined) =>
  property.status === 'listed' || isOwner(property, actor) || actor?.role === 'admin';

/**
 * How a caller may see a place's location, decided without SQL where it can be:
 * - `exact`: its host, admins, and work no person asked for (a job mailing a confirmed
 *   guest their address acts for the system, which already reads every row);
 * - `redacted`: anonymous callers;
 * - `calendar`: any other signed-in caller, who sees it exactly only while an active range
 *   of theirs on the place's calendar reveals it (a confirmed booking).
 */
export type LocationAccess = 'exact' | 'redacted' | 'calendar';

export function locationAccess(property: { hostId: string }, ctx: RequestContext): LocationAccess {
  if (ctx.system) return 'exact';
  if (!ctx.actor) return 'redacted';
  if (ctx.actor.role === 'admin' || isOwner(property, ctx.actor)) return 'exact';
  return 'calendar';
}

/** Decimal places kept of a redacted latitude or longitude: 0.01° is about 1 km. */
export const REDACTED_COORDINATE_DECIMALS = 2;

/**
 * `value` rounded to `decimals` places, ties away from zero, on its shortest decimal
 * form (the one JSON shows): 1.005 → 1.01 and -1.005 → -1.01, although the binary double
 * nearest 1.005 lies just below it and `Math.round(1.005 * 100)` gives 100. Exact
 * arithmetic on the digits makes the result the same on every machine, and symmetric:
 * round(-x) = -round(x). Never -0.
 */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  if (!Number.isFinite(value) || !Number.isInteger(decimals) || decimals < 0 || decimals > 5) {
    throw new RangeError('roundHalfAwayFromZero: a finite value and 0 to 5 decimals');
  }
  const abs = Math.abs(value);
  // Below half a unit of the last kept place every value rounds to zero; with at most 5
  // decimals this also keeps String() away from exponent notation, which it uses under
  // 1e-6 (and from 1e21, where a double has no fractional digits left to round).
  if (abs < 0.5 * 10 ** -decimals) return 0;
  if (abs >= 1e21) return value;
  // Away from a tie (a millionth of a unit or more), the binary error of the scaled value —
  // under 1e-15 of it, so under 1e-6 below 1e9 — cannot change which integer is nearest:
  // Math.round gives the digits' answer without the digits (every coordinate takes this way).
  const scale = 10 ** decimals;
  const scaled = abs * scale;
  const part = scaled - Math.floor(scaled);
  if (scaled < 1e9 && Math.abs(part - 0.5) > 1e-6) {
    const near = Math.round(scaled) / scale;
    return value < 0 ? -near : near;
  }
  const [whole, fraction = ''] = String(abs).split('.') as [string, string?];
  const kept = BigInt(whole + fraction.slice(0, decimals).padEnd(decimals, '0'));
  const units = (fraction[decimals] ?? '0') >= '5' ? kept + 1n : kept;
  // An integer divided by a power of ten is correctly rounded: the double nearest the decimal.
  const rounded = Number(units) / 10 ** decimals;
  return value < 0 ? -rounded : rounded;
}

/**
 * The place as shown to someone who may not know where it is: no street line, no postal
 * code, and the point rounded to about a kilometre. Everything else is unchanged.
 */
export function redactLocation(property: Property): Property {
  return {
    ...property,
    address: { ...property.address, line1: null, postalCode: null },
    latitude: roundHalfAwayFromZero(property.latitude, REDACTED_COORDINATE_DECIMALS),
    longitude: roundHalfAwayFromZero(property.longitude, REDACTED_COORDINATE_DECIMALS),
  };
}

/**
 * Whether the place is shown with its exact location. Every stored place has a street line
 * (required, at least one character), so a null one means the view was redacted.
 */
export const showsExactLocation = (property: Property) => property.address.line1 !== null;

/**
 * Sorted, non-overlapping unavailable ranges inside [from, to): each range is clipped to
 * the window, and touching or overlapping ranges of the same reason become one.
 */
export function mergeUnavailable(ranges: UnavailableRange[], from: string, to: string): UnavailableRange[] {
  const clipped = ranges
    .map((r) => ({ ...r, start: r.start < from ? from : r.start, end: r.end > to ? to : r.end }))
    .filter((r) => r.start < r.end)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.reason < b.reason ? -1 : 1));
  const out: UnavailableRange[] = [];
  for (const r of clipped) {
    const last = out.at(-1);
    if (last && last.reason === r.reason && r.start <= last.end) {
      if (r.end > last.end) last.end = r.end;
    } else {
      out.push({ ...r });
    }
  }
  return out;
}
