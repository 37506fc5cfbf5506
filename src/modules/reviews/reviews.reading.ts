import { z } from 'zod';
import type { RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import type { BookingsAccount } from '../bookings/index.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import { reviewNotFound } from './reviews.errors.js';
import * as repo from './reviews.repository.js';
import {
  toReviewDto,
  type ListReviewsQuery,
  type PublicReview,
  type Review,
  type ReviewsPage,
} from './reviews.schemas.js';
import type { ReviewRow } from './reviews.table.js';

const listCursor = z.tuple([isoInstant, z.uuid()]);
const cursorOf = (r: ReviewRow) => [r.createdAt.toISOString(), r.id];

export interface ReviewReadingDeps {
  db: Db;
  bookings: Pick<BookingsAccount, 'bookingIdPages'>;
  properties: Pick<PropertiesApi, 'getProperty' | 'getPropertiesByIds'>;
  users: Pick<UsersApi, 'getPublicProfiles'>;
}

/** Reviews as readers see them: one, a place's pages, those of many places or bookings. */
export function createReviewReading(deps: ReviewReadingDeps) {
  const { db, bookings, properties, users } = deps;

  async function withAuthors(reviews: Review[]): Promise<PublicReview[]> {
    const authors = await users.getPublicProfiles([...new Set(reviews.map((r) => r.authorId))]);
    return reviews.map((r) => ({ ...r, author: authors.get(r.authorId) ?? null }));
  }

  const afterKey = (cursor: string | undefined) => {
    const after = cursor ? decodeCursor(cursor, listCursor) : undefined;
    return after && { createdAt: after[0], id: after[1] };
  };

  return {
    /**
     * Reviews of the user's stays, for their personal-data export: written (as the stay's
     * guest) or received (as its host), walked through the user's bookings.
     */
    async *reviewsOf(userId: string, as: 'guest' | 'host'): AsyncGenerator<Review> {
      for await (const ids of bookings.bookingIdPages(userId, as)) {
        for (const row of await repo.findReviewsByBookingIds(db, ids)) yield toReviewDto(row);
      }
    },

    /** A review whose place the caller may see, with its author's public profile; else not found. */
    async getReview(id: string, ctx: RequestContext): Promise<PublicReview> {
      const row = await repo.findReviewById(db, id);
      if (!row || !(await properties.getPropertiesByIds([row.propertyId], ctx)).has(row.propertyId)) {
        throw reviewNotFound();
      }
      const [shown] = await withAuthors([toReviewDto(row)]);
      return shown!;
    },

    /** A visible place's reviews, newest first, each with its author's public profile. */
    async listPropertyReviews(
      propertyId: string,
      query: ListReviewsQuery,
      ctx: RequestContext,
    ): Promise<Page<PublicReview>> {
      await properties.getProperty(propertyId, ctx);
      const rows = await repo.listPropertyReviews(db, {
        propertyId,
        limit: query.limit + 1,
        after: afterKey(query.cursor),
      });
      const { data, page } = toPage(rows, query.limit, cursorOf, toReviewDto);
      return { data: await withAuthors(data), page };
    },

    /**
     * A page of reviews for each of these places (already visible to the caller), newest
     * first, in one query whatever their number. Authors are left to the caller (loaders).
     */
    async reviewsOfProperties(
      propertyIds: readonly string[],
      query: ListReviewsQuery,
    ): Promise<Map<string, ReviewsPage>> {
      const rows = await repo.listReviewsOfProperties(db, {
        propertyIds,
        limit: query.limit + 1,
        after: afterKey(query.cursor),
      });
      const byProperty = new Map<string, ReviewRow[]>(propertyIds.map((id) => [id, []]));
      for (const r of rows) byProperty.get(r.propertyId)?.push(r);
      return new Map(
        [...byProperty].map(([id, list]) => [id, toPage(list, query.limit, cursorOf, toReviewDto)] as const),
      );
    },

    /** The review of each of these bookings that has one. */
    async reviewsOfBookings(bookingIds: readonly string[]): Promise<Map<string, Review>> {
      const rows = await repo.findReviewsByBookingIds(db, bookingIds);
      return new Map(rows.map((r) => [r.bookingId, toReviewDto(r)]));
    },
  };
}
