import { beforeAll, describe, expect, it } from 'vitest';
import { completedStays } from '#test/factories/bookings.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import { graphql, register, type Session, useTestApp } from '#test/helpers.js';
import { bookStay } from '#test/kit/scenario.js';
import { withTransaction } from '../../platform/db/transaction.js';

/**
 * Nested relations are batch-loaded per request: a page of N items with their relations costs
 * the same number of SQL statements for N = 2 as for N = 20. Each row of QUERIES is
 * one deep query; a new relation adds a row.
 */

const statements: string[] = [];
const testApp = useTestApp({ onQuery: (sql) => void statements.push(sql) });

/** The most statements a page with its relations may cost, whatever its size. */
const MAX_STATEMENTS = 8;
const SMALL = 2;
const LARGE = 20;
const PLACES = LARGE + 1;

let guest: Session;
let host: Session;

beforeAll(async () => {
  // PLACES places of as many hosts; the guest books each one once (`myBookings`), and as many
  // guests book `host`'s place on different nights (`hostBookings`).
  const hosts = await Promise.all(Array.from({ length: PLACES }, () => register(testApp().app, { role: 'host' })));
  const places = await Promise.all(hosts.map((h) => createProperty(testApp().app, h, { maxGuests: 4 })));
  [guest, host] = await Promise.all([register(testApp().app), register(testApp().app, { role: 'host' })]);
  const hostPlace = await createProperty(testApp().app, host, { maxGuests: 4 });
  const guests = await Promise.all(Array.from({ length: PLACES }, () => register(testApp().app)));
  const book = async (who: Session, propertyId: string, night: number) => {
    const { id } = await bookStay(testApp().app, who, {
      propertyId,
      checkIn: inDays(night),
      checkOut: inDays(night + 1),
    });
    // Paid: a guest holds at most 3 unpaid bookings at once.
    await withTransaction(testApp().container.database.db, (tx) =>
      testApp().container.services.bookings.confirmPaid(tx, id),
    );
  };
  await Promise.all([
    (async () => {
      for (const p of places) await book(guest, p.id, 20);
    })(),
    ...guests.map((g, i) => book(g, hostPlace.id, 20 + 2 * i)),
  ]);

  // Every place (`properties` lists the newest, all of them these) has two reviews of
  // stays that ended yesterday, by two of `guests`; the guest writes to each place's host
  // (`conversations`), and each host answers once.
  const db = testApp().container.database.db;
  // Reviews are double-blind: the host's review of the guest publishes the guest's.
  const review = async (who: Session, bookingId: string, rating: number, owner: Session) => {
    for (const [path, author] of [
      ['review', who],
      ['guest-review', owner],
    ] as const) {
      const res = await testApp().app.inject({
        method: 'POST',
        url: `/v1/bookings/${bookingId}/${path}`,
        headers: author.auth,
        payload: { rating, comment: 'Lovely.' },
      });
      if (res.statusCode !== 201) throw new Error(`review failed: ${res.statusCode} ${res.body}`);
    }
  };
  const owners = [...hosts, host];
  const reviewed = [...places, hostPlace];
  await Promise.all(
    reviewed.map(async (p, i) => {
      const authors = [guests[i % PLACES]!, guests[(i + 1) % PLACES]!];
      const stays = await completedStays(db, {
        propertyId: p.id,
        hostId: owners[i]!.user.id,
        guestIds: authors.map((a) => a.user.id),
        checkOutDaysAgo: 1,
      });
      await Promise.all(stays.map((s, j) => review(authors[j]!, s.id, 4 + j, owners[i]!)));
    }),
  );
  const write = async (who: Session, url: string, payload: Record<string, unknown>) => {
    const res = await testApp().app.inject({ method: 'POST', url, headers: who.auth, payload });
    if (res.statusCode !== 201) throw new Error(`message failed: ${res.statusCode} ${res.body}`);
    return res.json<{ id: string }>();
  };
  await Promise.all(
    places.map(async (p, i) => {
      const conversation = await write(guest, '/v1/conversations', { propertyId: p.id, body: 'Hello!' });
      await write(hosts[i]!, `/v1/conversations/${conversation.id}/messages`, { body: 'Welcome.' });
    }),
  );
});

interface CountedQuery {
  name: string;
  /** Who asks; undefined is anonymous. */
  as: () => Session | undefined;
  /** The query for a page of `first` items. */
  query: string;
  /** The items of the answer, each checked to carry its relations. */
  items: (data: Record<string, unknown>) => unknown[];
  /** True when an item has every relation of the query loaded. */
  loaded: (item: never) => boolean;
  /** The bound for a query that loads more relations than MAX_STATEMENTS allows for. */
  maxStatements?: number;
}

type Edges<T> = { edges: { node: T }[] };
const nodes =
  (field: string) =>
  (data: Record<string, unknown>): unknown[] =>
    (data[field] as Edges<unknown>).edges.map((e) => e.node);

const PROFILE = 'id firstName memberSince';
const BOOKING_PAGE = `{ edges { node { id status property { id title host { ${PROFILE} } } guest { ${PROFILE} } } } }`;
type LoadedBooking = { property: { host: { id: string } | null } | null; guest: { id: string } | null };

