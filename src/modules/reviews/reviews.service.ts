import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import type { Mailer } from '../../platform/mail/index.js';
import type { Page } from '../../platform/pagination.js';
import type { BookingsAccount, BookingsApi } from '../bookings/index.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import { createReviewsDigestSection, type ReviewsDigestSection } from './reviews.digest.js';
import { createReviewMail } from './reviews.mail.js';
import type { PublishReviewEvent } from './reviews.events.js';
import { createReviewPublication } from './reviews.publication.js';
import { createReviewReading } from './reviews.reading.js';
import type {
  CreateReviewInput,
  ListReviewsQuery,
  PublicReview,
  RespondToReviewInput,
  Review,
  ReviewsPage,
} from './reviews.schemas.js';
import type { ReviewDirection } from './reviews.table.js';
import { createReviewWriting } from './reviews.writing.js';

/** What the transports, the job handlers, the export and the host digest call on reviews. */
export interface ReviewsApi {
  /** Reviews of the user's stays (as guest or host) they wrote, or published ones written of them (personal-data export). */
  reviewsOf(userId: string, which: 'written' | 'received'): AsyncGenerator<Review>;
  /** The guest reviews their completed stay, once, within the review window (published with the host's, double-blind). */
  createReview(bookingId: string, input: CreateReviewInput, ctx: RequestContext): Promise<Review>;
  /** The booking's host reviews its guest, once, within the review window (published with the guest's, double-blind). */
  createGuestReview(bookingId: string, input: CreateReviewInput, ctx: RequestContext): Promise<Review>;
  /** The host of the reviewed place responds, once, to a published review. */
  respondToReview(reviewId: string, input: RespondToReviewInput, ctx: RequestContext): Promise<Review>;
  /** A review whose place the caller may see, with its author's public profile. */
  getReview(id: string, ctx: RequestContext): Promise<PublicReview>;
  /** A visible place's reviews, newest first, each with its author's public profile. */
  listPropertyReviews(propertyId: string, query: ListReviewsQuery, ctx: RequestContext): Promise<Page<PublicReview>>;
  /** A page of reviews for each of these places, in one query. */
  reviewsOfProperties(propertyIds: readonly string[], query: ListReviewsQuery): Promise<Map<string, ReviewsPage>>;
  /** The review in `direction` of each of these bookings that the viewer may see (published, or their own). */
  reviewsOfBookings(
    bookingIds: readonly string[],
    direction: ReviewDirection,
    viewerId: string | undefined,
  ): Promise<Map<string, Review>>;
  /** The published reviews hosts wrote of a user as a guest, newest first; unknown user 404. */
  listUserReviews(userId: string, query: ListReviewsQuery): Promise<Page<PublicReview> & { cursors: string[] }>;
  /** Job handler: asks each side of a completed stay to write their review, if not yet written. */
  sendReviewRequest(bookingId: string): Promise<void>;
  /** Job handler: publishes the reviews of stays whose review window has closed; how many. */
  publishOverdueReviews(): Promise<number>;
  /** The reviews part of the host digest. */
  digestSection: ReviewsDigestSection;
}

export interface ReviewsServiceDeps {
  db: Db;
  clock: Clock;
  bookings: Pick<BookingsApi, 'findStay'> & Pick<BookingsAccount, 'bookingIdPages'>;
  properties: Pick<PropertiesApi, 'getProperty' | 'getPropertiesByIds' | 'addRating'>;
  users: Pick<UsersApi, 'getPublicProfiles' | 'getContacts' | 'addGuestRating'>;
  publish: PublishReviewEvent;
  mailer: Mailer;
  /** PUBLIC_URL: the review request's link to the booking. */
  publicUrl: string;
}

/** Reviews by use case: writing, publication, reading, the review-request e-mails and the digest section. */
export function createReviewsService(deps: ReviewsServiceDeps): ReviewsApi {
  const publication = createReviewPublication(deps);
  return {
    ...createReviewWriting({ ...deps, publication }),
    ...createReviewReading({ ...deps, publication }),
    publishOverdueReviews: () => publication.publishOverdueReviews(),
    ...createReviewMail(deps),
    digestSection: createReviewsDigestSection(deps),
  };
}
