import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { completedStays } from '#test/factories/bookings.js';
import { createProperty, inDays, propertyInput } from '#test/factories/properties.js';
import { graphql, PASSWORD, register, type Session, useTestApp } from '#test/helpers.js';

/**
 * REST and GraphQL answer a failing call alike: the same kind of error (status ↔
 * extensions.code) with the same reason, decided in the same order — the caller first,
 * then the ids, then the input, then the rules. Operations only REST offers
 * (availability, host listings, admin) have nothing to compare. What succeeds is compared in
 * test/parity/rest-graphql.test.ts.
 */

const CODE: Record<number, string> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  422: 'BAD_USER_INPUT',
};

const testApp = useTestApp();
let owner: Session;
let otherHost: Session;
let guest: Session;
let propertyId: string;
let draftId: string;
let blockId: string;
let bookingId: string;
/** Reviews: a pending booking, a completed stay reviewed, one long past, and one not yet reviewed. */
let pendingBookingId: string;
let reviewedStayId: string;
let lateStayId: string;
let openStayId: string;
let reviewId: string;

beforeAll(async () => {
  [owner, otherHost, guest] = await Promise.all([
    register(testApp().app, { role: 'host' }),
    register(testApp().app, { role: 'host' }),
    register(testApp().app),
  ]);
  propertyId = (await createProperty(testApp().app, owner)).id;
  draftId = (await createProperty(testApp().app, owner, { status: 'draft' })).id;
  const block = await testApp().app.inject({
    method: 'POST',
    url: `/v1/properties/${propertyId}/blocks`,
    headers: owner.auth,
    payload: { start: inDays(30), end: inDays(32) },
  });
  blockId = block.json<{ id: string }>().id;
  const booking = await testApp().app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: guest.auth,
    payload: { propertyId, checkIn: inDays(60), checkOut: inDays(62), guests: 1 },
  });
  bookingId = booking.json<{ id: string }>().id;

  const pending = await testApp().app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: guest.auth,
    payload: { propertyId, checkIn: inDays(70), checkOut: inDays(72), guests: 1 },
  });
  pendingBookingId = pending.json<{ id: string }>().id;
  const { db } = testApp().container.database;
  const ids = { propertyId, hostId: owner.user.id };
  [reviewedStayId, openStayId] = (
    await completedStays(db, { ...ids, guestIds: [guest.user.id, guest.user.id], checkOutDaysAgo: 1 })
  ).map((s) => s.id) as [string, string];
  lateStayId = (await completedStays(db, { ...ids, guestIds: [guest.user.id], checkOutDaysAgo: 40 }))[0]!.id;
  const review = await testApp().app.inject({
    method: 'POST',
    url: `/v1/bookings/${reviewedStayId}/review`,
    headers: guest.auth,
    payload: { rating: 4 },
  });
  reviewId = review.json<{ id: string }>().id;
  // The host's review of the guest publishes the guest's (double-blind), which may then be answered.
  const back = await testApp().app.inject({
    method: 'POST',
    url: `/v1/bookings/${reviewedStayId}/guest-review`,
    headers: owner.auth,
    payload: { rating: 5 },
  });
  expect(back.statusCode).toBe(201);
  const response = await testApp().app.inject({
    method: 'POST',
    url: `/v1/reviews/${reviewId}/response`,
    headers: owner.auth,
    payload: { body: 'Thank you.' },
  });
  expect(response.statusCode).toBe(200);
});

const MALFORMED = 'not-a-uuid';
const unknownId = () => randomUUID();
// Invalid by the rules, yet of the right GraphQL types: a value that is not of its type (a
// `Date` that is not a day) is refused by GraphQL before anything runs, whoever calls
// (src/graphql/__tests__/scalars.test.ts), so the order compared here is for typed values.
const badBlock = { start: inDays(5), end: inDays(3) };
const goodBlock = () => ({ start: inDays(40), end: inDays(41) });
const badStay = () => ({ propertyId: MALFORMED, checkIn: inDays(5), checkOut: inDays(3), guests: 0 });
const goodStay = (id: string) => ({ propertyId: id, checkIn: inDays(50), checkOut: inDays(52), guests: 1 });