type LoadedConversation = {
  property: { id: string } | null;
  guest: { id: string } | null;
  host: { id: string } | null;
  messages: Edges<unknown>;
};

const QUERIES: CountedQuery[] = [
  {
    name: 'properties › host',
    as: () => undefined,
    query: `query($n: Int) { properties(first: $n) { edges { node { id title host { ${PROFILE} } } } } }`,
    items: nodes('properties'),
    loaded: (p: { host: { id: string } | null }) => p.host !== null,
  },
  {
    name: 'properties › host, as a guest (location privacy is looked up once per page)',
    as: () => guest,
    query: `query($n: Int) { properties(first: $n) { edges { node { id latitude address { line1 } host { ${PROFILE} } } } } }`,
    items: nodes('properties'),
    loaded: (p: { host: { id: string } | null }) => p.host !== null,
  },
  {
    name: 'myBookings › property › host, guest',
    as: () => guest,
    query: `query($n: Int) { myBookings(first: $n) ${BOOKING_PAGE} }`,
    items: nodes('myBookings'),
    loaded: (b: LoadedBooking) => b.property?.host != null && b.guest !== null,
  },
  {
    name: 'hostBookings › property › host, guest',
    as: () => host,
    query: `query($n: Int) { hostBookings(first: $n) ${BOOKING_PAGE} }`,
    items: nodes('hostBookings'),
    loaded: (b: LoadedBooking) => b.property?.host != null && b.guest !== null,
  },
  {
    name: 'hostBookings › guestRating, review, guestReview, guest › guestRating',
    as: () => host,
    query: `query($n: Int) { hostBookings(first: $n) { edges { node {
      id guestRating { average count } review { id } guestReview { id } guest { ${PROFILE} guestRating { count } }
    } } } }`,
    items: nodes('hostBookings'),
    loaded: (b: { guestRating: { count: number } | null; guest: { guestRating: { count: number } } | null }) =>
      b.guestRating !== null && b.guest?.guestRating.count === b.guestRating.count,
    // The caller, the list, the bookings' hosts and their guests' ratings (two), each review
    // direction's overdue check and read (four), and the guests: nine, whatever the page size.
    maxStatements: 9,
  },
  {
    name: 'properties › reviews › author',
    as: () => undefined,
    query: `query($n: Int) {
      properties(first: $n) { edges { node { id reviews(first: 5) { edges { node { id rating author { ${PROFILE} } } } } } } }
    }`,
    items: nodes('properties'),
    loaded: (p: { reviews: Edges<{ author: { id: string } | null }> }) =>
      p.reviews.edges.length === 2 && p.reviews.edges.every((e) => e.node.author !== null),
  },
  {
    name: 'conversations › messages, property, guest, host',
    as: () => guest,
    query: `query($n: Int) {
      conversations(first: $n) { edges { node {
        id unreadCount property { id title } guest { ${PROFILE} } host { ${PROFILE} }
        messages(first: 5) { edges { node { id senderId body } } }
      } } }
    }`,
    items: nodes('conversations'),
    loaded: (c: LoadedConversation) =>
      c.property !== null && c.guest !== null && c.host !== null && c.messages.edges.length === 2,
    // The caller, the list (its guest side and its host side, one index each), the last
    // messages, guests, hosts, the places with their location privacy, their photos and the
    // caller's saved marks, and the messages (the conversations re-read to check the caller
    // takes part, then one lateral scan): twelve.
    maxStatements: 12,
  },
];

/**
 * Runs the query for a page of `first` items twice: the fewer SQL statements of the two runs
 * (with their text, for the failure message) and the items. On a loaded machine a batch can
 * now and then be split across two ticks — one statement more in one run, whatever the page
 * size; a relation loaded per item costs more in every run.
 */
async function run(q: CountedQuery, first: number): Promise<{ count: number; sql: string[]; items: unknown[] }> {
  const session = q.as();
  let best: { count: number; sql: string[]; items: unknown[] } | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    // The partner events of earlier writes are numbered after their commits, not by this query.
    await testApp().container.services.webhooks.settled();
    const before = statements.length;
    const res = await graphql(testApp().app, q.query, { n: first }, session ? session.auth : {});
    const sql = statements.slice(before).map((s) => s.replace(/\s+/g, ' ').slice(0, 80));
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    if (!best || sql.length < best.count) best = { count: sql.length, sql, items: q.items(res.body.data ?? {}) };
  }
  return best!;
}

describe('GraphQL nested relations cost a constant number of SQL statements', () => {
  it.each(QUERIES)('$name', async (q) => {
    const small = await run(q, SMALL);
    const large = await run(q, LARGE);
    expect(small.items).toHaveLength(SMALL);
    expect(large.items).toHaveLength(LARGE);
    for (const item of [...small.items, ...large.items])
      expect(q.loaded(item as never), JSON.stringify(item)).toBe(true);
    expect(
      large.count,
      `${SMALL} items: ${small.count} statements; ${LARGE} items: ${large.count}\n${JSON.stringify({ small: small.sql, large: large.sql }, null, 1)}`,
    ).toBe(small.count);
    expect(large.count).toBeGreaterThan(0);
    expect(large.count).toBeLessThanOrEqual(q.maxStatements ?? MAX_STATEMENTS);
  });
});
