import { sql, type SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { movableClock, register, type Session, useTestApp } from '#test/helpers.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import { withTransaction } from '../../../platform/db/transaction.js';
import type { Db } from '../../../platform/db/types.js';
import type { Booking, BookingsApi, CancellationEvent } from '../index.js';
import type { CompletionEvent } from '../bookings.events.js';

// The seams payments and reviews build on: confirmPaid inside the webhook's transaction,
// the `booking.canceled` handlers inside the cancel's, the `booking.completed` handlers
// inside the completion's.

const clock = movableClock();
const testApp = useTestApp({ clock });

let host: Session;
let guest: Session;
let other: Session;
let bookings: BookingsApi;
let db: Db;
const events: CancellationEvent[] = [];
const failFor = new Set<string>();
const completions: CompletionEvent[] = [];

beforeAll(async () => {
  const { app, container } = testApp();
  [host, guest, other] = await Promise.all([register(app, { role: 'host' }), register(app), register(app)]);
  bookings = container.services.bookings;
  db = container.database.db;
  container.events.listen('booking.canceled', async (tx, event) => {
    // Proves the listener runs inside the cancel's transaction: it sees the canceled row.
    const rows = await select<{ status: string }>(tx, sql`select status from bookings where id = ${event.booking.id}`);
    expect(rows[0]!.status).toBe('canceled');
    if (failFor.has(event.booking.id)) throw new Error('handler failed');
    events.push(event);
  });
  container.events.listen('booking.completed', async (tx, event) => {
    const rows = await select<{ status: string }>(tx, sql`select status from bookings where id = ${event.booking.id}`);
    expect(rows[0]!.status).toBe('completed');
    if (failFor.has(event.booking.id)) throw new Error('handler failed');
    completions.push(event);
  });
});

async function select<R = Record<string, unknown>>(on: Db, query: SQL): Promise<R[]> {
  const result: unknown = await on.execute(query);
  return (result as { rows: R[] }).rows;
}
const ctxOf = (s: Session) => ({ actor: { id: s.user.id, role: s.user.role as 'guest' | 'host' } });
const minutes = (n: number) => n * 60_000;
const create = async (propertyId: string, from: number, to: number, who: Session = guest): Promise<Booking> =>
  bookings.createBooking({ propertyId, checkIn: inDays(from), checkOut: inDays(to), guests: 1 }, ctxOf(who));
const confirmPaid = (id: string) => withTransaction(db, (tx) => bookings.confirmPaid(tx, id));
const propertyAs = (s: Session, id: string) =>
  testApp()
    .app.inject({ url: `/v1/properties/${id}`, headers: s.auth })
    .then((r) => r.json<{ address: { line1: string | null; postalCode: string | null; city: string } }>());

describe('confirmPaid', () => {
  it('pending → confirmed, reveals the location to its guest, audit row; a second payment → already_confirmed', async () => {
    const street = 'Rua da Rosa 57, 2º esq.';
    const p = await createProperty(testApp().app, host, {
      address: { line1: street, city: 'Lisbon', region: 'Lisboa', postalCode: '1200-385', country: 'PT' },
    });
    const b = await create(p.id, 10, 12);
    // Pending: the guest sees the redacted view (no street line) like anyone else.
    expect((await propertyAs(guest, p.id)).address).toMatchObject({ line1: null, city: 'Lisbon' });
    const first = await confirmPaid(b.id);
    expect(first.outcome).toBe('confirmed');
    expect(first.booking).toMatchObject({ id: b.id, status: 'confirmed', holdExpiresAt: null });
    const revealed = await select(
      db,
      sql`select reveals_location from property_calendar where ref_id = ${b.id} and released_at is null`,
    );
    expect(revealed).toEqual([{ reveals_location: true }]);
    const again = await confirmPaid(b.id);
    expect(again.outcome).toBe('already_confirmed');
    expect(again.booking.status).toBe('confirmed');
    // Confirmed: its guest sees the street line the host entered; another user still does not.
    expect((await propertyAs(guest, p.id)).address).toMatchObject({ line1: street, postalCode: '1200-385' });
    expect((await propertyAs(other, p.id)).address).toMatchObject({ line1: null, postalCode: null });
  });

  it('a pending booking whose hold passed but whose dates are still held is confirmed', async () => {
    const p = await createProperty(testApp().app, host);
    const b = await create(p.id, 10, 12);
    clock.offsetMs = minutes(30);
    expect((await confirmPaid(b.id)).outcome).toBe('confirmed');
  });

  it('expired with the dates free again → occupies them again and confirms', async () => {
    const p = await createProperty(testApp().app, host);
    const b = await create(p.id, 10, 12);
    clock.offsetMs = minutes(16);
    expect(await bookings.expireOverdueHolds()).toBeGreaterThanOrEqual(1);
    expect((await bookings.getBooking(b.id, ctxOf(guest))).status).toBe('expired');
    const result = await confirmPaid(b.id);
    expect(result.outcome).toBe('confirmed');
    expect(result.booking.status).toBe('confirmed');
    // The nights are held again.
    await expect(create(p.id, 11, 12, other)).rejects.toMatchObject({ code: 'dates_unavailable' });
  });

  it('expired with the dates taken by another booking or a block → unavailable, and the caller’s transaction goes on', async () => {
    const p = await createProperty(testApp().app, host);
    const byBooking = await create(p.id, 10, 12);
    const byBlock = await create(p.id, 20, 22);
    clock.offsetMs = minutes(16);
    await create(p.id, 11, 13, other); // expires the first hold itself
    await bookings.expireOverdueHolds();
    const block = await testApp().app.inject({
      method: 'POST',
      url: `/v1/properties/${p.id}/blocks`,
      headers: host.auth,
      payload: { start: inDays(21), end: inDays(22) },
    });
    expect(block.statusCode).toBe(201);
    for (const id of [byBooking.id, byBlock.id]) {
      const after = await withTransaction(db, async (tx) => {
        const result = await bookings.confirmPaid(tx, id);
        // The transaction is still usable after the refused re-occupation.
        await tx.execute(sql`select 1`);
        return result;
      });
      expect(after.outcome).toBe('unavailable');
      expect(after.booking.status).toBe('expired');
      expect((await bookings.getBooking(id, ctxOf(guest))).status).toBe('expired');
    }
  });

  it('canceled → unavailable; unknown id → not found', async () => {
    const p = await createProperty(testApp().app, host);
    const b = await create(p.id, 10, 12);
    await bookings.cancelBooking(b.id, {}, ctxOf(guest));
    expect((await confirmPaid(b.id)).outcome).toBe('unavailable');
    await expect(confirmPaid('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'booking_not_found',
    });
  });

  it('two payments confirming at once serialise: one confirmed, one already_confirmed', async () => {
    const p = await createProperty(testApp().app, host);
    const b = await create(p.id, 10, 12);
    const outcomes = (await Promise.all([confirmPaid(b.id), confirmPaid(b.id)])).map((r) => r.outcome).sort();
    expect(outcomes).toEqual(['already_confirmed', 'confirmed']);
  });
});

describe('booking.canceled', () => {
  it('handlers run in the cancel transaction with the booking, refund and canceler', async () => {
    const p = await createProperty(testApp().app, host, { cancellationPolicy: 'flexible' });
    const b = await create(p.id, 10, 12);
    await confirmPaid(b.id);
    const canceled = await bookings.cancelBooking(b.id, { reason: 'ill' }, ctxOf(guest));
    const event = events.find((e) => e.booking.id === b.id)!;
    expect(event).toMatchObject({ refundAmount: b.price.total - b.price.serviceFee, canceledBy: 'guest' });
    expect(event.booking).toEqual(canceled);
  });

  it('a throwing handler rolls the cancel back: status, dates and audit row unchanged', async () => {
    const p = await createProperty(testApp().app, host);
    const b = await create(p.id, 10, 12);
    await confirmPaid(b.id);
    failFor.add(b.id);
    await expect(bookings.cancelBooking(b.id, {}, ctxOf(host))).rejects.toThrow('handler failed');
    expect((await bookings.getBooking(b.id, ctxOf(guest))).status).toBe('confirmed');
    await expect(create(p.id, 10, 11, other)).rejects.toMatchObject({ code: 'dates_unavailable' });
    const audit = await select<{ n: number }>(
      db,
      sql`select count(*)::int as n from audit_log where entity_id = ${b.id} and action = 'booking.canceled'`,
    );
    expect(audit[0]!.n).toBe(0);
    failFor.delete(b.id);
    expect((await bookings.cancelBooking(b.id, {}, ctxOf(host))).status).toBe('canceled');
  });
});

describe('expireOverdueHolds', () => {
  it('expires pending bookings whose hold passed, frees their dates, counts them; leaves others alone', async () => {
    const p = await createProperty(testApp().app, host);
    const a = await create(p.id, 10, 12);
    const c = await create(p.id, 12, 14);
    await confirmPaid(c.id);
    clock.offsetMs = minutes(10);
    const d = await create(p.id, 14, 16);
    clock.offsetMs = minutes(16);
    await bookings.expireOverdueHolds(); // whatever other tests left overdue
    expect((await bookings.getBooking(a.id, ctxOf(guest))).status).toBe('expired');
    expect((await bookings.getBooking(c.id, ctxOf(guest))).status).toBe('confirmed');
    expect((await bookings.getBooking(d.id, ctxOf(guest))).status).toBe('pending');
    expect(await bookings.expireOverdueHolds()).toBe(0);
    clock.offsetMs = minutes(26);
    expect(await bookings.expireOverdueHolds(1)).toBe(1);
    expect((await bookings.getBooking(d.id, ctxOf(guest))).status).toBe('expired');
    clock.offsetMs = 0;
    expect((await create(p.id, 10, 12, other)).status).toBe('pending');
  });
});

describe('booking.completed', () => {
  it('handlers run once, in the completion transaction, with the booking and its check-out instant', async () => {
    const p = await createProperty(testApp().app, host, { timezone: 'Europe/Lisbon' });
    const b = await create(p.id, 10, 12);
    await confirmPaid(b.id);
    expect(await bookings.completeStay(b.id)).toBe(true);
    expect(await bookings.completeStay(b.id)).toBe(false);
    const mine = completions.filter((e) => e.booking.id === b.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.booking.status).toBe('completed');
    const stay = await bookings.findStay(db, b.id);
    expect(mine[0]!.checkOutAt).toEqual(stay!.checkOutAt);
    // 11:00 in Lisbon on the check-out date.
    expect(stay!.checkOutAt.toISOString()).toMatch(new RegExp(`^${b.checkOut}T1[01]:00:00.000Z$`));
  });

  it('a throwing handler rolls the completion back', async () => {
    const p = await createProperty(testApp().app, host);
    const b = await create(p.id, 10, 12);
    await confirmPaid(b.id);
    failFor.add(b.id);
    await expect(bookings.completeStay(b.id)).rejects.toThrow('handler failed');
    expect((await bookings.getBooking(b.id, ctxOf(guest))).status).toBe('confirmed');
    failFor.delete(b.id);
    expect(await bookings.completeStay(b.id)).toBe(true);
    expect((await bookings.getBooking(b.id, ctxOf(guest))).status).toBe('completed');
  });
});