interface Call {
  rest: InjectOptions;
  query: string;
  variables?: Record<string, unknown>;
}

interface Row {
  name: string;
  /** Who calls; undefined is no token. */
  as: () => Session | undefined;
  call: () => Call;
  expected: number;
}

const ops = {
  property: (id: string): Call => ({
    rest: { method: 'GET', url: `/v1/properties/${id}` },
    query: 'query($id: ID!) { property(id: $id) { id } }',
    variables: { id },
  }),
  createProperty: (input: Record<string, unknown>): Call => ({
    rest: { method: 'POST', url: '/v1/properties', payload: input },
    query: 'mutation($i: CreatePropertyInput!) { createProperty(input: $i) { id } }',
    variables: { i: input },
  }),
  updateProperty: (id: string, input: Record<string, unknown>): Call => ({
    rest: { method: 'PATCH', url: `/v1/properties/${id}`, payload: input },
    query: 'mutation($id: ID!, $i: UpdatePropertyInput!) { updateProperty(id: $id, input: $i) { id } }',
    variables: { id, i: input },
  }),
  deleteProperty: (id: string): Call => ({
    rest: { method: 'DELETE', url: `/v1/properties/${id}` },
    query: 'mutation($id: ID!) { deleteProperty(id: $id) }',
    variables: { id },
  }),
  blockDates: (id: string, input: Record<string, unknown>): Call => ({
    rest: { method: 'POST', url: `/v1/properties/${id}/blocks`, payload: input },
    query: 'mutation($id: ID!, $i: BlockDatesInput!) { blockDates(propertyId: $id, input: $i) { id } }',
    variables: { id, i: input },
  }),
  unblockDates: (id: string, block: string): Call => ({
    rest: { method: 'DELETE', url: `/v1/properties/${id}/blocks/${block}` },
    query: 'mutation($id: ID!, $b: ID!) { unblockDates(propertyId: $id, blockId: $b) }',
    variables: { id, b: block },
  }),
  quote: (input: Record<string, unknown>): Call => ({
    rest: { method: 'POST', url: '/v1/bookings/quote', payload: input },
    query: 'query($i: QuoteInput!) { quote(input: $i) { available } }',
    variables: { i: input },
  }),
  createBooking: (input: Record<string, unknown>): Call => ({
    rest: { method: 'POST', url: '/v1/bookings', payload: input },
    query: 'mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }',
    variables: { i: input },
  }),
  booking: (id: string): Call => ({
    rest: { method: 'GET', url: `/v1/bookings/${id}` },
    query: 'query($id: ID!) { booking(id: $id) { id } }',
    variables: { id },
  }),
  cancelBooking: (id: string, input: Record<string, unknown>): Call => ({
    rest: { method: 'POST', url: `/v1/bookings/${id}/cancel`, payload: input },
    query: 'mutation($id: ID!, $i: CancelBookingInput) { cancelBooking(id: $id, input: $i) { id } }',
    variables: { id, i: input },
  }),
  properties: (filter: Record<string, string | number>): Call => ({
    rest: {
      method: 'GET',
      url: `/v1/properties?${new URLSearchParams(Object.entries(filter).map(([k, v]): [string, string] => [k, String(v)])).toString()}`,
    },
    query: 'query($f: PropertyFilter) { properties(filter: $f) { edges { node { id } } } }',
    variables: { f: filter },
  }),
  bookings: (as: 'guest' | 'host', first: number): Call => ({
    rest: { method: 'GET', url: `/v1/bookings?as=${as}&limit=${first}` },
    query: `query($n: Int) { ${as === 'guest' ? 'myBookings' : 'hostBookings'}(first: $n) { edges { node { id } } } }`,
    variables: { n: first },
  }),
  initiatePayment: (id: string): Call => ({
    rest: { method: 'POST', url: `/v1/bookings/${id}/payments` },
    query: 'mutation($id: ID!) { initiatePayment(bookingId: $id) { id } }',
    variables: { id },
  }),
  register: (input: Record<string, unknown>): Call => ({
    rest: { method: 'POST', url: '/v1/auth/register', payload: input },
    query: 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }',
    variables: { i: input },
  }),
  login: (email: string, password: string): Call => ({
    rest: { method: 'POST', url: '/v1/auth/login', payload: { email, password } },
    query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
    variables: { e: email, p: password },
  }),
  refresh: (refreshToken: string): Call => ({
    rest: { method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } },
    query: 'mutation($r: String!) { refresh(refreshToken: $r) { accessToken } }',
    variables: { r: refreshToken },
  }),
  createReview: (bookingId: string, input: Record<string, unknown>): Call => ({
    rest: { method: 'POST', url: `/v1/bookings/${bookingId}/review`, payload: input },
    query: 'mutation($id: ID!, $i: CreateReviewInput!) { createReview(bookingId: $id, input: $i) { id } }',
    variables: { id: bookingId, i: input },
  }),
  respondToReview: (id: string, body: string): Call => ({
    rest: { method: 'POST', url: `/v1/reviews/${id}/response`, payload: { body } },
    query: 'mutation($id: ID!, $b: String!) { respondToReview(reviewId: $id, body: $b) { id } }',
    variables: { id, b: body },
  }),
  me: (): Call => ({ rest: { method: 'GET', url: '/v1/me' }, query: '{ me { id } }' }),
  updateMe: (input: Record<string, unknown>): Call => ({
    rest: { method: 'PATCH', url: '/v1/me', payload: input },
    query: 'mutation($i: UpdateMeInput!) { updateMe(input: $i) { id } }',
    variables: { i: input },
  }),
  becomeHost: (): Call => ({
    rest: { method: 'POST', url: '/v1/me/become-host' },
    query: 'mutation { becomeHost { id } }',
  }),
  verifyEmail: (token: string): Call => ({
    rest: { method: 'POST', url: '/v1/auth/verify-email', payload: { token } },
    query: 'mutation($t: String!) { verifyEmail(token: $t) { id } }',
    variables: { t: token },
  }),
  requestPasswordReset: (email: string): Call => ({
    rest: { method: 'POST', url: '/v1/auth/password-reset/request', payload: { email } },
    query: 'mutation($e: String!) { requestPasswordReset(email: $e) }',
    variables: { e: email },
  }),
  confirmPasswordReset: (token: string, password: string): Call => ({
    rest: { method: 'POST', url: '/v1/auth/password-reset/confirm', payload: { token, password } },
    query: 'mutation($t: String!, $p: String!) { confirmPasswordReset(token: $t, password: $p) }',
    variables: { t: token, p: password },
  }),
};

