import { DateTime } from 'luxon';
import type { RequestContext } from '../../platform/context.js';
import { daysBetween, todayIn } from '../../platform/dates.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import type { PropertyAccess } from './properties.access.js';
import { lockPropertyForCalendar } from './properties.calendar.repository.js';
import { propertyNotFound } from './properties.errors.js';
import * as repo from './properties.prices.repository.js';
import {
  MAX_PRICE_OVERRIDES,
  PRICES_DAYS_AHEAD,
  toPriceOverrideDto,
  type Calendar,
  type CalendarPrices,
  type CalendarQuery,
  type PriceRangeInput,
  type SetCalendarPricesInput,
} from './properties.prices.schemas.js';
import type { PriceOverrideRow } from './properties.table.js';

export const pricesOutOfWindow = (today: string, latest: string) =>
  new AppError(
    'invalid',
    'prices_out_of_window',
    `Price ranges lie within the next ${PRICES_DAYS_AHEAD} days: from today (${today}, the place’s time zone) to ${latest}.`,
    { details: { today, latest } },
  );
export const tooManyPriceOverrides = () =>
  new AppError(
    'conflict',
    'too_many_price_overrides',
    `A place holds at most ${MAX_PRICE_OVERRIDES} price ranges; clear or merge some first.`,
    { details: { max: MAX_PRICE_OVERRIDES } },
  );

/** What a stay's nights owe to the place's overrides: the nights with a price of their own, and the check-in night's minimum stay. */
export interface StayTerms {
  /** The override price of each night that has one, by date. */
  prices: Readonly<Record<string, number>>;
  /** The check-in night's own minimum stay; null = the place's. */
  checkInMinNights: number | null;
}

const addDays = (date: string, days: number) => DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;

/**
 * What is left of [start, end) once every range of `cuts` (sorted, not overlapping each
 * other) is taken out: zero, one or several pieces, in date order.
 */
export function subtractRanges(
  range: { start: string; end: string },
  cuts: readonly { start: string; end: string }[],
): { start: string; end: string }[] {
  const pieces: { start: string; end: string }[] = [];
  let from = range.start;
  for (const cut of cuts) {
    if (cut.end <= from || cut.start >= range.end) continue;
    if (cut.start > from) pieces.push({ start: from, end: cut.start });
    if (cut.end > from) from = cut.end;
  }
  if (from < range.end) pieces.push({ start: from, end: range.end });
  return pieces;
}

/**
 * The writes that replace what `ranges` (sorted, not overlapping) overlap: the existing
 * rows to delete, and the rows to insert (the pieces of those rows outside every range,
 * with their values, then the ranges that set a value).
 */
export function planReplacement(
  propertyId: string,
  existing: readonly PriceOverrideRow[],
  ranges: readonly PriceRangeInput[],
): { remove: string[]; insert: repo.NewPriceOverride[] } {
  const remove: string[] = [];
  const insert: repo.NewPriceOverride[] = [];
  for (const row of existing) {
    const pieces = subtractRanges(row, ranges);
    if (pieces.length === 1 && pieces[0]!.start === row.start && pieces[0]!.end === row.end) continue;
    remove.push(row.id);
    for (const piece of pieces) {
      insert.push({ propertyId, ...piece, nightlyPrice: row.nightlyPrice, minNights: row.minNights });
    }
  }
  for (const r of ranges) {
    if (r.nightlyPrice === undefined && r.minNights === undefined) continue;
    insert.push({
      propertyId,
      start: r.start,
      end: r.end,
      nightlyPrice: r.nightlyPrice ?? null,
      minNights: r.minNights ?? null,
    });
  }
  return { remove, insert };
}

