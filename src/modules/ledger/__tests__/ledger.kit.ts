import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { createProperty, inDays } from '#test/factories/properties.js';
import { register, rowsOf, type Session, type TestApp } from '#test/helpers.js';
import { bookStay, payBooking } from '#test/kit/scenario.js';
import type { Role } from '../../../platform/context.js';
import type { Booking } from '../../bookings/index.js';
import type { Payment } from '../../payments/index.js';
import type { LedgerApi } from '../ledger.service.js';

export const ctxOf = (s: Session) => ({ actor: { id: s.user.id, role: s.user.role as Role } });

export const ledgerOf = (t: TestApp): LedgerApi => (t.container.services as unknown as { ledger: LedgerApi }).ledger;

export interface EntryRow {
  source: string;
  kind: string;
  account: string;
  amount: number;
  available_at: Date | string | null;
}

/** The entries of every posting about a booking or payout, oldest first. */
export async function entriesWhere(t: TestApp, where: { bookingId?: string; payoutId?: string; hostId?: string }) {
  const rows = await rowsOf<EntryRow & { amount: string | number }>(
    t.container.database.db,
    sql`select p.source, p.kind, e.account, e.amount, e.available_at
          from ledger_entries e join ledger_postings p on p.id = e.posting_id
         where (${where.bookingId ?? null}::uuid is null or p.booking_id = ${where.bookingId ?? null}::uuid)
           and (${where.payoutId ?? null}::uuid is null or p.payout_id = ${where.payoutId ?? null}::uuid)
           and (${where.hostId ?? null}::uuid is null or p.host_id = ${where.hostId ?? null}::uuid)
         order by e.id`,
  );
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
}

/** Sum of each posting's entries, for postings that do not balance: none in a sound ledger. */
export async function unbalanced(t: TestApp): Promise<unknown[]> {
  return rowsOf(
    t.container.database.db,
    sql`select posting_id, currency, sum(amount) from ledger_entries group by posting_id, currency having sum(amount) <> 0`,
  );
}

export interface Stayed {
  booking: Booking;
  payment: Payment;
}

/** A host with a listed place (nightly 10,000, cleaning 2,500 EUR, moderate policy). */
export async function hostWithPlace(t: TestApp, overrides: Record<string, unknown> = {}) {
  const host = await register(t.app, { role: 'host' });
  const property = await createProperty(t.app, host, {
    nightlyPrice: 10_000,
    cleaningFee: 2_500,
    cancellationPolicy: 'moderate',
    ...overrides,
  });
  return { host, property };
}

/** A guest books `nights` nights from `inDays(day)` and pays them (sandbox). */
export async function bookAndPay(
  t: TestApp,
  propertyId: string,
  day: number,
  nights = 2,
): Promise<Stayed & { guest: Session }> {
  const guest = await register(t.app);
  const booking = await bookStay(t.app, guest, { propertyId, checkIn: inDays(day), checkOut: inDays(day + nights) });
  const payment = await payBooking(t.app, guest, booking.id);
  const res = await t.app.inject({ url: `/v1/bookings/${booking.id}`, headers: guest.auth });
  expect(res.json<Booking>().status).toBe('confirmed');
  return { guest, booking: res.json<Booking>(), payment };
}

export async function earnings(t: TestApp, host: Session) {
  const res = await t.app.inject({ url: '/v1/me/earnings', headers: host.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{
    data: { currency: string; pending: number; due: number; inTransit: number; paid: number; balance: number }[];
  }>().data;
}

export async function openAccount(t: TestApp, host: Session) {
  const res = await t.app.inject({ method: 'POST', url: '/v1/me/payout-account', headers: host.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ account: { ready: boolean; provider: string }; onboardingUrl: string }>();
}

export async function ledgerProblems(t: TestApp): Promise<unknown[]> {
  const check = await ledgerOf(t).checkLedger({ actor: { id: '00000000-0000-0000-0000-000000000000', role: 'admin' } });
  return check.problems;
}

/** Host earnings of a stay: (subtotal − discount + cleaning) less 3 %. */
export function hostEarnings(b: Booking, percent = 3): number {
  const gross = b.price.subtotal - b.price.discount + b.price.cleaningFee;
  return gross - Math.floor((2 * gross * percent + 100) / 200);
}
