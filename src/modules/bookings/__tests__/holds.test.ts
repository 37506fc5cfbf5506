import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProperty, inDays } from '#test/factories/properties.js';
import { graphql, movableClock, register, type Session, useTestApp } from '#test/helpers.js';
import { withTransaction } from '../../../platform/db/transaction.js';
import type { Booking } from '../index.js';
import { HOLD_HISTORY_HOURS, MAX_ACTIVE_HOLDS, MAX_LAPSED_HOLDS } from '../bookings.policy.js';

// The hold limits: a guest cannot take a town's calendar with unpaid holds, renewed or not.

const clock = movableClock();
const testApp = useTestApp({ clock });
const app = () => testApp().app;

let host: Session;
let placeIds: string[];

beforeAll(async () => {
  host = await register(app(), { role: 'host' });
  placeIds = [];
  for (let i = 0; i < 10; i++) placeIds.push((await createProperty(app(), host)).id);
});

const minutes = (n: number) => n * 60_000;
/** Two nights `n` slots ahead: distinct slots never overlap. */
const stay = (propertyId: string, n: number) => ({
  propertyId,
  checkIn: inDays(10 + 2 * n),
  checkOut: inDays(12 + 2 * n),
  guests: 1,
});
const book = (session: Session, body: unknown) =>
  app().inject({ method: 'POST', url: '/v1/bookings', headers: session.auth, payload: body as object });
const cancel = (session: Session, id: string) =>
  app().inject({ method: 'POST', url: `/v1/bookings/${id}/cancel`, headers: session.auth, payload: {} });
const code = (res: LightMyRequestResponse) => res.json<{ code: string }>().code;
const created = async (session: Session, body: unknown): Promise<Booking> => {
  const res = await book(session, body);
  if (res.statusCode !== 201) throw new Error(`booking failed: ${res.statusCode} ${res.body}`);
  return res.json<Booking>();
};
const confirm = (id: string) =>
  withTransaction(testApp().container.database.db, (tx) => testApp().container.services.bookings.confirmPaid(tx, id));
const expectTooManyHolds = (res: LightMyRequestResponse) => {
  expect([res.statusCode, res.headers['content-type'], code(res)]).toEqual([
    409,
    'application/problem+json; charset=utf-8',
    'too_many_holds',
  ]);
};

describe('hold limits', () => {
  it(`${MAX_ACTIVE_HOLDS} running holds at once; paid, canceled and overdue ones free a place`, async () => {
    expect(MAX_ACTIVE_HOLDS).toBe(3);
    const guest = await register(app());
    const held = [];
    for (let i = 0; i < MAX_ACTIVE_HOLDS; i++) held.push(await created(guest, stay(placeIds[i]!, 0)));
    const fourth = await book(guest, stay(placeIds[3]!, 0));
    expectTooManyHolds(fourth);
    expect(fourth.json<{ detail: string }>().detail).toMatch(/already hold 3 unpaid bookings/);
    // Nothing of the refused booking was kept: its nights are free for someone else.
    expect((await book(await register(app()), stay(placeIds[3]!, 0))).statusCode).toBe(201);

    // Paid: no longer a hold.
    await confirm(held[0]!.id);
    const afterPaying = await created(guest, stay(placeIds[4]!, 0));
    expectTooManyHolds(await book(guest, stay(placeIds[5]!, 0)));
    // Canceled unpaid: no longer running (it counts as a lapsed hold instead).
    expect((await cancel(guest, held[1]!.id)).statusCode).toBe(200);
    await created(guest, stay(placeIds[5]!, 0));
    expectTooManyHolds(await book(guest, stay(placeIds[6]!, 0)));

    // Overdue holds, even before the sweep expires them, are not running holds.
    clock.offsetMs = minutes(16);
    const again = [];
    for (let i = 0; i < MAX_ACTIVE_HOLDS; i++) again.push(await created(guest, stay(placeIds[6 + i]!, 1)));
    expectTooManyHolds(await book(guest, stay(placeIds[9]!, 1)));
    expect(afterPaying.status).toBe('pending');
  });

  it(`${MAX_LAPSED_HOLDS} holds ended unpaid in ${HOLD_HISTORY_HOURS} h, then none until the oldest is a day old`, async () => {
    expect([MAX_LAPSED_HOLDS, HOLD_HISTORY_HOURS]).toEqual([10, 24]);
    const guest = await register(app());
    let slot = 0;
    const hold = () => created(guest, stay(placeIds[slot % placeIds.length]!, 2 + slot++));
    // Nine holds lapse: three rounds of three, each left to pass its time.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) await hold();
      clock.offsetMs += minutes(16);
    }
    await testApp().container.services.bookings.expireOverdueHolds();
    // The tenth is canceled before paying: it lapses too.
    const tenth = await hold();
    expect((await cancel(guest, tenth.id)).statusCode).toBe(200);
    const refused = await book(guest, stay(placeIds[0]!, 40));
    expectTooManyHolds(refused);
    expect(refused.json<{ detail: string }>().detail).toMatch(/10 of your holds ended unpaid in the last 24 hours/);

    // A day after the first round lapsed (at 15 minutes), three have left the window.
    clock.offsetMs = minutes(15) + HOLD_HISTORY_HOURS * 3_600_000 + 1000;
    expect((await book(guest, stay(placeIds[0]!, 40))).statusCode).toBe(201);
  });

  it(`10 parallel bookings by one guest for different places: ${MAX_ACTIVE_HOLDS} created, the rest 409`, async () => {
    for (let round = 0; round < 3; round++) {
      const guest = await register(app());
      const answers = await Promise.all(placeIds.map((id) => book(guest, stay(id, 50 + round))));
      const statuses = answers.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 201)).toHaveLength(MAX_ACTIVE_HOLDS);
      for (const res of answers.filter((r) => r.statusCode !== 201)) expectTooManyHolds(res);
      const mine = await app().inject({ url: '/v1/bookings?as=guest&status=pending', headers: guest.auth });
      expect(mine.json<{ data: Booking[] }>().data).toHaveLength(MAX_ACTIVE_HOLDS);
    }
  });

  it(`one GraphQL request of 30 aliased createBooking mutations holds ${MAX_ACTIVE_HOLDS}`, async () => {
    const guest = await register(app());
    const fields = Array.from({ length: 30 }, (_, i) => {
      const s = stay(placeIds[i % placeIds.length]!, 60 + i);
      return `b${i}: createBooking(input: { propertyId: "${s.propertyId}", checkIn: "${s.checkIn}", checkOut: "${s.checkOut}", guests: 1 }) { id status }`;
    });
    const res = await graphql(app(), `mutation { ${fields.join('\n')} }`, {}, guest.auth);
    expect(res.status).toBe(200);
    // createBooking is non-null: the first refusal ends the (serial) mutations and nulls `data`.
    expect(res.body.errors?.length).toBeGreaterThan(0);
    for (const e of res.body.errors!)
      expect(e.extensions).toMatchObject({ code: 'CONFLICT', reason: 'too_many_holds' });
    const mine = await app().inject({ url: '/v1/bookings?as=guest', headers: guest.auth });
    expect(mine.json<{ data: Booking[] }>().data).toHaveLength(MAX_ACTIVE_HOLDS);
  });
});
