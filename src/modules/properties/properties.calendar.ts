import { DateTime } from 'luxon';
import type { RequestContext } from '../../platform/context.js';
import { daysBetween, todayIn } from '../../platform/dates.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { mapConstraintError } from '../../platform/errors.js';
import type { PropertyAccess } from './properties.access.js';
import * as repo from './properties.calendar.repository.js';
import {
  blockInPast,
  blockNotFound,
  blockTooLong,
  propertiesConstraints,
  propertyNotFound,
} from './properties.errors.js';
import { mergeUnavailable } from './properties.policy.js';
import {
  toBlockDto,
  type AvailabilityQuery,
  type Block,
  type CreateBlockInput,
  type UnavailableRange,
} from './properties.schemas.js';
import type { CalendarRangeRow } from './properties.table.js';

/** What the caller's own writes under the calendar's lock give `reserveDates`. */
export interface DatesClaim {
  /** The reference the new range belongs to (the booking); its dates are freed by it. */
  refId: string;
  /** References whose active ranges are freed before the new range is written (holds that lapsed). */
  free?: readonly string[];
}

/** Dates a booking reserves on a place's calendar: [start, end), `end` exclusive. */
export interface ReserveDatesInput<C extends DatesClaim> {
  propertyId: string;
  start: string;
  end: string;
  /** The guest: once the range reveals the location, they see the exact address. */
  occupantId: string;
  /** The range shows its occupant the exact location from commit on (a confirmed booking). */
  revealLocation?: boolean;
  /**
   * The caller's own writes, run once the calendar is locked and before the range is
   * written: the row the range belongs to (under an exclusion constraint of its own), and
   * which earlier references to free first.
   */
  claim(tx: Db): Promise<C>;
}

/** An active range of the calendar: a host block, or the dates a booking (`refId`) holds. */
export interface OccupiedRange {
  id: string;
  kind: CalendarRangeRow['kind'];
  start: string;
  end: string;
  refId: string | null;
}

/**
 * Locks the place's calendar until `tx` ends (not found when it does not exist or is
 * deleted). Writers of one calendar take turns, so racing overlapping writes end in one
 * winner and conflicts, never in a deadlock.
 */
async function lockCalendar(tx: Db, propertyId: string): Promise<void> {
  if (!(await repo.lockPropertyForCalendar(tx, propertyId))) throw propertyNotFound();
}

/** Writes a range under the calendar's lock; an overlap with an active range is `datesOverlap`. */
async function insertRange(tx: Db, range: repo.NewCalendarRange): Promise<CalendarRangeRow> {
  try {
    return await repo.insertCalendarRange(tx, range);
  } catch (e) {
    throw mapConstraintError(e, propertiesConstraints);
  }
}

/**
 * Puts a range on the calendar inside the caller's transaction (or one of its own). The
 * calendar is locked until commit (lockCalendar), so a concurrent delete either sees this
 * range or is seen by it; the exclusion constraint turns any overlap with an active
 * range, of either kind, into `datesOverlap`.
 */
async function occupy(access: PropertyAccess, db: Db, range: repo.NewCalendarRange): Promise<CalendarRangeRow> {
  return withTransaction(db, async (tx, { afterCommit }) => {
    await lockCalendar(tx, range.propertyId);
    const row = await insertRange(tx, range);
    afterCommit(() => access.invalidateCalendar(range.propertyId));
    return row;
  });
}

/** Releases the active booking ranges of these references; what readers see of their places ends after commit. */
async function freeRefs(access: PropertyAccess, tx: Db, refIds: readonly string[]): Promise<number> {
  return withTransaction(tx, async (tx, { afterCommit }) => {
    const released = [];
    for (const refId of refIds) released.push(...(await repo.releaseCalendarRanges(tx, 'booking', { refId })));
    const places = [...new Set(released.map((r) => r.propertyId))];
    if (places.length > 0) afterCommit(() => Promise.all(places.map((id) => access.invalidateProperty(id))));
    return released.length;
  });
}

