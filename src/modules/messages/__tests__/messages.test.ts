import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProperty, inDays } from '#test/factories/properties.js';
import { register, rowsOf, type Session, useTestApp, usingPostgres } from '#test/helpers.js';

const testApp = useTestApp();
let host: Session;
let guest: Session;
let stranger: Session;
let propertyId: string;

interface ConversationBody {
  id: string;
  propertyId: string;
  guestId: string;
  hostId: string;
  bookingId: string | null;
  lastMessageAt: string;
  unreadCount: number;
  lastMessage: { id: string; body: string; senderId: string; readAt: string | null } | null;
}
interface MessageBody {
  id: string;
  conversationId: string;
  senderId: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

const app = () => testApp().app;
const firstRow = async <R>(query: SQL): Promise<R> => (await rowsOf<R>(testApp().container.database.db, query))[0]!;

async function start(as: Session, place: string, body: string) {
  return app().inject({
    method: 'POST',
    url: '/v1/conversations',
    headers: as.auth,
    payload: { propertyId: place, body },
  });
}

async function send(as: Session, conversationId: string, body: string) {
  return app().inject({
    method: 'POST',
    url: `/v1/conversations/${conversationId}/messages`,
    headers: as.auth,
    payload: { body },
  });
}

async function list(as: Session, query = '') {
  const res = await app().inject({ url: `/v1/conversations${query}`, headers: as.auth });
  expect(res.statusCode).toBe(200);
  return res.json<{ data: ConversationBody[]; page: { nextCursor: string | null; hasMore: boolean } }>();
}

const read = (as: Session, id: string) =>
  app().inject({ method: 'POST', url: `/v1/conversations/${id}/read`, headers: as.auth });

beforeAll(async () => {
  [host, guest, stranger] = await Promise.all([register(app(), { role: 'host' }), register(app()), register(app())]);
  propertyId = (await createProperty(app(), host)).id;
});

// Whitespace, format and other default-ignorable characters alone: nothing a reader can see.
const INVISIBLE_BODIES = [
  '\u200b\u200b',
  ' \u2060 ',
  '\ufeff',
  '\u200c\u200d',
  '\u00a0\u3000',
  '\u3164',
  '\u202e\u2800',
];

describe('message bodies need a visible character', () => {
  it('422 for invisible-only bodies when starting a conversation and when sending a message', async () => {
    const place = (await createProperty(app(), host)).id;
    for (const body of INVISIBLE_BODIES) {
      const res = await start(guest, place, body);
      expect(
        [res.statusCode, res.json<{ errors: { path: string }[] }>().errors[0]?.path],
        JSON.stringify(body),
      ).toEqual([422, 'body']);
    }
    const c = (await start(guest, place, 'Hello')).json<ConversationBody>().id;
    for (const body of INVISIBLE_BODIES) {
      const res = await send(host, c, body);
      expect(
        [res.statusCode, res.json<{ errors: { path: string }[] }>().errors[0]?.path],
        JSON.stringify(body),
      ).toEqual([422, 'body']);
    }
    // One visible character among invisible ones is a message, kept as sent.
    const ok = await send(host, c, '\u200bhi\u200b');
    expect(ok.statusCode).toBe(201);
    expect(ok.json<MessageBody>().body).toBe('\u200bhi\u200b');
  });
});

describe('POST /v1/conversations', () => {
  it('opens one conversation per guest and place: 201 first, 200 after, same id', async () => {
    const place = (await createProperty(app(), host)).id;
    const first = await start(guest, place, '  Hello, is parking available?  ');
    expect(first.statusCode).toBe(201);
    const c = first.json<ConversationBody>();
    expect(first.headers.location).toBe(`/v1/conversations/${c.id}`);
    expect(c).toMatchObject({ propertyId: place, guestId: guest.user.id, hostId: host.user.id, unreadCount: 0 });
    // Trimmed, stored as plain text.
    expect(c.lastMessage?.body).toBe('Hello, is parking available?');

    const second = await start(guest, place, '<b>And pets?</b>');
    expect(second.statusCode).toBe(200);
    expect(second.json<ConversationBody>().id).toBe(c.id);
    expect(second.json<ConversationBody>().lastMessage?.body).toBe('<b>And pets?</b>');
    const { n } = await firstRow<{ n: number }>(
      sql`select count(*)::int as n from conversations where guest_id = ${guest.user.id} and property_id = ${place}`,
    );
    expect(n).toBe(1);
  });

  it('keeps one conversation when the first messages race', async () => {
    const place = (await createProperty(app(), host)).id;
    const racer = await register(app());
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => start(racer, place, `hi ${i}`)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json<ConversationBody>().id)).size).toBe(1);
    const hostView = (await list(host)).data.find((c) => c.guestId === racer.user.id && c.propertyId === place);
    expect(hostView?.unreadCount).toBe(6);
  });

  it('links the guest’s active booking of the place, made last', async () => {
    const place = (await createProperty(app(), host)).id;
    const booker = await register(app());
    const before = await start(booker, place, 'Before booking');
    expect(before.json<ConversationBody>().bookingId).toBeNull();
    const booking = await app().inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: booker.auth,
      payload: { propertyId: place, checkIn: inDays(20), checkOut: inDays(22), guests: 1 },
    });
    expect(booking.statusCode).toBe(201);
    const after = await start(booker, place, 'Booked now');
    expect(after.json<ConversationBody>().bookingId).toBe(booking.json<{ id: string }>().id);
  });

  it('refuses a host writing about their own place (422), unknown or hidden places (404), bad bodies (422)', async () => {
    const own = await start(host, propertyId, 'Talking to myself');
    expect(own.statusCode).toBe(422);
    expect(own.json()).toMatchObject({ status: 422, errors: [{ path: 'propertyId' }] });
    expect((await start(guest, randomUUID(), 'Hi')).statusCode).toBe(404);
    const draft = (await createProperty(app(), host, { status: 'draft' })).id;
    expect((await start(guest, draft, 'Hi')).statusCode).toBe(404);
    for (const body of ['', '   ', 'x'.repeat(4001)]) {
      const res = await start(guest, propertyId, body);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ errors: [{ path: 'body' }] });
    }
    expect((await start(guest, propertyId, 'x'.repeat(4000))).statusCode).toBeLessThan(300);
    const extra = await app().inject({
      method: 'POST',
      url: '/v1/conversations',
      headers: guest.auth,
      payload: { propertyId, body: 'hi', hostId: host.user.id },
    });
    expect(extra.statusCode).toBe(422);
    expect(
      (await app().inject({ method: 'POST', url: '/v1/conversations', payload: { propertyId, body: 'hi' } }))
        .statusCode,
    ).toBe(401);
  });
});

