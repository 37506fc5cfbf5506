import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { requireActor, systemContext, type RequestContext } from '../../platform/context.js';
import { daysBetween } from '../../platform/dates.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { isAppError, mapConstraintError } from '../../platform/errors.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import type { AuditService } from '../audit/index.js';
import type { PropertiesService, Property } from '../properties/index.js';
import {
  bookingNotCancelable,
  bookingNotFound,
  bookingRuleError,
  bookingsConstraints,
  stayStarted,
  tooManyHolds,
} from './bookings.errors.js';
import {
  bookingRuleViolation,
  cancelerOf,
  HOLD_HISTORY_HOURS,
  holdLimitBroken,
  priceStay,
  refundAmount,
  checkInReminderAt,
  stayBeginsAt,
  stayEndsAt,
  stayHasBegun,
  type CanceledBy,
  type Price,
} from './bookings.policy.js';
import { enqueueBookingEmail } from './bookings.mail.js';
import { enqueueStayCompletion } from './bookings.timed.js';
import * as repo from './bookings.repository.js';
import {
  toBookingDto,
  type Booking,
  type CancelBookingInput,
  type CreateBookingInput,
  type ListBookingsQuery,
  type Quote,
  type QuoteInput,
} from './bookings.schemas.js';
import type { BookingRow } from './bookings.table.js';

export interface BookingsServiceDeps {
  db: Db;
  clock: Clock;
  properties: PropertiesService;
  audit: AuditService;
  /** SERVICE_FEE_PERCENT. */
  serviceFeePercent: number;
  /** BOOKING_HOLD_MINUTES: how long a pending booking holds its dates unpaid. */
  holdMinutes: number;
}

export type BookingsService = ReturnType<typeof createBookingsService>;

/** What a successful payment did to its booking (see `confirmPaid`). */
export type ConfirmOutcome = 'confirmed' | 'already_confirmed' | 'unavailable';

/** Handed to every `onCanceled` listener, inside the cancel's transaction. */
export interface CancellationEvent {
  booking: Booking;
  refundAmount: number;
  canceledBy: CanceledBy;
  ctx: RequestContext;
}
export type CancellationListener = (tx: Db, event: CancellationEvent) => Promise<void>;

/** Handed to every `onCompleted` listener, inside the completion's transaction. */
export interface CompletionEvent {
  booking: Booking;
  /** The stay's check-out instant (11:00 in the place's zone at booking time). */
  checkOutAt: Date;
}
export type CompletionListener = (tx: Db, event: CompletionEvent) => Promise<void>;

/**
 * What other modules need to know of a stay beyond its DTO: who hosts it and when it
 * ended, by the terms it was booked under.
 */
export interface Stay {
  booking: Booking;
  hostId: string;
  timezone: string;
  checkOutAt: Date;
}

/** A page of bookings with the cursor after each row, for GraphQL edges. */
export type BookingsPage = Page<Booking> & { cursors: string[] };

const listCursor = z.tuple([isoInstant, z.uuid()]);
const CANCELABLE = ['pending', 'confirmed'] as const;
const DEFAULT_SWEEP_LIMIT = 500;

