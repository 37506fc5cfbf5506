import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProperty } from '#test/factories/properties.js';
import { createTestApp, register, type Session, type TestApp } from '#test/helpers.js';
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from '../../../graphql/subscriptions.js';

/**
 * Live delivery end to end, over real WebSockets: with TEST_REDIS_URL, two API instances
 * listening on their own ports share the database and Redis, and a message sent through
 * one reaches a subscriber of the other; without it, one instance and its in-process emitter.
 */

interface WsClient {
  readonly protocol: string;
  send(data: string): void;
  close(): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  on(event: 'unexpected-response', listener: (req: unknown, res: { statusCode: number }) => void): void;
}
type WsConstructor = new (url: string, protocols: string[], options?: { headers?: Record<string, string> }) => WsClient;
const WebSocket = createRequire(import.meta.url)('ws') as WsConstructor;

interface Frame {
  type: string;
  id?: string;
  payload?: unknown;
}

/** A graphql-transport-ws client: frames queue up until a test waits for one. */
class Connection {
  private frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  constructor(readonly ws: WsClient) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake();
    });
    ws.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }
  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }
  send(frame: Frame) {
    this.ws.send(JSON.stringify(frame));
  }
  /** The next frame matching `match`, frames before it being dropped; undefined once closed. */
  async next(match: (f: Frame) => boolean, timeoutMs = 5_000): Promise<Frame | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(match);
      if (i >= 0) return this.frames.splice(0, i + 1).at(-1);
      if (this.closed) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

function open(url: string, headers: Record<string, string> = {}): Promise<Connection | { refused: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['graphql-transport-ws'], { headers });
    ws.on('open', () => resolve(new Connection(ws)));
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode }));
    ws.on('error', reject);
  });
}

async function connect(url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const c = await open(url, headers);
  if (!(c instanceof Connection)) throw new Error(`refused: ${c.refused}`);
  c.send({ type: 'connection_init', ...(payload === undefined ? {} : { payload }) });
  return { connection: c, answer: await c.next(() => true) };
}

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

const wsUrl = (t: TestApp) => `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/graphql`;

beforeAll(async () => {
  a = await createTestApp();
  // The second instance shares the first one's database; only the first closes it.
  const shared = Object.create(a.container.database, {
    close: { value: async () => undefined },
  }) as typeof a.container.database;
  b = usingRedis ? await createTestApp({ database: shared }) : a;
  await a.app.listen({ port: 0, host: '127.0.0.1' });
  if (b !== a) await b.app.listen({ port: 0, host: '127.0.0.1' });
  urlB = wsUrl(b);
  [host, guest, stranger] = await Promise.all([register(a.app, { role: 'host' }), register(a.app), register(a.app)]);
  const place = (await createProperty(a.app, host)).id;
  const res = await a.app.inject({
    method: 'POST',
    url: '/v1/conversations',
    headers: guest.auth,
    payload: { propertyId: place, body: 'Hello' },
  });
  conversationId = res.json<{ id: string }>().id;
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
    expect(refused?.type).toBe('error');
    expect(JSON.stringify(refused?.payload)).toMatch(/not found/i);
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
    expect(refused?.type).toBe('error');
    expect(JSON.stringify(refused?.payload)).toMatch(/At most/);

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

  it('refuses unauthenticated connections and invalid tokens', async () => {
    const none = await connect(urlB);
    expect(none.answer?.type).toBe('connection_error');
    expect(await none.connection.next(() => false, 2_000)).toBeUndefined();
    expect(none.connection.closed).toBe(true);

    const bad = await connect(urlB, { authorization: 'Bearer not-a-token' });
    expect(bad.answer?.type).toBe('connection_error');

    const badHeader = await open(urlB, { authorization: 'Bearer not-a-token' });
    expect(badHeader).toEqual({ refused: 401 });
  });
});
