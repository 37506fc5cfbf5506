import { expect } from 'vitest';
import { address, createProperty } from '#test/factories/properties.js';
import { type Session } from '#test/helpers.js';
import {
  app,
  asRestPage,
  conversationRows,
  full,
  gql,
  rest,
  type Scenario,
  sideEffects,
  withBooking,
  withConversation,
} from '#test/parity/kit.js';

/**
 * Conversations and messages: starting one (twice), writing, reading and the pages: the same over REST and GraphQL
 * (run by test/parity/rest-graphql.test.ts).
 */
export const scenarios: Scenario[] = [
  {
    name: 'startConversation, with a booking of the place',
    kind: 'write',
    setup: withBooking,
    rest: (w) =>
      rest(
        {
          method: 'POST',
          url: '/v1/conversations',
          as: w.guest,
          payload: { propertyId: w.propertyId, body: '  Is there a <b>cot</b>?  ' },
        },
        201,
      ),
    graphql: (w) =>
      gql(
        w.guest,
        `mutation($p: ID!, $b: String!) { startConversation(propertyId: $p, body: $b) ${full('Conversation')} }`,
        { p: w.propertyId, b: '  Is there a <b>cot</b>?  ' },
      ),
    stored: async (w, answer: { id: string; bookingId: string | null }) => {
      w.name(answer.id, 'created');
      expect(answer.bookingId).toBe(w.bookingId);
      return { ...(await conversationRows(w, answer.id)), ...(await sideEffects(answer.id)) };
    },
  },
  {
    name: 'startConversation, again about the same place (REST 200, GraphQL the same conversation)',
    kind: 'write',
    setup: withConversation,
    rest: (w) =>
      rest(
        {
          method: 'POST',
          url: '/v1/conversations',
          as: w.guest,
          payload: { propertyId: w.propertyId, body: 'Still there?' },
        },
        200,
      ),
    graphql: (w) =>
      gql(
        w.guest,
        `mutation($p: ID!, $b: String!) { startConversation(propertyId: $p, body: $b) ${full('Conversation')} }`,
        { p: w.propertyId, b: 'Still there?' },
      ),
    stored: async (w, answer: { id: string }) => {
      expect(answer.id).toBe(w.conversationId);
      return { ...(await conversationRows(w, w.conversationId)), ...(await sideEffects(w.conversationId)) };
    },
  },
  {
    name: 'sendMessage, by the host',
    kind: 'write',
    setup: withConversation,
    rest: (w) =>
      rest(
        {
          method: 'POST',
          url: `/v1/conversations/${w.conversationId}/messages`,
          as: w.host,
          payload: { body: 'Yes, a cot & a high chair.' },
        },
        201,
      ),
    graphql: (w) =>
      gql(w.host, `mutation($c: ID!, $b: String!) { sendMessage(conversationId: $c, body: $b) ${full('Message')} }`, {
        c: w.conversationId,
        b: 'Yes, a cot & a high chair.',
      }),
    stored: async (w) => ({
      ...(await conversationRows(w, w.conversationId)),
      ...(await sideEffects(w.conversationId)),
    }),
  },
  {
    name: 'markConversationRead, by the host',
    kind: 'write',
    setup: withConversation,
    rest: (w) => rest({ method: 'POST', url: `/v1/conversations/${w.conversationId}/read`, as: w.host }, 200),
    graphql: (w) =>
      gql(w.host, `mutation($c: ID!) { markConversationRead(conversationId: $c) ${full('Conversation')} }`, {
        c: w.conversationId,
      }),
    stored: async (w) => ({
      ...(await conversationRows(w, w.conversationId)),
      ...(await sideEffects(w.conversationId)),
    }),
  },
  {
    name: 'conversations: same pages, as the host of three of them',
    kind: 'read',
    setup: async (w) => {
      await withConversation(w);
      for (const body of ['About the loft', 'About the cabin']) {
        const other = await createProperty(app(), w.host, { address: address(w.city) });
        await rest(
          { method: 'POST', url: '/v1/conversations', as: w.guest, payload: { propertyId: other.id, body } },
          201,
        );
      }
    },
    rest: async (w) => {
      const pages: unknown[] = [];
      let cursor: string | null = null;
      do {
        const qs = new URLSearchParams({ limit: '2', ...(cursor ? { cursor } : {}) });
        const page = (await rest({ url: `/v1/conversations?${qs.toString()}`, as: w.host }, 200)) as {
          page: { nextCursor: string | null };
        };
        pages.push(page);
        cursor = page.page.nextCursor;
      } while (cursor);
      return pages;
    },
    graphql: async (w) => {
      const query = `query($after: String) { conversations(first: 2, after: $after) ${full('ConversationConnection')} }`;
      const pages: unknown[] = [];
      let after: string | null = null;
      do {
        const page = asRestPage(await gql(w.host, query, { after }));
        pages.push(page);
        after = page.page.nextCursor;
      } while (after);
      return pages;
    },
    stored: async (_w, pages: { data: { unreadCount: number }[] }[]) => {
      expect(pages.map((p) => p.data.length)).toEqual([2, 1]);
      // As the host sees them: each holds one unread message from the guest.
      expect(pages.flatMap((p) => p.data.map((c) => c.unreadCount))).toEqual([1, 1, 1]);
      return null;
    },
  },
  {
    name: 'conversation, as its host',
    kind: 'read',
    setup: withConversation,
    rest: (w) => rest({ url: `/v1/conversations/${w.conversationId}`, as: w.host }, 200),
    graphql: (w) =>
      gql(w.host, `query($id: ID!) { conversation(id: $id) ${full('Conversation')} }`, { id: w.conversationId }),
  },
  {
    name: 'conversation messages: same pages, as its guest',
    kind: 'read',
    setup: async (w) => {
      await withConversation(w);
      const send = (as: Session, body: string) =>
        rest({ method: 'POST', url: `/v1/conversations/${w.conversationId}/messages`, as, payload: { body } }, 201);
      await send(w.host, 'Hi, how can I help?');
      await send(w.guest, 'Is parking included?');
      await send(w.host, 'Yes, one space.');
      await rest({ method: 'POST', url: `/v1/conversations/${w.conversationId}/read`, as: w.guest }, 200);
      await send(w.host, 'See you soon.');
    },
    rest: async (w) => {
      const pages: unknown[] = [];
      let cursor: string | null = null;
      do {
        const qs = new URLSearchParams({ limit: '2', ...(cursor ? { cursor } : {}) });
        const url = `/v1/conversations/${w.conversationId}/messages?${qs.toString()}`;
        const page = (await rest({ url, as: w.guest }, 200)) as { page: { nextCursor: string | null } };
        pages.push(page);
        cursor = page.page.nextCursor;
      } while (cursor);
      return pages;
    },
    graphql: async (w) => {
      const query = `query($id: ID!, $after: String) {
        conversation(id: $id) { messages(first: 2, after: $after) ${full('MessageConnection')} }
      }`;
      const pages: unknown[] = [];
      let after: string | null = null;
      do {
        const conversation = (await gql(w.guest, query, { id: w.conversationId, after })) as { messages: unknown };
        const page = asRestPage(conversation.messages);
        pages.push(page);
        after = page.page.nextCursor;
      } while (after);
      return pages;
    },
    stored: async (_w, pages: { data: { body: string; readAt: string | null }[] }[]) => {
      expect(pages.map((p) => p.data.length)).toEqual([2, 2, 1]);
      // Newest first; read by the guest before the last one came.
      expect(pages.flatMap((p) => p.data.map((m) => [m.body, m.readAt !== null]))).toEqual([
        ['See you soon.', false],
        ['Yes, one space.', true],
        ['Is parking included?', false],
        ['Hi, how can I help?', true],
        ['Hello!', false],
      ]);
      return null;
    },
  },
];
