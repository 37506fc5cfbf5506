import { requireActor, systemContext, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { isAppError, mapConstraintError } from '../../platform/errors.js';
import type { BookingsServiceDeps } from './bookings.deps.js';
import {
  bookingNotCancelable,
  bookingNotFound,
  bookingsConstraints,
  requestAnswered,
  stayStarted,
} from './bookings.errors.js';
import { publishBookingChange, recordHoldsExpired } from './bookings.changes.js';
import { enqueueBookingEmail } from './bookings.mail.js';
import {
  cancelerOf,
  checkInReminderAt,
  refundAmount,
  stayBeginsAt,
  stayEndsAt,
  stayHasBegun,
  type CanceledBy,
} from './bookings.policy.js';
import { participantRow } from './bookings.queries.js';
import { withRequestExpiry } from './bookings.request-expiry.js';
import * as repo from './bookings.repository.js';
import { toBookingDto, type Booking, type CancelBookingInput } from './bookings.schemas.js';
import type { BookingRow } from './bookings.table.js';
import { enqueueStayCompletion } from './bookings.timed.js';

/** What a successful payment did to its booking (see `confirmPaid`). */
export type ConfirmOutcome = 'confirmed' | 'already_confirmed' | 'unavailable';

const CANCELABLE = ['pending', 'requested', 'confirmed'] as const;
type Cancelable = (typeof CANCELABLE)[number];
const DEFAULT_SWEEP_LIMIT = 500;

async function recordConfirmed(
  deps: BookingsServiceDeps,
  tx: Db,
  row: BookingRow,
  from: 'pending' | 'expired',
): Promise<void> {
  const { audit, clock } = deps;
  await audit.record(
    systemContext(),
    { action: 'booking.confirmed', entity: 'booking', entityId: row.id, detail: { previousStatus: from } },
    tx,
  );
  const now = clock.now();
  await publishBookingChange(deps, tx, row, 'booking.confirmed', { booking: toBookingDto(row), hostId: row.hostId });
  await enqueueBookingEmail(tx, 'booking-confirmed', row.id, now);
  await enqueueBookingEmail(tx, 'booking-new-host', row.id, now);
  // A reminder whose moment has passed (a last-minute booking) would arrive after the
  // guest needed it: none is written.
  const remindAt = checkInReminderAt(row.checkIn, row.timezone);
  if (remindAt.getTime() > now.getTime()) await enqueueBookingEmail(tx, 'checkin-reminder', row.id, remindAt);
  await enqueueStayCompletion(tx, row.id, stayEndsAt(row.checkOut, row.timezone));
}

/**
 * An expired booking paid after all: occupies its nights again and confirms it, or
 * `undefined` when they are taken by another booking or a block, or the place is gone.
 * Undone to a savepoint on failure, so the caller's transaction stays usable.
 */
async function reconfirmExpired(
  deps: BookingsServiceDeps,
  tx: Db,
  row: BookingRow,
  now: Date,
): Promise<BookingRow | undefined> {
  const { properties } = deps;
  const savepoint = 'booking_reconfirm';
  await repo.savepoint(tx, savepoint);
  try {
    const { confirmed } = await properties.reserveDates(tx, {
      propertyId: row.propertyId,
      start: row.checkIn,
      end: row.checkOut,
      occupantId: row.guestId,
      revealLocation: true,
      // The status change meets bookings_no_overlap, the range the calendar's constraint.
      claim: async (tx) => ({
        refId: row.id,
        confirmed: (await repo.confirmBookingIfStatus(tx, row.id, 'expired', now))!,
      }),
    });
    await repo.releaseSavepoint(tx, savepoint);
    return confirmed;
  } catch (e) {
    const mapped = mapConstraintError(e, bookingsConstraints);
    if (isAppError(mapped) && (mapped.kind === 'conflict' || mapped.kind === 'not_found')) {
      await repo.rollbackToSavepoint(tx, savepoint);
      return undefined;
    }
    throw mapped;
  }
}

/** One attempt at canceling from `status`: undefined when the row's status changed since it was read. */
async function cancelFrom(
  deps: BookingsServiceDeps,
  current: BookingRow,
  status: Cancelable,
  change: { canceledBy: CanceledBy; reason: string | null; refund: number; now: Date },
  ctx: RequestContext,
): Promise<Booking | undefined> {
  const { db, properties, audit } = deps;
  const { canceledBy, reason, refund, now } = change;
  return withTransaction(db, async (tx) => {
    const row = await repo.cancelBookingIfStatus(tx, current.id, status, {
      canceledBy,
      reason,
      refundAmount: refund,
      now,
    });
    if (!row) return undefined;
    await properties.freeDates(tx, [row.id]);
    await audit.record(
      ctx,
      {
        action: 'booking.canceled',
        entity: 'booking',
        entityId: row.id,
        detail: { canceledBy, previousStatus: status, refundAmount: refund, reason },
      },
      tx,
    );
    await enqueueBookingEmail(tx, 'booking-canceled-guest', row.id, now);
    await enqueueBookingEmail(tx, 'booking-canceled-host', row.id, now);
    const booking = toBookingDto(row);
    await publishBookingChange(deps, tx, row, 'booking.canceled', {
      booking,
      hostId: row.hostId,
      refundAmount: refund,
      canceledBy,
      ctx,
    });
    return booking;
  });
}

/** A booking's life after its creation: confirmation by payment, cancellation, completion, expiry. */
export function createBookingLifecycle(deps: BookingsServiceDeps) {
  const { db, clock, properties, audit } = deps;

  return {
    /**
     * Cancels a pending or confirmed booking before its stay begins (15:00 local on the
     * check-in date), by its guest, the place's host or an admin (anyone else: 404). The
     * refund is decided by `refundAmount` (policy) and stored; the dates are freed;
     * `booking.canceled` is published in the same transaction, so a failing handler undoes
     * it all. The update is conditional on the status read, so of two racing cancels one
     * wins and the other answers 409 booking_not_cancelable.
     */
    async cancelBooking(id: string, input: CancelBookingInput, ctx: RequestContext): Promise<Booking> {
      const actor = requireActor(ctx);
      // A request past its answer time is expired first: canceling it then answers 409.
      const first = await withRequestExpiry(deps, await participantRow(db, id, ctx));
      const canceledBy = cancelerOf(first, actor)!;
      // The terms the booking was made under, not the place's current ones.
      const stayBegins = stayBeginsAt(first.checkIn, first.timezone);

      // A payment may confirm the booking between the read and the update; the refund
      // depends on the status, so the update is conditional on the one read, and retried
      // once with the new status when it changed to another cancelable one.
      let current = first;
      for (let attempt = 0; attempt < 3; attempt++) {
        if (!(CANCELABLE as readonly string[]).includes(current.status)) throw bookingNotCancelable(current.status);
        const now = clock.now();
        if (stayHasBegun(stayBegins, now)) throw stayStarted();
        const status = current.status as Cancelable;
        // A request was never captured: nothing to refund (its authorization is voided).
        const refund =
          status === 'requested'
            ? 0
            : refundAmount({
                status,
                total: current.total,
                serviceFee: current.serviceFee,
                policy: current.cancellationPolicy,
                canceledBy,
                stayBegins,
                now,
              });
        const canceled = await cancelFrom(
          deps,
          current,
          status,
          { canceledBy, reason: input.reason ?? null, refund, now },
          ctx,
        );
        if (canceled) return canceled;
        const reread = await repo.findBookingById(db, id);
        if (!reread) throw bookingNotFound();
        // A request the host answered meanwhile: the guest meant the request, not the stay.
        if (status === 'requested') throw requestAnswered(reread.status);
        current = reread;
      }
      throw bookingNotCancelable(current.status);
    },

    /**
     * Inside the caller's transaction (the payment webhook's): a payment succeeded for the
     * booking. The row is locked first, so two webhooks serialise.
     *  - pending (hold passed or not: its range is still held) → confirmed, and its range
     *    reveals the location to the guest;
     *  - expired with its nights free again → occupies them again and confirms;
     *  - expired with the nights taken, or canceled → `unavailable` (the payer is refunded);
     *  - confirmed or completed → `already_confirmed`.
     * Only an unknown id throws (not_found). A failed re-occupation is undone to a savepoint,
     * so the caller's transaction stays usable for recording the refund.
     */
    async confirmPaid(tx: Db, bookingId: string): Promise<{ outcome: ConfirmOutcome; booking: Booking }> {
      return withTransaction(tx, async (tx) => {
        const row = await repo.lockBookingById(tx, bookingId);
        if (!row) throw bookingNotFound();
        const now = clock.now();
        switch (row.status) {
          case 'confirmed':
          case 'completed':
            return { outcome: 'already_confirmed', booking: toBookingDto(row) };
          // A request is paid by capturing its authorization, never by a checkout of its own.
          case 'requested':
          case 'declined':
          case 'canceled':
            return { outcome: 'unavailable', booking: toBookingDto(row) };
          case 'pending': {
            const confirmed = (await repo.confirmBookingIfStatus(tx, row.id, 'pending', now))!;
            await properties.revealLocation(tx, row.id);
            await recordConfirmed(deps, tx, confirmed, 'pending');
            return { outcome: 'confirmed', booking: toBookingDto(confirmed) };
          }
          case 'expired': {
            const confirmed = await reconfirmExpired(deps, tx, row, now);
            if (!confirmed) return { outcome: 'unavailable', booking: toBookingDto(row) };
            await recordConfirmed(deps, tx, confirmed, 'expired');
            return { outcome: 'confirmed', booking: toBookingDto(confirmed) };
          }
        }
      });
    },

    /**
     * Marks a confirmed stay `completed` (the check-out time has come) and publishes
     * `booking.completed` in the same transaction. Conditional on `confirmed`, so a canceled
     * booking stays canceled and a second run changes nothing (nothing is published);
     * returns whether this run completed it. A handler error rolls the completion back (the
     * job retries it).
     */
    async completeStay(bookingId: string): Promise<boolean> {
      return withTransaction(db, async (tx) => {
        const now = clock.now();
        const row = await repo.completeBookingIfConfirmed(tx, bookingId, now);
        if (!row) return false;
        await audit.record(
          systemContext(),
          { action: 'booking.completed', entity: 'booking', entityId: row.id, detail: {} },
          tx,
        );
        const checkOutAt = stayEndsAt(row.checkOut, row.timezone);
        await publishBookingChange(deps, tx, row, 'booking.completed', {
          booking: toBookingDto(row),
          hostId: row.hostId,
          checkOutAt,
        });
        return true;
      });
    },

    /**
     * Expires up to `limit` pending bookings whose hold has passed and frees their dates;
     * returns how many. Safe to run from several workers at once. Creation already treats
     * overdue holds as free, so this sweep is housekeeping, not correctness.
     */
    async expireOverdueHolds(limit = DEFAULT_SWEEP_LIMIT): Promise<number> {
      return withTransaction(db, async (tx) => {
        const now = clock.now();
        const expired = await repo.expireOverdueHolds(tx, { now, limit });
        if (expired.length > 0)
          await properties.freeDates(
            tx,
            expired.map((b) => b.id),
          );
        await recordHoldsExpired(deps, tx, expired, now);
        return expired.length;
      });
    },
  };
}