describe('participants only', () => {
  it('answers 404 to anyone else and for malformed or unknown ids, on every route', async () => {
    const c = (await start(guest, propertyId, 'Private')).json<ConversationBody>();
    for (const id of [c.id, randomUUID(), 'not-a-uuid']) {
      expect((await app().inject({ url: `/v1/conversations/${id}`, headers: stranger.auth })).statusCode).toBe(404);
      expect((await app().inject({ url: `/v1/conversations/${id}/messages`, headers: stranger.auth })).statusCode).toBe(
        404,
      );
      expect((await send(stranger, id, 'intruding')).statusCode).toBe(404);
      expect((await read(stranger, id)).statusCode).toBe(404);
    }
    expect((await list(stranger)).data.some((x) => x.id === c.id)).toBe(false);
  });
});

describe('unread counts', () => {
  it('are exact per side across several conversations, and read resets only the reader’s side', async () => {
    const h = await register(app(), { role: 'host' });
    const [p1, p2] = [(await createProperty(app(), h)).id, (await createProperty(app(), h)).id];
    const [g1, g2] = await Promise.all([register(app()), register(app())]);
    const c1 = (await start(g1, p1, 'one')).json<ConversationBody>().id;
    await send(g1, c1, 'two');
    const c2 = (await start(g2, p2, 'a')).json<ConversationBody>().id;
    const c3 = (await start(g1, p2, 'about the other place')).json<ConversationBody>().id;
    await send(h, c1, 'reply 1');

    const counts = async (as: Session) => Object.fromEntries((await list(as)).data.map((c) => [c.id, c.unreadCount]));
    expect(await counts(h)).toEqual({ [c1]: 2, [c2]: 1, [c3]: 1 });
    expect(await counts(g1)).toEqual({ [c1]: 1, [c3]: 0 });
    expect(await counts(g2)).toEqual({ [c2]: 0 });

    const r = await read(h, c1);
    expect(r.statusCode).toBe(200);
    expect(r.json<ConversationBody>().unreadCount).toBe(0);
    expect(await counts(h)).toEqual({ [c1]: 0, [c2]: 1, [c3]: 1 });
    // The guest's side is untouched by the host's read.
    expect(await counts(g1)).toEqual({ [c1]: 1, [c3]: 0 });

    const msgs = (await app().inject({ url: `/v1/conversations/${c1}/messages`, headers: g1.auth })).json<{
      data: MessageBody[];
    }>().data;
    expect(msgs.map((m) => [m.body, m.readAt !== null])).toEqual([
      ['reply 1', false],
      ['two', true],
      ['one', true],
    ]);
    // Again: nothing changes.
    expect((await read(h, c1)).json<ConversationBody>().unreadCount).toBe(0);
  });

  it(`stay exact under concurrent sends from both sides and reads${usingPostgres ? ' (PostgreSQL)' : ''}`, async () => {
    const h = await register(app(), { role: 'host' });
    const g = await register(app());
    const place = (await createProperty(app(), h)).id;
    const c = (await start(g, place, 'start')).json<ConversationBody>().id;
    await read(h, c);
    const sends = await Promise.all([
      ...Array.from({ length: 15 }, (_, i) => send(g, c, `g${i}`)),
      ...Array.from({ length: 10 }, (_, i) => send(h, c, `h${i}`)),
    ]);
    expect(sends.every((s) => s.statusCode === 201)).toBe(true);
    const hostCount = (await list(h)).data.find((x) => x.id === c)!.unreadCount;
    const guestCount = (await list(g)).data.find((x) => x.id === c)!.unreadCount;
    expect([hostCount, guestCount]).toEqual([15, 10]);

    // Reads racing sends: afterwards the counter equals the unread rows, whatever the order.
    await Promise.all([read(h, c), ...Array.from({ length: 8 }, (_, i) => send(g, c, `late${i}`)), read(h, c)]);
    const { n } = await firstRow<{ n: number }>(
      sql`select count(*)::int as n from messages where conversation_id = ${c} and recipient_id = ${h.user.id} and read_at is null`,
    );
    const { counter } = await firstRow<{ counter: number }>(
      sql`select host_unread as counter from conversations where id = ${c}`,
    );
    expect(counter).toBe(n);
    expect((await list(h)).data.find((x) => x.id === c)!.unreadCount).toBe(n);
  });
});

