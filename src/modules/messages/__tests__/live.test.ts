import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConversation } from '#test/factories/messages.js';
import { createProperty } from '#test/factories/properties.js';
import { createTestApp, register, type Session, type TestApp } from '#test/helpers.js';
import { connectSocket, openSocket, wsUrl as urlOf, type Connection, type Frame } from '#test/ws.js';
import { SOCKET_LIMITS } from '../../../graphql/socket-guard.js';

const MAX_SUBSCRIPTIONS_PER_CONNECTION = SOCKET_LIMITS.subscriptionsPerSocket;

/**
 * Live delivery end to end, over real WebSockets: with TEST_REDIS_URL, two API instances
 * listening on their own ports share the database and Redis, and a message sent through
 * one reaches a subscriber of the other; without it, one instance and its in-process emitter.
 */

const open = openSocket;
const connect = connectSocket;

const SUBSCRIBE =
  'subscription($c: ID!) { messageAdded(conversationId: $c) { id conversationId senderId body createdAt readAt } }';

const usingRedis = Boolean(process.env.TEST_REDIS_URL);
let a: TestApp;
let b: TestApp;
let urlB: string;
let host: Session;
let guest: Session;
let stranger: Session;
let conversationId: string;
const connections: Connection[] = [];

const wsUrl = (t: TestApp) => urlOf(t.app);

beforeAll(async () => {
  a = await createTestApp();
  // The second instance shares the first one's database; only the first closes it.
  const shared = Object.create(a.container.database, {
    close: { value: async () => undefined },
  }) as typeof a.container.database;
  b = usingRedis ? await createTestApp({ database: shared, redisPrefix: a.container.redisPrefix }) : a;
  await a.app.listen({ port: 0, host: '127.0.0.1' });
  if (b !== a) await b.app.listen({ port: 0, host: '127.0.0.1' });
  urlB = wsUrl(b);
  [host, guest, stranger] = await Promise.all([register(a.app, { role: 'host' }), register(a.app), register(a.app)]);
  conversationId = await startConversation(a.app, guest, (await createProperty(a.app, host)).id);
});

afterAll(async () => {
  for (const c of connections) c.ws.close();
  if (b && b !== a) await b.close();
  await a?.close();
});

const sendThroughA = (as: Session, body: string) =>
  a.app.inject({
    method: 'POST',
    url: `/v1/conversations/${conversationId}/messages`,
    headers: as.auth,
    payload: { body },
  });