export function createBookingsService(deps: BookingsServiceDeps) {
  const { db, clock, properties, audit, serviceFeePercent, holdMinutes } = deps;
  const cancelListeners: CancellationListener[] = [];
  const completionListeners: CompletionListener[] = [];

  const price = (property: Property, nights: number): Price => priceStay(property, nights, serviceFeePercent);

  /** The place of a stay being priced or booked: visible to the caller, and bookable by them. */
  async function bookableProperty(input: QuoteInput, ctx: RequestContext): Promise<Property> {
    const property = await properties.getProperty(input.propertyId, ctx);
    const violation = bookingRuleViolation(property, input, ctx.actor?.id, clock.now());
    if (violation) throw bookingRuleError(violation);
    return property;
  }

  /** The booking row if the caller is its guest, the place's host or an admin; else not found. */
  async function participantRow(id: string, ctx: RequestContext): Promise<BookingRow> {
    const actor = requireActor(ctx);
    const row = await repo.findBookingById(db, id);
    if (!row || !cancelerOf(row, actor)) throw bookingNotFound();
    return row;
  }

  /** Frees the dates of pending bookings of the place whose hold has passed and that overlap the stay. */
  async function expireOverlappingHolds(tx: Db, propertyId: string, from: string, to: string): Promise<number> {
    const now = clock.now();
    const expired = await repo.expireOverdueOverlapping(tx, { propertyId, from, to, now });
    for (const b of expired) {
      await properties.releaseDates(tx, { refId: b.id });
      await enqueueBookingEmail(tx, 'hold-expired', b.id, now);
    }
    return expired.length;
  }

  return {
    /**
     * The price of a stay and whether its nights are free now. Anyone may ask; the booking
     * rules still apply (422), and a place the caller cannot see is not found.
     */
    async quote(input: QuoteInput, ctx: RequestContext): Promise<Quote> {
      const property = await bookableProperty(input, ctx);
      const nights = daysBetween(input.checkIn, input.checkOut);
      const ranges = await properties.findOccupiedRanges(db, property.id, input.checkIn, input.checkOut);
      let available = ranges.every((r) => r.kind === 'booking');
      if (available && ranges.length > 0) {
        // Booked ranges whose booking is an unpaid hold past its time are as good as free.
        const overdue = await repo.findOverdueHolds(
          db,
          ranges.map((r) => r.refId!),
          clock.now(),
        );
        available = ranges.every((r) => overdue.has(r.refId!));
      }
      return {
        propertyId: property.id,
        checkIn: input.checkIn,
        checkOut: input.checkOut,
        guests: input.guests,
        nights,
        currency: property.currency,
        price: price(property, nights),
        available,
      };
    },

    /**
     * Books a stay as `pending`, holding its nights for BOOKING_HOLD_MINUTES until paid, within
     * the guest's hold limits (MAX_ACTIVE_HOLDS, MAX_LAPSED_HOLDS; 409 too_many_holds). One
     * transaction: overdue holds on those nights expire first; the booking row and its
     * calendar range then each meet an exclusion constraint, so of racing requests for the
     * same nights exactly one commits and the others get 409 dates_unavailable.
     */
    async createBooking(input: CreateBookingInput, ctx: RequestContext): Promise<Booking> {
      const actor = requireActor(ctx);
      const property = await bookableProperty(input, ctx);
      const nights = daysBetween(input.checkIn, input.checkOut);
      const p = price(property, nights);
      const now = clock.now();
      const row = await withTransaction(db, async (tx, { afterCommit }) => {
        // The guest's requests take turns (before the place's lock, which is held longer by
        // others), so of racing requests no more than the limit can see room for a hold.
        await repo.lockGuestHolds(tx, actor.id);
        const holds = await repo.countGuestHolds(
          tx,
          actor.id,
          now,
          new Date(now.getTime() - HOLD_HISTORY_HOURS * 3_600_000),
        );
        const broken = holdLimitBroken(holds);
        if (broken) throw tooManyHolds(broken, holds);
        // Before any write: racing bookings of the place take turns here, so the exclusion
        // constraints answer the later ones with a conflict instead of a deadlock.
        await properties.lockCalendar(tx, property.id);
        await expireOverlappingHolds(tx, property.id, input.checkIn, input.checkOut);
        let created: BookingRow;
        try {
          created = await repo.insertBooking(tx, {
            propertyId: property.id,
            guestId: actor.id,
            hostId: property.hostId,
            checkIn: input.checkIn,
            checkOut: input.checkOut,
            guests: input.guests,
            nights,
            currency: property.currency,
            cancellationPolicy: property.cancellationPolicy,
            timezone: property.timezone,
            nightlyPrice: p.nightly,
            subtotal: p.subtotal,
            discount: p.discount,
            cleaningFee: p.cleaningFee,
            serviceFee: p.serviceFee,
            total: p.total,
            status: 'pending',
            holdExpiresAt: new Date(now.getTime() + holdMinutes * 60_000),
            createdAt: now,
            updatedAt: now,
          });
          await properties.occupyDates(tx, {
            propertyId: property.id,
            start: input.checkIn,
            end: input.checkOut,
            kind: 'booking',
            refId: created.id,
            occupantId: actor.id,
          });
        } catch (e) {
          throw mapConstraintError(e, bookingsConstraints);
        }
        await audit.record(
          ctx,
          {
            action: 'booking.created',
            entity: 'booking',
            entityId: created.id,
            detail: { propertyId: property.id, checkIn: input.checkIn, checkOut: input.checkOut, total: p.total },
          },
          tx,
        );
        await enqueueBookingEmail(tx, 'booking-held', created.id, now);
        afterCommit(() => properties.invalidateProperty(property.id));
        return created;
      });
      return toBookingDto(row);
    },

    /** The caller's trips (`as: guest`) or the bookings of their places (`as: host`), newest first. */
    async listBookings(query: ListBookingsQuery, ctx: RequestContext): Promise<BookingsPage> {
      const actor = requireActor(ctx);
      const after = query.cursor ? decodeCursor(query.cursor, listCursor) : undefined;
      const rows = await repo.listBookings(db, {
        as: query.as,
        userId: actor.id,
        status: query.status,
        limit: query.limit + 1,
        after: after && { createdAt: after[0], id: after[1] },
      });
      return toPage(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id], toBookingDto);
    },

    /** The booking if the caller is its guest, the place's host or an admin; else 404 (not_found 'booking'). */
    async getBooking(id: string, ctx: RequestContext): Promise<Booking> {
      return toBookingDto(await participantRow(id, ctx));
    },

    /**
     * The id of the guest's pending or confirmed booking of the place made last, if any:
     * what another module links its records to (a conversation with the host).
     */
    async findLatestActiveBookingId(db: Db, guestId: string, propertyId: string): Promise<string | undefined> {
      return repo.findLatestActiveBookingId(db, guestId, propertyId);
    },

    /**
     * Cancels a pending or confirmed booking before its stay begins (15:00 local on the
     * check-in date), by its guest, the place's host or an admin (anyone else: 404). The
     * refund is decided by `refundAmount` (policy) and stored; the dates are freed; the
     * `onCanceled` listeners run in the same transaction, so a failing one undoes it all.
     * The update is conditional on the status read, so of two racing cancels one wins and
     * the other answers 409 booking_not_cancelable.
     */
    async cancelBooking(id: string, input: CancelBookingInput, ctx: RequestContext): Promise<Booking> {
      const actor = requireActor(ctx);
      const first = await participantRow(id, ctx);
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
        const status = current.status as (typeof CANCELABLE)[number];
        const refund = refundAmount({
          status,
          total: current.total,
          serviceFee: current.serviceFee,
          policy: current.cancellationPolicy,
          canceledBy,
          stayBegins,
          now,
        });
        const canceled = await withTransaction(db, async (tx, { afterCommit }) => {
          const row = await repo.cancelBookingIfStatus(tx, id, status, {
            canceledBy,
            reason: input.reason ?? null,
            refundAmount: refund,
            now,
          });
          if (!row) return undefined;
          await properties.releaseDates(tx, { refId: id });
          await audit.record(
            ctx,
            {
              action: 'booking.canceled',
              entity: 'booking',
              entityId: id,
              detail: { canceledBy, previousStatus: status, refundAmount: refund, reason: input.reason ?? null },
            },
            tx,
          );
          await enqueueBookingEmail(tx, 'booking-canceled-guest', id, now);
          await enqueueBookingEmail(tx, 'booking-canceled-host', id, now);
          const booking = toBookingDto(row);
          for (const listener of cancelListeners)
            await listener(tx, { booking, refundAmount: refund, canceledBy, ctx });
          afterCommit(() => properties.invalidateProperty(row.propertyId));
          return booking;
        });
        if (canceled) return canceled;
        const reread = await repo.findBookingById(db, id);
        if (!reread) throw bookingNotFound();
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
      return withTransaction(tx, async (tx, { afterCommit }) => {
        const row = await repo.lockBookingById(tx, bookingId);
        if (!row) throw bookingNotFound();
        const now = clock.now();
        switch (row.status) {
          case 'confirmed':
          case 'completed':
            return { outcome: 'already_confirmed', booking: toBookingDto(row) };
          case 'canceled':
            return { outcome: 'unavailable', booking: toBookingDto(row) };
          case 'pending': {
            const confirmed = (await repo.confirmBookingIfStatus(tx, row.id, 'pending', now))!;
            await properties.revealLocation(tx, row.id);
            await recordConfirmed(tx, confirmed, 'pending');
            afterCommit(() => properties.invalidateProperty(row.propertyId));
            return { outcome: 'confirmed', booking: toBookingDto(confirmed) };
          }
          case 'expired': {
            const savepoint = 'booking_reconfirm';
            await repo.savepoint(tx, savepoint);
            let confirmed: BookingRow;
            try {
              await properties.lockCalendar(tx, row.propertyId);
              // The status change meets bookings_no_overlap, the range the calendar's constraint.
              confirmed = (await repo.confirmBookingIfStatus(tx, row.id, 'expired', now))!;
              await properties.occupyDates(tx, {
                propertyId: row.propertyId,
                start: row.checkIn,
                end: row.checkOut,
                kind: 'booking',
                refId: row.id,
                occupantId: row.guestId,
              });
              await properties.revealLocation(tx, row.id);
              await repo.releaseSavepoint(tx, savepoint);
            } catch (e) {
              const mapped = mapConstraintError(e, bookingsConstraints);
              // Taken by another booking or a block, or the place is gone.
              if (isAppError(mapped) && (mapped.kind === 'conflict' || mapped.kind === 'not_found')) {
                await repo.rollbackToSavepoint(tx, savepoint);
                return { outcome: 'unavailable', booking: toBookingDto(row) };
              }
              throw mapped;
            }
            await recordConfirmed(tx, confirmed, 'expired');
            afterCommit(() => properties.invalidateProperty(row.propertyId));
            return { outcome: 'confirmed', booking: toBookingDto(confirmed) };
          }
        }
      });
    },

    /**
     * Marks a confirmed stay `completed` (the check-out time has come) and runs the
     * `onCompleted` listeners in the same transaction. Conditional on `confirmed`, so a
     * canceled booking stays canceled and a second run changes nothing (no listener runs);
     * returns whether this run completed it.
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
        const event = { booking: toBookingDto(row), checkOutAt: stayEndsAt(row.checkOut, row.timezone) };
        for (const listener of completionListeners) await listener(tx, event);
        return true;
      });
    },

    /**
     * Registers a listener run inside the completion transaction, after the booking row is
     * completed. A listener error rolls the completion back (the job retries it).
     */
    onCompleted(listener: CompletionListener): void {
      completionListeners.push(listener);
    },

    /**
     * The stay of a booking for another module's rules (reviews), read through `db` with no
     * access check: the caller decides who may see what. Undefined for an unknown id.
     */
    async findStay(db: Db, bookingId: string): Promise<Stay | undefined> {
      const row = await repo.findBookingById(db, bookingId);
      return row && toStay(row);
    },

    /** The stays of these bookings (unknown ids are left out), like `findStay`. */
    async findStays(db: Db, bookingIds: readonly string[]): Promise<Map<string, Stay>> {
      const rows = await repo.findBookingsByIds(db, bookingIds);
      return new Map(rows.map((r) => [r.id, toStay(r)]));
    },

    /**
     * Registers a listener run inside the cancel transaction, after the booking row is
     * canceled and its refund decided. A listener error rolls the cancel back.
     */
    onCanceled(listener: CancellationListener): void {
      cancelListeners.push(listener);
    },

    /**
     * Expires up to `limit` pending bookings whose hold has passed and frees their dates;
     * returns how many. Safe to run from several workers at once. Creation already treats
     * overdue holds as free, so this sweep is housekeeping, not correctness.
     */
    async expireOverdueHolds(limit = DEFAULT_SWEEP_LIMIT): Promise<number> {
      return withTransaction(db, async (tx, { afterCommit }) => {
        const now = clock.now();
        const expired = await repo.expireOverdueHolds(tx, { now, limit });
        for (const b of expired) {
          await properties.releaseDates(tx, { refId: b.id });
          await enqueueBookingEmail(tx, 'hold-expired', b.id, now);
        }
        const places = [...new Set(expired.map((b) => b.propertyId))];
        if (places.length > 0) afterCommit(() => Promise.all(places.map((id) => properties.invalidateProperty(id))));
        return expired.length;
      });
    },
  };

  function toStay(row: BookingRow): Stay {
    return {
      booking: toBookingDto(row),
      hostId: row.hostId,
      timezone: row.timezone,
      checkOutAt: stayEndsAt(row.checkOut, row.timezone),
    };
  }

  async function recordConfirmed(tx: Db, row: BookingRow, from: 'pending' | 'expired'): Promise<void> {
    await audit.record(
      systemContext(),
      { action: 'booking.confirmed', entity: 'booking', entityId: row.id, detail: { previousStatus: from } },
      tx,
    );
    const now = clock.now();
    await enqueueBookingEmail(tx, 'booking-confirmed', row.id, now);
    await enqueueBookingEmail(tx, 'booking-new-host', row.id, now);
    // A reminder whose moment has passed (a last-minute booking) would arrive after the
    // guest needed it: none is written.
    const remindAt = checkInReminderAt(row.checkIn, row.timezone);
    if (remindAt.getTime() > now.getTime()) await enqueueBookingEmail(tx, 'checkin-reminder', row.id, remindAt);
    await enqueueStayCompletion(tx, row.id, stayEndsAt(row.checkOut, row.timezone));
  }
}
