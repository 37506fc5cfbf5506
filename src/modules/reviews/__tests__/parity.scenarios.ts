import { expect } from 'vitest';
import { completedStays } from '#test/factories/bookings.js';
import { sql } from 'drizzle-orm';
import { register, rowsOf } from '#test/helpers.js';
import {
  app,
  asRestPage,
  db,
  full,
  gql,
  GUEST_REVIEW,
  propertyRows,
  rest,
  REVIEW,
  reviewRows,
  type Scenario,
  sideEffects,
  withCompletedStay,
  withReview,
} from '#test/parity/kit.js';

/**
 * Reviews of completed stays (both ways), responses, a place's review pages and a guest's
 * received reviews: the same over REST and GraphQL (run by test/parity/rest-graphql.test.ts).
 */
export const scenarios: Scenario[] = [
  {
    name: 'createGuestReview',
    kind: 'write',
    setup: withCompletedStay,
    rest: (w) =>
      rest({ method: 'POST', url: `/v1/bookings/${w.bookingId}/guest-review`, as: w.host, payload: GUEST_REVIEW }, 201),
    graphql: (w) =>
      gql(
        w.host,
        `mutation($id: ID!, $i: CreateReviewInput!) { createGuestReview(bookingId: $id, input: $i) ${full('Review')} }`,
        { id: w.bookingId, i: GUEST_REVIEW },
      ),
    stored: async (w, answer: { id: string }) => {
      w.name(answer.id, 'created');
      return {
        reviews: await reviewRows(w.propertyId),
        guest: await rowsOf(
          db(),
          sql`select guest_rating_sum, guest_rating_count from users where id = ${w.guest.user.id}`,
        ),
        ...(await sideEffects(answer.id)),
      };
    },
  },
  {
    name: 'userReviews: a guest’s published received reviews, same pages',
    kind: 'read',
    setup: async (w) => {
      await withReview(w);
      // A second stay of the same guest, both sides reviewed: two received reviews in pages of one.
      const [stay] = await completedStays(db(), {
        propertyId: w.propertyId,
        hostId: w.host.user.id,
        guestIds: [w.guest.user.id],
        checkOutDaysAgo: 3,
      });
      await rest({ method: 'POST', url: `/v1/bookings/${stay!.id}/review`, as: w.guest, payload: { rating: 3 } }, 201);
      await rest(
        { method: 'POST', url: `/v1/bookings/${stay!.id}/guest-review`, as: w.host, payload: { rating: 2 } },
        201,
      );
    },
    rest: async (w) => {
      const pages: unknown[] = [];
      let cursor: string | null = null;
      do {
        const qs = new URLSearchParams({ limit: '1', ...(cursor ? { cursor } : {}) });
        const page = (await rest({ url: `/v1/users/${w.guest.user.id}/reviews?${qs.toString()}` }, 200)) as {
          page: { nextCursor: string | null };
        };
        pages.push(page);
        cursor = page.page.nextCursor;
      } while (cursor);
      return pages;
    },
    graphql: async (w) => {
      const query = `query($id: ID!, $after: String) {
        userReviews(userId: $id, first: 1, after: $after) ${full('ReviewConnection', ['Review.author'])}
      }`;
      const pages: unknown[] = [];
      let after: string | null = null;
      do {
        const page = asRestPage(await gql(undefined, query, { id: w.guest.user.id, after }));
        pages.push(page);
        after = page.page.nextCursor;
      } while (after);
      return pages;
    },
    stored: async (_w, pages: { data: { direction: string }[] }[]) => {
      expect(pages.map((p) => p.data.length)).toEqual([1, 1]);
      for (const p of pages) for (const r of p.data) expect(r.direction).toBe('host_to_guest');
      return null;
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
        await rest(
          { method: 'POST', url: `/v1/bookings/${stays[i]!.id}/guest-review`, as: w.host, payload: { rating: 4 } },
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
];
