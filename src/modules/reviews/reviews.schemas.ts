import { z } from 'zod';
import { idParam } from '../../platform/openapi-examples.js';
import { pageQuerySchema, type Page } from '../../platform/pagination.js';
import { PublicProfile } from '../users/index.js';
import { REVIEW_DIRECTIONS, type ReviewRow } from './reviews.table.js';

/** Comments and responses: text kept as written (trimmed), never rendered as HTML. */
const text = (max: number) => z.string().trim().max(max);

export const CreateReviewInput = z
  .strictObject({
    rating: z.number().int().min(1).max(5).describe('1 to 5 stars.'),
    // Not `.default('')`: see orEmpty in properties.schemas.ts.
    comment: text(2000)
      .optional()
      .transform((v) => v ?? '')
      .describe('Up to 2000 characters; may be left out.'),
  })
  .meta({
    id: 'CreateReviewInput',
    examples: [{ rating: 5, comment: 'Bright, quiet and spotless; the host was quick to answer.' }],
  });
export type CreateReviewInput = z.infer<typeof CreateReviewInput>;

export const RespondToReviewInput = z
  .strictObject({
    body: text(2000).min(1).describe('The host’s public response, 1 to 2000 characters.'),
  })
  .meta({ id: 'RespondToReviewInput', examples: [{ body: 'Thank you for staying with us. Come back any time!' }] });
export type RespondToReviewInput = z.infer<typeof RespondToReviewInput>;

export const ListReviewsQuery = pageQuerySchema;
export type ListReviewsQuery = z.infer<typeof ListReviewsQuery>;

export const BookingIdParams = z.object({ id: idParam('booking') });
export const UserIdParams = z.object({ id: idParam('user') });
export const ReviewIdParams = z.object({ id: idParam('review') });
export const PropertyIdParams = z.object({ id: idParam('property') });

export const Review = z
  .object({
    id: z.uuid(),
    bookingId: z.uuid(),
    propertyId: z.uuid(),
    authorId: z.uuid(),
    direction: z
      .enum(REVIEW_DIRECTIONS)
      .describe(
        '`guest_to_host`: the guest reviews the stay and its place; `host_to_guest`: the host reviews the guest.',
      ),
    rating: z.number().int().min(1).max(5),
    comment: z.string(),
    hostResponse: z.string().nullable().describe('The host’s response; null until they respond.'),
    hostRespondedAt: z.iso.datetime().nullable().describe('When the host responded.'),
    createdAt: z.iso.datetime(),
    publishedAt: z.iso
      .datetime()
      .nullable()
      .describe(
        'When it became visible to others: once both reviews of the stay are written, or when the review window closed (both at the same instant). Null while only its author sees it.',
      ),
  })
  .meta({ id: 'Review' });
export type Review = z.infer<typeof Review>;

export const PublicReview = Review.extend({
  author: PublicProfile.nullable().describe('The author’s public profile (first name, member since).'),
}).meta({ id: 'PublicReview' });
export type PublicReview = z.infer<typeof PublicReview>;

export function toReviewDto(row: ReviewRow): Review {
  return {
    id: row.id,
    bookingId: row.bookingId,
    propertyId: row.propertyId,
    authorId: row.authorId,
    direction: row.direction,
    rating: row.rating,
    comment: row.comment,
    hostResponse: row.hostResponse,
    hostRespondedAt: row.hostRespondedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    // Reviews from before double-blind publication were public as written.
    publishedAt: row.pending ? null : (row.publishedAt ?? row.createdAt).toISOString(),
  };
}

/** A page of reviews with the cursor after each row, for GraphQL edges. */
export type ReviewsPage = Page<Review> & { cursors: string[] };
