import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, type Session, useTestApp } from '#test/helpers.js';
import { withTransaction } from '../../../platform/db/transaction.js';
import type { Db } from '../../../platform/db/types.js';
import { isAppError } from '../../../platform/errors.js';
import type { PropertiesApi } from '../index.js';
import { address, createProperty, ids, inDays, inDaysIn, search, uniqueCity } from '#test/factories/properties.js';

// The calendar as other modules use it: bookings occupy and release dates through the
// properties service, inside their own transaction, under the constraint blocks share.

const testApp = useTestApp();
let host: Session;
let db: Db;
let properties: PropertiesApi;

beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
  db = testApp().container.database.db;
  properties = testApp().container.services.properties;
});

/** Reserves the nights for a booking (`refId`) and returns its id. */
const book = async (propertyId: string, start: string, end: string, tx: Db = db, refId: string = randomUUID()) =>
  (
    await properties.reserveDates(tx, {
      propertyId,
      start,
      end,
      occupantId: host.user.id,
      claim: async () => ({ refId }),
    })
  ).refId;
const block = (propertyId: string, start: string, end: string) =>
  testApp().app.inject({
    method: 'POST',
    url: `/v1/properties/${propertyId}/blocks`,
    headers: host.auth,
    payload: { start, end },
  });
const availability = async (propertyId: string, from: string, to: string) =>
  (await testApp().app.inject({ url: `/v1/properties/${propertyId}/availability?from=${from}&to=${to}` })).json<{
    unavailable: { start: string; end: string; reason: string }[];
  }>().unavailable;
const deleteProperty = (propertyId: string) =>
  testApp().app.inject({ method: 'DELETE', url: `/v1/properties/${propertyId}`, headers: host.auth });
const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    return isAppError(e) ? e.code : String(e);
  }
};

describe('reserveDates and blocks share one calendar', () => {
  it('a booking range refuses an overlapping block and the other way round; touching ranges are fine', async () => {
    const p = await createProperty(testApp().app, host);
    await book(p.id, inDays(10), inDays(15));
    const overlapping = await block(p.id, inDays(14), inDays(16));
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json().code).toBe('dates_unavailable');
    expect((await block(p.id, inDays(15), inDays(18))).statusCode).toBe(201);
    expect(await codeOf(book(p.id, inDays(17), inDays(20)))).toBe('dates_unavailable');
    expect(await codeOf(book(p.id, inDays(12), inDays(13)))).toBe('dates_unavailable');
    expect(await codeOf(book(p.id, inDays(18), inDays(20)))).toBe('ok');
  });

  it('of 10 concurrent reserveDates and block requests for the same nights exactly one wins', async () => {
    const p = await createProperty(testApp().app, host);
    const attempts = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0
        ? codeOf(book(p.id, inDays(40 + (i % 3)), inDays(45 + (i % 3))))
        : block(p.id, inDays(40 + (i % 3)), inDays(45 + (i % 3))).then((r) =>
            r.statusCode === 201 ? 'ok' : r.json<{ code: string }>().code,
          ),
    );
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'dates_unavailable')).toHaveLength(9);
    expect(await availability(p.id, inDays(30), inDays(60))).toHaveLength(1);
  });

  it('joins the caller’s transaction: when it rolls back, the dates stay free', async () => {
    const p = await createProperty(testApp().app, host);
    const failed = withTransaction(db, async (tx) => {
      await book(p.id, inDays(20), inDays(22), tx);
      throw new Error('the rest of the booking failed');
    });
    await expect(failed).rejects.toThrow('the rest of the booking failed');
    expect(await availability(p.id, inDays(1), inDays(60))).toEqual([]);
    expect((await block(p.id, inDays(20), inDays(22))).statusCode).toBe(201);
  });

  it('is not found for an unknown or deleted property', async () => {
    expect(await codeOf(book(randomUUID(), inDays(5), inDays(6)))).toBe('property_not_found');
    const p = await createProperty(testApp().app, host);
    expect((await deleteProperty(p.id)).statusCode).toBe(204);
    expect(await codeOf(book(p.id, inDays(5), inDays(6)))).toBe('property_not_found');
  });
});

