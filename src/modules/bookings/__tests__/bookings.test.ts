import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { movableClock, register, registerAdmin, type Session, useTestApp } from '#test/helpers.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import { withTransaction } from '../../../platform/db/transaction.js';
import type { Booking } from '../index.js';

// Bookings over REST, on a clock the tests move: holds expiring, stays beginning.

const clock = movableClock();
const testApp = useTestApp({ clock });

let host: Session;
let guest: Session;
let stranger: Session;
let admin: Session;

beforeAll(async () => {
  const { app } = testApp();
  host = await register(app, { role: 'host' });
  admin = await registerAdmin(testApp());
});
// Guests of their own in each test: a guest holds at most 3 unpaid bookings (holds.test.ts).
beforeEach(async () => {
  const { app } = testApp();
  [guest, stranger] = await Promise.all([register(app), register(app)]);
});

const stay = (propertyId: string, from: number, to: number, guests = 1) => ({
  propertyId,
  checkIn: inDays(from),
  checkOut: inDays(to),
  guests,
});
const post = (url: string, session: Session | undefined, payload: unknown) =>
  testApp().app.inject({ method: 'POST', url, headers: session?.auth ?? {}, payload: payload as object });
const book = (session: Session | undefined, payload: unknown) => post('/v1/bookings', session, payload);
const quote = (session: Session | undefined, payload: unknown) => post('/v1/bookings/quote', session, payload);
const cancel = (session: Session, id: string, payload: unknown = {}) =>
  post(`/v1/bookings/${id}/cancel`, session, payload);
const get = (session: Session | undefined, url: string) => testApp().app.inject({ url, headers: session?.auth ?? {} });
const code = (res: LightMyRequestResponse) => res.json<{ code: string }>().code;
const created = async (session: Session, payload: unknown): Promise<Booking> => {
  const res = await book(session, payload);
  if (res.statusCode !== 201) throw new Error(`booking failed: ${res.statusCode} ${res.body}`);
  return res.json<Booking>();
};
const blockDates = (propertyId: string, start: string, end: string) =>
  post(`/v1/properties/${propertyId}/blocks`, host, { start, end });
const confirm = (id: string) =>
  withTransaction(testApp().container.database.db, (tx) => testApp().container.services.bookings.confirmPaid(tx, id));
const minutes = (n: number) => n * 60_000;

