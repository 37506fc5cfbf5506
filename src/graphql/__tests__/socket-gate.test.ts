import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { parse } from 'graphql';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConversation } from '#test/factories/messages.js';
import { createProperty } from '#test/factories/properties.js';
import {
  createTestApp,
  PASSWORD,
  register,
  registerAdmin,
  testEnv,
  toSession,
  type Session,
  type TestApp,
} from '#test/helpers.js';
import { Connection, connectAs, connectSocket, openSocket, wsUrl, type Frame } from '#test/ws.js';
import { loggerOptions } from '../../composition/app.js';
import { createJwtService } from '../../platform/auth/jwt.js';
import { accessRevokedTopic } from '../../platform/live/live.js';
import { GRAPHQL_MAX_TOKENS } from '../gate.js';
import { GRAPHQL_MAX_ALIASES } from '../limits.js';
import { CALLER_RECHECK_MS, SOCKET_LIMITS } from '../socket-guard.js';
import { users } from '../../modules/users/users.table.js';

/**
 * The GraphQL WebSocket under attack, over real sockets: every document HTTP refuses is
 * refused on the socket with a coded `error` message, the protocol's close codes, the
 * caller re-checked while the socket is open, and the bounds on sockets per user and address.
 */

const lines: Record<string, unknown>[] = [];
const stream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

const SUBSCRIBE = 'subscription($c: ID!) { messageAdded(conversationId: $c) { id body } }';

let t: TestApp;
let url: string;
let host: Session;
let guest: Session;
let admin: Session;
let conversationId: string;
const opened: Connection[] = [];

beforeAll(async () => {
  t = await createTestApp({ logger: loggerOptions('info', stream) });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = wsUrl(t.app);
  [host, guest, admin] = await Promise.all([register(t.app, { role: 'host' }), register(t.app), registerAdmin(t)]);
  conversationId = await startConversation(t.app, guest, (await createProperty(t.app, host)).id);
});

afterAll(async () => {
  for (const c of opened) c.ws.close();
  await t?.close();
});

async function as(session: Session): Promise<Connection> {
  const c = await connectAs(url, session.accessToken);
  opened.push(c);
  return c;
}

/** The answer to a subscribe: its `error`, or the first event once messages are sent. */
async function answerTo(c: Connection, id: string, payload: unknown): Promise<Frame | undefined> {
  c.send({ id, type: 'subscribe', payload });
  for (let i = 0; i < 20; i++) {
    const f = await c.next((x) => x.id === id, 150).catch(() => undefined);
    if (f || c.closed) return f;
    await t.app.inject({
      method: 'POST',
      url: `/v1/conversations/${conversationId}/messages`,
      headers: host.auth,
      payload: { body: `ping ${id} ${i}` },
    });
  }
  return undefined;
}

const codesOf = (f: Frame | undefined) =>
  ((f?.payload ?? []) as { extensions?: { code?: string; reason?: string } }[]).map((e) => e.extensions?.code);

