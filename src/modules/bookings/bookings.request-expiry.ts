import { systemContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import type { BookingsServiceDeps } from './bookings.deps.js';
import { publishBookingChange } from './bookings.changes.js';
import { enqueueBookingEmail } from './bookings.mail.js';
import { findBookingsByIds } from './bookings.repository.js';
import * as repo from './bookings.requests.repository.js';
import { toBookingDto } from './bookings.schemas.js';
import type { BookingRow } from './bookings.table.js';

type ExpiryDeps = Pick<BookingsServiceDeps, 'db' | 'clock' | 'properties' | 'audit' | 'publish' | 'publishLive'>;

/** A request whose host did not answer in time. */
export const isOverdueRequest = (row: BookingRow, now: Date) =>
  row.status === 'requested' && row.respondBy !== null && row.respondBy.getTime() <= now.getTime();

/**
 * What follows a request's expiry, inside its transaction: its nights are freed, the guest is
 * told, and `booking.released` voids its authorization (payments, after commit).
 */
export async function recordRequestsExpired(deps: ExpiryDeps, tx: Db, rows: BookingRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await deps.properties.freeDates(
    tx,
    rows.map((b) => b.id),
  );
  for (const row of rows) {
    await deps.audit.record(
      systemContext(),
      { action: 'booking.expired', entity: 'booking', entityId: row.id, detail: { previousStatus: 'requested' } },
      tx,
    );
    await enqueueBookingEmail(tx, 'request-expired', row.id, now);
    await deps.publish(tx, 'booking.released', { booking: toBookingDto(row), outcome: 'expired' });
    await publishBookingChange(deps, tx, row, 'booking.expired', { booking: toBookingDto(row), hostId: row.hostId });
  }
}

/**
 * Lazy expiry: any read or write that meets requests past their answer time expires them
 * first (the sweep job is housekeeping, not correctness). Returns the rows as they are now.
 */
export async function expireOverdueRequestsAmong(deps: ExpiryDeps, rows: BookingRow[]): Promise<BookingRow[]> {
  const now = deps.clock.now();
  const due = rows.filter((r) => isOverdueRequest(r, now)).map((r) => r.id);
  if (due.length === 0) return rows;
  const expired = await withTransaction(deps.db, async (tx) => {
    const done = await repo.expireOverdueRequestsByIds(tx, due, now);
    await recordRequestsExpired(deps, tx, done, now);
    return done;
  });
  // Rows answered in the meantime are read again; expired ones are taken as written.
  const byId = new Map(expired.map((r) => [r.id, r]));
  const left = due.filter((id) => !byId.has(id));
  for (const r of await findBookingsByIds(deps.db, left)) byId.set(r.id, r);
  return rows.map((r) => byId.get(r.id) ?? r);
}

/** One booking row, an overdue request expired first. */
export async function withRequestExpiry(deps: ExpiryDeps, row: BookingRow): Promise<BookingRow> {
  return (await expireOverdueRequestsAmong(deps, [row]))[0]!;
}