describe('POST /v1/bookings', () => {
  it('201 pending with Location, the price copied, a hold of BOOKING_HOLD_MINUTES', async () => {
    const p = await createProperty(testApp().app, host, {
      nightlyPrice: 10_000,
      cleaningFee: 2_500,
      weeklyDiscountPercent: 10,
    });
    const before = Date.now();
    const res = await book(guest, stay(p.id, 10, 17, 2));
    expect(res.statusCode).toBe(201);
    const b = res.json<Booking>();
    expect(res.headers.location).toBe(`/v1/bookings/${b.id}`);
    expect(b).toMatchObject({
      propertyId: p.id,
      guestId: guest.user.id,
      checkIn: inDays(10),
      checkOut: inDays(17),
      guests: 2,
      nights: 7,
      currency: 'EUR',
      status: 'pending',
      canceledAt: null,
      canceledBy: null,
      cancellationReason: null,
      refundAmount: null,
      // 70_000 − 7_000 + 2_500 = 65_500; 12 % = 7_860.
      price: {
        nightly: 10_000,
        subtotal: 70_000,
        discount: 7_000,
        cleaningFee: 2_500,
        serviceFee: 7_860,
        total: 73_360,
        nights: null,
      },
    });
    const hold = Date.parse(b.holdExpiresAt!) - minutes(15);
    expect(hold).toBeGreaterThanOrEqual(before - 1000);
    expect(hold).toBeLessThanOrEqual(Date.now() + 1000);
    // The place shows the nights as booked.
    const availability = await get(undefined, `/v1/properties/${p.id}/availability?from=${inDays(9)}&to=${inDays(20)}`);
    expect(availability.json()).toEqual({ unavailable: [{ start: inDays(10), end: inDays(17), reason: 'booked' }] });
  });

  it('401 without a token', async () => {
    const p = await createProperty(testApp().app, host);
    expect((await book(undefined, stay(p.id, 10, 12))).statusCode).toBe(401);
  });

  it('422 for each rule, with the field', async () => {
    const p = await createProperty(testApp().app, host, { maxGuests: 3 });
    const cases: [unknown, string, string][] = [
      [stay(p.id, 10, 10), 'validation_failed', 'checkOut'],
      [stay(p.id, 12, 10), 'validation_failed', 'checkOut'],
      [stay(p.id, 10, 101), 'validation_failed', 'checkOut'],
      [{ ...stay(p.id, 10, 12), guests: 0 }, 'validation_failed', 'guests'],
      [{ ...stay(p.id, 10, 12), guests: 1.5 }, 'validation_failed', 'guests'],
      [{ ...stay(p.id, 10, 12), checkIn: '2027-02-30' }, 'validation_failed', 'checkIn'],
      [{ ...stay(p.id, 10, 12), extra: 1 }, 'validation_failed', 'extra'],
      [{ ...stay(p.id, 10, 12), propertyId: 'nope' }, 'validation_failed', 'propertyId'],
      [stay(p.id, 10, 12, 4), 'too_many_guests', 'guests'],
      [stay(p.id, -2, 3), 'check_in_in_past', 'checkIn'],
      [stay(p.id, 367, 368), 'check_in_too_far', 'checkIn'],
    ];
    for (const [payload, expected, path] of cases) {
      const res = await book(guest, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(code(res)).toBe(expected);
      expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(path);
    }
    // 90 nights and 3 guests are fine.
    expect((await book(guest, stay(p.id, 100, 190, 3))).statusCode).toBe(201);
  });

  it('"today" and "365 days ahead" are the property’s dates', async () => {
    // Kiritimati (UTC+14) is always a day or two ahead of Pago Pago (UTC−11). At 21:00 UTC
    // it is 10:00 in Pago Pago and 11:00 in Kiritimati: today's check-in time is ahead in both.
    let at = DateTime.utc().set({ hour: 21, minute: 0, second: 0, millisecond: 0 });
    if (at.toMillis() < Date.now()) at = at.plus({ days: 1 });
    clock.offsetMs = at.toMillis() - Date.now();
    const todayIn = (zone: string, days = 0) => at.setZone(zone).plus({ days }).toISODate()!;
    const ahead = await createProperty(testApp().app, host, { timezone: 'Pacific/Kiritimati' });
    const behind = await createProperty(testApp().app, host, { timezone: 'Pacific/Pago_Pago' });
    const pagoToday = todayIn('Pacific/Pago_Pago');
    const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const res = await book(guest, {
      propertyId: ahead.id,
      checkIn: pagoToday,
      checkOut: dayAfter(pagoToday),
      guests: 1,
    });
    expect(res.statusCode).toBe(422);
    expect(code(res)).toBe('check_in_in_past');
    const ok = await book(guest, {
      propertyId: behind.id,
      checkIn: pagoToday,
      checkOut: dayAfter(pagoToday),
      guests: 1,
    });
    expect(ok.statusCode).toBe(201);
    const kiriToday = todayIn('Pacific/Kiritimati');
    expect(
      (await book(guest, { propertyId: ahead.id, checkIn: kiriToday, checkOut: dayAfter(kiriToday), guests: 1 }))
        .statusCode,
    ).toBe(201);
    const last = todayIn('Pacific/Kiritimati', 365);
    expect(
      (await book(guest, { propertyId: ahead.id, checkIn: last, checkOut: dayAfter(last), guests: 1 })).statusCode,
    ).toBe(201);
  });

  it('422 check_in_passed for today once today’s 15:00 check-in time has passed in the property’s zone', async () => {
    // Kolkata is UTC+05:30: its 15:00 is 09:30 UTC, a time no UTC-based shortcut would give.
    const zone = 'Asia/Kolkata';
    let checkInTime = DateTime.now().setZone(zone).set({ hour: 15, minute: 0, second: 0, millisecond: 0 });
    if (checkInTime.toMillis() < Date.now() + minutes(2)) checkInTime = checkInTime.plus({ days: 1 });
    const today = checkInTime.toISODate()!;
    const tomorrow = checkInTime.plus({ days: 1 }).toISODate()!;
    const [before, after] = [
      await createProperty(testApp().app, host, { timezone: zone }),
      await createProperty(testApp().app, host, { timezone: zone }),
    ];
    const body = (propertyId: string, checkIn = today, checkOut = tomorrow) => ({
      propertyId,
      checkIn,
      checkOut,
      guests: 1,
    });

    clock.offsetMs = checkInTime.minus({ minutes: 1 }).toMillis() - Date.now(); // 14:59 local
    expect((await quote(guest, body(before.id))).json()).toMatchObject({ available: true });
    expect((await book(guest, body(before.id))).statusCode).toBe(201);

    clock.offsetMs = checkInTime.toMillis() - Date.now(); // 15:00 local
    for (const res of [await quote(guest, body(after.id)), await book(guest, body(after.id))]) {
      expect([res.statusCode, code(res)]).toEqual([422, 'check_in_passed']);
      expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(['checkIn']);
    }
    // Tomorrow's check-in is still open.
    const next = checkInTime.plus({ days: 2 }).toISODate()!;
    expect((await book(stranger, body(after.id, tomorrow, next))).statusCode).toBe(201);
  });

  it('422 own place and unlisted place (its host); 404 for a draft of someone else, a deleted or unknown place', async () => {
    const p = await createProperty(testApp().app, host);
    const own = await book(host, stay(p.id, 10, 12));
    expect(own.statusCode).toBe(422);
    expect(code(own)).toBe('own_property');
    const draft = await createProperty(testApp().app, host, { status: 'draft' });
    const hostDraft = await book(host, stay(draft.id, 10, 12));
    expect([hostDraft.statusCode, code(hostDraft)]).toEqual([422, 'property_not_listed']);
    const guestDraft = await book(guest, stay(draft.id, 10, 12));
    expect([guestDraft.statusCode, code(guestDraft)]).toEqual([404, 'property_not_found']);
    expect((await book(guest, stay(randomUUID(), 10, 12))).statusCode).toBe(404);
    const gone = await createProperty(testApp().app, host);
    await testApp().app.inject({ method: 'DELETE', url: `/v1/properties/${gone.id}`, headers: host.auth });
    expect((await book(guest, stay(gone.id, 10, 12))).statusCode).toBe(404);
  });

  it('409 dates_unavailable when a night is taken by a booking or a block; touching stays are fine', async () => {
    const p = await createProperty(testApp().app, host);
    await created(guest, stay(p.id, 10, 15));
    for (const [from, to] of [
      [10, 15],
      [14, 16],
      [8, 11],
      [11, 12],
      [5, 30],
    ]) {
      const res = await book(stranger, stay(p.id, from!, to!));
      expect([res.statusCode, code(res)]).toEqual([409, 'dates_unavailable']);
    }
    expect((await book(stranger, stay(p.id, 15, 17))).statusCode).toBe(201);
    expect((await book(stranger, stay(p.id, 8, 10))).statusCode).toBe(201);
    expect((await blockDates(p.id, inDays(20), inDays(25))).statusCode).toBe(201);
    const blocked = await book(guest, stay(p.id, 24, 26));
    expect([blocked.statusCode, code(blocked)]).toEqual([409, 'dates_unavailable']);
  });

  // 300 requests at once: the time limit allows for a loaded machine.
  it('of 100 parallel requests for the same nights exactly one is 201, the rest 409, none 5xx (three places at once)', async () => {
    // Conflicting inserts under an exclusion constraint can deadlock each other unless the
    // place's calendar is locked first: on PostgreSQL, without that lock, some of these are 500s.
    const places = await Promise.all([1, 2, 3].map(() => createProperty(testApp().app, host)));
    // Two guests of its own per place, so that no one reaches the hold limit.
    const sessions = await Promise.all(
      places.map(() => Promise.all([register(testApp().app), register(testApp().app)])),
    );
    const rounds = await Promise.all(
      places.map((p, k) =>
        Promise.all(
          Array.from({ length: 100 }, (_, i) => book(sessions[k]![i % 2], stay(p.id, 40 + (i % 3), 44 + (i % 4)))),
        ),
      ),
    );
    for (const results of rounds) {
      const statuses = results.map((r) => r.statusCode);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(99);
      expect(results.filter((r) => r.statusCode === 409).every((r) => code(r) === 'dates_unavailable')).toBe(true);
    }
  }, 120_000);

  it('a block racing a booking for the same nights: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const p = await createProperty(testApp().app, host);
      const [booking, block] = await Promise.all([
        book(guest, stay(p.id, 50, 53)),
        blockDates(p.id, inDays(51), inDays(54)),
      ]);
      expect([booking.statusCode, block.statusCode].sort()).toEqual([201, 409]);
    }
  });

  it('an unpaid hold past its time is free: quote says available, a new booking takes the nights and expires it', async () => {
    const p = await createProperty(testApp().app, host);
    const first = await created(guest, stay(p.id, 60, 63));
    expect((await quote(stranger, stay(p.id, 61, 62))).json()).toMatchObject({ available: false });
    clock.offsetMs = minutes(14);
    expect((await book(stranger, stay(p.id, 61, 62))).statusCode).toBe(409);
    clock.offsetMs = minutes(15) + 1000;
    expect((await quote(stranger, stay(p.id, 61, 62))).json()).toMatchObject({ available: true });
    const second = await book(stranger, stay(p.id, 61, 62));
    expect(second.statusCode).toBe(201);
    expect((await get(guest, `/v1/bookings/${first.id}`)).json()).toMatchObject({ status: 'expired' });
    // Its other nights are free again too.
    expect((await book(guest, stay(p.id, 60, 61))).statusCode).toBe(201);
  });
});