describe(`messageAdded over WebSocket (${usingRedis ? 'two instances, Redis' : 'one instance, in-process'})`, () => {
  it('delivers a message sent through one instance to a subscriber of the other', async () => {
    const { connection, answer } = await connect(urlB, { authorization: `Bearer ${host.accessToken}` });
    connections.push(connection);
    expect(answer?.type).toBe('connection_ack');
    connection.send({ id: '1', type: 'subscribe', payload: { query: SUBSCRIBE, variables: { c: conversationId } } });

    // Subscribing completes asynchronously (a Redis SUBSCRIBE with Redis): send until the first arrives.
    let first: Frame | undefined;
    for (let i = 0; i < 25 && !first; i++) {
      expect((await sendThroughA(guest, `warm-up ${i}`)).statusCode).toBe(201);
      first = await connection.next((f) => f.type === 'next' || f.type === 'error', 200).catch(() => undefined);
    }
    expect(first?.type).toBe('next');

    const sent = await sendThroughA(guest, 'Is the sauna <b>heated</b>?');
    const message = sent.json<{ id: string }>();
    const frame = await connection.next(
      (f) =>
        f.type === 'next' &&
        (f.payload as { data: { messageAdded: { id: string } } }).data.messageAdded.id === message.id,
    );
    expect(frame).toMatchObject({
      id: '1',
      payload: {
        data: {
          messageAdded: {
            id: message.id,
            conversationId,
            senderId: guest.user.id,
            body: 'Is the sauna <b>heated</b>?',
            readAt: null,
          },
        },
      },
    });
  });

  it('authenticates by the upgrade request’s Authorization header too', async () => {
    const { connection, answer } = await connect(urlB, undefined, { authorization: `Bearer ${guest.accessToken}` });
    connections.push(connection);
    expect(answer?.type).toBe('connection_ack');
    connection.send({ id: 'g', type: 'subscribe', payload: { query: SUBSCRIBE, variables: { c: conversationId } } });
    let got: Frame | undefined;
    for (let i = 0; i < 25 && !got; i++) {
      await sendThroughA(host, `reply ${i}`);
      got = await connection.next((f) => f.type === 'next' || f.type === 'error', 200).catch(() => undefined);
    }
    expect(got?.type).toBe('next');
  });

  it('refuses a non-participant’s subscription with an error, and delivers them nothing', async () => {
    const { connection, answer } = await connect(urlB, { authorization: `Bearer ${stranger.accessToken}` });
    connections.push(connection);
    expect(answer?.type).toBe('connection_ack');
    connection.send({ id: 's', type: 'subscribe', payload: { query: SUBSCRIBE, variables: { c: conversationId } } });
    const refused = await connection.next((f) => f.id === 's');
    expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'NOT_FOUND' } }] });
    expect(JSON.stringify(refused?.payload)).toMatch(/not found/i);
    // One end per operation: the error, no `complete` after it.
    await expect(connection.next((f) => f.id === 's', 300)).rejects.toThrow(/timed out/);
    await sendThroughA(guest, 'not for strangers');
    await expect(connection.next((f) => f.type === 'next', 500)).rejects.toThrow(/timed out/);
  });

  it(`holds at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} live subscriptions per connection; a stopped one frees its place`, async () => {
    const { connection } = await connect(urlB, { authorization: `Bearer ${guest.accessToken}` });
    connections.push(connection);
    const subscribe = (id: string) =>
      connection.send({ id, type: 'subscribe', payload: { query: SUBSCRIBE, variables: { c: conversationId } } });
    const ids = Array.from({ length: MAX_SUBSCRIPTIONS_PER_CONNECTION }, (_, i) => `s${i}`);
    ids.forEach(subscribe);
    // Every one of them live: each receives a message.
    const live = new Set<string>();
    for (let i = 0; i < 25 && live.size < ids.length; i++) {
      await sendThroughA(host, `fill ${i}`);
      for (;;) {
        const f = await connection.next((x) => x.type === 'next' && !live.has(x.id!), 300).catch(() => undefined);
        if (!f) break;
        live.add(f.id!);
      }
    }
    expect(live.size).toBe(ids.length);

    subscribe('over');
    const refused = await connection.next((f) => f.id === 'over');
    expect(refused).toMatchObject({
      type: 'error',
      payload: [{ extensions: { code: 'RATE_LIMITED', reason: 'too_many_subscriptions' } }],
    });

    // A stop is handled before the next frame is read: the new subscription fits.
    connection.send({ id: 's0', type: 'complete' });
    subscribe('again');
    let answer: Frame | undefined;
    for (let i = 0; i < 25 && !answer; i++) {
      await sendThroughA(host, `after stop ${i}`);
      answer = await connection
        .next((f) => f.id === 'again' && (f.type === 'next' || f.type === 'error'), 300)
        .catch(() => undefined);
    }
    expect(answer?.type).toBe('next');
  });

  it('closes unauthenticated connections and invalid tokens with 4401, sending no message the protocol lacks', async () => {
    const none = await connect(urlB);
    expect(none.answer).toBeUndefined();
    expect(none.connection.closeCode).toBe(4401);

    const bad = await connect(urlB, { authorization: 'Bearer not-a-token' });
    expect(bad.answer).toBeUndefined();
    expect(bad.connection.closeCode).toBe(4401);

    const badHeader = await open(urlB, { authorization: 'Bearer not-a-token' });
    expect(badHeader).toEqual({ refused: 401 });
  });
});
