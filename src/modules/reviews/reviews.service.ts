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
import { createReviewReading } from './reviews.reading.js';
import type {
  CreateReviewInput,
  ListReviewsQuery,
  PublicReview,
  RespondToReviewInput,
  Review,
  ReviewsPage,
} from './reviews.schemas.js';
import { createReviewWriting } from './reviews.writing.js';

/** What the transports, the job handlers, the export and the host digest call on reviews. */
export interface ReviewsApi {
  /** Reviews of the user's stays, written as guest or received as host (personal-data export). */
  reviewsOf(userId: string, as: 'guest' | 'host'): AsyncGenerator<Review>;
  /** The guest reviews their completed stay, once, within the review window. */
  createReview(bookingId: string, input: CreateReviewInput, ctx: RequestContext): Promise<Review>;
  /** The host of the reviewed place responds, once. */
  respondToReview(reviewId: string, input: RespondToReviewInput, ctx: RequestContext): Promise<Review>;
  /** A review whose place the caller may see, with its author's public profile. */
  getReview(id: string, ctx: RequestContext): Promise<PublicReview>;
  /** A visible place's reviews, newest first, each with its author's public profile. */
  listPropertyReviews(propertyId: string, query: ListReviewsQuery, ctx: RequestContext): Promise<Page<PublicReview>>;
  /** A page of reviews for each of these places, in one query. */
  reviewsOfProperties(propertyIds: readonly string[], query: ListReviewsQuery): Promise<Map<string, ReviewsPage>>;
  /** The review of each of these bookings that has one. */
  reviewsOfBookings(bookingIds: readonly string[]): Promise<Map<string, Review>>;
  /** Job handler: asks the guest to review a completed stay not yet reviewed. */
  sendReviewRequest(bookingId: string): Promise<void>;
  /** The reviews part of the host digest. */
  digestSection: ReviewsDigestSection;
}

export interface ReviewsServiceDeps {
  db: Db;
  clock: Clock;
  bookings: Pick<BookingsApi, 'findStay'> & Pick<BookingsAccount, 'bookingIdPages'>;
  properties: Pick<PropertiesApi, 'getProperty' | 'getPropertiesByIds' | 'addRating'>;
  users: Pick<UsersApi, 'getPublicProfiles' | 'getContacts'>;
  mailer: Mailer;
  /** PUBLIC_URL: the review request's link to the booking. */
  publicUrl: string;
}

/** Reviews by use case: writing, reading, the review-request e-mail and the digest section. */
export function createReviewsService(deps: ReviewsServiceDeps): ReviewsApi {
  return {
    ...createReviewWriting(deps),
    ...createReviewReading(deps),
    ...createReviewMail(deps),
    digestSection: createReviewsDigestSection(deps),
  };
}
