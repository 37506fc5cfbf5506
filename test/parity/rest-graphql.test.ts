import type { InjectOptions } from 'fastify';
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { completedStays } from '#test/factories/bookings.js';
import { address, createProperty, inDays, propertyInput, uniqueCity } from '#test/factories/properties.js';
import { graphql, PASSWORD, register, rowsOf, type Session, uniqueEmail, useTestApp } from '../helpers.js';

/**
 * REST and GraphQL do the same thing: each scenario runs once through REST and once through
 * GraphQL, each time on fresh data of its own, and must give the same answer (field by
 * field, once ids and instants are named rather than compared) and leave the same rows
 * behind. Reads run both transports on the same data and compare exactly. A capability is
 * one entry of SCENARIOS; failures are compared in test/transport-parity.test.ts.
 *
 * Deliberate differences, normalised here and checked in `deliberate differences`:
 * - GraphQL lists are Relay connections (`edges`, `pageInfo.endCursor`, also on the last
 *   page); REST's are `{ data, page: { nextCursor (null on the last page), hasMore } }`.
 *   The cursors are the same strings, interchangeable between the transports.
 * - Money sums that may pass 2^31 − 1 minor units are `Float` in GraphQL (its `Int` is 32
 *   bits); REST's JSON integers carry the same values.
 * - Deleting answers 204 over REST and `true` over GraphQL.
 * - GraphQL adds batch-loaded relations and nested lists (RELATIONS); REST has their ids only,
 *   but for a review's `author`, which REST embeds in review lists (not in the answers of
 *   createReview and respondToReview): the list scenario selects it over GraphQL.
 * - A second startConversation about the same place answers 200 over REST (201 when it opens
 *   the conversation); GraphQL answers the same conversation either way, with no such mark.
 * - `GET /v1/reviews/{id}` has no GraphQL query: reviews are reached there through
 *   `Property.reviews` and `Booking.review`.
 */

const testApp = useTestApp();
const app = () => testApp().app;

/**
 * Fields GraphQL resolves from other rows, and the nested lists it pages on its own; their ids
 * are in both DTOs, their loading in query-count.test.ts.
 */
const RELATIONS = new Set([
  'Property.host',
  'Property.reviews',
  'Booking.property',
  'Booking.guest',
  'Booking.review',
  'Review.author',
  'Conversation.property',
  'Conversation.guest',
  'Conversation.host',
  'Conversation.messages',
]);

/**
 * Every field of a GraphQL type but its relations, nested objects included: the full DTO.
 * `include` names relations REST embeds in this answer (a review list's `author`).
 */
function selection(schema: GraphQLSchema, typeName: string, include: readonly string[] = []): string {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  const fields = Object.values(type.getFields())
    .filter((f) => !RELATIONS.has(`${typeName}.${f.name}`) || include.includes(`${typeName}.${f.name}`))
    .map((f) => {
      const named = getNamedType(f.type);
      return isObjectType(named) ? `${f.name} ${selection(schema, named.name, include)}` : f.name;
    });
  return `{ ${fields.join(' ')} }`;
}

/** One run's data: its sessions and ids, and the names its volatile values are compared by. */
class World {
  readonly names = new Map<string, string>();
  host!: Session;
  guest!: Session;
  propertyId!: string;
  bookingId!: string;
  reviewId!: string;
  conversationId!: string;
  city!: string;

  /** Compares `value` (an id, an e-mail) as `name`, wherever it occurs. */
  name(value: string, name: string): string {
    this.names.set(value, `<${name}>`);
    return value;
  }
}

