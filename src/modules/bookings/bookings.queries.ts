import { z } from 'zod';
import { requireActor, type RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import { bookingNotFound } from './bookings.errors.js';
import { cancelerOf, stayEndsAt } from './bookings.policy.js';
import { expireOverdueRequestsAmong, withRequestExpiry } from './bookings.request-expiry.js';
import * as repo from './bookings.repository.js';
import { toBookingDto, type Booking, type ListBookingsQuery } from './bookings.schemas.js';
import type { BookingRow } from './bookings.table.js';

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

/** The booking row if the caller is its guest, the place's host or an admin; else not found. */
export async function participantRow(db: Db, id: string, ctx: RequestContext): Promise<BookingRow> {
  const actor = requireActor(ctx);
  const row = await repo.findBookingById(db, id);
  if (!row || !cancelerOf(row, actor)) throw bookingNotFound();
  return row;
}

function toStay(row: BookingRow): Stay {
  return {
    booking: toBookingDto(row),
    hostId: row.hostId,
    timezone: row.timezone,
    checkOutAt: stayEndsAt(row.checkOut, row.timezone),
  };
}

/**
 * Reads of bookings: a participant's lists and bookings, and stays for other modules' rules.
 * A participant's read expires requests past their answer time first (lazy expiry).
 */
export function createBookingQueries(deps: Parameters<typeof withRequestExpiry>[0]) {
  const { db } = deps;
  return {
    /** The caller's trips (`as: guest`) or the bookings of their places (`as: host`), newest first. */
    async listBookings(query: ListBookingsQuery, ctx: RequestContext): Promise<BookingsPage> {
      const actor = requireActor(ctx);
      const after = query.cursor ? decodeCursor(query.cursor, listCursor) : undefined;
      const page = () =>
        repo.listBookings(db, {
          as: query.as,
          userId: actor.id,
          status: query.status,
          limit: query.limit + 1,
          after: after && { createdAt: after[0], id: after[1] },
        });
      const rows = await page();
      const current = await expireOverdueRequestsAmong(deps, rows);
      // Requests just expired no longer match a status filter: the page is read again.
      const shown = current !== rows && query.status ? await page() : current;
      return toPage(shown, query.limit, (r) => [r.createdAt.toISOString(), r.id], toBookingDto);
    },

    /** The booking if the caller is its guest, the place's host or an admin; else 404 (not_found 'booking'). */
    async getBooking(id: string, ctx: RequestContext): Promise<Booking> {
      return toBookingDto(await withRequestExpiry(deps, await participantRow(db, id, ctx)));
    },

    /**
     * The id of the guest's pending or confirmed booking of the place made last, if any:
     * what another module links its records to (a conversation with the host).
     */
    async findLatestActiveBookingId(db: Db, guestId: string, propertyId: string): Promise<string | undefined> {
      return repo.findLatestActiveBookingId(db, guestId, propertyId);
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
  };
}
