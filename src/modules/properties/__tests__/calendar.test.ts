import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, registerAdmin, type Session, useTestApp } from '#test/helpers.js';
import { mergeUnavailable } from '../properties.policy.js';
import type { UnavailableRange } from '../properties.schemas.js';
import { createProperty, inDays, inDaysIn } from '#test/factories/properties.js';

describe('mergeUnavailable', () => {
  const blocked = (start: string, end: string): UnavailableRange => ({ start, end, reason: 'blocked' });
  const booked = (start: string, end: string): UnavailableRange => ({ start, end, reason: 'booked' });
  const FROM = '2030-01-01';
  const TO = '2030-02-01';

  it('returns nothing for nothing', () => {
    expect(mergeUnavailable([], FROM, TO)).toEqual([]);
  });

  it('sorts ranges by start', () => {
    expect(
      mergeUnavailable([blocked('2030-01-20', '2030-01-22'), blocked('2030-01-03', '2030-01-05')], FROM, TO),
    ).toEqual([blocked('2030-01-03', '2030-01-05'), blocked('2030-01-20', '2030-01-22')]);
  });

  it('merges touching ranges (end exclusive) and overlapping or contained ones', () => {
    expect(
      mergeUnavailable(
        [
          blocked('2030-01-05', '2030-01-08'),
          blocked('2030-01-03', '2030-01-05'), // touches the next one
          blocked('2030-01-06', '2030-01-07'), // inside
          blocked('2030-01-07', '2030-01-10'), // overlaps
          blocked('2030-01-11', '2030-01-12'), // a day apart: stays separate
        ],
        FROM,
        TO,
      ),
    ).toEqual([blocked('2030-01-03', '2030-01-10'), blocked('2030-01-11', '2030-01-12')]);
  });

  it('clips ranges to the window and drops those outside it', () => {
    expect(
      mergeUnavailable(
        [
          blocked('2029-12-20', '2030-01-01'), // ends where the window starts: outside
          blocked('2029-12-28', '2030-01-03'),
          blocked('2030-01-30', '2030-02-10'),
          blocked('2030-02-01', '2030-02-05'), // starts where the window ends: outside
        ],
        FROM,
        TO,
      ),
    ).toEqual([blocked('2030-01-01', '2030-01-03'), blocked('2030-01-30', '2030-02-01')]);
    expect(mergeUnavailable([blocked('2029-01-01', '2031-01-01')], FROM, TO)).toEqual([blocked(FROM, TO)]);
  });

  it('keeps ranges of different reasons apart, each merged with its own kind', () => {
    expect(
      mergeUnavailable(
        [booked('2030-01-10', '2030-01-12'), blocked('2030-01-05', '2030-01-10'), booked('2030-01-12', '2030-01-14')],
        FROM,
        TO,
      ),
    ).toEqual([blocked('2030-01-05', '2030-01-10'), booked('2030-01-10', '2030-01-14')]);
  });

  it('does not change its input', () => {
    const input = [blocked('2029-12-28', '2030-01-03'), blocked('2030-01-03', '2030-01-04')];
    const copy = structuredClone(input);
    mergeUnavailable(input, FROM, TO);
    expect(input).toEqual(copy);
  });
});

const testApp = useTestApp();
let host: Session;
let otherHost: Session;
let admin: Session;

beforeAll(async () => {
  [host, otherHost] = await Promise.all([
    register(testApp().app, { role: 'host' }),
    register(testApp().app, { role: 'host' }),
  ]);
  admin = await registerAdmin(testApp());
});

const block = (propertyId: string, payload: Record<string, unknown>, session: Session = host) =>
  testApp().app.inject({ method: 'POST', url: `/v1/properties/${propertyId}/blocks`, headers: session.auth, payload });
const unblock = (propertyId: string, blockId: string, session: Session = host) =>
  testApp().app.inject({
    method: 'DELETE',
    url: `/v1/properties/${propertyId}/blocks/${blockId}`,
    headers: session.auth,
  });
const availability = (propertyId: string, from: string, to: string, session?: Session) =>
  testApp().app.inject({
    url: `/v1/properties/${propertyId}/availability?from=${from}&to=${to}`,
    headers: session ? session.auth : {},
  });
const days = (from: number, to: number) => ({ start: inDays(from), end: inDays(to) });