/** Keys whose values are secrets or random per call: compared as present or not. */
const SECRET_KEYS = new Set([
  'accessToken',
  'refreshToken',
  'token',
  'tokenHash',
  'token_hash',
  'passwordHash',
  'password_hash',
  'providerReference',
  'provider_reference',
]);
/** Instants differ between two runs by construction; dates (check-in) do not. */
const INSTANT_KEY = /(At|_at|^memberSince)$/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function normalise(value: unknown, world: World, key = ''): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return INSTANT_KEY.test(key) ? '<instant>' : value.toISOString();
  if ((SECRET_KEYS.has(key) || INSTANT_KEY.test(key)) && typeof value !== 'object') return `<${key}>`;
  if (typeof value === 'string') {
    // Case-insensitively: the search vector holds the city in lower case.
    return [...world.names]
      .sort((a, b) => b[0].length - a[0].length)
      .reduce((s, [real, name]) => s.replace(new RegExp(escapeRegExp(real), 'gi'), name), value);
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, world, key));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, normalise(v, world, k)]),
    );
  }
  return value;
}

/** A GraphQL connection in REST's list shape (see the deliberate differences above). */
function asRestPage(answer: unknown) {
  const connection = answer as {
    edges: { node: unknown; cursor: string }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
  return {
    data: connection.edges.map((e) => e.node),
    page: {
      nextCursor: connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null,
      hasMore: connection.pageInfo.hasNextPage,
    },
  };
}

/**
 * Paths of one answer that the other lacks, `rest.` or `graphql.` first; for the values they
 * share, `expect` compares them. REST omits no field (absent and null are both null here).
 */
function missingFields(rest: unknown, gql: unknown, path = ''): string[] {
  if (typeof rest !== 'object' || rest === null || typeof gql !== 'object' || gql === null) return [];
  if (Array.isArray(rest) && Array.isArray(gql))
    return [...new Set(rest.flatMap((r, i) => missingFields(r, gql[i], `${path}[]`)))];
  const r = rest as Record<string, unknown>;
  const g = gql as Record<string, unknown>;
  return [
    ...Object.keys(r)
      .filter((k) => !(k in g))
      .map((k) => `graphql.${path}${k}`),
    ...Object.keys(g)
      .filter((k) => !(k in r))
      .map((k) => `rest.${path}${k}`),
    ...Object.keys(r)
      .filter((k) => k in g)
      .flatMap((k) => missingFields(r[k], g[k], `${path}${k}.`)),
  ];
}

async function rest(
  options: Omit<InjectOptions, 'url'> & { url: string; as?: Session },
  expected: number,
): Promise<unknown> {
  const { as, ...request } = options;
  const res = await app().inject({ ...request, headers: { ...request.headers, ...as?.auth } });
  expect(res.statusCode, `${request.method ?? 'GET'} ${request.url}: ${res.body}`).toBe(expected);
  return res.body ? res.json() : null;
}

/** Runs one operation and answers its root field, failing on any error. */
async function gql(as: Session | undefined, query: string, variables: Record<string, unknown> = {}) {
  const res = await graphql(app(), query, variables, as?.auth ?? {});
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  const data = res.body.data ?? {};
  return data[Object.keys(data)[0]!];
}

const full = (typeName: string, include: readonly string[] = []) => selection(app().graphql.schema, typeName, include);

// Stored state: the rows a capability writes, read back through SQL.
const db = () => testApp().container.database.db;
const userRow = (id: string) => rowsOf(db(), sql`select * from users where id = ${id}`);
/**
 * Every column but `search_vector`: it is generated from title, city and description, which
 * are compared, and stems the random city name beyond what naming it can match.
 */
const propertyRows = async (id: string) =>
  (await rowsOf<Record<string, unknown>>(db(), sql`select * from properties where id = ${id}`)).map(
    ({ search_vector: _derived, ...row }) => row,
  );
/** A booking's range has an id of its own, named nowhere else: compared by its booking (`ref_id`). */
const calendarRows = (propertyId: string) =>
  rowsOf(
    db(),
    sql`select case when kind = 'block' then id end as block_id, kind, start_date, end_date, note, ref_id,
          occupant_id, reveals_location, created_at, released_at
        from property_calendar where property_id = ${propertyId} order by start_date, kind`,
  );
const bookingRows = (id: string) => rowsOf(db(), sql`select * from bookings where id = ${id}`);
const paymentRows = (bookingId: string) => rowsOf(db(), sql`select * from payments where booking_id = ${bookingId}`);
const reviewRows = (propertyId: string) =>
  rowsOf(db(), sql`select * from reviews where property_id = ${propertyId} order by created_at, rating`);
/** A conversation and its messages, each message named by its place in the thread (its id is random). */
async function conversationRows(w: World, id: string) {
  const messages = await rowsOf<{ id: string }>(
    db(),
    sql`select * from messages where conversation_id = ${id} order by created_at, body`,
  );
  messages.forEach((m, i) => w.name(m.id, `message-${i + 1}`));
  return { conversation: await rowsOf(db(), sql`select * from conversations where id = ${id}`), messages };
}
/**
 * Jobs and audit entries about an entity: e-mails, reminders, expiries. Jobs of one kind in the
 * order they are due: their keys hold random ids.
 */
const sideEffects = async (id: string) => ({
  jobs: await rowsOf(
    db(),
    sql`select kind, payload, dedupe_key, run_at from jobs where payload::text like ${`%${id}%`} order by kind, run_at, dedupe_key`,
  ),
  audit: await rowsOf(
    db(),
    sql`select action, entity, entity_id, detail from audit_log where entity_id = ${id} or actor_id::text = ${id} order by action`,
  ),
});
const refreshTokenCount = async (userId: string) =>
  (
    await rowsOf<{ n: number }>(
      db(),
      sql`select count(*)::int as n from refresh_tokens where user_id = ${userId} and revoked_at is null`,
    )
  )[0]!.n;

// Fresh data for a run.
async function withHost(w: World) {
  w.host = await register(app(), { role: 'host' });
  w.name(w.host.user.id, 'host');
  w.name(w.host.user.email, 'host-email');
}
async function withGuest(w: World) {
  w.guest = await register(app());
  w.name(w.guest.user.id, 'guest');
  w.name(w.guest.user.email, 'guest-email');
}
async function withProperty(w: World) {
  await withHost(w);
  await withGuest(w);
  w.city = w.name(uniqueCity(), 'city');
  w.propertyId = w.name((await createProperty(app(), w.host, { address: address(w.city) })).id, 'property');
}
async function withBooking(w: World) {
  await withProperty(w);
  const booking = (await rest(
    {
      method: 'POST',
      url: '/v1/bookings',
      as: w.guest,
      payload: { propertyId: w.propertyId, checkIn: inDays(30), checkOut: inDays(33), guests: 2 },
    },
    201,
  )) as { id: string };
  w.bookingId = w.name(booking.id, 'booking');
}

/** A stay of the guest's that checked out yesterday: reviewable. */
async function withCompletedStay(w: World) {
  await withProperty(w);
  const [stay] = await completedStays(db(), {
    propertyId: w.propertyId,
    hostId: w.host.user.id,
    guestIds: [w.guest.user.id],
    checkOutDaysAgo: 1,
  });
  w.bookingId = w.name(stay!.id, 'booking');
}
const REVIEW = { rating: 4, comment: 'Quiet street, <b>great</b> light.' };
async function withReview(w: World) {
  await withCompletedStay(w);
  const review = (await rest(
    { method: 'POST', url: `/v1/bookings/${w.bookingId}/review`, as: w.guest, payload: REVIEW },
    201,
  )) as { id: string };
  w.reviewId = w.name(review.id, 'review');
}
/** The guest has written to the host about the place once. */
async function withConversation(w: World) {
  await withProperty(w);
  const conversation = (await rest(
    { method: 'POST', url: '/v1/conversations', as: w.guest, payload: { propertyId: w.propertyId, body: 'Hello!' } },
    201,
  )) as { id: string };
  w.conversationId = w.name(conversation.id, 'conversation');
}

interface Scenario {
  name: string;
  /**
   * `write`: fresh data per transport, compared once normalised. `read`: both transports on
   * the same data, compared as they are.
   */
  kind: 'write' | 'read';
  setup: (w: World) => Promise<void>;
  rest: (w: World) => Promise<unknown>;
  graphql: (w: World) => Promise<unknown>;
  /** What the call left stored, read the same way after either transport. */
  stored?: (w: World, answer: never) => Promise<unknown>;
}

const stay = (w: World) => ({ propertyId: w.propertyId, checkIn: inDays(40), checkOut: inDays(47), guests: 2 });

const SCENARIOS: Scenario[] = [
  {
    name: 'register',
    kind: 'write',
    setup: async () => {},
    rest: (w) =>
      rest(
        {
          method: 'POST',
          url: '/v1/auth/register',
          payload: {
            email: w.name(uniqueEmail(), 'email'),
            password: PASSWORD,
            firstName: 'Ada',
            lastName: 'Lovelace',
            phone: '+15550001111',
            role: 'host',
          },
        },
        201,
      ),
    graphql: (w) =>
      gql(undefined, `mutation($i: RegisterInput!) { register(input: $i) ${full('AuthPayload')} }`, {
        i: {
          email: w.name(uniqueEmail(), 'email'),
          password: PASSWORD,
          firstName: 'Ada',
          lastName: 'Lovelace',
          phone: '+15550001111',
          role: 'host',
        },
      }),
    stored: async (w, answer: { user: { id: string } }) => {
      w.name(answer.user.id, 'created');
      return {
        user: await userRow(answer.user.id),
        sessions: await refreshTokenCount(answer.user.id),
        ...(await sideEffects(answer.user.id)),
      };
    },
  },
  {
    name: 'login',
    kind: 'write',
    setup: withGuest,
    rest: (w) =>
      rest({ method: 'POST', url: '/v1/auth/login', payload: { email: w.guest.user.email, password: PASSWORD } }, 200),
    graphql: (w) =>
      gql(undefined, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) ${full('AuthPayload')} }`, {
        e: w.guest.user.email,
        p: PASSWORD,
      }),
    stored: async (w) => ({ user: await userRow(w.guest.user.id), sessions: await refreshTokenCount(w.guest.user.id) }),
  },
  {
    name: 'refresh',
    kind: 'write',
    setup: withGuest,
    rest: (w) =>
      rest({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: w.guest.refreshToken } }, 200),
    graphql: (w) =>
      gql(undefined, `mutation($r: String!) { refresh(refreshToken: $r) ${full('AuthPayload')} }`, {
        r: w.guest.refreshToken,
      }),
    stored: async (w) => ({
      sessions: await refreshTokenCount(w.guest.user.id),
      // The old token is spent: refreshing with it again fails on both transports.
      reuse: (
        await app().inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: w.guest.refreshToken } })
      ).statusCode,
    }),
  },
  {
    name: 'me',
    kind: 'read',
    setup: withGuest,
    rest: (w) => rest({ url: '/v1/me', as: w.guest }, 200),
    graphql: (w) => gql(w.guest, `{ me ${full('User')} }`),
  },
  {
    name: 'updateMe',
    kind: 'write',
    setup: withGuest,
    rest: (w) =>
      rest(
        {
          method: 'PATCH',
          url: '/v1/me',
          as: w.guest,
          payload: { firstName: 'Grace', lastName: 'Hopper', phone: null },
        },
        200,
      ),
    graphql: (w) =>
      gql(w.guest, `mutation($i: UpdateMeInput!) { updateMe(input: $i) ${full('User')} }`, {
        i: { firstName: 'Grace', lastName: 'Hopper', phone: null },
      }),
    stored: async (w) => ({ user: await userRow(w.guest.user.id) }),
  },
  {
    name: 'becomeHost',
    kind: 'write',
    setup: withGuest,
    rest: (w) => rest({ method: 'POST', url: '/v1/me/become-host', as: w.guest }, 200),
    graphql: (w) => gql(w.guest, `mutation { becomeHost ${full('User')} }`),
    stored: async (w) => ({ user: await userRow(w.guest.user.id), ...(await sideEffects(w.guest.user.id)) }),
  },
  {
    name: 'createProperty',
    kind: 'write',
    setup: withHost,
    rest: (w) =>
      rest({ method: 'POST', url: '/v1/properties', as: w.host, payload: propertyInput({ amenities: ['wifi'] }) }, 201),
    graphql: (w) =>
      gql(w.host, `mutation($i: CreatePropertyInput!) { createProperty(input: $i) ${full('Property')} }`, {
        i: propertyInput({ amenities: ['wifi'] }),
      }),
    stored: async (w, answer: { id: string }) => {
      w.name(answer.id, 'created');
      return { property: await propertyRows(answer.id), ...(await sideEffects(answer.id)) };
    },
  },
  {
    name: 'updateProperty',
    kind: 'write',
    setup: withProperty,
    rest: (w) =>
      rest(
        {
          method: 'PATCH',
          url: `/v1/properties/${w.propertyId}`,
          as: w.host,
          payload: { title: 'A brighter flat', nightlyPrice: 12_345, address: { postalCode: '1100-001' } },
        },
        200,
      ),
    graphql: (w) =>
      gql(
        w.host,
        `mutation($id: ID!, $i: UpdatePropertyInput!) { updateProperty(id: $id, input: $i) ${full('Property')} }`,
        {
          id: w.propertyId,
          i: { title: 'A brighter flat', nightlyPrice: 12_345, address: { postalCode: '1100-001' } },
        },
      ),
    stored: async (w) => ({ property: await propertyRows(w.propertyId) }),
  },
  {
    name: 'deleteProperty',
    kind: 'write',
    setup: withProperty,
    rest: async (w) => {
      await rest({ method: 'DELETE', url: `/v1/properties/${w.propertyId}`, as: w.host }, 204);
      return true;
    },
    graphql: (w) => gql(w.host, 'mutation($id: ID!) { deleteProperty(id: $id) }', { id: w.propertyId }),
    stored: async (w) => ({
      property: await propertyRows(w.propertyId),
      detail: (await app().inject({ url: `/v1/properties/${w.propertyId}` })).statusCode,
      ...(await sideEffects(w.propertyId)),
    }),
  },
  {
    name: 'blockDates',
    kind: 'write',
    setup: withProperty,
    rest: (w) =>
      rest(
        {
          method: 'POST',
          url: `/v1/properties/${w.propertyId}/blocks`,
          as: w.host,
          payload: { start: inDays(10), end: inDays(14), note: 'Painting' },
        },
        201,
      ),
    graphql: (w) =>
      gql(
        w.host,
        `mutation($id: ID!, $i: BlockDatesInput!) { blockDates(propertyId: $id, input: $i) ${full('Block')} }`,
        {
          id: w.propertyId,
          i: { start: inDays(10), end: inDays(14), note: 'Painting' },
        },
      ),
    stored: async (w, answer: { id: string }) => {
      w.name(answer.id, 'created');
      return { calendar: await calendarRows(w.propertyId) };
    },
  },
  {
    name: 'property detail, as a guest (location redacted)',
    kind: 'read',
    setup: withProperty,
    rest: (w) => rest({ url: `/v1/properties/${w.propertyId}`, as: w.guest }, 200),
    graphql: (w) => gql(w.guest, `query($id: ID!) { property(id: $id) ${full('Property')} }`, { id: w.propertyId }),
  },
  {
    name: 'property detail, as its host (exact)',
    kind: 'read',
    setup: withProperty,
    rest: (w) => rest({ url: `/v1/properties/${w.propertyId}`, as: w.host }, 200),
    graphql: (w) => gql(w.host, `query($id: ID!) { property(id: $id) ${full('Property')} }`, { id: w.propertyId }),
  },
  {
    name: 'properties search: same ids, order and page boundaries, cursors interchangeable',
    kind: 'read',
    setup: async (w) => {
      await withProperty(w);
      for (const price of [9_000, 11_000, 12_000, 15_000]) {
        await createProperty(app(), w.host, { address: address(w.city), nightlyPrice: price });
      }
    },
    rest: async (w) => {
      const pages: unknown[] = [];
      let cursor: string | null = null;
      do {
        const qs = new URLSearchParams({ city: w.city, sort: 'price_asc', limit: '2', ...(cursor ? { cursor } : {}) });
        const page = (await rest({ url: `/v1/properties?${qs.toString()}`, as: w.guest }, 200)) as {
          page: { nextCursor: string | null };
        };
        pages.push(page);
        cursor = page.page.nextCursor;
      } while (cursor);
      return pages;
    },
    graphql: async (w) => {
      const query = `query($f: PropertyFilter, $after: String) {
        properties(filter: $f, first: 2, after: $after) ${full('PropertyConnection')}
      }`;
      const pages: unknown[] = [];
      let after: string | null = null;
      do {
        const page = asRestPage(await gql(w.guest, query, { f: { city: w.city, sort: 'price_asc' }, after }));
        pages.push(page);
        after = page.page.nextCursor;
      } while (after);
      return pages;
    },
    stored: async (_w, pages: { data: unknown[] }[]) => {
      // Three pages of 2, 2 and 1: the walk above did go past the first page.
      expect(pages.map((p) => p.data.length)).toEqual([2, 2, 1]);
      return null;
    },
  },
  {
    name: 'quote',
    kind: 'read',
    setup: withProperty,
    rest: (w) => rest({ method: 'POST', url: '/v1/bookings/quote', payload: stay(w) }, 200),
    graphql: (w) => gql(undefined, `query($i: QuoteInput!) { quote(input: $i) ${full('Quote')} }`, { i: stay(w) }),
  },
  {
    name: 'createBooking',
    kind: 'write',
    setup: withProperty,
    rest: (w) => rest({ method: 'POST', url: '/v1/bookings', as: w.guest, payload: stay(w) }, 201),
    graphql: (w) =>
      gql(w.guest, `mutation($i: CreateBookingInput!) { createBooking(input: $i) ${full('Booking')} }`, { i: stay(w) }),
    stored: async (w, answer: { id: string }) => {
      w.name(answer.id, 'created');
      return {
        booking: await bookingRows(answer.id),
        calendar: await calendarRows(w.propertyId),
        ...(await sideEffects(answer.id)),
      };
    },
  },
  {
    name: 'booking, as its guest',
    kind: 'read',
    setup: withBooking,
    rest: (w) => rest({ url: `/v1/bookings/${w.bookingId}`, as: w.guest }, 200),
    graphql: (w) => gql(w.guest, `query($id: ID!) { booking(id: $id) ${full('Booking')} }`, { id: w.bookingId }),
  },
  {
    name: 'booking, as the host',
    kind: 'read',
    setup: withBooking,
    rest: (w) => rest({ url: `/v1/bookings/${w.bookingId}`, as: w.host }, 200),
    graphql: (w) => gql(w.host, `query($id: ID!) { booking(id: $id) ${full('Booking')} }`, { id: w.bookingId }),
  },
  {
    name: 'myBookings',
    kind: 'read',
    setup: withBooking,
    rest: (w) => rest({ url: '/v1/bookings?as=guest&status=pending&limit=5', as: w.guest }, 200),
    graphql: async (w) =>
      asRestPage(await gql(w.guest, `{ myBookings(first: 5, status: pending) ${full('BookingConnection')} }`)),
  },
  {
    name: 'hostBookings',
    kind: 'read',
    setup: withBooking,
    rest: (w) => rest({ url: '/v1/bookings?as=host&limit=5', as: w.host }, 200),
    graphql: async (w) => asRestPage(await gql(w.host, `{ hostBookings(first: 5) ${full('BookingConnection')} }`)),
  },
  {
    name: 'cancelBooking, by its guest',
    kind: 'write',
    setup: withBooking,
    rest: (w) =>
      rest(
        {
          method: 'POST',
          url: `/v1/bookings/${w.bookingId}/cancel`,
          as: w.guest,
          payload: { reason: 'Plans changed' },
        },
        200,
      ),
    graphql: (w) =>
      gql(
        w.guest,
        `mutation($id: ID!, $i: CancelBookingInput) { cancelBooking(id: $id, input: $i) ${full('Booking')} }`,
        { id: w.bookingId, i: { reason: 'Plans changed' } },
      ),
    stored: async (w) => ({
      booking: await bookingRows(w.bookingId),
      calendar: await calendarRows(w.propertyId),
      ...(await sideEffects(w.bookingId)),
    }),
  },
  {
    name: 'initiatePayment',
    kind: 'write',
    setup: withBooking,
    rest: (w) => rest({ method: 'POST', url: `/v1/bookings/${w.bookingId}/payments`, as: w.guest }, 201),
    graphql: (w) =>
      gql(w.guest, `mutation($id: ID!) { initiatePayment(bookingId: $id) ${full('Payment')} }`, { id: w.bookingId }),
    stored: async (w, answer: { id: string }) => {
      w.name(answer.id, 'created');
      return {
        payments: await paymentRows(w.bookingId),
        booking: await bookingRows(w.bookingId),
        ...(await sideEffects(w.bookingId)),
      };
    },
  },
  {
    name: 'createReview',
    kind: 'write',
    setup: withCompletedStay,
    rest: (w) => rest({ method: 'POST', url: `/v1/bookings/${w.bookingId}/review`, as: w.guest, payload: REVIEW }, 201),
    graphql: (w) =>
      gql(
        w.guest,
        `mutation($id: ID!, $i: CreateReviewInput!) { createReview(bookingId: $id, input: $i) ${full('Review')} }`,
        { id: w.bookingId, i: REVIEW },
      ),
    stored: async (w, answer: { id: string }) => {
      w.name(answer.id, 'created');
      return {
        reviews: await reviewRows(w.propertyId),
        property: await propertyRows(w.propertyId),
        ...(await sideEffects(answer.id)),
      };
    },
  },
  {
    name: 'respondToReview',
    kind: 'write',
    setup: withReview,
    rest: (w) =>
      rest(
        {
          method: 'POST',
          url: `/v1/reviews/${w.reviewId}/response`,
          as: w.host,
          payload: { body: 'Thank you, come back <i>soon</i>.' },
        },
        200,
      ),
    graphql: (w) =>
      gql(w.host, `mutation($id: ID!, $b: String!) { respondToReview(reviewId: $id, body: $b) ${full('Review')} }`, {
        id: w.reviewId,
        b: 'Thank you, come back <i>soon</i>.',
      }),
    stored: async (w) => ({ reviews: await reviewRows(w.propertyId), ...(await sideEffects(w.reviewId)) }),
  },
  {
    name: 'property reviews: same pages, authors embedded in REST and loaded in GraphQL',
    kind: 'read',
    setup: async (w) => {
      await withReview(w);
      // Two more guests' stays, reviewed: three reviews in pages of two.
      const guests = await Promise.all([register(app()), register(app())]);
      const stays = await completedStays(db(), {
        propertyId: w.propertyId,
        hostId: w.host.user.id,
        guestIds: guests.map((g) => g.user.id),
        checkOutDaysAgo: 2,
      });
      for (const [i, g] of guests.entries()) {
        await rest(
          {
            method: 'POST',
            url: `/v1/bookings/${stays[i]!.id}/review`,
            as: g,
            payload: { rating: 5 - i, comment: `Stay ${i}` },
          },
          201,
        );
      }
    },
    rest: async (w) => {
      const pages: unknown[] = [];
      let cursor: string | null = null;
      do {
        const qs = new URLSearchParams({ limit: '2', ...(cursor ? { cursor } : {}) });
        const page = (await rest({ url: `/v1/properties/${w.propertyId}/reviews?${qs.toString()}` }, 200)) as {
          page: { nextCursor: string | null };
        };
        pages.push(page);
        cursor = page.page.nextCursor;
      } while (cursor);
      return pages;
    },
    graphql: async (w) => {
      const query = `query($id: ID!, $after: String) {
        property(id: $id) { reviews(first: 2, after: $after) ${full('ReviewConnection', ['Review.author'])} }
      }`;
      const pages: unknown[] = [];
      let after: string | null = null;
      do {
        const property = (await gql(undefined, query, { id: w.propertyId, after })) as { reviews: unknown };
        const page = asRestPage(property.reviews);
        pages.push(page);
        after = page.page.nextCursor;
      } while (after);
      return pages;
    },
    stored: async (_w, pages: { data: { author: unknown }[] }[]) => {
      expect(pages.map((p) => p.data.length)).toEqual([2, 1]);
      for (const p of pages) for (const r of p.data) expect(r.author).not.toBeNull();
      return null;
    },
  },
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

interface Run {
  answer: unknown;
  stored: unknown;
  world: World;
}

async function runOnce(s: Scenario, world: World, call: (w: World) => Promise<unknown>): Promise<Run> {
  const answer = await call(world);
  const stored = s.stored ? await s.stored(world, answer as never) : null;
  return { answer, stored, world };
}

describe('REST and GraphQL do the same', () => {
  it.each(SCENARIOS)('$name', async (s) => {
    let restRun: Run;
    let gqlRun: Run;
    if (s.kind === 'read') {
      const world = new World();
      await s.setup(world);
      restRun = await runOnce(s, world, s.rest);
      gqlRun = await runOnce(s, world, s.graphql);
      expect(gqlRun.answer).toEqual(restRun.answer);
    } else {
      const [restWorld, gqlWorld] = [new World(), new World()];
      await s.setup(restWorld);
      await s.setup(gqlWorld);
      restRun = await runOnce(s, restWorld, s.rest);
      gqlRun = await runOnce(s, gqlWorld, s.graphql);
    }
    const restAnswer = normalise(restRun.answer, restRun.world);
    const gqlAnswer = normalise(gqlRun.answer, gqlRun.world);
    // Every field of one is in the other, with the same value.
    expect(missingFields(restAnswer, gqlAnswer)).toEqual([]);
    expect(gqlAnswer).toEqual(restAnswer);
    expect(normalise(gqlRun.stored, gqlRun.world)).toEqual(normalise(restRun.stored, restRun.world));
  });

  it('covers every GraphQL operation but those compared elsewhere', () => {
    const schema = app().graphql.schema;
    const operations = [schema.getQueryType(), schema.getMutationType()].flatMap((t) =>
      Object.keys(t?.getFields() ?? {}),
    );
    const covered = new Set(SCENARIOS.map((s) => s.name.split(/[ ,:]/)[0]));
    // E-mailed tokens are compared in the users module's tests; unblockDates and payment are
    // the inverse and the read-back of scenarios above.
    const elsewhere = ['verifyEmail', 'requestPasswordReset', 'confirmPasswordReset', 'unblockDates', 'payment'];
    expect(operations.filter((op) => !covered.has(op) && !elsewhere.includes(op))).toEqual([]);
  });

  it('deliberate differences: money sums GraphQL declares Float hold the integers REST sends', () => {
    const schema = app().graphql.schema;
    const typeOf = (type: string, field: string) => {
      const t = schema.getType(type);
      return isObjectType(t) ? String(t.getFields()[field]?.type) : undefined;
    };
    expect({
      subtotal: typeOf('PriceBreakdown', 'subtotal'),
      discount: typeOf('PriceBreakdown', 'discount'),
      serviceFee: typeOf('PriceBreakdown', 'serviceFee'),
      total: typeOf('PriceBreakdown', 'total'),
      refundAmount: typeOf('Booking', 'refundAmount'),
    }).toEqual({
      subtotal: 'Float!',
      discount: 'Float!',
      serviceFee: 'Float!',
      total: 'Float!',
      refundAmount: 'Float',
    });
  });
});
