import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import type { PropertyAccess } from './properties.access.js';
import { lockPropertyForCalendar } from './properties.calendar.repository.js';
import { propertyNotFound } from './properties.errors.js';
import { findPropertyById } from './properties.repository.js';
import * as repo from './properties.external.repository.js';
import type { CalendarRangeRow } from './properties.table.js';

/** A night range an imported calendar asks for: `YYYY-MM-DD`, end exclusive; `uid` names its (first) event. */
export interface ExternalRangeInput {
  uid: string;
  start: string;
  end: string;
}

/** A requested range that overlaps a Staylane stay: recorded by the caller, never written. */
export interface ExternalConflict extends ExternalRangeInput {
  /** The booking whose range it overlaps (the first one, in date order). */
  bookingId: string;
}

export interface ExternalSyncResult {
  /** External ranges of the feed active from `from` on after the call. */
  applied: number;
  /** Requested ranges written in part or not at all because a host block or another feed holds some of their nights. */
  covered: number;
  /** Requested ranges overlapping a stay: not written. */
  conflicts: ExternalConflict[];
}

export interface ExternalCalendarApi {
  /**
   * Makes one feed's external ranges of the place, from `from` on, what `ranges` asks for
   * (sorted, non-overlapping), in `tx` under the calendar's lock: unchanged rows are kept,
   * rows no longer asked for released, new ones written. A range overlapping a booking's
   * range (pending, requested or confirmed) is returned as a conflict and not written; the
   * nights of a range already held by a host block or another feed's range are left to
   * them (the rest of it is written). Ranges ending on or before `from` are not touched.
   * Not found when the place does not exist or is deleted.
   */
  replaceExternalRanges(
    tx: Db,
    input: { propertyId: string; sourceId: string; from: string; ranges: readonly ExternalRangeInput[] },
  ): Promise<ExternalSyncResult>;
  /** Releases every active range of the feed (a removed import); returns how many. */
  releaseExternalRanges(tx: Db, propertyId: string, sourceId: string): Promise<number>;
  /** What a feed's sync needs of its place, whatever its status (a draft's calendar imports too); undefined when deleted. */
  externalCalendarPlace(propertyId: string): Promise<{ hostId: string; title: string; timezone: string } | undefined>;
}

const keyOf = (r: { start: string; end: string }) => `${r.start}/${r.end}`;
const overlaps = (a: { start: string; end: string }, b: { start: string; end: string }) =>
  a.start < b.end && b.start < a.end;

/** The parts of `range` no range of `taken` (sorted by start) covers. */
export function uncoveredParts(
  range: { start: string; end: string },
  taken: readonly { start: string; end: string }[],
): { start: string; end: string }[] {
  const parts: { start: string; end: string }[] = [];
  let cursor = range.start;
  for (const t of taken) {
    if (t.end <= cursor || t.start >= range.end) continue;
    if (t.start > cursor) parts.push({ start: cursor, end: t.start });
    if (t.end > cursor) cursor = t.end;
  }
  if (cursor < range.end) parts.push({ start: cursor, end: range.end });
  return parts;
}

/** What the feed's rows should be, decided against the other active ranges of the place. */
function plan(ranges: readonly ExternalRangeInput[], others: readonly CalendarRangeRow[]) {
  const bookings = others.filter((r) => r.kind === 'booking');
  const holders = others.filter((r) => r.kind !== 'booking');
  const target: { start: string; end: string }[] = [];
  const conflicts: ExternalConflict[] = [];
  let covered = 0;
  for (const range of ranges) {
    const stay = bookings.find((b) => overlaps(b, range));
    if (stay) {
      conflicts.push({ ...range, bookingId: stay.refId! });
      continue;
    }
    const parts = uncoveredParts(range, holders);
    if (parts.length !== 1 || parts[0]!.start !== range.start || parts[0]!.end !== range.end) covered++;
    target.push(...parts);
  }
  return { target, conflicts, covered };
}

export function createExternalCalendar(access: PropertyAccess): ExternalCalendarApi {
  return {
    async replaceExternalRanges(tx, { propertyId, sourceId, from, ranges }) {
      return withTransaction(tx, async (tx, { afterCommit }) => {
        if (!(await lockPropertyForCalendar(tx, propertyId))) throw propertyNotFound();
        const active = await repo.findActiveRangesFrom(tx, propertyId, from);
        const own = active.filter((r) => r.sourceId === sourceId);
        const { target, conflicts, covered } = plan(
          ranges,
          active.filter((r) => r.sourceId !== sourceId),
        );
        const wanted = new Set(target.map(keyOf));
        const kept = new Set(own.filter((r) => wanted.has(keyOf(r))).map(keyOf));
        const gone = own.filter((r) => !wanted.has(keyOf(r))).map((r) => r.id);
        const added = target.filter((r) => !kept.has(keyOf(r)));
        await repo.releaseRangesById(tx, propertyId, gone);
        await repo.insertExternalRanges(tx, propertyId, sourceId, added);
        if (gone.length > 0 || added.length > 0) {
          const place = await findPropertyById(tx, propertyId);
          if (place) {
            await access.deps.publish(tx, 'calendar.changed', { propertyId, hostId: place.hostId, reason: 'external' });
          }
          afterCommit(() => access.invalidateCalendar(propertyId));
        }
        return { applied: target.length, covered, conflicts };
      });
    },

    async releaseExternalRanges(tx, propertyId, sourceId) {
      return withTransaction(tx, async (tx, { afterCommit }) => {
        const released = await repo.releaseSourceRanges(tx, propertyId, sourceId, null);
        if (released > 0) afterCommit(() => access.invalidateCalendar(propertyId));
        return released;
      });
    },

    async externalCalendarPlace(propertyId) {
      const place = await access.loadProperty(propertyId);
      return place && { hostId: place.hostId, title: place.title, timezone: place.timezone };
    },
  };
}