describe('POST /v1/bookings/quote', () => {
  it('anyone gets the price and availability; the same rules apply', async () => {
    const p = await createProperty(testApp().app, host, { nightlyPrice: 333, weeklyDiscountPercent: 15 });
    const res = await quote(undefined, stay(p.id, 10, 17, 2));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      propertyId: p.id,
      checkIn: inDays(10),
      checkOut: inDays(17),
      guests: 2,
      nights: 7,
      currency: 'EUR',
      price: {
        nightly: 333,
        subtotal: 2_331,
        discount: 350,
        cleaningFee: 0,
        serviceFee: 238,
        total: 2_219,
        // No weekend price: every night at the nightly price.
        nights: Array.from({ length: 7 }, (_, i) => ({ date: inDays(10 + i), price: 333 })),
      },
      available: true,
    });
    await blockDates(p.id, inDays(16), inDays(18));
    expect((await quote(undefined, stay(p.id, 10, 17))).json()).toMatchObject({ available: false });
    expect((await quote(undefined, stay(p.id, 10, 12, 3))).statusCode).toBe(422);
    expect(code(await quote(host, stay(p.id, 10, 12)))).toBe('own_property');
    expect((await quote(undefined, stay(randomUUID(), 10, 12))).statusCode).toBe(404);
    expect((await quote(undefined, { ...stay(p.id, 10, 12), foo: 1 })).statusCode).toBe(422);
  });
});

