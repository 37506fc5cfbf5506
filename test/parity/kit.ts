import type { InjectOptions } from 'fastify';
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { completedStays } from '#test/factories/bookings.js';
import { address, createProperty, inDays, uniqueCity } from '#test/factories/properties.js';
import { graphql, register, rowsOf, type Session, type TestApp } from '../helpers.js';

/**
 * What the REST/GraphQL parity scenarios share (test/parity/rest-graphql.test.ts runs them;
 * each module's are in src/modules/<name>/__tests__/parity.scenarios.ts): the two calls,
 * the full GraphQL selection of a type, the normalisation that names ids and instants, the
 * stored rows a call leaves, and the builders of each run's fresh data.
 */

let testApp: (() => TestApp) | undefined;

/** The runner hands over its app (from useTestApp) before any scenario runs. */
export function useParityApp(current: () => TestApp): void {
  testApp = current;
}

const current = () => {
  if (!testApp) throw new Error('useParityApp() has not been called');
  return testApp();
};
export const app = () => current().app;

/**
 * Fields GraphQL resolves from other rows, and the nested lists it pages on its own; their ids
 * are in both DTOs, their loading in query-count.test.ts.
 */
export const RELATIONS = new Set([
  'Property.host',
  'Property.reviews',
  'Property.photos',
  'Property.icalUrl',
  'Property.calendar',
  'Property.icalImports',
  'Booking.property',
  'Booking.guest',
  'Booking.review',
  'Booking.guestReview',
  'Booking.guestRating',
  'User.guestRating',
  'Review.author',
  'Conversation.property',
  'Conversation.guest',
  'Conversation.host',
  'Conversation.messages',
  'Wishlist.places',
]);

/**
 * Every field of a GraphQL type but its relations, nested objects included: the full DTO.
 * `include` names relations REST embeds in this answer (a review list's `author`).
 */
export function selection(schema: GraphQLSchema, typeName: string, include: readonly string[] = []): string {
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
export class World {
  readonly names = new Map<string, string>();
  host!: Session;
  guest!: Session;
  propertyId!: string;
  bookingId!: string;
  reviewId!: string;
  conversationId!: string;
  wishlistId!: string;
  city!: string;

  /** Compares `value` (an id, an e-mail) as `name`, wherever it occurs. */
  name(value: string, name: string): string {
    this.names.set(value, `<${name}>`);
    return value;
  }
}

/** Keys whose values are secrets or random per call: compared as present or not. */
export const SECRET_KEYS = new Set([
  'accessToken',
  'refreshToken',
  'token',
  'tokenHash',
  'token_hash',
  'passwordHash',
  'password_hash',
  'providerReference',
  'provider_reference',
  'shareToken',
  'share_token',
  'share_token_hash',
  'secret',
  'previous_secret',
]);
/**
 * Fields REST leaves out where GraphQL answers null: `saved` on places, for anonymous
 * callers. Compared as absent on both sides.
 */
export const ABSENT_WHEN_NULL = new Set(['saved']);
const absent = ([k, v]: [string, unknown]) => ABSENT_WHEN_NULL.has(k) && (v === null || v === undefined);

/** `value` without the ABSENT_WHEN_NULL fields that are null, at every depth (reads compare as they are). */
export function withoutAbsent(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAbsent);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter((entry) => !absent(entry))
      .map(([k, v]) => [k, withoutAbsent(v)]),
  );
}
/** Instants differ between two runs by construction; dates (check-in) do not. */
export const INSTANT_KEY = /(At|_at|^memberSince|^respondBy|^respond_by)$/;

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function normalise(value: unknown, world: World, key = ''): unknown {
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
      Object.entries(value as Record<string, unknown>)
        .filter((entry) => !absent(entry))
        .map(([k, v]) => [k, normalise(v, world, k)]),
    );
  }
  return value;
}

