import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFake, type HttpFake, type RecordedRequest } from '#test/fakes/http-fake.js';
import {
  graphql,
  movableClock,
  PASSWORD,
  register,
  registerAdmin,
  rowsOf,
  runDueJobs,
  type Session,
  useTestApp,
} from '#test/helpers.js';
import { withTransaction } from '../../../platform/db/transaction.js';
import type { PartnerEvent } from '../webhooks.feed.js';

// Partner webhooks end to end: endpoints over REST and GraphQL, events written in the
// change's transaction and numbered after commit, deliveries to a local receiver verified
// with the standardwebhooks library, order across a failure, the 3-day cut-off and its
// e-mail, secret rotation, redelivery, and the events feed's visibility.

const clock = movableClock();
const testApp = useTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' }, clock });
const app = () => testApp().app;
const db = () => testApp().container.database.db;
const webhooks = () => testApp().container.services.webhooks;

let receiver: HttpFake;
let host: Session;
let otherHost: Session;
let guest: Session;
let admin: Session;

beforeAll(async () => {
  receiver = await startHttpFake(() => ({ status: 204, body: '' }));
  [host, otherHost, guest] = await Promise.all([
    register(app(), { role: 'host' }),
    register(app(), { role: 'host' }),
    register(app()),
  ]);
  admin = await registerAdmin(testApp());
});

afterAll(async () => {
  await receiver.close();
});

async function record(event: Partial<PartnerEvent> & { hostIds: string[] }): Promise<void> {
  await withTransaction(db(), (tx) =>
    webhooks().record(tx, { type: 'booking.created', data: { n: Math.random() }, ...event }),
  );
}

/** Numbers what committed and runs every delivery due (as the worker would). */
async function deliver(): Promise<void> {
  await webhooks().settled();
  await webhooks().sequenceNow();
  await runDueJobs(testApp());
}