describe('GET /v1/properties/{id}/availability', () => {
  it('merges touching blocks and clips ranges to the window, end exclusive', async () => {
    const p = await createProperty(testApp().app, host);
    for (const [from, to] of [
      [10, 12],
      [12, 15],
      [20, 22],
      [30, 31],
    ] as const)
      expect((await block(p.id, days(from, to))).statusCode).toBe(201);

    const whole = await availability(p.id, inDays(1), inDays(60));
    expect(whole.statusCode).toBe(200);
    expect(whole.json()).toEqual({
      unavailable: [
        { ...days(10, 15), reason: 'blocked' },
        { ...days(20, 22), reason: 'blocked' },
        { ...days(30, 31), reason: 'blocked' },
      ],
    });
    expect((await availability(p.id, inDays(11), inDays(21))).json().unavailable).toEqual([
      { ...days(11, 15), reason: 'blocked' },
      { ...days(20, 21), reason: 'blocked' },
    ]);
    // Windows that only touch a block see nothing of it.
    expect((await availability(p.id, inDays(15), inDays(20))).json().unavailable).toEqual([]);
    expect((await availability(p.id, inDays(22), inDays(30))).json().unavailable).toEqual([]);
  });

  it('accepts a window of 366 days and rejects a longer one, or one that ends before it starts', async () => {
    const p = await createProperty(testApp().app, host);
    expect((await availability(p.id, '2030-01-01', '2031-01-02')).statusCode).toBe(200); // 366 days
    for (const [from, to] of [
      ['2030-01-01', '2031-01-03'], // 367 days
      ['2030-01-10', '2030-01-10'],
      ['2030-01-10', '2030-01-09'],
      ['2030-02-30', '2030-03-05'],
      ['tomorrow', '2030-03-05'],
    ]) {
      const res = await availability(p.id, from!, to!);
      expect(res.statusCode, `${from} → ${to}`).toBe(422);
      expect(res.json().errors.length).toBeGreaterThan(0);
    }
    const missing = await testApp().app.inject({ url: `/v1/properties/${p.id}/availability?from=2030-01-01` });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual([expect.objectContaining({ path: 'to' })]);
  });

  it("a draft's calendar is 404 for anyone but its host and admins", async () => {
    const p = await createProperty(testApp().app, host, { status: 'draft' });
    expect((await availability(p.id, inDays(1), inDays(30))).statusCode).toBe(404);
    expect((await availability(p.id, inDays(1), inDays(30), otherHost)).statusCode).toBe(404);
    expect((await availability(p.id, inDays(1), inDays(30), host)).statusCode).toBe(200);
    expect((await availability(p.id, inDays(1), inDays(30), admin)).statusCode).toBe(200);
    expect((await availability(randomUUID(), inDays(1), inDays(30))).statusCode).toBe(404);
  });
});

