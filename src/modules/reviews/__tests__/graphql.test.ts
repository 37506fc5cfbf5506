import { beforeAll, describe, expect, it } from 'vitest';
import { graphql, register, type Session, useTestApp } from '#test/helpers.js';
import { completedStays } from '#test/factories/bookings.js';
import { address, createProperty, uniqueCity } from '#test/factories/properties.js';
import { GRAPHQL_MAX_COST } from '../../../graphql/limits.js';

// Reviews over GraphQL: the mutations, and the nested lists batch-loaded — a page of
// places with their latest reviews and the reviews' authors costs a constant number of
// queries, whatever the page's size.

let reviewQueries = 0;
let userQueries = 0;
let propertyQueries = 0;
const testApp = useTestApp({
  onQuery: (sql) => {
    if (/from "properties"/.test(sql)) propertyQueries++;
    if (/from "reviews"/.test(sql) || /from unnest/.test(sql)) reviewQueries++;
    if (/from "users"/.test(sql)) userQueries++;
  },
});
let host: Session;
let guests: Session[];
const city = uniqueCity();
let places: string[] = [];
/** Per place, its stays (one per guest), in the guests' order. */
const stays = new Map<string, string[]>();

const CREATE = /* GraphQL */ `
  mutation ($bookingId: ID!, $input: CreateReviewInput!) {
    createReview(bookingId: $bookingId, input: $input) {
      id
      rating
      comment
      author {
        firstName
      }
    }
  }
`;

const CREATE_GUEST_REVIEW = /* GraphQL */ `
  mutation ($bookingId: ID!, $input: CreateReviewInput!) {
    createGuestReview(bookingId: $bookingId, input: $input) {
      id
      direction
      publishedAt
    }
  }
`;

beforeAll(async () => {
  const { app, container } = testApp();
  host = await register(app, { role: 'host' });
  guests = await Promise.all(['Ada', 'Bea', 'Cai'].map((firstName) => register(app, { firstName })));
  for (let i = 0; i < 4; i++) {
    // Distinct prices: the page below is sorted by price, so the unreviewed place is last.
    const p = await createProperty(app, host, {
      title: `Place number ${i}`,
      address: address(city),
      nightlyPrice: 10_000 + i * 100,
    });
    places.push(p.id);
    const made = await completedStays(container.database.db, {
      propertyId: p.id,
      hostId: p.hostId,
      guestIds: guests.map((g) => g.user.id),
      checkOutDaysAgo: 1,
    });
    stays.set(
      p.id,
      made.map((s) => s.id),
    );
  }
  places = [...places];
  // Every guest reviews every place but the last, one after another (distinct creation times).
  for (const p of places.slice(0, 3)) {
    for (const [i, g] of guests.entries()) {
      const res = await graphql(
        app,
        CREATE,
        { bookingId: stays.get(p)![i], input: { rating: i + 3, comment: `From ${i}` } },
        g.auth,
      );
      expect(res.body.errors, JSON.stringify(res.body)).toBeUndefined();
      // The host's review of the guest publishes both (double-blind until then).
      const back = await graphql(
        app,
        CREATE_GUEST_REVIEW,
        { bookingId: stays.get(p)![i], input: { rating: 5 } },
        host.auth,
      );
      expect(back.body.data?.createGuestReview, JSON.stringify(back.body)).toMatchObject({
        direction: 'host_to_guest',
        publishedAt: expect.any(String) as string,
      });
    }
  }
}, 120_000);

const PAGE = /* GraphQL */ `
  query ($city: String, $first: Int) {
    properties(filter: { city: $city, sort: price_asc }, first: $first) {
      edges {
        node {
          id
          ratingCount
          reviews(first: 2) {
            edges {
              cursor
              node {
                rating
                comment
                author {
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
      }
    }
  }
`;

