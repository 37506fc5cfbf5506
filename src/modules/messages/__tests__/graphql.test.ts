import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProperty } from '#test/factories/properties.js';
import { graphql, register, type Session, useTestApp } from '#test/helpers.js';

let queries = 0;
const testApp = useTestApp({ onQuery: () => void queries++ });
const app = () => testApp().app;

let host: Session;
let guest: Session;
let stranger: Session;
let propertyId: string;

async function gql(as: Session | undefined, query: string, variables: Record<string, unknown> = {}) {
  queries = 0;
  const res = await graphql(app(), query, variables, as?.auth ?? {});
  return { ...res, queries };
}

const START = `mutation($p: ID!, $b: String!) { startConversation(propertyId: $p, body: $b) { id unreadCount lastMessage { body } } }`;
const SEND = `mutation($c: ID!, $b: String!) { sendMessage(conversationId: $c, body: $b) { id conversationId senderId body readAt } }`;
const READ = `mutation($c: ID!) { markConversationRead(conversationId: $c) { id unreadCount } }`;
const LIST = `query($first: Int, $after: String) {
  conversations(first: $first, after: $after) {
    edges { cursor node {
      id unreadCount bookingId lastMessageAt
      property { id title } guest { id firstName } host { id firstName }
      lastMessage { body }
      messages(first: 3) { edges { node { body senderId } } pageInfo { hasNextPage endCursor } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

beforeAll(async () => {
  [host, guest, stranger] = await Promise.all([
    register(app(), { role: 'host', firstName: 'Hana' }),
    register(app(), { firstName: 'Gil' }),
    register(app()),
  ]);
  propertyId = (await createProperty(app(), host)).id;
});

type Edge = {
  node: {
    id: string;
    unreadCount: number;
    property: { title: string } | null;
    guest: { firstName: string };
    host: { firstName: string };
    messages: { edges: { node: { body: string } }[]; pageInfo: { hasNextPage: boolean } };
  };
};

describe('GraphQL messages', () => {
  it('starts, sends, lists with batch-loaded relations and marks read, as REST does', async () => {
    const started = await gql(guest, START, { p: propertyId, b: 'Hello from GraphQL' });
    expect(started.body.errors).toBeUndefined();
    const c = (started.body.data!.startConversation as { id: string }).id;
    const again = await gql(guest, START, { p: propertyId, b: 'Second' });
    expect((again.body.data!.startConversation as { id: string }).id).toBe(c);

    const sent = await gql(host, SEND, { c, b: 'Hi Gil' });
    expect(sent.body.data!.sendMessage).toMatchObject({
      conversationId: c,
      senderId: host.user.id,
      body: 'Hi Gil',
      readAt: null,
    });

    const listed = await gql(host, LIST, { first: 10 });
    expect(listed.body.errors).toBeUndefined();
    const edges = (listed.body.data!.conversations as { edges: Edge[] }).edges;
    const mine = edges.find((e) => e.node.id === c)!;
    expect(mine.node).toMatchObject({
      unreadCount: 2,
      guest: { firstName: 'Gil' },
      host: { firstName: 'Hana' },
      property: { title: expect.any(String) },
    });
    expect(mine.node.messages.edges.map((e) => e.node.body)).toEqual(['Hi Gil', 'Second', 'Hello from GraphQL']);

    const rest = await app().inject({ url: '/v1/conversations?limit=10', headers: host.auth });
    expect(edges.map((e) => e.node.id)).toEqual(rest.json<{ data: { id: string }[] }>().data.map((x) => x.id));

    const read = await gql(host, READ, { c });
    expect(read.body.data!.markConversationRead).toEqual({ id: c, unreadCount: 0 });
    const one = await gql(guest, `query($id: ID!) { conversation(id: $id) { id unreadCount } }`, { id: c });
    expect(one.body.data!.conversation).toEqual({ id: c, unreadCount: 1 });
  });

  it('loads a page of conversations with their relations and messages in a constant number of queries', async () => {
    const h = await register(app(), { role: 'host' });
    const guests = await Promise.all(Array.from({ length: 6 }, () => register(app())));
    const place = (await createProperty(app(), h)).id;
    const openFor = async (g: Session) => {
      const r = await gql(g, START, { p: place, b: 'hi' });
      const id = (r.body.data!.startConversation as { id: string }).id;
      await gql(g, SEND, { c: id, b: 'more' });
    };
    await openFor(guests[0]!);
    const small = await gql(h, LIST, { first: 20 });
    for (const g of guests.slice(1)) await openFor(g);
    const large = await gql(h, LIST, { first: 20 });
    expect((small.body.data!.conversations as { edges: unknown[] }).edges).toHaveLength(1);
    expect((large.body.data!.conversations as { edges: unknown[] }).edges).toHaveLength(6);
    expect(large.queries).toBe(small.queries);
  });

  it('prices nested lists: conversations × messages over the limit is refused before running', async () => {
    const res = await gql(
      guest,
      `{ conversations(first: 100) { edges { node { id messages(first: 100) { edges { node { id body } } } } } } }`,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(/costs \d+, more than the limit/);
  });

  it('BAD_USER_INPUT for invisible-only bodies in startConversation and sendMessage', async () => {
    const place = (await createProperty(app(), host)).id;
    const started = await gql(guest, START, { p: place, b: 'Hello' });
    const c = (started.body.data!.startConversation as { id: string }).id;
    for (const b of ['\u200b\u200b', ' \u2060 ', '\ufeff']) {
      for (const [query, variables] of [
        [START, { p: place, b }],
        [SEND, { c, b }],
      ] as const) {
        const res = await gql(guest, query, variables);
        expect(res.body.errors?.[0]?.extensions?.code, JSON.stringify(b)).toBe('BAD_USER_INPUT');
      }
    }
  });

  it('answers the same errors as REST', async () => {
    const c = (await gql(guest, START, { p: propertyId, b: 'parity' })).body.data!.startConversation as { id: string };
    const code = (r: { body: { errors?: { extensions?: { code?: string } }[] } }) =>
      r.body.errors?.[0]?.extensions?.code;
    const cases: [Session | undefined, string, Record<string, unknown>, string, () => Promise<number>][] = [
      [
        undefined,
        START,
        { p: propertyId, b: 'x' },
        'UNAUTHENTICATED',
        async () =>
          (await app().inject({ method: 'POST', url: '/v1/conversations', payload: { propertyId, body: 'x' } }))
            .statusCode,
      ],
      [
        host,
        START,
        { p: propertyId, b: 'x' },
        'BAD_USER_INPUT',
        async () =>
          (
            await app().inject({
              method: 'POST',
              url: '/v1/conversations',
              headers: host.auth,
              payload: { propertyId, body: 'x' },
            })
          ).statusCode,
      ],
      [
        guest,
        START,
        { p: randomUUID(), b: 'x' },
        'NOT_FOUND',
        async () =>
          (
            await app().inject({
              method: 'POST',
              url: '/v1/conversations',
              headers: guest.auth,
              payload: { propertyId: randomUUID(), body: 'x' },
            })
          ).statusCode,
      ],
      [
        guest,
        START,
        { p: propertyId, b: '   ' },
        'BAD_USER_INPUT',
        async () =>
          (
            await app().inject({
              method: 'POST',
              url: '/v1/conversations',
              headers: guest.auth,
              payload: { propertyId, body: '   ' },
            })
          ).statusCode,
      ],
      [
        stranger,
        SEND,
        { c: c.id, b: 'x' },
        'NOT_FOUND',
        async () =>
          (
            await app().inject({
              method: 'POST',
              url: `/v1/conversations/${c.id}/messages`,
              headers: stranger.auth,
              payload: { body: 'x' },
            })
          ).statusCode,
      ],
      [
        guest,
        SEND,
        { c: 'not-a-uuid', b: 'x' },
        'NOT_FOUND',
        async () =>
          (
            await app().inject({
              method: 'POST',
              url: '/v1/conversations/not-a-uuid/messages',
              headers: guest.auth,
              payload: { body: 'x' },
            })
          ).statusCode,
      ],
      [
        guest,
        SEND,
        { c: c.id, b: 'x'.repeat(4001) },
        'BAD_USER_INPUT',
        async () =>
          (
            await app().inject({
              method: 'POST',
              url: `/v1/conversations/${c.id}/messages`,
              headers: guest.auth,
              payload: { body: 'x'.repeat(4001) },
            })
          ).statusCode,
      ],
      [
        stranger,
        READ,
        { c: c.id },
        'NOT_FOUND',
        async () =>
          (await app().inject({ method: 'POST', url: `/v1/conversations/${c.id}/read`, headers: stranger.auth }))
            .statusCode,
      ],
      [
        stranger,
        `query($id: ID!) { conversation(id: $id) { id } }`,
        { id: c.id },
        'NOT_FOUND',
        async () => (await app().inject({ url: `/v1/conversations/${c.id}`, headers: stranger.auth })).statusCode,
      ],
      [
        guest,
        `{ conversations(first: 101) { edges { cursor } } }`,
        {},
        'BAD_USER_INPUT',
        async () => (await app().inject({ url: '/v1/conversations?limit=101', headers: guest.auth })).statusCode,
      ],
    ];
    const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, NOT_FOUND: 404, BAD_USER_INPUT: 422 };
    for (const [as, query, variables, expected, rest] of cases) {
      const r = await gql(as, query, variables);
      expect(code(r), query).toBe(expected);
      expect(await rest(), query).toBe(STATUS[expected]);
    }
  });
});