async function createEndpoint(
  session: Session,
  body: Record<string, unknown> = {},
): Promise<{ id: string; secret: string; path: string }> {
  const path = `/hook/${Math.random().toString(36).slice(2)}`;
  const res = await app().inject({
    method: 'POST',
    url: '/v1/webhooks',
    headers: session.auth,
    payload: { url: `${receiver.url}${path}`, events: ['booking.created', 'booking.canceled'], ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  const { endpoint, secret } = res.json<{ endpoint: { id: string }; secret: string }>();
  expect(res.headers.location).toBe(`/v1/webhooks/${endpoint.id}`);
  return { id: endpoint.id, secret, path };
}

const received = (path: string): RecordedRequest[] => receiver.requests.filter((r) => r.path === path);
const headersOf = (r: RecordedRequest) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});

describe('events', () => {
  it('are written in the change’s transaction: a rolled back change leaves no event', async () => {
    const marker = `rollback-${Math.random()}`;
    await expect(
      withTransaction(db(), async (tx) => {
        await webhooks().record(tx, { type: 'booking.created', data: { marker }, hostIds: [host.user.id] });
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    await record({ data: { marker: `${marker}-kept` }, hostIds: [host.user.id] });
    await deliver();
    const rows = await rowsOf<{ marker: string; seq: number | null }>(
      db(),
      sql`select data->>'marker' as marker, seq from events where data->>'marker' like ${`${marker}%`}`,
    );
    expect(rows.map((r) => r.marker)).toEqual([`${marker}-kept`]);
    expect(rows[0]!.seq).not.toBeNull();
  });

  it('are numbered without gaps', async () => {
    for (let i = 0; i < 5; i++) await record({ hostIds: [host.user.id] });
    await deliver();
    const rows = await rowsOf<{ seq: string }>(db(), sql`select seq from events order by seq`);
    const seqs = rows.map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('feed: hosts see events about them, admins all, guests none; types filter; GraphQL agrees', async () => {
    await record({ type: 'booking.canceled', data: { who: 'host' }, hostIds: [host.user.id] });
    await record({ type: 'booking.canceled', data: { who: 'other' }, hostIds: [otherHost.user.id] });
    await deliver();
    const read = async (s: Session, query = '') =>
      app().inject({ method: 'GET', url: `/v1/events?limit=100${query}`, headers: s.auth });
    const mine = (await read(host, '&types=booking.canceled')).json<{ data: { data: { who: string } }[] }>();
    expect(mine.data.map((e) => e.data.who)).toEqual(['host']);
    const all = (await read(admin, '&types=booking.canceled')).json<{ data: { data: { who: string } }[] }>();
    expect(all.data.map((e) => e.data.who)).toEqual(['host', 'other']);
    expect((await read(guest)).statusCode).toBe(403);
    expect((await read(host, '&types=booking.nope')).statusCode).toBe(422);
    expect((await read(host, '&limit=1000')).statusCode).toBe(422);

    const gql = await graphql(
      app(),
      'query { events(types: ["booking.canceled"], first: 100) { edges { cursor node { seq type data } } pageInfo { hasNextPage endCursor } } }',
      {},
      host.auth,
    );
    expect(gql.body.errors, JSON.stringify(gql.body.errors)).toBeUndefined();
    const edges = (gql.body.data!.events as { edges: { cursor: string; node: { seq: number; data: string } }[] }).edges;
    expect(edges.map((e) => (JSON.parse(e.node.data) as { who: string }).who)).toEqual(['host']);
    expect(edges[0]!.cursor).toBe(String(edges[0]!.node.seq));
  });
});

describe('webhook endpoints', () => {
  it('are created, read, changed and deleted by their owner only', async () => {
    const { id, secret } = await createEndpoint(host, { description: 'Channel manager' });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    const get = await app().inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: host.auth });
    expect(get.json()).toMatchObject({ id, description: 'Channel manager', enabled: true });
    expect(get.body).not.toContain('whsec_');
    const list = await app().inject({ method: 'GET', url: '/v1/webhooks', headers: host.auth });
    expect(list.json<{ data: { id: string }[] }>().data.map((e) => e.id)).toContain(id);
    const stranger = await app().inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: otherHost.auth });
    expect(stranger.statusCode).toBe(404);
    const asGuest = await app().inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: guest.auth });
    expect(asGuest.statusCode).toBe(404);
    const patch = await app().inject({
      method: 'PATCH',
      url: `/v1/webhooks/${id}`,
      headers: host.auth,
      payload: { events: ['booking.completed'] },
    });
    expect(patch.json()).toMatchObject({ events: ['booking.completed'] });
    const del = await app().inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: host.auth });
    expect(del.statusCode).toBe(204);
    expect((await app().inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: host.auth })).statusCode).toBe(404);
  });

  it('go with their owner’s account when it closes', async () => {
    const owner = await register(app(), { role: 'host' });
    const { id } = await createEndpoint(owner);
    const closed = await app().inject({
      method: 'DELETE',
      url: '/v1/me',
      headers: owner.auth,
      payload: { password: PASSWORD },
    });
    expect(closed.statusCode, closed.body).toBe(204);
    expect(await rowsOf(db(), sql`select id from webhook_endpoints where id = ${id}`)).toEqual([]);
  });

  it('refuses guests, bad URLs and an eleventh endpoint', async () => {
    const post = (s: Session, payload: Record<string, unknown>) =>
      app().inject({ method: 'POST', url: '/v1/webhooks', headers: s.auth, payload });
    expect((await post(guest, { url: 'https://example.com/h', events: ['booking.created'] })).statusCode).toBe(403);
    expect((await post(host, { url: 'ftp://example.com/h', events: ['booking.created'] })).statusCode).toBe(422);
    expect(
      (await post(host, { url: `https://example.com/${'a'.repeat(2_100)}`, events: ['booking.created'] })).statusCode,
    ).toBe(422);
    expect((await post(host, { url: 'https://example.com/h', events: [] })).statusCode).toBe(422);
    const owner = await register(app(), { role: 'host' });
    for (let i = 0; i < 10; i++) {
      expect((await post(owner, { url: `https://example.com/${i}`, events: ['booking.created'] })).statusCode).toBe(
        201,
      );
    }
    const eleventh = await post(owner, { url: 'https://example.com/11', events: ['booking.created'] });
    expect(eleventh.statusCode).toBe(409);
    expect(eleventh.json()).toMatchObject({ code: 'too_many_webhook_endpoints' });
  });
});