const nobody = () => undefined;
const rows: Row[] = [
  // No token: 401 whatever the ids and the input are.
  {
    name: 'createProperty, no token, invalid input',
    as: nobody,
    call: () => ops.createProperty(propertyInput({ title: 'x' })),
    expected: 401,
  },
  {
    name: 'updateProperty, no token, malformed id, invalid input',
    as: nobody,
    call: () => ops.updateProperty(MALFORMED, { title: 'x' }),
    expected: 401,
  },
  {
    name: 'deleteProperty, no token, malformed id',
    as: nobody,
    call: () => ops.deleteProperty(MALFORMED),
    expected: 401,
  },
  {
    name: 'blockDates, no token, malformed id, invalid input',
    as: nobody,
    call: () => ops.blockDates(MALFORMED, badBlock),
    expected: 401,
  },
  {
    name: 'unblockDates, no token, malformed ids',
    as: nobody,
    call: () => ops.unblockDates(MALFORMED, MALFORMED),
    expected: 401,
  },
  { name: 'me, no token', as: nobody, call: () => ops.me(), expected: 401 },
  { name: 'updateMe, no token, invalid input', as: nobody, call: () => ops.updateMe({ firstName: '' }), expected: 401 },
  { name: 'becomeHost, no token', as: nobody, call: () => ops.becomeHost(), expected: 401 },

  // E-mailed tokens: an unknown one is refused alike; input is checked before the token.
  { name: 'verifyEmail, unknown token', as: nobody, call: () => ops.verifyEmail('unknown'), expected: 422 },
  { name: 'verifyEmail, empty token', as: nobody, call: () => ops.verifyEmail(''), expected: 422 },
  {
    name: 'requestPasswordReset, not an e-mail',
    as: nobody,
    call: () => ops.requestPasswordReset('nobody'),
    expected: 422,
  },
  {
    name: 'confirmPasswordReset, unknown token',
    as: nobody,
    call: () => ops.confirmPasswordReset('unknown', 'violet tractor umbrella'),
    expected: 422,
  },
  {
    name: 'confirmPasswordReset, short password',
    as: nobody,
    call: () => ops.confirmPasswordReset('unknown', 'short'),
    expected: 422,
  },

  // A malformed id names nothing: 404, before the input is looked at.
  { name: 'property, malformed id', as: nobody, call: () => ops.property(MALFORMED), expected: 404 },
  {
    name: 'updateProperty, malformed id, invalid input',
    as: () => owner,
    call: () => ops.updateProperty(MALFORMED, { title: 'x' }),
    expected: 404,
  },
  { name: 'deleteProperty, malformed id', as: () => owner, call: () => ops.deleteProperty(MALFORMED), expected: 404 },
  {
    name: 'blockDates, malformed id, invalid input',
    as: () => owner,
    call: () => ops.blockDates(MALFORMED, badBlock),
    expected: 404,
  },
  {
    name: 'unblockDates, malformed block id',
    as: () => owner,
    call: () => ops.unblockDates(propertyId, MALFORMED),
    expected: 404,
  },
  {
    name: 'unblockDates, malformed property id',
    as: () => owner,
    call: () => ops.unblockDates(MALFORMED, blockId),
    expected: 404,
  },

  // Ids that are well formed but unknown, or not visible to the caller.
  { name: 'property, unknown id', as: nobody, call: () => ops.property(unknownId()), expected: 404 },
  { name: "property, another host's draft", as: () => guest, call: () => ops.property(draftId), expected: 404 },
  {
    name: 'updateProperty, unknown id',
    as: () => owner,
    call: () => ops.updateProperty(unknownId(), { title: 'A fine new title' }),
    expected: 404,
  },
  { name: 'deleteProperty, unknown id', as: () => owner, call: () => ops.deleteProperty(unknownId()), expected: 404 },
  {
    name: 'blockDates, unknown id',
    as: () => owner,
    call: () => ops.blockDates(unknownId(), goodBlock()),
    expected: 404,
  },
  {
    name: 'unblockDates, unknown block',
    as: () => owner,
    call: () => ops.unblockDates(propertyId, unknownId()),
    expected: 404,
  },

  // Invalid input, from a caller who may call: 422, checked before the rules (a guest too).
  {
    name: 'createProperty, host, invalid input',
    as: () => owner,
    call: () => ops.createProperty(propertyInput({ title: 'x' })),
    expected: 422,
  },
  {
    name: 'createProperty, guest, invalid input',
    as: () => guest,
    call: () => ops.createProperty(propertyInput({ title: 'x' })),
    expected: 422,
  },
  {
    name: 'updateProperty, owner, invalid input',
    as: () => owner,
    call: () => ops.updateProperty(propertyId, { title: 'x' }),
    expected: 422,
  },
  {
    name: 'blockDates, owner, invalid input',
    as: () => owner,
    call: () => ops.blockDates(propertyId, badBlock),
    expected: 422,
  },
  { name: 'updateMe, invalid input', as: () => guest, call: () => ops.updateMe({ firstName: '' }), expected: 422 },

  // The wrong role, or not the owner.
  {
    name: 'createProperty, guest',
    as: () => guest,
    call: () => ops.createProperty(propertyInput()),
    expected: 403,
  },
  {
    name: 'updateProperty, another host',
    as: () => otherHost,
    call: () => ops.updateProperty(propertyId, { title: 'A fine new title' }),
    expected: 403,
  },
  {
    name: 'deleteProperty, another host',
    as: () => otherHost,
    call: () => ops.deleteProperty(propertyId),
    expected: 403,
  },
  {
    name: 'blockDates, another host',
    as: () => otherHost,
    call: () => ops.blockDates(propertyId, goodBlock()),
    expected: 403,
  },
  {
    name: 'unblockDates, another host',
    as: () => otherHost,
    call: () => ops.unblockDates(propertyId, blockId),
    expected: 403,
  },
  { name: 'becomeHost, already a host', as: () => owner, call: () => ops.becomeHost(), expected: 409 },

  // Bookings: the caller, then the ids, then the input, then the rules.
  {
    name: 'createBooking, no token, invalid input',
    as: nobody,
    call: () => ops.createBooking(badStay()),
    expected: 401,
  },
  { name: 'booking, no token', as: nobody, call: () => ops.booking(unknownId()), expected: 401 },
  {
    name: 'cancelBooking, no token, malformed id, invalid input',
    as: nobody,
    call: () => ops.cancelBooking(MALFORMED, { reason: 'x'.repeat(1001) }),
    expected: 401,
  },
  { name: 'booking, malformed id', as: () => guest, call: () => ops.booking(MALFORMED), expected: 404 },
  {
    name: 'cancelBooking, malformed id, invalid input',
    as: () => guest,
    call: () => ops.cancelBooking(MALFORMED, { reason: 'x'.repeat(1001) }),
    expected: 404,
  },
  { name: 'booking, unknown id', as: () => guest, call: () => ops.booking(unknownId()), expected: 404 },
  { name: 'cancelBooking, unknown id', as: () => guest, call: () => ops.cancelBooking(unknownId(), {}), expected: 404 },
  { name: 'quote, invalid input', as: nobody, call: () => ops.quote(badStay()), expected: 422 },
  { name: 'quote, unknown property', as: nobody, call: () => ops.quote(goodStay(unknownId())), expected: 404 },
  { name: "quote, another host's draft", as: () => guest, call: () => ops.quote(goodStay(draftId)), expected: 404 },
  { name: 'createBooking, invalid input', as: () => guest, call: () => ops.createBooking(badStay()), expected: 422 },
  {
    name: 'createBooking, own property',
    as: () => owner,
    call: () => ops.createBooking(goodStay(propertyId)),
    expected: 422,
  },
  {
    name: 'createBooking, too many guests',
    as: () => guest,
    call: () => ops.createBooking({ ...goodStay(propertyId), guests: 9 }),
    expected: 422,
  },
  {
    name: 'createBooking, nights blocked',
    as: () => guest,
    call: () => ops.createBooking({ ...goodStay(propertyId), checkIn: inDays(31), checkOut: inDays(33) }),
    expected: 409,
  },

  // Lists, payments and sign-in.
  { name: 'properties, invalid filter', as: nobody, call: () => ops.properties({ minPrice: -1 }), expected: 422 },
  { name: 'myBookings, no token', as: nobody, call: () => ops.bookings('guest', 5), expected: 401 },
  { name: 'hostBookings, no token', as: nobody, call: () => ops.bookings('host', 5), expected: 401 },
  { name: 'myBookings, page too large', as: () => guest, call: () => ops.bookings('guest', 1000), expected: 422 },
  {
    name: 'initiatePayment, no token, malformed id',
    as: nobody,
    call: () => ops.initiatePayment(MALFORMED),
    expected: 401,
  },
  { name: 'initiatePayment, malformed id', as: () => guest, call: () => ops.initiatePayment(MALFORMED), expected: 404 },
  { name: 'initiatePayment, unknown id', as: () => guest, call: () => ops.initiatePayment(unknownId()), expected: 404 },
  {
    name: "initiatePayment, someone else's booking",
    as: () => otherHost,
    call: () => ops.initiatePayment(bookingId),
    expected: 404,
  },
  { name: 'initiatePayment, the host', as: () => owner, call: () => ops.initiatePayment(bookingId), expected: 403 },
  {
    name: 'register, invalid input',
    as: nobody,
    call: () => ops.register({ email: 'x', password: 'short', firstName: '', lastName: 'L' }),
    expected: 422,
  },
  {
    name: 'register, e-mail taken',
    as: nobody,
    call: () => ops.register({ email: guest.user.email, password: PASSWORD, firstName: 'A', lastName: 'B' }),
    expected: 409,
  },
  {
    name: 'login, wrong password',
    as: nobody,
    call: () => ops.login(guest.user.email, 'not the password 123'),
    expected: 401,
  },
  { name: 'refresh, unknown token', as: nobody, call: () => ops.refresh('unknown-token'), expected: 401 },
  // Reviews: the caller, then the ids, then the input, then the rules.
  {
    name: 'createReview, no token, malformed id, invalid input',
    as: nobody,
    call: () => ops.createReview(MALFORMED, { rating: 9 }),
    expected: 401,
  },
  {
    name: 'createReview, malformed id, invalid input',
    as: () => guest,
    call: () => ops.createReview(MALFORMED, { rating: 9 }),
    expected: 404,
  },
  {
    name: 'createReview, unknown booking',
    as: () => guest,
    call: () => ops.createReview(unknownId(), { rating: 4 }),
    expected: 404,
  },
  {
    name: "createReview, another user's booking",
    as: () => otherHost,
    call: () => ops.createReview(openStayId, { rating: 4 }),
    expected: 404,
  },
  {
    name: 'createReview, invalid input',
    as: () => guest,
    call: () => ops.createReview(openStayId, { rating: 6, comment: 'x'.repeat(2001) }),
    expected: 422,
  },
  {
    name: 'createReview, the host of the stay',
    as: () => owner,
    call: () => ops.createReview(openStayId, { rating: 4 }),
    expected: 403,
  },
  {
    name: 'createReview, stay not completed',
    as: () => guest,
    call: () => ops.createReview(pendingBookingId, { rating: 4 }),
    expected: 409,
  },
  {
    name: 'createReview, more than 30 days after check-out',
    as: () => guest,
    call: () => ops.createReview(lateStayId, { rating: 4 }),
    expected: 422,
  },
  {
    name: 'createReview, already reviewed',
    as: () => guest,
    call: () => ops.createReview(reviewedStayId, { rating: 4 }),
    expected: 409,
  },
  {
    name: 'respondToReview, no token, malformed id',
    as: nobody,
    call: () => ops.respondToReview(MALFORMED, ''),
    expected: 401,
  },
  {
    name: 'respondToReview, malformed id, invalid body',
    as: () => owner,
    call: () => ops.respondToReview(MALFORMED, ''),
    expected: 404,
  },
  {
    name: 'respondToReview, unknown review',
    as: () => owner,
    call: () => ops.respondToReview(unknownId(), 'Thanks'),
    expected: 404,
  },
  {
    name: 'respondToReview, invalid body',
    as: () => owner,
    call: () => ops.respondToReview(reviewId, ' '),
    expected: 422,
  },
  {
    name: 'respondToReview, not the host',
    as: () => otherHost,
    call: () => ops.respondToReview(reviewId, 'Thanks'),
    expected: 403,
  },
  {
    name: 'respondToReview, already responded',
    as: () => owner,
    call: () => ops.respondToReview(reviewId, 'Thanks again'),
    expected: 409,
  },
];