/** Prices and minimum stays by date, and the per-night calendar. */
export function createPrices(access: PropertyAccess) {
  const { db, clock, audit } = access.deps;

  return {
    /**
     * Sets the prices and minimum stays of ranges of nights (the place's host): in one
     * transaction under the calendar's lock, the overrides the ranges overlap are trimmed,
     * split or deleted, then the ranges that set a value are written; ranges setting
     * neither only clear. Overrides that have ended are dropped on the way. Answers the
     * overrides overlapping the window the request touched.
     */
    async setCalendarPrices(id: string, input: SetCalendarPricesInput, ctx: RequestContext): Promise<CalendarPrices> {
      const property = await access.ownedProperty(id, ctx);
      const today = todayIn(property.timezone, clock.now());
      const latest = addDays(today, PRICES_DAYS_AHEAD);
      const ranges = [...input.ranges].sort((a, b) => (a.start < b.start ? -1 : 1));
      if (ranges.some((r) => r.start < today || r.end > latest)) throw pricesOutOfWindow(today, latest);
      const from = ranges[0]!.start;
      const to = ranges.reduce((end, r) => (r.end > end ? r.end : end), from);
      const rows = await withTransaction(db, async (tx, { afterCommit }) => {
        if (!(await lockPropertyForCalendar(tx, id))) throw propertyNotFound();
        await repo.deleteOverridesEndedBy(tx, id, today);
        const existing = await repo.findOverridesOverlapping(tx, id, from, to);
        const plan = planReplacement(id, existing, ranges);
        // Counted under the lock: racing writers of one place take turns, so none can pass the cap.
        const after = (await repo.countOverrides(tx, id)) - plan.remove.length + plan.insert.length;
        if (after > MAX_PRICE_OVERRIDES) throw tooManyPriceOverrides();
        await repo.deleteOverrides(tx, plan.remove);
        await repo.insertOverrides(tx, plan.insert);
        await audit.record(
          ctx,
          {
            action: 'property.prices_set',
            entity: 'property',
            entityId: id,
            detail: { ranges: ranges.length, from, to, removed: plan.remove.length, written: plan.insert.length },
          },
          tx,
        );
        await access.deps.publish(tx, 'calendar.changed', {
          propertyId: id,
          hostId: property.hostId,
          reason: 'prices',
          from,
          to,
        });
        afterCommit(() => access.invalidateCalendar(id));
        return repo.findOverridesOverlapping(tx, id, from, to);
      });
      return { overrides: rows.map(toPriceOverrideDto) };
    },

    /**
     * Each night of [from, to) of a place the caller may see (anyone for a listed place,
     * its host and admins for the others, else not found): its price, whether it is free
     * and its minimum stay, read in one query. A night is taken while an active range of
     * the calendar covers it, as availability and search see it: an unpaid hold past its
     * time counts until the minute's sweep expires it.
     */
    async getCalendar(id: string, query: CalendarQuery, ctx: RequestContext): Promise<Calendar> {
      const property = await access.visibleProperty(id, ctx);
      const nights = await repo.findCalendarNights(db, id, query.from, query.to);
      // Deleted between the look-up and the read.
      if (nights.length === 0 && daysBetween(query.from, query.to) > 0) throw propertyNotFound();
      return { propertyId: id, currency: property.currency, nights };
    },

    /**
     * The overrides of a stay's nights [checkIn, checkOut) read through `db`: inside a
     * booking's transaction once the calendar is locked (`reserveDates`' claim), so that a
     * booking is priced from the overrides its commit sees, never from ones replaced
     * meanwhile.
     */
    async stayTerms(db: Db, propertyId: string, checkIn: string, checkOut: string): Promise<StayTerms> {
      const rows = await repo.findOverridesOverlapping(db, propertyId, checkIn, checkOut);
      const prices: Record<string, number> = {};
      let checkInMinNights: number | null = null;
      for (const row of rows) {
        if (row.start <= checkIn && checkIn < row.end) checkInMinNights = row.minNights;
        if (row.nightlyPrice === null) continue;
        const first = row.start > checkIn ? row.start : checkIn;
        const last = row.end < checkOut ? row.end : checkOut;
        for (let d = first; d < last; d = addDays(d, 1)) prices[d] = row.nightlyPrice;
      }
      return { prices, checkInMinNights };
    },
  };
}
