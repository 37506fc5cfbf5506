import { requireActor, type RequestContext } from '../../platform/context.js';
import { daysBetween } from '../../platform/dates.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { mapConstraintError } from '../../platform/errors.js';
import type { Property } from '../properties/index.js';
import type { BookingsServiceDeps } from './bookings.deps.js';
import { bookingRuleError, bookingsConstraints, tooManyHolds } from './bookings.errors.js';
import { publishBookingCreated, recordHoldsExpired } from './bookings.changes.js';
import { enqueueBookingEmail } from './bookings.mail.js';
import {
  bookingRuleViolation,
  HOLD_HISTORY_HOURS,
  holdLimitBroken,
  nightPrices,
  priceStay,
  type Price,
} from './bookings.policy.js';
import * as repo from './bookings.repository.js';
import { openingTerms } from './bookings.requests.js';
import {
  toBookingDto,
  type Booking,
  type CreateBookingInput,
  type Quote,
  type QuoteInput,
} from './bookings.schemas.js';
import type { BookingRow } from './bookings.table.js';

/**
 * The price of a stay at `property`, night by night from the prices the host set by date,
 * read through `db` (a booking's transaction under the calendar's lock, or a plain read for
 * a quote), once the stay meets the rules of its check-in night (else 422).
 */
async function stayPrice(
  deps: BookingsServiceDeps,
  db: Db,
  property: Property,
  stay: QuoteInput,
  guestId: string | undefined,
  now: Date,
): Promise<Price> {
  const terms = await deps.properties.stayTerms(db, property.id, stay.checkIn, stay.checkOut);
  const violation = bookingRuleViolation(property, stay, guestId, now, terms.checkInMinNights);
  if (violation) throw bookingRuleError(violation);
  const nights = nightPrices(property, stay.checkIn, stay.checkOut, terms.prices);
  return priceStay(property, nights, deps.serviceFeePercent);
}

/** Pricing a stay and booking it: the hold on its dates until it is paid. */
export function createBookingFlow(deps: BookingsServiceDeps) {
  const { db, clock, properties, audit, holdMinutes } = deps;

  /**
   * The place of a stay being priced or booked: visible to the caller, and bookable by them
   * under the rules of its check-in night; with the prices of its nights.
   */
  async function bookableProperty(
    input: QuoteInput,
    ctx: RequestContext,
  ): Promise<{ property: Property; price: Price }> {
    const property = await properties.getProperty(input.propertyId, ctx);
    return { property, price: await stayPrice(deps, db, property, input, ctx.actor?.id, clock.now()) };
  }

  /** Expires the place's pending bookings whose hold has passed and that overlap the stay; returns their ids. */
  async function expireOverlappingHolds(tx: Db, propertyId: string, from: string, to: string): Promise<string[]> {
    const now = clock.now();
    const expired = await repo.expireOverdueOverlapping(tx, { propertyId, from, to, now });
    await recordHoldsExpired(deps, tx, expired, now);
    return expired.map((b) => b.id);
  }

  /** Within the guest's hold limits (MAX_ACTIVE_HOLDS, MAX_LAPSED_HOLDS), else 409 too_many_holds. */
  async function checkHoldLimits(tx: Db, guestId: string, now: Date): Promise<void> {
    // The guest's requests take turns (before the place's lock, which is held longer by
    // others), so of racing requests no more than the limit can see room for a hold.
    await repo.lockGuestHolds(tx, guestId);
    const holds = await repo.countGuestHolds(
      tx,
      guestId,
      now,
      new Date(now.getTime() - HOLD_HISTORY_HOURS * 3_600_000),
    );
    const broken = holdLimitBroken(holds);
    if (broken) throw tooManyHolds(broken, holds);
  }

  return {
    /**
     * The price of a stay and whether its nights are free now. Anyone may ask; the booking
     * rules still apply (422), and a place the caller cannot see is not found.
     */
    async quote(input: QuoteInput, ctx: RequestContext): Promise<Quote> {
      const { property, price } = await bookableProperty(input, ctx);
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
        price,
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
      // Checked here for a quick answer; the price and the check-in night's rule are read
      // again under the calendar's lock, as the booking's commit will see them.
      const { property } = await bookableProperty(input, ctx);
      const nights = daysBetween(input.checkIn, input.checkOut);
      const now = clock.now();
      const row = await withTransaction(db, async (tx) => {
        await checkHoldLimits(tx, actor.id, now);
        let created: BookingRow;
        try {
          // The place's calendar is locked before any write: racing bookings of the place take
          // turns there, so the exclusion constraints answer the later ones with a conflict
          // instead of a deadlock. Overdue holds on the nights lapse and free their dates first.
          ({ row: created } = await properties.reserveDates(tx, {
            propertyId: property.id,
            start: input.checkIn,
            end: input.checkOut,
            occupantId: actor.id,
            claim: async (tx) => {
              // Under the calendar's lock: priced as of this booking's commit.
              const p = await stayPrice(deps, tx, property, input, actor.id, now);
              const free = await expireOverlappingHolds(tx, property.id, input.checkIn, input.checkOut);
              const row = await repo.insertBooking(tx, {
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
                ...openingTerms(deps, property.bookingMode, now),
              });
              return { refId: row.id, free, row };
            },
          }));
        } catch (e) {
          throw mapConstraintError(e, bookingsConstraints);
        }
        await audit.record(
          ctx,
          {
            action: 'booking.created',
            entity: 'booking',
            entityId: created.id,
            detail: { propertyId: property.id, checkIn: input.checkIn, checkOut: input.checkOut, total: created.total },
          },
          tx,
        );
        await enqueueBookingEmail(
          tx,
          created.status === 'requested' ? 'booking-requested' : 'booking-held',
          created.id,
          now,
        );
        return publishBookingCreated(deps, tx, created);
      });
      return toBookingDto(row);
    },
  };
}