describe('REST and GraphQL answer failures alike', () => {
  it.each(rows)('$name: $expected', async ({ as, call, expected }) => {
    const session = as();
    const headers = session ? session.auth : {};
    const { rest, query, variables } = call();

    const restRes = await testApp().app.inject({ ...rest, headers });
    const gql = await graphql(testApp().app, query, variables, headers);

    expect(restRes.statusCode, restRes.body).toBe(expected);
    expect(gql.status).toBe(200);
    const error = gql.body.errors?.[0];
    expect(error?.extensions?.code, JSON.stringify(gql.body)).toBe(CODE[expected]);
    // The same reason too: REST's problem `code` is GraphQL's `extensions.reason`.
    expect(error?.extensions?.reason).toBe(restRes.json<{ code: string }>().code);
  });

  it('left the data as it was', async () => {
    const blocks = await testApp().app.inject({
      url: `/v1/properties/${propertyId}/availability?from=${inDays(0)}&to=${inDays(60)}`,
    });
    expect(blocks.json()).toEqual({ unavailable: [{ start: inDays(30), end: inDays(32), reason: 'blocked' }] });
    const property = await testApp().app.inject({ url: `/v1/properties/${propertyId}` });
    expect(property.json()).toMatchObject({ title: propertyInput().title as string });
  });
});