describe('GraphQL reviews', () => {
  it('createReview answers the review with its author', async () => {
    const { app, container } = testApp();
    const p = await createProperty(app, host, { address: address(uniqueCity()) });
    const [stay] = await completedStays(container.database.db, {
      propertyId: p.id,
      hostId: p.hostId,
      guestIds: [guests[0]!.user.id],
      checkOutDaysAgo: 3,
    });
    const res = await graphql(app, CREATE, { bookingId: stay!.id, input: { rating: 5 } }, guests[0]!.auth);
    expect(res.body.data?.createReview).toMatchObject({ rating: 5, comment: '', author: { firstName: 'Ada' } });
  });

  it('Property.reviews: newest first for each place of a page, in one reviews query (and one overdue check)', async () => {
    const { app } = testApp();
    // Warmed first: the city's names and the search pages are cached, so what is counted
    // below is the per-request work of the nested fields.
    await graphql(app, PAGE, { city, first: 1 });
    await graphql(app, PAGE, { city, first: 4 });
    reviewQueries = 0;
    userQueries = 0;
    const small = await graphql(app, PAGE, { city, first: 1 });
    expect(small.body.errors).toBeUndefined();
    // Reviews: whether any is overdue for publication (nothing to publish here), then the page.
    expect([reviewQueries, userQueries]).toEqual([2, 1]);

    reviewQueries = 0;
    userQueries = 0;
    const res = await graphql(app, PAGE, { city, first: 4 });
    expect(res.body.errors, JSON.stringify(res.body)).toBeUndefined();
    // One query for the reviews of the whole page and one for all their authors, as for a page of one.
    expect([reviewQueries, userQueries]).toEqual([2, 1]);

    type Node = {
      id: string;
      ratingCount: number;
      reviews: {
        edges: { cursor: string; node: { rating: number; comment: string; author: { firstName: string } } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const nodes = (res.body.data!.properties as { edges: { node: Node }[] }).edges.map((e) => e.node);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    for (const p of places.slice(0, 3)) {
      const n = byId.get(p)!;
      expect(n.ratingCount).toBe(3);
      expect(n.reviews.edges.map((e) => [e.node.comment, e.node.author.firstName])).toEqual([
        ['From 2', 'Cai'],
        ['From 1', 'Bea'],
      ]);
      expect(n.reviews.pageInfo.hasNextPage).toBe(true);
    }
    expect(byId.get(places[3]!)!.reviews).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });

    // The next page of one place, from its cursor.
    const next = await graphql(
      app,
      /* GraphQL */ `
        query ($id: ID!, $after: String) {
          property(id: $id) {
            reviews(first: 2, after: $after) {
              edges {
                node {
                  comment
                }
              }
              pageInfo {
                hasNextPage
              }
            }
          }
        }
      `,
      { id: places[0], after: byId.get(places[0]!)!.reviews.pageInfo.endCursor },
    );
    expect(next.body.data?.property).toEqual({
      reviews: { edges: [{ node: { comment: 'From 0' } }], pageInfo: { hasNextPage: false } },
    });
  });

  it('Property.reviews refuses first over 100 and a bad cursor', async () => {
    const { app } = testApp();
    const query = /* GraphQL */ `
      query ($id: ID!, $first: Int, $after: String) {
        property(id: $id) {
          reviews(first: $first, after: $after) {
            edges {
              cursor
            }
          }
        }
      }
    `;
    const over = await graphql(app, query, { id: places[0], first: 101 });
    expect(over.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const bad = await graphql(app, query, { id: places[0], after: 'garbage' });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('Booking.review: the review of the stay, or null', async () => {
    const { app } = testApp();
    const query = /* GraphQL */ `
      query ($id: ID!) {
        booking(id: $id) {
          review {
            rating
            comment
          }
        }
      }
    `;
    const reviewed = await graphql(app, query, { id: stays.get(places[1]!)![1] }, guests[1]!.auth);
    expect(reviewed.body.data?.booking).toEqual({ review: { rating: 4, comment: 'From 1' } });
    const none = await graphql(app, query, { id: stays.get(places[3]!)![1] }, guests[1]!.auth);
    expect(none.body.data?.booking).toEqual({ review: null });
  });

  it('respondToReview: the host, once', async () => {
    const { app } = testApp();
    const mutation = /* GraphQL */ `
      mutation ($id: ID!, $body: String!) {
        respondToReview(reviewId: $id, body: $body) {
          hostResponse
          hostRespondedAt
        }
      }
    `;
    const list = await app.inject({ url: `/v1/properties/${places[0]}/reviews?limit=1` });
    const reviewId = list.json<{ data: { id: string }[] }>().data[0]!.id;

    const byGuest = await graphql(app, mutation, { id: reviewId, body: 'Me too' }, guests[0]!.auth);
    expect(byGuest.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'not_property_host' });
    const ok = await graphql(app, mutation, { id: reviewId, body: '  Thank you!  ' }, host.auth);
    expect(ok.body.data?.respondToReview).toMatchObject({ hostResponse: 'Thank you!' });
    const again = await graphql(app, mutation, { id: reviewId, body: 'Again' }, host.auth);
    expect(again.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'already_responded' });
  });

  it('an over-costly reviews query is refused before it runs', async () => {
    const { app } = testApp();
    const query = /* GraphQL */ `
      query {
        properties(first: 100) {
          edges {
            node {
              reviews(first: 100) {
                edges {
                  node {
                    id
                  }
                }
              }
            }
          }
        }
      }
    `;
    reviewQueries = 0;
    propertyQueries = 0;
    const res = await graphql(app, query);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(new RegExp(`more than the limit of ${GRAPHQL_MAX_COST}`));
    expect(res.body.data ?? null).toBeNull();
    // Nothing was read: neither the places nor their reviews.
    expect([propertyQueries, reviewQueries]).toEqual([0, 0]);

    // Nested lists multiply: 10 places × 10 reviews × their fields fit; 100 × 100 did not.
    const fits = await graphql(app, query.replace('first: 100', 'first: 10').replace('first: 100', 'first: 10'));
    expect(fits.status).toBe(200);
    expect(fits.body.errors).toBeUndefined();
  });
});