/** The calendar: host blocks, the dates bookings reserve, and availability. */
export function createCalendar(access: PropertyAccess) {
  const { db, clock } = access.deps;
  const { invalidateCalendar, invalidateProperty, ownedProperty, visibleProperty, loadProperty } = access;

  return {
    async getAvailability(
      id: string,
      query: AvailabilityQuery,
      ctx: RequestContext,
    ): Promise<{ unavailable: UnavailableRange[] }> {
      await visibleProperty(id, ctx);
      const occupied = await repo.findCalendarRangesOverlapping(db, id, query.from, query.to);
      const ranges = occupied.map((r): UnavailableRange => ({
        start: r.start,
        end: r.end,
        reason: r.kind === 'booking' ? 'booked' : 'blocked',
      }));
      return { unavailable: mergeUnavailable(ranges, query.from, query.to) };
    },

    async createBlock(id: string, input: CreateBlockInput, ctx: RequestContext): Promise<Block> {
      const property = await ownedProperty(id, ctx);
      if (input.start < todayIn(property.timezone, clock.now())) throw blockInPast();
      if (daysBetween(input.start, input.end) > 366) throw blockTooLong();
      const row = await withTransaction(db, async (tx) => {
        const block = await occupy(access, tx, {
          propertyId: id,
          kind: 'block',
          start: input.start,
          end: input.end,
          note: input.note ?? null,
        });
        const change = { propertyId: id, hostId: property.hostId, from: input.start, to: input.end };
        await access.deps.publish(tx, 'calendar.changed', { ...change, reason: 'block_added' });
        return block;
      });
      return toBlockDto(row);
    },

    async deleteBlock(id: string, blockId: string, ctx: RequestContext): Promise<void> {
      const property = await ownedProperty(id, ctx);
      await withTransaction(db, async (tx, { afterCommit }) => {
        const released = await repo.releaseCalendarRanges(tx, 'block', { rangeId: blockId, propertyId: id });
        if (released.length === 0) throw blockNotFound();
        await access.deps.publish(tx, 'calendar.changed', {
          propertyId: id,
          hostId: property.hostId,
          reason: 'block_removed',
        });
        afterCommit(() => invalidateCalendar(id));
      });
    },

    /**
     * Reserves [start, end) of a place for a booking, in the caller's transaction `tx`: locks
     * the place's calendar (writers of one calendar take turns, so racing writers meet
     * conflicts, never a deadlock), runs the caller's `claim`, frees the ranges it names,
     * writes the new range (revealing the location when asked) and ends what readers see of
     * the place once `tx` commits. Returns the claim. Throws `datesOverlap` (409
     * dates_unavailable) when a night is taken by an active block or booking — decided by
     * the database, so concurrent callers cannot both win — and not found when the place
     * does not exist or is deleted. Rules about who may book what, and when, are the caller's.
     */
    async reserveDates<C extends DatesClaim>(tx: Db, input: ReserveDatesInput<C>): Promise<C> {
      return withTransaction(tx, async (tx, { afterCommit }) => {
        await lockCalendar(tx, input.propertyId);
        const claimed = await input.claim(tx);
        if (claimed.free?.length) await freeRefs(access, tx, claimed.free);
        await insertRange(tx, {
          propertyId: input.propertyId,
          kind: 'booking',
          start: input.start,
          end: input.end,
          refId: claimed.refId,
          occupantId: input.occupantId,
        });
        if (input.revealLocation) await repo.revealCalendarLocation(tx, claimed.refId);
        afterCommit(() => invalidateProperty(input.propertyId));
        return claimed;
      });
    },

    /**
     * Frees the dates of these bookings, in `tx`, and ends what readers see of their places
     * once it commits. Returns 0 when none had an active range, so a repeat is harmless.
     */
    freeDates: (tx: Db, refIds: readonly string[]): Promise<number> => freeRefs(access, tx, refIds),

    /**
     * The active ranges (blocks and bookings) of a place overlapping [start, end), in date
     * order, read through `db` (a transaction sees its own writes). For callers deciding
     * availability by rules of their own, such as overdue booking holds counting as free.
     */
    async findOccupiedRanges(db: Db, propertyId: string, start: string, end: string): Promise<OccupiedRange[]> {
      const rows = await repo.findCalendarRangesOverlapping(db, propertyId, start, end);
      return rows.map((r) => ({ id: r.id, kind: r.kind, start: r.start, end: r.end, refId: r.refId }));
    },

    /**
     * A place's calendar for export, whoever asks (the caller holds the place's secret): the
     * active ranges ending today or later (today in the place's zone) and starting within
     * `daysAhead` days, in date order; undefined when the place does not exist or is
     * deleted. No occupant data: ranges carry their id, kind and dates only.
     */
    async calendarForExport(
      propertyId: string,
      daysAhead: number,
    ): Promise<{ ranges: { id: string; kind: string; start: string; end: string }[] } | undefined> {
      const property = await loadProperty(propertyId);
      if (!property) return undefined;
      const today = DateTime.fromISO(todayIn(property.timezone, clock.now()), { zone: 'utc' });
      // End exclusive: a range ending today overlaps [yesterday, …).
      const from = today.minus({ days: 1 }).toISODate()!;
      const to = today.plus({ days: daysAhead }).toISODate()!;
      const rows = await repo.findCalendarRangesOverlapping(db, propertyId, from, to);
      return { ranges: rows.map((r) => ({ id: r.id, kind: r.kind, start: r.start, end: r.end })) };
    },

    /** The place's calendar generation: it changes after every commit that changes its calendar. */
    calendarGeneration: (propertyId: string): Promise<string> => access.calendarGeneration(propertyId),

    /**
     * From this transaction's commit on, the occupant of the booking's active range (its
     * guest) sees the place's exact address and point. Call it when the booking is
     * confirmed; releasing the range ends it. Returns 0 when no active range has that id.
     */
    async revealLocation(tx: Db, refId: string): Promise<number> {
      return withTransaction(tx, async (tx, { afterCommit }) => {
        const revealed = await repo.revealCalendarLocation(tx, refId);
        const places = [...new Set(revealed.map((r) => r.propertyId))];
        if (places.length > 0) afterCommit(() => Promise.all(places.map((id) => invalidateProperty(id))));
        return revealed.length;
      });
    },
  };
}