describe('lists', () => {
  it('list conversations newest activity first with a keyset cursor, and messages newest first', async () => {
    const h = await register(app(), { role: 'host' });
    const g = await register(app());
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const place = (await createProperty(app(), h)).id;
      ids.push((await start(g, place, `place ${i}`)).json<ConversationBody>().id);
    }
    // Activity moves the first one to the top.
    await send(h, ids[0]!, 'bump');
    const expected = [ids[0], ids[4], ids[3], ids[2], ids[1]];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(g, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((c) => c.id));
      cursor = page.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect((await list(g)).data[0]!.lastMessage?.body).toBe('bump');

    for (let i = 0; i < 4; i++) await send(g, ids[1]!, `m${i}`);
    const page1 = await app().inject({ url: `/v1/conversations/${ids[1]}/messages?limit=3`, headers: h.auth });
    const b1 = page1.json<{ data: MessageBody[]; page: { nextCursor: string } }>();
    expect(b1.data.map((m) => m.body)).toEqual(['m3', 'm2', 'm1']);
    const page2 = await app().inject({
      url: `/v1/conversations/${ids[1]}/messages?limit=3&cursor=${b1.page.nextCursor}`,
      headers: h.auth,
    });
    expect(page2.json<{ data: MessageBody[] }>().data.map((m) => m.body)).toEqual(['m0', 'place 1']);
    expect((await app().inject({ url: '/v1/conversations?limit=101', headers: g.auth })).statusCode).toBe(422);
    expect((await app().inject({ url: '/v1/conversations?cursor=zzz', headers: g.auth })).statusCode).toBe(422);
  });
});

describe('per-user send limit', () => {
  it('answers 429 with Retry-After past 60 messages a minute', async () => {
    const h = await register(app(), { role: 'host' });
    const g = await register(app());
    const place = (await createProperty(app(), h)).id;
    const c = (await start(g, place, 'first')).json<ConversationBody>().id;
    const answers = await Promise.all(Array.from({ length: 62 }, (_, i) => send(g, c, `flood ${i}`)));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((s) => s === 201)).toHaveLength(59);
    const limited = answers.filter((a) => a.statusCode === 429);
    expect(limited).toHaveLength(3);
    expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThan(0);
    // The other side is not limited by the flooder's count.
    expect((await send(h, c, 'calm down')).statusCode).toBe(201);
  });
});
