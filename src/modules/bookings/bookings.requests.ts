import { requireActor, systemContext, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import type { BookingsServiceDeps } from './bookings.deps.js';
import { bookingNotFound, bookingNotRequested, notBookingHost } from './bookings.errors.js';
import { announceBooking, publishBookingChange } from './bookings.changes.js';
import { enqueueBookingEmail } from './bookings.mail.js';
import { checkInReminderAt, stayEndsAt } from './bookings.policy.js';
import { participantRow } from './bookings.queries.js';
import { recordRequestsExpired, withRequestExpiry } from './bookings.request-expiry.js';
import * as bookingsRepo from './bookings.repository.js';
import * as repo from './bookings.requests.repository.js';
import { toBookingDto, type Booking, type DeclineBookingInput } from './bookings.schemas.js';
import type { BookingRow } from './bookings.table.js';
import { enqueueStayCompletion } from './bookings.timed.js';

/** How long a host has to answer a request to book. */
export const RESPOND_HOURS = 24;
const DEFAULT_SWEEP_LIMIT = 500;

/** What a payment's authorization did to its booking (see `markRequested`). */
export type RequestOutcome = 'requested' | 'already_requested' | 'unavailable';

type RequestsDeps = BookingsServiceDeps;

/**
 * A new booking's mode and, when paid on acceptance, its request: `requested` at once, the
 * host to answer by `respondBy`, no payment hold (the guest pays after the host accepts).
 */
export function openingTerms(
  deps: Pick<BookingsServiceDeps, 'payOnAccept'>,
  bookingMode: BookingRow['bookingMode'],
  now: Date,
): Pick<BookingRow, 'bookingMode'> & Partial<Pick<BookingRow, 'status' | 'holdExpiresAt' | 'respondBy'>> {
  if (bookingMode !== 'request' || !deps.payOnAccept) return { bookingMode };
  return {
    bookingMode,
    status: 'requested',
    holdExpiresAt: null,
    respondBy: new Date(now.getTime() + RESPOND_HOURS * 3_600_000),
  };
}

/**
 * Request to book: the place's host accepts or declines each booking before it is confirmed.
 *
 * With a provider that authorizes: pending (unpaid hold) → the payment is authorized →
 * `requested` (respondBy = now + 24 h, still holding the nights) → accepted: `confirmed`, the
 * authorization captured | declined: `declined`, voided, nights freed | unanswered: `expired`,
 * voided, freed | canceled by the guest: `canceled`, voided, freed.
 * With a provider that cannot (pay on acceptance): `requested` at creation → accepted:
 * `pending` with a new hold of BOOKING_HOLD_MINUTES, then `confirmed` by payment as an
 * instant booking is (or `expired` unpaid) | declined, expired, canceled as above.
 * Money moves after the change commits: `booking.accepted` and `booking.released` have the
 * payments module capture or void through the job system, keyed once per payment.
 */
export function createBookingRequests(deps: RequestsDeps) {
  const { db, clock, properties, audit, publish, holdMinutes, payOnAccept } = deps;

  /** The request as its host sees it (404 to strangers, 403 to its guest and admins), overdue ones expired. */
  async function hostsRequest(id: string, ctx: RequestContext): Promise<BookingRow> {
    const actor = requireActor(ctx);
    const row = await participantRow(db, id, ctx);
    if (row.hostId !== actor.id) throw notBookingHost();
    const current = await withRequestExpiry(deps, row);
    if (current.status !== 'requested') throw bookingNotRequested(current.status);
    return current;
  }

  /** The status a lost race left the booking in, for the 409. */
  async function statusNow(id: string): Promise<string> {
    const row = await bookingsRepo.findBookingById(db, id);
    if (!row) throw bookingNotFound();
    return row.status;
  }

  async function confirmAccepted(tx: Db, row: BookingRow, now: Date): Promise<void> {
    await properties.revealLocation(tx, row.id);
    const remindAt = checkInReminderAt(row.checkIn, row.timezone);
    if (remindAt.getTime() > now.getTime()) await enqueueBookingEmail(tx, 'checkin-reminder', row.id, remindAt);
    await enqueueStayCompletion(tx, row.id, stayEndsAt(row.checkOut, row.timezone));
    await publish(tx, 'booking.accepted', { booking: toBookingDto(row), outcome: 'accepted' });
  }

  return {
    /**
     * Inside the caller's transaction (the authorization's webhook, or the booking's own
     * creation when the provider cannot authorize): pending → requested, the host asked by
     * e-mail to answer by `respondBy`. `already_requested` for a second authorization, and
     * `unavailable` when the booking is past holding its nights (expired, canceled): the
     * caller voids that authorization.
     */
    async markRequested(tx: Db, bookingId: string): Promise<{ outcome: RequestOutcome; booking: Booking }> {
      return withTransaction(tx, async (tx) => {
        const row = await bookingsRepo.lockBookingById(tx, bookingId);
        if (!row) throw bookingNotFound();
        if (row.status !== 'pending') {
          const outcome = row.status === 'requested' ? 'already_requested' : 'unavailable';
          return { outcome, booking: toBookingDto(row) };
        }
        const now = clock.now();
        const respondBy = new Date(now.getTime() + RESPOND_HOURS * 3_600_000);
        const requested = (await repo.requestBookingIfPending(tx, bookingId, { respondBy, now }))!;
        await audit.record(
          systemContext(),
          { action: 'booking.requested', entity: 'booking', entityId: row.id, detail: { respondBy } },
          tx,
        );
        await enqueueBookingEmail(tx, 'booking-requested', row.id, now);
        await publishBookingChange(deps, tx, requested, 'booking.requested', {
          booking: toBookingDto(requested),
          hostId: requested.hostId,
        });
        return { outcome: 'requested', booking: toBookingDto(requested) };
      });
    },

    /**
     * The host accepts a request still open: `confirmed` (its authorization is captured after
     * commit), or with pay on acceptance `pending` with a hold of BOOKING_HOLD_MINUTES. The
     * update is conditional on the request being open, so of an accept, a decline, a cancel
     * and the expiry racing exactly one wins; the others answer 409.
     */
    async acceptBooking(id: string, ctx: RequestContext): Promise<Booking> {
      await hostsRequest(id, ctx);
      const accepted = await withTransaction(db, async (tx) => {
        const now = clock.now();
        const row = payOnAccept
          ? await repo.answerRequest(tx, id, {
              status: 'pending',
              holdExpiresAt: new Date(now.getTime() + holdMinutes * 60_000),
              now,
            })
          : await repo.answerRequest(tx, id, { status: 'confirmed', now });
        if (!row) return undefined;
        await audit.record(
          ctx,
          { action: 'booking.accepted', entity: 'booking', entityId: id, detail: { status: row.status } },
          tx,
        );
        await enqueueBookingEmail(tx, 'request-accepted', id, now);
        if (row.status === 'confirmed') await confirmAccepted(tx, row, now);
        // Accepted and confirmed is `booking.confirmed`; accepted and awaiting payment (pending) is told live only.
        if (row.status === 'confirmed') {
          await publishBookingChange(deps, tx, row, 'booking.confirmed', {
            booking: toBookingDto(row),
            hostId: row.hostId,
          });
        } else await announceBooking(deps, tx, row);
        return row;
      });
      if (!accepted) throw bookingNotRequested(await statusNow(id));
      return toBookingDto(accepted);
    },

    /** The host declines a request still open: `declined`, its nights freed, its authorization voided after commit. */
    async declineBooking(id: string, input: DeclineBookingInput, ctx: RequestContext): Promise<Booking> {
      await hostsRequest(id, ctx);
      const declined = await withTransaction(db, async (tx) => {
        const now = clock.now();
        const row = await repo.answerRequest(tx, id, { status: 'declined', reason: input.reason ?? null, now });
        if (!row) return undefined;
        await properties.freeDates(tx, [id]);
        await audit.record(
          ctx,
          { action: 'booking.declined', entity: 'booking', entityId: id, detail: { reason: row.cancellationReason } },
          tx,
        );
        await enqueueBookingEmail(tx, 'request-declined', id, now);
        await publish(tx, 'booking.released', { booking: toBookingDto(row), outcome: 'declined' });
        await publishBookingChange(deps, tx, row, 'booking.declined', {
          booking: toBookingDto(row),
          hostId: row.hostId,
        });
        return row;
      });
      if (!declined) throw bookingNotRequested(await statusNow(id));
      return toBookingDto(declined);
    },

    /**
     * Expires up to `limit` requests whose answer time has passed and frees their nights;
     * returns how many. Safe to run from several workers at once.
     */
    async expireOverdueRequests(limit = DEFAULT_SWEEP_LIMIT): Promise<number> {
      return withTransaction(db, async (tx) => {
        const now = clock.now();
        const expired = await repo.expireOverdueRequests(tx, { now, limit });
        await recordRequestsExpired(deps, tx, expired, now);
        return expired.length;
      });
    },

    /** Expires the place's overdue requests overlapping [from, to), before a booking of those nights. */
    async expireRequestsOverlapping(propertyId: string, from: string, to: string): Promise<void> {
      await withTransaction(db, async (tx) => {
        const now = clock.now();
        const expired = await repo.expireOverdueRequestsOverlapping(tx, { propertyId, from, to, now });
        await recordRequestsExpired(deps, tx, expired, now);
      });
    },
  };
}
