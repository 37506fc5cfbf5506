import { z } from 'zod';
import type { RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import type { BookingsAccount } from '../bookings/index.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import { notFound } from '../../platform/errors.js';
import { reviewNotFound } from './reviews.errors.js';
import type { ReviewPublication } from './reviews.publication.js';
import * as repo from './reviews.repository.js';
import {
  toReviewDto,
  type ListReviewsQuery,
  type PublicReview,
  type Review,
  type ReviewsPage,
} from './reviews.schemas.js';
import type { ReviewDirection, ReviewRow } from './reviews.table.js';

const listCursor = z.tuple([isoInstant, z.uuid()]);
const cursorOf = (r: ReviewRow) => [r.createdAt.toISOString(), r.id];
const publishedCursorOf = (r: ReviewRow) => [(r.publishedAt ?? r.createdAt).toISOString(), r.id];

/** Whether `viewerId` may see the review: once published, anyone; before, its author only. */
const visible = (r: ReviewRow, viewerId: string | undefined) => !r.pending || r.authorId === viewerId;

export interface ReviewReadingDeps {
  db: Db;
  bookings: Pick<BookingsAccount, 'bookingIdPages'>;
  properties: Pick<PropertiesApi, 'getProperty' | 'getPropertiesByIds'>;
  users: Pick<UsersApi, 'getPublicProfiles'>;
  publication: Pick<ReviewPublication, 'publishOverdueBeforeRead'>;
}

/** Reviews as readers see them: one, a place's pages, those of many places or bookings. */
export function createReviewReading(deps: ReviewReadingDeps) {
  const { db, bookings, properties, users, publication } = deps;

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
     * Reviews of the user's stays, for their personal-data export, walked through the
     * user's bookings (as their guest, then as their host): those the user wrote (pending
     * ones too), or those written of them (of their place, or of them as a guest) once
     * published — a pending review of them is its author's alone.
     */
    async *reviewsOf(userId: string, which: 'written' | 'received'): AsyncGenerator<Review> {
      for (const as of ['guest', 'host'] as const) {
        for await (const ids of bookings.bookingIdPages(userId, as)) {
          for (const row of await repo.findReviewsByBookingIds(db, ids)) {
            const mine = row.authorId === userId;
            if (which === 'written' ? mine : !mine && !row.pending) yield toReviewDto(row);
          }
        }
      }
    },

    /**
     * A review the caller may see, with its author's public profile; else not found. A
     * review of a place: while the place is visible to the caller; a review of a guest:
     * always. Either: once published, or by its author before.
     */
    async getReview(id: string, ctx: RequestContext): Promise<PublicReview> {
      await publication.publishOverdueBeforeRead({ ids: [id] });
      const row = await repo.findReviewById(db, id);
      if (!row || !visible(row, ctx.actor?.id)) throw reviewNotFound();
      if (
        row.direction === 'guest_to_host' &&
        !(await properties.getPropertiesByIds([row.propertyId], ctx)).has(row.propertyId)
      ) {
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
      await publication.publishOverdueBeforeRead({ propertyIds: [propertyId] });
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
      if (propertyIds.length > 0) await publication.publishOverdueBeforeRead({ propertyIds });
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

    /**
     * The review in `direction` of each of these bookings that has one `viewerId` may see:
     * published, or written by them.
     */
    async reviewsOfBookings(
      bookingIds: readonly string[],
      direction: ReviewDirection,
      viewerId: string | undefined,
    ): Promise<Map<string, Review>> {
      if (bookingIds.length > 0) await publication.publishOverdueBeforeRead({ bookingIds });
      const rows = await repo.findReviewsByBookingIds(db, bookingIds);
      const shown = rows.filter((r) => r.direction === direction && visible(r, viewerId));
      return new Map(shown.map((r) => [r.bookingId, toReviewDto(r)]));
    },

    /**
     * The published reviews hosts wrote of this user as a guest, newest publication first,
     * keyset-paginated, each with its author's public profile. Public; an unknown user is 404.
     */
    async listUserReviews(
      userId: string,
      query: ListReviewsQuery,
    ): Promise<Page<PublicReview> & { cursors: string[] }> {
      if (!(await users.getPublicProfiles([userId])).has(userId)) throw notFound('user');
      await publication.publishOverdueBeforeRead({ guestId: userId });
      const rows = await repo.listGuestReviews(db, {
        guestId: userId,
        limit: query.limit + 1,
        after: afterKey(query.cursor),
      });
      const { data, page, cursors } = toPage(rows, query.limit, publishedCursorOf, toReviewDto);
      return { data: await withAuthors(data), page, cursors };
    },
  };
}
