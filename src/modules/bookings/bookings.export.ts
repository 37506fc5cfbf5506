import { requireRole, type RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import type { ExportBookingsQuery } from './bookings.export-schemas.js';
import { findHostBookingsExportPage, type BookingExportRow } from './bookings.export.repository.js';
import { toBookingDto, type Booking } from './bookings.schemas.js';

/** Rows per keyset page: large enough that a round trip is cheap per row, small enough to stay flat. */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * A host's bookings with check-in in [from, to), one keyset page at a time. Nothing but the
 * current page is held, and the next page is read only when the consumer asks for it, so
 * a slow client slows the reads (back-pressure) instead of filling memory. Stops before
 * the next read once `signal` aborts (the client went away).
 */
export async function* hostBookingPages(
  db: Db,
  query: { hostId: string; from: string; to: string },
  options: { pageSize?: number; signal?: AbortSignal } = {},
): AsyncGenerator<BookingExportRow[]> {
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  let after: { checkIn: string; id: string } | undefined;
  for (;;) {
    if (options.signal?.aborted) return;
    const rows = await findHostBookingsExportPage(db, { ...query, limit: pageSize, after });
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { checkIn: last.checkIn, id: last.id };
  }
}

/** One exported booking: the Booking resource itself (NDJSON lines are exactly what GET /v1/bookings/{id} answers). */
export type ExportedBooking = Booking;

/** CSV columns, in order: the Booking fields with the price flattened (`nightly` … `total`). */
export const CSV_COLUMNS = [
  'id',
  'propertyId',
  'guestId',
  'checkIn',
  'checkOut',
  'guests',
  'nights',
  'currency',
  'nightly',
  'subtotal',
  'discount',
  'cleaningFee',
  'serviceFee',
  'total',
  'status',
  'holdExpiresAt',
  'respondBy',
  'bookingMode',
  'canceledAt',
  'canceledBy',
  'cancellationReason',
  'refundAmount',
  'createdAt',
  'updatedAt',
] as const;

const csvCells = (b: ExportedBooking): (string | number | null)[] => [
  b.id,
  b.propertyId,
  b.guestId,
  b.checkIn,
  b.checkOut,
  b.guests,
  b.nights,
  b.currency,
  b.price.nightly,
  b.price.subtotal,
  b.price.discount,
  b.price.cleaningFee,
  b.price.serviceFee,
  b.price.total,
  b.status,
  b.holdExpiresAt,
  b.respondBy,
  b.bookingMode,
  b.canceledAt,
  b.canceledBy,
  b.cancellationReason,
  b.refundAmount,
  b.createdAt,
  b.updatedAt,
];

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
// tab and CR are on OWASP's list too, as some programs strip them before deciding.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell, RFC 4180 quoted (doubled quotes inside, quoted when it holds a quote, a
 * comma or a line break). Text that a spreadsheet would take for a formula gets a leading
 * apostrophe, which spreadsheets show as text and never evaluate. Null is an empty cell.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (cells: readonly (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;

/**
 * Chunks stay well under V8's large-object threshold (128 KiB): larger strings live in a
 * space only full collections free, and a fast export then grew the server's RSS by
 * 100 MiB (measured with 1,000-row chunks of ~240 KB); at this size it grows by a few MiB.
 */
export const EXPORT_CHUNK_CHARS = 32 * 1024;

/** The text of the export in chunks of about EXPORT_CHUNK_CHARS (the CSV header first). */
export async function* exportChunks(
  pages: AsyncIterable<BookingExportRow[]>,
  format: ExportBookingsQuery['format'],
): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(CSV_COLUMNS);
  let chunk = '';
  for await (const page of pages) {
    for (const row of page) {
      const booking = toBookingDto(row);
      chunk += format === 'csv' ? csvLine(csvCells(booking)) : `${JSON.stringify(booking)}\n`;
      if (chunk.length >= EXPORT_CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk) yield chunk;
}

export const EXPORT_CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
} as const;

export interface BookingExport {
  contentType: string;
  filename: string;
  /** Lazy: nothing is read until the first chunk is asked for. */
  chunks: AsyncGenerator<string>;
}

export interface BookingExporter {
  /** Checks the caller at once (hosts only: 403 otherwise); the rows come as the chunks are read. */
  exportBookings(query: ExportBookingsQuery, ctx: RequestContext, signal?: AbortSignal): BookingExport;
}

export function createBookingExporter(deps: { db: Db; pageSize?: number }): BookingExporter {
  return {
    exportBookings(query, ctx, signal) {
      const actor = requireRole(ctx, 'host');
      const pages = hostBookingPages(
        deps.db,
        { hostId: actor.id, from: query.from, to: query.to },
        { pageSize: deps.pageSize, signal },
      );
      return {
        contentType: EXPORT_CONTENT_TYPES[query.format],
        filename: `bookings-${query.from}-to-${query.to}.${query.format}`,
        chunks: exportChunks(pages, query.format),
      };
    },
  };
}