describe('freeDates', () => {
  it('frees the dates of the bookings named, and only theirs; a repeat frees nothing', async () => {
    const p = await createProperty(testApp().app, host);
    const bookingId = await book(p.id, inDays(10), inDays(12));
    const later = await book(p.id, inDays(20), inDays(25));

    expect(await properties.freeDates(db, [bookingId])).toBe(1);
    expect(await properties.freeDates(db, [bookingId])).toBe(0);
    expect(await availability(p.id, inDays(1), inDays(30))).toEqual([
      { start: inDays(20), end: inDays(25), reason: 'booked' },
    ]);
    expect((await block(p.id, inDays(10), inDays(12))).statusCode).toBe(201);

    expect(await properties.freeDates(db, [later, randomUUID()])).toBe(1);
    expect(await properties.freeDates(db, [later])).toBe(0);
    expect(await codeOf(book(p.id, inDays(21), inDays(23)))).toBe('ok');
  });

  it('never frees a host block, even named by its id', async () => {
    const p = await createProperty(testApp().app, host);
    const created = (await block(p.id, inDays(10), inDays(12))).json<{ id: string }>();
    expect(await properties.freeDates(db, [created.id])).toBe(0);
    expect(await availability(p.id, inDays(1), inDays(30))).toEqual([
      { start: inDays(10), end: inDays(12), reason: 'blocked' },
    ]);
  });
});

describe('readers of the calendar', () => {
  it('availability tells booked from blocked', async () => {
    const p = await createProperty(testApp().app, host);
    await book(p.id, inDays(10), inDays(12));
    await book(p.id, inDays(12), inDays(14));
    expect((await block(p.id, inDays(14), inDays(16))).statusCode).toBe(201);
    expect(await availability(p.id, inDays(11), inDays(30))).toEqual([
      { start: inDays(11), end: inDays(14), reason: 'booked' },
      { start: inDays(14), end: inDays(16), reason: 'blocked' },
    ]);
  });

  it('a dated search leaves out a booked place at once, and shows it again once released', async () => {
    const city = uniqueCity();
    const p = await createProperty(testApp().app, host, { address: address(city) });
    const dated = { city, checkIn: inDays(30), checkOut: inDays(33) };
    // The first search fills the page cache; the booking's commit must end it.
    expect(ids((await search(testApp().app, dated)).body.data)).toEqual([p.id]);
    const bookingId = await book(p.id, inDays(32), inDays(36));
    expect((await search(testApp().app, dated)).body.data).toEqual([]);
    expect(ids((await search(testApp().app, { city, checkIn: inDays(36), checkOut: inDays(38) })).body.data)).toEqual([
      p.id,
    ]);
    await properties.freeDates(db, [bookingId]);
    expect(ids((await search(testApp().app, dated)).body.data)).toEqual([p.id]);
  });
});

describe('deleting a property with bookings', () => {
  const tz = 'Europe/Lisbon';

  it('is 409 while a booking ends after today; a booking that ended, or ends today, does not stop it', async () => {
    const p = await createProperty(testApp().app, host, { timezone: tz });
    await book(p.id, inDaysIn(tz, -10), inDaysIn(tz, -5));
    await book(p.id, inDaysIn(tz, -2), inDaysIn(tz, 0));
    const future = await book(p.id, inDaysIn(tz, 0), inDaysIn(tz, 1));
    const refused = await deleteProperty(p.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ status: 409, code: 'property_has_bookings' });
    expect((await testApp().app.inject({ url: `/v1/properties/${p.id}` })).statusCode).toBe(200);

    await properties.freeDates(db, [future]);
    expect((await deleteProperty(p.id)).statusCode).toBe(204);
    expect((await testApp().app.inject({ url: `/v1/properties/${p.id}` })).statusCode).toBe(404);
  });

  it('a future block does not stop it', async () => {
    const p = await createProperty(testApp().app, host);
    expect((await block(p.id, inDays(10), inDays(12))).statusCode).toBe(201);
    expect((await deleteProperty(p.id)).statusCode).toBe(204);
  });

  it('a booking committed while the delete waits for it makes the delete 409', async () => {
    const p = await createProperty(testApp().app, host);
    let deletion: ReturnType<typeof deleteProperty> | undefined;
    await withTransaction(db, async (tx) => {
      await book(p.id, inDays(10), inDays(12), tx);
      // The delete starts while the booking is uncommitted and must wait for it.
      deletion = deleteProperty(p.id);
      await sleep(300);
    });
    const res = await deletion!;
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('property_has_bookings');
  });
});
