import { sql, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { bookings, type BookingRow } from './bookings.table.js';

/**
 * A booking as the export writes it: the Booking resource's fields, instants as epoch
 * milliseconds. Read without the ORM's row mapping, which took a quarter of an export's CPU
 * (a type check per column per row, over millions of rows); every value comes out of
 * PostgreSQL in the JavaScript type it needs (text, int4 or float8), the same on PGlite.
 */
export interface BookingExportRow {
  id: string;
  propertyId: string;
  guestId: string;
  checkIn: string;
  checkOut: string;
  guests: number;
  nights: number;
  currency: string;
  nightlyPrice: number;
  subtotal: number;
  discount: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  status: BookingRow['status'];
  holdExpiresAt: number | null;
  respondBy: number | null;
  bookingMode: BookingRow['bookingMode'];
  canceledAt: number | null;
  canceledBy: BookingRow['canceledBy'];
  cancellationReason: string | null;
  refundAmount: number | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * One page of a host's bookings whose check-in is in [from, to), in (check_in, id) order,
 * strictly after `after`, for the export. The row comparison plus `host_id = …` is one range
 * scan of bookings_host_check_in_idx (host_id, check_in, id), however deep the page: the
 * export walks these pages instead of holding a cursor (and a transaction) open for minutes.
 */
export async function findHostBookingsExportPage(
  db: Db,
  opts: { hostId: string; from: string; to: string; limit: number; after?: { checkIn: string; id: string } },
): Promise<BookingExportRow[]> {
  const b = bookings;
  const after = opts.after
    ? sql`and (${b.checkIn}, ${b.id}) > (${opts.after.checkIn}::date, ${opts.after.id}::uuid)`
    : sql``;
  // Whole milliseconds, as Date keeps them.
  const ms = (column: SQLWrapper) => sql`floor(extract(epoch from ${column}) * 1000)::float8`;
  const result: unknown = await db.execute(sql`
    select ${b.id}::text as "id", ${b.propertyId}::text as "propertyId", ${b.guestId}::text as "guestId",
      ${b.checkIn}::text as "checkIn", ${b.checkOut}::text as "checkOut", ${b.guests} as "guests",
      ${b.nights} as "nights", ${b.currency} as "currency", ${b.nightlyPrice}::float8 as "nightlyPrice",
      ${b.subtotal}::float8 as "subtotal", ${b.discount}::float8 as "discount",
      ${b.cleaningFee}::float8 as "cleaningFee", ${b.serviceFee}::float8 as "serviceFee",
      ${b.total}::float8 as "total", ${b.status} as "status", ${ms(b.holdExpiresAt)} as "holdExpiresAt",
      ${ms(b.respondBy)} as "respondBy", ${b.bookingMode} as "bookingMode",
      ${ms(b.canceledAt)} as "canceledAt", ${b.canceledBy} as "canceledBy",
      ${b.cancellationReason} as "cancellationReason", ${b.refundAmount}::float8 as "refundAmount",
      ${ms(b.createdAt)} as "createdAt", ${ms(b.updatedAt)} as "updatedAt"
    from ${b}
    where ${b.hostId} = ${opts.hostId} and ${b.checkIn} >= ${opts.from}::date and ${b.checkIn} < ${opts.to}::date ${after}
    order by ${b.checkIn}, ${b.id}
    limit ${opts.limit}`);
  return (result as { rows: BookingExportRow[] }).rows;
}