describe('documents HTTP refuses are refused on the socket', () => {
  it(`refuses 2,000 aliases, and one past the limit of ${GRAPHQL_MAX_ALIASES}`, async () => {
    const c = await as(guest);
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: id`).join(' ');
    const subscription = (n: number) => ({
      query: `subscription($c: ID!) { messageAdded(conversationId: $c) { ${aliases(n)} } }`,
      variables: { c: conversationId },
    });
    const f = await answerTo(c, 'aliases', subscription(2_000));
    expect(f?.type).toBe('error');
    expect(codesOf(f)).toContain('GRAPHQL_VALIDATION_FAILED');
    const g = await answerTo(c, 'aliases-31', subscription(GRAPHQL_MAX_ALIASES + 1));
    expect(g).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    expect(JSON.stringify(g?.payload)).toMatch(/aliases/i);
    expect(c.closed).toBe(false);
  });

  it('refuses an unknown field', async () => {
    const c = await as(guest);
    const f = await answerTo(c, 'unknown', {
      query: 'subscription($c: ID!) { messageAdded(conversationId: $c) { id secretField } }',
      variables: { c: conversationId },
    });
    expect(f).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
  });

  it('refuses a subscription with two root fields', async () => {
    const c = await as(guest);
    const f = await answerTo(c, 'two', {
      query:
        'subscription($c: ID!) { a: messageAdded(conversationId: $c) { id } b: messageAdded(conversationId: $c) { id } }',
      variables: { c: conversationId },
    });
    expect(f).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    expect(JSON.stringify(f?.payload)).toMatch(/only one top level field/i);
  });

  it('refuses a ready-made JSON syntax tree and a JSON string in `query`', async () => {
    const c = await as(guest);
    const tree = JSON.parse(JSON.stringify(parse(SUBSCRIBE, { noLocation: true }))) as unknown;
    const f = await answerTo(c, 'ast', { query: tree, variables: { c: conversationId } });
    expect(f).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    const g = await answerTo(c, 'json', { query: JSON.stringify(tree), variables: { c: conversationId } });
    expect(g).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
  });

  it(`refuses a document of more than ${GRAPHQL_MAX_TOKENS} tokens`, async () => {
    const c = await as(guest);
    const fields = Array.from({ length: GRAPHQL_MAX_TOKENS }, () => 'id').join(' ');
    const f = await answerTo(c, 'tokens', {
      query: `subscription($c: ID!) { messageAdded(conversationId: $c) { ${fields} } }`,
      variables: { c: conversationId },
    });
    expect(f).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    expect(JSON.stringify(f?.payload)).toMatch(/tokens/);
  });

  it('refuses U+0000 in variables as BAD_USER_INPUT', async () => {
    const c = await as(guest);
    const f = await answerTo(c, 'nul', { query: SUBSCRIBE, variables: { c: `${conversationId}\u0000` } });
    expect(f).toMatchObject({
      type: 'error',
      payload: [{ extensions: { code: 'BAD_USER_INPUT', errors: [{ path: 'variables.c' }] } }],
    });
  });

  it('runs subscriptions only: a query sent over the socket is refused', async () => {
    const c = await as(guest);
    const f = await answerTo(c, 'query', { query: '{ __typename }' });
    expect(f).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
  });

  it('charges each subscription to the client address’s cost budget', async () => {
    const spent = async () => (await t.container.counters.increment('gql-cost:127.0.0.1', 60_000, 0)).count;
    const before = await spent();
    const c = await as(guest);
    const f = await answerTo(c, 'priced', { query: SUBSCRIBE, variables: { c: conversationId } });
    expect(f?.type).toBe('next');
    expect(await spent()).toBeGreaterThan(before);
  });

  it('codes the errors of a subscription the resolver refuses, logs them at info, and logs nothing at error', async () => {
    const stranger = await register(t.app);
    const c = await as(stranger);
    lines.length = 0;
    const f = await answerTo(c, 'stranger', { query: SUBSCRIBE, variables: { c: conversationId } });
    expect(f).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'NOT_FOUND' } }] });
    const refused = lines.find((l) => l.msg === 'graphql subscription refused');
    expect(refused).toMatchObject({ level: 30, code: 'NOT_FOUND' });
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });
});

describe('subscriptions over HTTP', () => {
  it('answers a POSTed subscription 400 BAD_REQUEST, logged at info', async () => {
    lines.length = 0;
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: guest.auth,
      payload: { query: SUBSCRIBE, variables: { c: conversationId } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      data: null,
      errors: [{ extensions: { code: 'BAD_REQUEST', reason: 'subscription_over_http' } }],
    });
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
  });

  it('refuses a non-string query over HTTP too', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query: parse('{ __typename }', { noLocation: true }) },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('graphql-transport-ws protocol', () => {
  it('closes 4401 for a subscribe before the acknowledgement', async () => {
    const c = await openSocket(url);
    if (!(c instanceof Connection)) throw new Error('refused');
    c.send({ id: '1', type: 'subscribe', payload: { query: SUBSCRIBE, variables: { c: conversationId } } });
    expect(await c.closedWith()).toBe(4401);
  });

  it('closes 4400 for a frame that is not a protocol message', async () => {
    const c = await as(guest);
    c.sendRaw('not json');
    expect(await c.closedWith()).toBe(4400);
    const d = await as(guest);
    d.send({ type: 'start', id: '1', payload: {} });
    expect(await d.closedWith()).toBe(4400);
    // A `complete` without a usable id (found by the socket fuzzer).
    for (const id of ['', 7, 'x'.repeat(129)]) {
      const e = await as(guest);
      e.send({ type: 'complete', id });
      expect(await e.closedWith(), JSON.stringify(id)).toBe(4400);
    }
  });

  it('closes 4429 for a second connection_init and 4409 for an id in use', async () => {
    const c = await as(guest);
    c.send({ type: 'connection_init', payload: { authorization: `Bearer ${guest.accessToken}` } });
    expect(await c.closedWith()).toBe(4429);
    const d = await as(guest);
    expect((await answerTo(d, 'same', { query: SUBSCRIBE, variables: { c: conversationId } }))?.type).toBe('next');
    d.send({ id: 'same', type: 'subscribe', payload: { query: SUBSCRIBE, variables: { c: conversationId } } });
    expect(await d.closedWith()).toBe(4409);
  });

  it('closes 4406 for the legacy graphql-ws subprotocol', async () => {
    const c = await openSocket(url, {}, ['graphql-ws']);
    if (!(c instanceof Connection)) throw new Error('refused');
    expect(await c.closedWith()).toBe(4406);
  });

  it('closes 4401 for connection_init without a token or with an invalid one', async () => {
    const none = await connectSocket(url, {});
    expect(none.answer).toBeUndefined();
    expect(none.connection.closeCode).toBe(4401);
    const bad = await connectSocket(url, { authorization: 'Bearer nope' });
    expect(bad.connection.closeCode).toBe(4401);
  });
});

describe('live identity', () => {
  it('closes the sockets of a user suspended while connected (4403), and refuses them at connection_init', async () => {
    const victim = await register(t.app);
    const c = await as(victim);
    const other = await as(victim);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/v1/admin/users/${victim.user.id}`,
      headers: admin.auth,
      payload: { status: 'suspended' },
    });
    expect(res.statusCode).toBe(200);
    expect(await c.closedWith()).toBe(4403);
    expect(await other.closedWith()).toBe(4403);
    const again = await connectSocket(url, { authorization: `Bearer ${victim.accessToken}` });
    expect(again.answer).toBeUndefined();
    expect(again.connection.closeCode).toBe(4403);
  });

  it('closes the socket when its access token expires (4403)', async () => {
    const jwt = createJwtService(testEnv().JWT_SECRET!, 2);
    // The guest's own sign-in, in a token that lives 2 seconds.
    const { sid } = decodeJwt(guest.accessToken);
    const token = await jwt.sign({ sub: guest.user.id, role: 'guest', sid: String(sid) });
    const c = await connectAs(url, token);
    opened.push(c);
    expect((await answerTo(c, 'short', { query: SUBSCRIBE, variables: { c: conversationId } }))?.type).toBe('next');
    expect(await c.closedWith(5_000)).toBe(4403);
    expect(c.closeReason).toBe('Token expired');
  });

  it('ending one session closes only its sockets; logout everywhere and a password change close the rest', async () => {
    const person = await register(t.app);
    const signIn = async () =>
      toSession(
        await t.app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email: person.user.email, password: PASSWORD },
        }),
      );
    const [second, third] = [await signIn(), await signIn()];
    const [first, other, another] = [await as(person), await as(second), await as(third)];
    const { sid } = decodeJwt(second.accessToken);
    const ended = await t.app.inject({ method: 'DELETE', url: `/v1/me/sessions/${String(sid)}`, headers: person.auth });
    expect(ended.statusCode).toBe(204);
    expect(await other.closedWith()).toBe(4403);
    // The other sessions' sockets are still served.
    for (const c of [first, another]) {
      c.send({ type: 'ping' });
      expect((await c.next((f) => f.type === 'pong'))?.type).toBe('pong');
    }
    // A password change ends every other session: the third's socket closes, the caller's stays.
    const changed = await t.app.inject({
      method: 'POST',
      url: '/v1/me/password',
      headers: person.auth,
      payload: { currentPassword: PASSWORD, newPassword: 'a different horse staple' },
    });
    expect(changed.statusCode).toBe(204);
    expect(await another.closedWith()).toBe(4403);
    first.send({ type: 'ping' });
    expect((await first.next((f) => f.type === 'pong'))?.type).toBe('pong');
    const all = await t.app.inject({ method: 'POST', url: '/v1/auth/logout-all', headers: person.auth });
    expect(all.statusCode).toBe(204);
    expect(await first.closedWith()).toBe(4403);
  });

  it('closes every socket of the user when an access-revoked event names no session', async () => {
    const c = await as(host);
    // The emitter's own matcher, and the topic as it holds it (under the deployment's prefix with Redis).
    const matcher = (t.container.live.emitter as unknown as { _matcher: { match(topic: string): unknown[] } })._matcher;
    const held = `${t.container.redis ? `${t.container.redisPrefix}live:` : ''}${accessRevokedTopic(host.user.id)}`;
    expect(matcher.match(held)).toHaveLength(1);
    await t.container.live.publish(accessRevokedTopic(host.user.id), {});
    expect(await c.closedWith()).toBe(4403);
    expect(c.closeReason).toBe('Access revoked');
    // The closed socket listens no more.
    expect(matcher.match(held)).toEqual([]);
  });

  it('checks the caller before delivering an event, even when no revocation was announced', async () => {
    const quiet = await register(t.app);
    // A participant of the conversation: its guest, through a conversation of its own.
    const place = (await createProperty(t.app, host)).id;
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/conversations',
      headers: quiet.auth,
      payload: { propertyId: place, body: 'Hi' },
    });
    const own = res.json<{ id: string }>().id;
    const c = await as(quiet);
    c.send({ id: 'q', type: 'subscribe', payload: { query: SUBSCRIBE, variables: { c: own } } });
    const sendToOwn = (body: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/conversations/${own}/messages`,
        headers: host.auth,
        payload: { body },
      });
    let live: Frame | undefined;
    for (let i = 0; i < 20 && !live; i++) {
      await sendToOwn(`warm-up ${i}`);
      live = await c.next((f) => f.id === 'q', 150).catch(() => undefined);
    }
    expect(live?.type).toBe('next');
    // Suspended behind the service's back: no access-revoked event is published.
    await t.container.database.db.update(users).set({ status: 'suspended' }).where(eq(users.id, quiet.user.id));
    // Past the reuse window of the last check.
    await new Promise((resolve) => setTimeout(resolve, CALLER_RECHECK_MS + 100));
    expect((await sendToOwn('for a suspended reader')).statusCode).toBe(201);
    expect(await c.closedWith()).toBe(4403);
    expect(await c.next((f) => f.type === 'next', 0)).toBeUndefined();
  });
});

describe('bounds', () => {
  let b: TestApp;
  let bUrl: string;
  let user: Session;
  beforeAll(async () => {
    b = await createTestApp({ socketLimits: { initTimeoutMs: 300 } });
    await b.app.listen({ port: 0, host: '127.0.0.1' });
    bUrl = wsUrl(b.app);
    user = await register(b.app);
  });
  afterAll(() => b?.close());

  it(`closes a socket that sends no connection_init (4408; ${SOCKET_LIMITS.initTimeoutMs / 1000} s by default)`, async () => {
    expect(SOCKET_LIMITS.initTimeoutMs).toBe(10_000);
    const c = await openSocket(bUrl);
    if (!(c instanceof Connection)) throw new Error('refused');
    expect(await c.closedWith()).toBe(4408);
  });

  it(`holds at most ${SOCKET_LIMITS.perUser} sockets per user`, async () => {
    const held: Connection[] = [];
    for (let i = 0; i < SOCKET_LIMITS.perUser; i++) held.push(await connectAs(bUrl, user.accessToken));
    const over = await connectSocket(bUrl, { authorization: `Bearer ${user.accessToken}` });
    expect(over.answer).toBeUndefined();
    expect(over.connection.closeCode).toBe(4429);
    // A closed socket frees its place.
    held[0]!.ws.close();
    await held[0]!.closedWith();
    await expect
      .poll(async () => (await connectSocket(bUrl, { authorization: `Bearer ${user.accessToken}` })).answer?.type)
      .toBe('connection_ack');
    for (const c of held) c.ws.close();
  });
});

describe('bounds per address', () => {
  let b: TestApp;
  beforeAll(async () => {
    b = await createTestApp();
    await b.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => b?.close());

  it(`holds at most ${SOCKET_LIMITS.perAddress} sockets per client address`, async () => {
    const held: Connection[] = [];
    for (let i = 0; i < SOCKET_LIMITS.perAddress; i++) {
      const c = await openSocket(wsUrl(b.app));
      if (!(c instanceof Connection)) throw new Error('refused');
      held.push(c);
    }
    const over = await openSocket(wsUrl(b.app));
    if (!(over instanceof Connection)) throw new Error('refused');
    expect(await over.closedWith()).toBe(4429);
    expect(over.closeReason).toMatch(/address/);
    expect(held.every((c) => !c.closed)).toBe(true);
    for (const c of held) c.ws.close();
  });
});