/** A GraphQL connection in REST's list shape (see the deliberate differences above). */
export function asRestPage(answer: unknown) {
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
export function missingFields(rest: unknown, gql: unknown, path = ''): string[] {
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

/**
 * REST's answer about one place carries its `photos`; GraphQL's `Property.photos` is a
 * relation, loaded for pages in one query and left out of the full selections (the photos
 * module's scenarios select it). REST's `photos` beside a `coverPhoto` is dropped where the
 * GraphQL answer did not select it.
 */
export function withoutUnselectedPhotos(rest: unknown, gql: unknown): unknown {
  if (Array.isArray(rest) && Array.isArray(gql)) return rest.map((r, i) => withoutUnselectedPhotos(r, gql[i]));
  if (typeof rest !== 'object' || rest === null || typeof gql !== 'object' || gql === null) return rest;
  const r = rest as Record<string, unknown>;
  const g = gql as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(r)
      .filter(([k]) => !(k === 'photos' && 'coverPhoto' in r && !('photos' in g)))
      .map(([k, v]) => [k, withoutUnselectedPhotos(v, g[k])]),
  );
}

export async function rest(
  options: Omit<InjectOptions, 'url'> & { url: string; as?: Session },
  expected: number,
): Promise<unknown> {
  const { as, ...request } = options;
  const res = await app().inject({ ...request, headers: { ...request.headers, ...as?.auth } });
  expect(res.statusCode, `${request.method ?? 'GET'} ${request.url}: ${res.body}`).toBe(expected);
  return res.body ? res.json() : null;
}

/** Runs one operation and answers its root field, failing on any error. */
export async function gql(as: Session | undefined, query: string, variables: Record<string, unknown> = {}) {
  const res = await graphql(app(), query, variables, as?.auth ?? {});
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  const data = res.body.data ?? {};
  return data[Object.keys(data)[0]!];
}

export const full = (typeName: string, include: readonly string[] = []) =>
  selection(app().graphql.schema, typeName, include);

// Stored state: the rows a capability writes, read back through SQL.
export const db = () => current().container.database.db;
export const userRow = (id: string) => rowsOf(db(), sql`select * from users where id = ${id}`);
/**
 * Every column but `search_vector`: it is generated from title, city and description, which
 * are compared, and stems the random city name beyond what naming it can match.
 */
export const propertyRows = async (id: string) =>
  (await rowsOf<Record<string, unknown>>(db(), sql`select * from properties where id = ${id}`)).map(
    ({ search_vector: _derived, ...row }) => row,
  );
/** A booking's range has an id of its own, named nowhere else: compared by its booking (`ref_id`). */
export const calendarRows = (propertyId: string) =>
  rowsOf(
    db(),
    sql`select case when kind = 'block' then id end as block_id, kind, start_date, end_date, note, ref_id,
          occupant_id, reveals_location, created_at, released_at
        from property_calendar where property_id = ${propertyId} order by start_date, kind`,
  );
export const bookingRows = (id: string) => rowsOf(db(), sql`select * from bookings where id = ${id}`);
export const paymentRows = (bookingId: string) =>
  rowsOf(db(), sql`select * from payments where booking_id = ${bookingId}`);
export const reviewRows = (propertyId: string) =>
  rowsOf(db(), sql`select * from reviews where property_id = ${propertyId} order by created_at, rating`);
/** A conversation and its messages, each message named by its place in the thread (its id is random). */
export async function conversationRows(w: World, id: string) {
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
export const sideEffects = async (id: string) => ({
  jobs: await rowsOf(
    db(),
    sql`select kind, payload, dedupe_key, run_at from jobs where payload::text like ${`%${id}%`} order by kind, run_at, dedupe_key`,
  ),
  audit: await rowsOf(
    db(),
    sql`select action, entity, entity_id, detail from audit_log where entity_id = ${id} or actor_id::text = ${id} order by action`,
  ),
});
export const refreshTokenCount = async (userId: string) =>
  (
    await rowsOf<{ n: number }>(
      db(),
      sql`select count(*)::int as n from refresh_tokens where user_id = ${userId} and revoked_at is null`,
    )
  )[0]!.n;

// Fresh data for a run.
export async function withHost(w: World) {
  w.host = await register(app(), { role: 'host' });
  w.name(w.host.user.id, 'host');
  w.name(w.host.user.email, 'host-email');
}
export async function withGuest(w: World) {
  w.guest = await register(app());
  w.name(w.guest.user.id, 'guest');
  w.name(w.guest.user.email, 'guest-email');
}
export async function withProperty(w: World) {
  await withHost(w);
  await withGuest(w);
  w.city = w.name(uniqueCity(), 'city');
  w.propertyId = w.name((await createProperty(app(), w.host, { address: address(w.city) })).id, 'property');
}
export async function withBooking(w: World) {
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
export async function withCompletedStay(w: World) {
  await withProperty(w);
  const [stay] = await completedStays(db(), {
    propertyId: w.propertyId,
    hostId: w.host.user.id,
    guestIds: [w.guest.user.id],
    checkOutDaysAgo: 1,
  });
  w.bookingId = w.name(stay!.id, 'booking');
}
export const REVIEW = { rating: 4, comment: 'Quiet street, <b>great</b> light.' };
export async function withReview(w: World) {
  await withCompletedStay(w);
  const review = (await rest(
    { method: 'POST', url: `/v1/bookings/${w.bookingId}/review`, as: w.guest, payload: REVIEW },
    201,
  )) as { id: string };
  w.reviewId = w.name(review.id, 'review');
  // The host reviews the guest too: both publish (double-blind until then).
  await withGuestReview(w);
}
export const GUEST_REVIEW = { rating: 5, comment: 'Left the place <i>spotless</i>.' };
/** The host of the completed stay reviews its guest. */
export async function withGuestReview(w: World) {
  const review = (await rest(
    { method: 'POST', url: `/v1/bookings/${w.bookingId}/guest-review`, as: w.host, payload: GUEST_REVIEW },
    201,
  )) as { id: string };
  w.name(review.id, 'guest-review');
}
/** The guest has written to the host about the place once. */
export async function withConversation(w: World) {
  await withProperty(w);
  const conversation = (await rest(
    { method: 'POST', url: '/v1/conversations', as: w.guest, payload: { propertyId: w.propertyId, body: 'Hello!' } },
    201,
  )) as { id: string };
  w.conversationId = w.name(conversation.id, 'conversation');
}

export interface Scenario {
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

export const stay = (w: World) => ({ propertyId: w.propertyId, checkIn: inDays(40), checkOut: inDays(47), guests: 2 });
