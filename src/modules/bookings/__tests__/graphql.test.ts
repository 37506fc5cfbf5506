import { beforeAll, describe, expect, it } from 'vitest';
import { graphql, register, type Session, useTestApp } from '#test/helpers.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import type { Booking } from '../index.js';
import { withTransaction } from '../../../platform/db/transaction.js';

let queries = 0;
const testApp = useTestApp({ onQuery: () => void queries++ });
let hosts: Session[];
let guests: Session[];
let outsider: Session;
const made: Booking[] = [];
/** The places of the first host. */
let firstHostPlaces: string[] = [];

beforeAll(async () => {
  const { app } = testApp();
  hosts = await Promise.all(['Asta', 'Bjorn', 'Freya'].map((firstName) => register(app, { role: 'host', firstName })));
  guests = await Promise.all(['Gunnar', 'Helga'].map((firstName) => register(app, { firstName })));
  outsider = await register(app);
  const places = [];
  for (const h of hosts) places.push(await createProperty(app, h), await createProperty(app, h));
  firstHostPlaces = places.filter((p) => p.hostId === hosts[0]!.user.id).map((p) => p.id);
  // Every guest books every place: 12 bookings, 6 places, 3 hosts.
  for (const g of guests) {
    for (const [i, p] of places.entries()) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/bookings',
        headers: g.auth,
        payload: {
          propertyId: p.id,
          checkIn: inDays(10 + 3 * i + (g === guests[0] ? 0 : 30)),
          checkOut: inDays(12 + 3 * i + (g === guests[0] ? 0 : 30)),
          guests: 1,
        },
      });
      expect(res.statusCode).toBe(201);
      // Paid: a guest holds at most 3 unpaid bookings at once.
      const booking = res.json<Booking>();
      await withTransaction(testApp().container.database.db, (tx) =>
        testApp().container.services.bookings.confirmPaid(tx, booking.id),
      );
      made.push({ ...booking, status: 'confirmed' });
    }
  }
}, 120_000);

async function counted(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  // The partner events of the bookings made before are numbered after their commits: not this query's statements.
  await testApp().container.services.webhooks.settled();
  queries = 0;
  const res = await graphql(testApp().app, query, variables, headers);
  return { ...res, queries };
}

const MY = /* GraphQL */ `
  query ($first: Int, $after: String, $status: BookingStatus) {
    myBookings(first: $first, after: $after, status: $status) {
      edges {
        cursor
        node {
          id
          status
          price {
            total
          }
          property {
            id
            title
            host {
              firstName
            }
          }
          guest {
            id
            firstName
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

type Edges = { edges: { node: { id: string; property: { id: string } | null; guest: { firstName: string } } }[] };

describe('GraphQL bookings', () => {
  it('myBookings: the same rows as REST, with property, host and guest batch-loaded in a constant number of queries', async () => {
    const small = await counted(MY, { first: 2 }, guests[0]!.auth);
    const large = await counted(MY, { first: 6 }, guests[0]!.auth);
    expect(small.body.errors).toBeUndefined();
    const edges = (large.body.data!.myBookings as Edges).edges;
    expect(edges).toHaveLength(6);
    expect(edges.every((e) => e.node.property !== null && e.node.guest.firstName === 'Gunnar')).toBe(true);
    const rest = await testApp().app.inject({ url: '/v1/bookings?limit=6', headers: guests[0]!.auth });
    expect(edges.map((e) => e.node.id)).toEqual(rest.json<{ data: Booking[] }>().data.map((b) => b.id));
    expect(large.queries).toBe(small.queries);
  });

  it('hostBookings lists the bookings of the caller’s places; the cursor walks them', async () => {
    const Q = /* GraphQL */ `
      query ($after: String) {
        hostBookings(first: 3, after: $after) {
          edges {
            node {
              id
              guest {
                firstName
              }
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    `;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await graphql(testApp().app, Q, { after }, hosts[0]!.auth);
      const page = res.body.data!.hostBookings as Edges & { pageInfo: { hasNextPage: boolean; endCursor: string } };
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const expected = made.filter((b) => firstHostPlaces.includes(b.propertyId));
    expect(seen.sort()).toEqual(expected.map((b) => b.id).sort());
    expect(seen).toHaveLength(4);
  });

  it('quote (no token), booking, createBooking and cancelBooking', async () => {
    const p = await createProperty(testApp().app, hosts[1]!, { nightlyPrice: 5_000 });
    const input = { propertyId: p.id, checkIn: inDays(200), checkOut: inDays(202), guests: 1 };
    const q = await graphql(
      testApp().app,
      'query ($input: QuoteInput!) { quote(input: $input) { nights available price { subtotal serviceFee total } } }',
      { input },
    );
    expect(q.body.data!.quote).toEqual({
      nights: 2,
      available: true,
      price: { subtotal: 10_000, serviceFee: 1_200, total: 11_200 },
    });

    const CREATE =
      'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id status holdExpiresAt } }';
    const c = await graphql(testApp().app, CREATE, { input }, guests[0]!.auth);
    const created = c.body.data!.createBooking as { id: string; status: string };
    expect(created.status).toBe('pending');
    const again = await graphql(testApp().app, CREATE, { input }, guests[1]!.auth);
    expect(again.body.errors![0]!.extensions!.code).toBe('CONFLICT');
    const own = await graphql(testApp().app, CREATE, { input }, hosts[1]!.auth);
    expect(own.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const anonymous = await graphql(testApp().app, CREATE, { input });
    expect(anonymous.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');

    const GET = 'query ($id: ID!) { booking(id: $id) { id status guest { firstName } property { id } } }';
    const got = await graphql(testApp().app, GET, { id: created.id }, hosts[1]!.auth);
    expect(got.body.data!.booking).toEqual({
      id: created.id,
      status: 'pending',
      guest: { firstName: 'Gunnar' },
      property: { id: p.id },
    });
    const hidden = await graphql(testApp().app, GET, { id: created.id }, outsider.auth);
    expect(hidden.body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const malformed = await graphql(testApp().app, GET, { id: 'nope' }, guests[0]!.auth);
    expect(malformed.body.errors![0]!.extensions!.code).toBe('NOT_FOUND');

    const CANCEL =
      'mutation ($id: ID!, $input: CancelBookingInput) { cancelBooking(id: $id, input: $input) { status canceledBy cancellationReason refundAmount } }';
    const canceled = await graphql(
      testApp().app,
      CANCEL,
      { id: created.id, input: { reason: 'Change' } },
      guests[0]!.auth,
    );
    expect(canceled.body.data!.cancelBooking).toEqual({
      status: 'canceled',
      canceledBy: 'guest',
      cancellationReason: 'Change',
      refundAmount: 0,
    });
    const twice = await graphql(testApp().app, CANCEL, { id: created.id }, hosts[1]!.auth);
    expect(twice.body.errors![0]!.extensions!.code).toBe('CONFLICT');
  });

  it('myBookings filters by status and refuses a bad page size', async () => {
    const res = await graphql(testApp().app, MY, { status: 'canceled' }, guests[1]!.auth);
    expect((res.body.data!.myBookings as Edges).edges).toEqual([]);
    const bad = await graphql(testApp().app, MY, { first: 0 }, guests[1]!.auth);
    expect(bad.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const anonymous = await graphql(testApp().app, MY, {});
    expect(anonymous.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });
});
