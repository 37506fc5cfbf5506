import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { bookings, type BookingRow, type NewBookingRow } from './bookings.table.js';

/** A booking row with every column chosen by the caller (seeding). */
export type BookingBulkRow = Required<
  Pick<
    NewBookingRow,
    | 'id'
    | 'propertyId'
    | 'guestId'
    | 'hostId'
    | 'checkIn'
    | 'checkOut'
    | 'guests'
    | 'nights'
    | 'currency'
    | 'cancellationPolicy'
    | 'timezone'
    | 'nightlyPrice'
    | 'subtotal'
    | 'discount'
    | 'cleaningFee'
    | 'serviceFee'
    | 'total'
    | 'status'
  >
> & {
  holdExpiresAt: Date | null;
  confirmedAt: Date | null;
  canceledAt: Date | null;
  canceledBy: BookingRow['canceledBy'];
  cancellationReason: string | null;
  refundAmount: number | null;
  createdAt: Date;
  updatedAt: Date;
};

const BULK_COLUMNS = [
  ['id', 'uuid'],
  ['property_id', 'uuid'],
  ['guest_id', 'uuid'],
  ['host_id', 'uuid'],
  ['check_in', 'date'],
  ['check_out', 'date'],
  ['guests', 'int4'],
  ['nights', 'int4'],
  ['currency', 'text'],
  ['cancellation_policy', 'text'],
  ['timezone', 'text'],
  ['nightly_price', 'int8'],
  ['subtotal', 'int8'],
  ['discount', 'int8'],
  ['cleaning_fee', 'int8'],
  ['service_fee', 'int8'],
  ['total', 'int8'],
  ['status', 'text'],
  ['hold_expires_at', 'timestamptz'],
  ['confirmed_at', 'timestamptz'],
  ['canceled_at', 'timestamptz'],
  ['canceled_by', 'text'],
  ['cancellation_reason', 'text'],
  ['refund_amount', 'int8'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
] as const;

const bulkValue = (r: BookingBulkRow): unknown[] => [
  r.id,
  r.propertyId,
  r.guestId,
  r.hostId,
  r.checkIn,
  r.checkOut,
  r.guests,
  r.nights,
  r.currency,
  r.cancellationPolicy,
  r.timezone,
  r.nightlyPrice,
  r.subtotal,
  r.discount,
  r.cleaningFee,
  r.serviceFee,
  r.total,
  r.status,
  r.holdExpiresAt?.toISOString() ?? null,
  r.confirmedAt?.toISOString() ?? null,
  r.canceledAt?.toISOString() ?? null,
  r.canceledBy,
  r.cancellationReason,
  r.refundAmount,
  r.createdAt.toISOString(),
  r.updatedAt.toISOString(),
];

/**
 * Writes a batch in one statement of one array parameter per column (`unnest`): the SQL
 * text and its plan are the same for every batch whatever its size, and no batch meets
 * the 65,535-parameter limit a multi-row VALUES list has.
 */
export async function insertBookingsBulk(db: Db, rows: readonly BookingBulkRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns: unknown[][] = BULK_COLUMNS.map(() => new Array<unknown>(rows.length));
  rows.forEach((row, i) => bulkValue(row).forEach((v, c) => (columns[c]![i] = v)));
  const names = sql.raw(BULK_COLUMNS.map(([name]) => `"${name}"`).join(', '));
  const arrays = sql.join(
    BULK_COLUMNS.map(([, type], c) => sql`${sql.param(columns[c])}::${sql.raw(type)}[]`),
    sql`, `,
  );
  await db.execute(sql`insert into ${bookings} (${names}) select * from unnest(${arrays})`);
}

/** Fresh planner statistics after a bulk load. */
export async function analyzeBookings(db: Db): Promise<void> {
  await db.execute(sql`analyze ${bookings}`);
}