describe('deliveries', () => {
  it('are signed per Standard Webhooks, in seq order, only of the owner’s events', async () => {
    const { secret, path } = await createEndpoint(host);
    await record({ data: { i: 1 }, hostIds: [host.user.id] });
    await record({ data: { i: 2 }, hostIds: [otherHost.user.id] });
    await record({ type: 'booking.completed', data: { i: 3 }, hostIds: [host.user.id] });
    await record({ type: 'booking.canceled', data: { i: 4 }, hostIds: [host.user.id] });
    await deliver();
    const got = received(path);
    expect(got.map((r) => (JSON.parse(r.body) as { data: { i: number } }).data.i)).toEqual([1, 4]);
    const wh = new Webhook(secret);
    const bodies = got.map((r) => wh.verify(r.body, headersOf(r)) as { id: string; seq: number; type: string });
    expect(bodies[0]!.id).toBe(got[0]!.headers['webhook-id']);
    expect(bodies[0]!.seq).toBeLessThan(bodies[1]!.seq);
    expect(() =>
      new Webhook(`whsec_${Buffer.from('x'.repeat(24)).toString('base64')}`).verify(got[0]!.body, headersOf(got[0]!)),
    ).toThrow();
  });

  it('wait behind a failing event, then arrive once each, in order, when the endpoint recovers', async () => {
    const owner = await register(app(), { role: 'host' });
    const { id, path } = await createEndpoint(owner);
    receiver.failNext(1, { status: 503, body: {} });
    await record({ data: { i: 'a' }, hostIds: [owner.user.id] });
    await record({ data: { i: 'b' }, hostIds: [owner.user.id] });
    await deliver();
    expect(received(path)).toHaveLength(1);
    const failing = await app().inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: owner.auth });
    expect(failing.json<{ failingSince: string | null }>().failingSince).not.toBeNull();
    await record({ data: { i: 'c' }, hostIds: [owner.user.id] });
    await deliver();
    expect(received(path)).toHaveLength(1);

    clock.offsetMs += 6_000;
    await deliver();
    const order = received(path).map((r) => (JSON.parse(r.body) as { data: { i: string } }).data.i);
    expect(order).toEqual(['a', 'a', 'b', 'c']);
    const list = await app().inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: owner.auth });
    const deliveries = list.json<{ data: { status: string; attempts: number; responseStatus: number }[] }>().data;
    expect(deliveries.map((d) => [d.status, d.attempts])).toEqual([
      ['succeeded', 1],
      ['succeeded', 1],
      ['succeeded', 2],
    ]);
    const healthy = await app().inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: owner.auth });
    expect(healthy.json<{ failingSince: string | null }>().failingSince).toBeNull();
  });

  it('stop after 3 days of failures: the endpoint is disabled and its owner e-mailed once', async () => {
    const owner = await register(app(), { role: 'host' });
    const { id, path } = await createEndpoint(owner);
    receiver.failNext(1_000, { status: 500, body: {} });
    try {
      await record({ hostIds: [owner.user.id] });
      await deliver();
      for (const hours of [1, 5, 12, 24, 48, 72.1]) {
        clock.offsetMs = hours * 3_600_000;
        await deliver();
      }
      await deliver();
    } finally {
      receiver.failNext(0);
    }
    const endpoint = await app().inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: owner.auth });
    expect(endpoint.json()).toMatchObject({ enabled: false });
    expect(received(path).length).toBeGreaterThan(2);
    const mails = await rowsOf<{ n: number }>(
      db(),
      sql`select count(*)::int as n from mail_deliveries where recipient = ${owner.user.email} and dedupe_key like 'webhook-disabled:%'`,
    );
    expect(mails[0]!.n).toBe(1);
    const list = await app().inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: owner.auth });
    expect(list.json<{ data: { status: string }[] }>().data[0]!.status).toBe('failed');

    // Re-enabled, it gets what it missed.
    const before = received(path).length;
    clock.offsetMs = 73 * 3_600_000;
    await app().inject({ method: 'PATCH', url: `/v1/webhooks/${id}`, headers: owner.auth, payload: { enabled: true } });
    await webhooks().tick(new Date(Date.now() + clock.offsetMs));
    await runDueJobs(testApp());
    expect(received(path).length).toBe(before + 1);
  });

  it('carry both signatures during a secret rotation’s overlap', async () => {
    const { id, secret: old, path } = await createEndpoint(host);
    const rotated = await app().inject({ method: 'POST', url: `/v1/webhooks/${id}/rotate-secret`, headers: host.auth });
    const { secret: fresh } = rotated.json<{ secret: string }>();
    expect(fresh).not.toBe(old);
    await record({ hostIds: [host.user.id] });
    await deliver();
    const [got] = received(path);
    expect(String(got!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(new Webhook(old).verify(got!.body, headersOf(got!))).toBeTruthy();
    expect(new Webhook(fresh).verify(got!.body, headersOf(got!))).toBeTruthy();
  });

  it('are sent again on request, with the same webhook-id', async () => {
    const { id, path } = await createEndpoint(host);
    await record({ hostIds: [host.user.id] });
    await deliver();
    const list = await app().inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: host.auth });
    const [delivery] = list.json<{ data: { id: string; attempts: number }[] }>().data;
    const res = await app().inject({
      method: 'POST',
      url: `/v1/webhooks/${id}/deliveries/${delivery!.id}/redeliver`,
      headers: host.auth,
    });
    expect(res.statusCode).toBe(202);
    await runDueJobs(testApp());
    const got = received(path);
    expect(got).toHaveLength(2);
    expect(got[1]!.headers['webhook-id']).toBe(got[0]!.headers['webhook-id']);
    const after = await app().inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: host.auth });
    expect(after.json<{ data: { attempts: number }[] }>().data[0]!.attempts).toBe(2);
    const stranger = await app().inject({
      method: 'POST',
      url: `/v1/webhooks/${id}/deliveries/${delivery!.id}/redeliver`,
      headers: otherHost.auth,
    });
    expect(stranger.statusCode).toBe(404);
  });
});