describe('GET /v1/bookings/{id}', () => {
  it('its guest, the host and admins; 404 for anyone else, unknown or malformed ids', async () => {
    const p = await createProperty(testApp().app, host);
    const b = await created(guest, stay(p.id, 10, 12));
    for (const s of [guest, host, admin]) {
      const res = await get(s, `/v1/bookings/${b.id}`);
      expect(res.statusCode).toBe(200);
      // The detail adds the guest's rating, for the place's host only.
      const { guestRating, ...booking } = res.json<{ guestRating: unknown }>();
      expect(booking).toEqual(b);
      expect(guestRating).toEqual(s === host ? { average: null, count: 0 } : null);
    }
    expect((await get(stranger, `/v1/bookings/${b.id}`)).statusCode).toBe(404);
    expect(code(await get(stranger, `/v1/bookings/${b.id}`))).toBe('booking_not_found');
    expect((await get(guest, `/v1/bookings/${randomUUID()}`)).statusCode).toBe(404);
    expect((await get(guest, '/v1/bookings/not-a-uuid')).statusCode).toBe(404);
    expect((await get(undefined, `/v1/bookings/${b.id}`)).statusCode).toBe(401);
  });
});

describe('GET /v1/bookings', () => {
  it('as guest (default) or host, filtered by status, walked with the cursor newest first', async () => {
    const traveller = await register(testApp().app);
    const otherHost = await register(testApp().app, { role: 'host' });
    const p = await createProperty(testApp().app, otherHost);
    const made: Booking[] = [];
    // Canceled as it goes: a guest holds at most 3 unpaid bookings at once.
    for (let i = 0; i < 5; i++) {
      made.push(await created(traveller, stay(p.id, 10 + 2 * i, 11 + 2 * i)));
      if (i === 2 || i === 3) await cancel(traveller, made[i === 2 ? 1 : 3]!.id);
    }

    const walk = async (session: Session, query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page++) {
        const res = await get(session, `/v1/bookings?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode).toBe(200);
        const body = res.json<{ data: Booking[]; page: { nextCursor: string | null; hasMore: boolean } }>();
        expect(body.data.length).toBeLessThanOrEqual(2);
        seen.push(...body.data.map((b) => b.id));
        expect(body.page.hasMore).toBe(body.page.nextCursor !== null);
        cursor = body.page.nextCursor;
        if (!cursor) break;
      }
      return seen;
    };
    const newestFirst = [...made].reverse().map((b) => b.id);
    expect(await walk(traveller, '')).toEqual(newestFirst);
    expect(await walk(traveller, '&as=guest&status=canceled')).toEqual([made[3]!.id, made[1]!.id]);
    expect(await walk(traveller, '&status=pending')).toEqual([made[4]!.id, made[2]!.id, made[0]!.id]);
    expect(await walk(otherHost, '&as=host')).toEqual(newestFirst);
    expect(await walk(otherHost, '')).toEqual([]);
    expect(await walk(traveller, '&as=host')).toEqual([]);
  });

  it('422 for a bad limit, cursor, status or role; 401 without a token', async () => {
    for (const q of ['limit=0', 'limit=101', 'cursor=abc', 'status=lost', 'as=admin']) {
      expect((await get(guest, `/v1/bookings?${q}`)).statusCode, q).toBe(422);
    }
    expect((await get(undefined, '/v1/bookings')).statusCode).toBe(401);
  });
});

describe('POST /v1/bookings/{id}/cancel', () => {
  it('guest cancels a pending booking: refund 0, dates freed, audit row', async () => {
    const p = await createProperty(testApp().app, host);
    const b = await created(guest, stay(p.id, 10, 12));
    const res = await cancel(guest, b.id, { reason: '  Plans changed  ' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'canceled',
      canceledBy: 'guest',
      cancellationReason: 'Plans changed',
      refundAmount: 0,
      holdExpiresAt: null,
    });
    expect(res.json<Booking>().canceledAt).not.toBeNull();
    expect((await book(stranger, stay(p.id, 10, 12))).statusCode).toBe(201);
    const audit = await get(admin, `/v1/admin/audit?action=booking.canceled`);
    expect(audit.json<{ data: { entityId: string }[] }>().data.map((a) => a.entityId)).toContain(b.id);
  });

  it('refunds a confirmed booking by policy and canceler', async () => {
    const cases = [
      // policy, days ahead, who, expected share of the base (total − service fee) or of the total
      ['moderate', 10, guest, 'base'],
      ['strict', 10, guest, 'half'],
      ['strict', 3, guest, 'none'],
      ['flexible', 3, guest, 'base'],
      ['strict', 3, host, 'total'],
      ['strict', 3, admin, 'total'],
    ] as const;
    for (const [policy, days, who, share] of cases) {
      const p = await createProperty(testApp().app, host, { cancellationPolicy: policy, nightlyPrice: 10_001 });
      const b = await created(guest, stay(p.id, days, days + 1));
      expect((await confirm(b.id)).outcome).toBe('confirmed');
      const res = await cancel(who, b.id);
      expect(res.statusCode).toBe(200);
      const base = b.price.total - b.price.serviceFee;
      const expected = { base, half: Math.ceil(base / 2), none: 0, total: b.price.total }[share];
      expect(res.json(), `${policy} ${days} ${share}`).toMatchObject({
        refundAmount: expected,
        canceledBy: who === guest ? 'guest' : who === host ? 'host' : 'admin',
      });
    }
  });

  it('refunds by the terms the booking was made under, whatever the host changes later', async () => {
    const p = await createProperty(testApp().app, host, { cancellationPolicy: 'moderate', timezone: 'UTC' });
    const b = await created(guest, stay(p.id, 10, 11));
    await confirm(b.id);
    const patch = await testApp().app.inject({
      method: 'PATCH',
      url: `/v1/properties/${p.id}`,
      headers: host.auth,
      payload: { cancellationPolicy: 'strict', timezone: 'Pacific/Kiritimati' },
    });
    expect(patch.statusCode).toBe(200);
    // Moderate, ten days ahead: everything but the service fee (strict would give half).
    expect((await cancel(guest, b.id)).json()).toMatchObject({ refundAmount: b.price.total - b.price.serviceFee });
  });

  it('409 booking_not_cancelable once canceled or expired; 409 stay_started from 15:00 local on check-in', async () => {
    const p = await createProperty(testApp().app, host, { timezone: 'UTC' });
    const b = await created(guest, stay(p.id, 10, 12));
    expect((await cancel(guest, b.id)).statusCode).toBe(200);
    const again = await cancel(host, b.id);
    expect([again.statusCode, code(again)]).toEqual([409, 'booking_not_cancelable']);

    const held = await created(guest, stay(p.id, 20, 22));
    clock.offsetMs = minutes(16);
    await testApp().container.services.bookings.expireOverdueHolds();
    const expired = await cancel(guest, held.id);
    expect([expired.statusCode, code(expired)]).toEqual([409, 'booking_not_cancelable']);

    clock.offsetMs = 0;
    const [early, late] = [await created(guest, stay(p.id, 1, 2)), await created(guest, stay(p.id, 2, 3))];
    await confirm(early.id);
    await confirm(late.id);
    // Check-in time of `early`: 15:00 UTC tomorrow; a second before it the host may still cancel.
    const checkInTime = Date.parse(`${inDays(1)}T15:00:00.000Z`);
    clock.offsetMs = checkInTime - Date.now() - 1000;
    const justBefore = await cancel(host, early.id);
    expect(justBefore.statusCode).toBe(200);
    expect(justBefore.json()).toMatchObject({ refundAmount: early.price.total });
    clock.offsetMs = checkInTime - Date.now() + minutes(24 * 60);
    const started = await cancel(guest, late.id);
    expect([started.statusCode, code(started)]).toEqual([409, 'stay_started']);
    clock.offsetMs = checkInTime - Date.now() + minutes(24 * 60) - 2000;
    expect((await cancel(guest, late.id)).json()).toMatchObject({ status: 'canceled', refundAmount: 0 });
  });

  it('two parallel cancels: one 200, one 409', async () => {
    for (let round = 0; round < 3; round++) {
      const p = await createProperty(testApp().app, host);
      const b = await created(guest, stay(p.id, 10, 12));
      await confirm(b.id);
      const results = await Promise.all([cancel(guest, b.id), cancel(host, b.id)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      expect(code(results.find((r) => r.statusCode === 409)!)).toBe('booking_not_cancelable');
    }
  });

  it('404 for anyone but its guest, the host and admins; 422 for unknown fields', async () => {
    const p = await createProperty(testApp().app, host);
    const b = await created(guest, stay(p.id, 10, 12));
    expect((await cancel(stranger, b.id)).statusCode).toBe(404);
    expect((await cancel(guest, randomUUID())).statusCode).toBe(404);
    expect((await cancel(guest, b.id, { foo: 1 })).statusCode).toBe(422);
    expect((await cancel(guest, b.id, { reason: 'x'.repeat(1001) })).statusCode).toBe(422);
    const bare = await testApp().app.inject({
      method: 'POST',
      url: `/v1/bookings/${b.id}/cancel`,
      headers: guest.auth,
    });
    expect(bare.statusCode, bare.body).toBe(200);
  });
});