describe('calendar blocks', () => {
  it('creates a block: 201 with a Location; the host may note why', async () => {
    const p = await createProperty(testApp().app, host);
    const res = await block(p.id, { ...days(5, 9), note: '  Painting the walls ' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      id: expect.any(String),
      propertyId: p.id,
      ...days(5, 9),
      note: 'Painting the walls',
      createdAt: expect.stringMatching(/Z$/),
    });
    expect(res.headers.location).toBe(`/v1/properties/${p.id}/blocks/${body.id}`);
  });

  it('refuses an overlapping block with 409 dates_unavailable; a touching one is fine', async () => {
    const p = await createProperty(testApp().app, host);
    expect((await block(p.id, days(10, 15))).statusCode).toBe(201);
    for (const [from, to] of [
      [10, 15],
      [14, 16],
      [8, 11],
      [11, 12],
      [5, 20],
    ]) {
      const res = await block(p.id, days(from!, to!));
      expect(res.statusCode, `${from}-${to}`).toBe(409);
      expect(res.json()).toMatchObject({ status: 409, code: 'dates_unavailable' });
    }
    expect((await block(p.id, days(15, 16))).statusCode).toBe(201);
    expect((await block(p.id, days(8, 10))).statusCode).toBe(201);
    expect((await availability(p.id, inDays(1), inDays(30))).json().unavailable).toEqual([
      { ...days(8, 16), reason: 'blocked' },
    ]);
    // Another property's calendar is its own.
    const other = await createProperty(testApp().app, host);
    expect((await block(other.id, days(10, 15))).statusCode).toBe(201);
  });

  it('of overlapping blocks sent at once, exactly one is created (the database decides)', async () => {
    const p = await createProperty(testApp().app, host);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => block(p.id, days(50 + (i % 3), 55 + (i % 3)))),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect((await availability(p.id, inDays(40), inDays(70))).json().unavailable).toHaveLength(1);
  });

  it.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Lisbon'])(
    'refuses a block starting yesterday in the property time zone (%s); today is fine',
    async (timezone) => {
      const p = await createProperty(testApp().app, host, { timezone });
      const yesterday = await block(p.id, { start: inDaysIn(timezone, -1), end: inDaysIn(timezone, 2) });
      expect(yesterday.statusCode).toBe(422);
      expect(yesterday.json()).toMatchObject({ code: 'block_in_past', errors: [{ path: 'start' }] });
      expect((await block(p.id, { start: inDaysIn(timezone, 0), end: inDaysIn(timezone, 2) })).statusCode).toBe(201);
    },
  );

  it.each([
    ['end on start', { start: '2030-05-01', end: '2030-05-01' }, 'end'],
    ['end before start', { start: '2030-05-02', end: '2030-05-01' }, 'end'],
    ['a malformed date', { start: '01/05/2030', end: '2030-05-03' }, 'start'],
    ['a missing end', { start: '2030-05-01' }, 'end'],
    ['an unknown field', { start: '2030-05-01', end: '2030-05-03', reason: 'x' }, 'reason'],
  ])('rejects %s with 422', async (_what, payload, path) => {
    const p = await createProperty(testApp().app, host);
    const res = await block(p.id, payload);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('spans at most 366 days', async () => {
    const p = await createProperty(testApp().app, host);
    expect((await block(p.id, days(10, 10 + 367))).json()).toMatchObject({ status: 422, code: 'block_too_long' });
    expect((await block(p.id, days(10, 10 + 366))).statusCode).toBe(201);
  });

  it("is the host's: another host gets 403 on a listed place and 404 on a draft; anonymous 401", async () => {
    const listed = await createProperty(testApp().app, host);
    const draft = await createProperty(testApp().app, host, { status: 'draft' });
    expect((await block(listed.id, days(5, 6), otherHost)).statusCode).toBe(403);
    expect((await block(listed.id, days(5, 6), admin)).statusCode).toBe(403);
    expect((await block(draft.id, days(5, 6), otherHost)).statusCode).toBe(404);
    const anonymous = await testApp().app.inject({
      method: 'POST',
      url: `/v1/properties/${listed.id}/blocks`,
      payload: days(5, 6),
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await block(randomUUID(), days(5, 6))).statusCode).toBe(404);
    expect((await availability(listed.id, inDays(1), inDays(30))).json().unavailable).toEqual([]);
  });

  it('DELETE frees the dates again: 204, then the same dates can be blocked anew', async () => {
    const p = await createProperty(testApp().app, host);
    const created = (await block(p.id, days(20, 25))).json();
    const res = await unblock(p.id, created.id);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await availability(p.id, inDays(1), inDays(30))).json().unavailable).toEqual([]);
    expect((await unblock(p.id, created.id)).statusCode).toBe(404);
    expect((await block(p.id, days(20, 25))).statusCode).toBe(201);
  });

  it("deleting a block through another property's id, or another host's block, is refused", async () => {
    const a = await createProperty(testApp().app, host);
    const b = await createProperty(testApp().app, host);
    const onB = (await block(b.id, days(20, 25))).json();
    // The block belongs to b, not a: it is not found under a.
    const res = await unblock(a.id, onB.id);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('block_not_found');
    expect((await unblock(a.id, randomUUID())).statusCode).toBe(404);
    // Another host may not remove it (403: the property is listed, so visible to them).
    expect((await unblock(b.id, onB.id, otherHost)).statusCode).toBe(403);
    const theirs = await createProperty(testApp().app, otherHost);
    expect((await unblock(theirs.id, onB.id, otherHost)).statusCode).toBe(404);
    expect((await availability(b.id, inDays(1), inDays(30))).json().unavailable).toEqual([
      { ...days(20, 25), reason: 'blocked' },
    ]);
  });

  it('a deleted property has no calendar to change', async () => {
    const p = await createProperty(testApp().app, host);
    const created = (await block(p.id, days(20, 25))).json();
    await testApp().app.inject({ method: 'DELETE', url: `/v1/properties/${p.id}`, headers: host.auth });
    expect((await block(p.id, days(30, 31))).statusCode).toBe(404);
    expect((await unblock(p.id, created.id)).statusCode).toBe(404);
  });
});
