import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import { REVIEW_WINDOW_DAYS } from './reviews.policy.js';
import {
  BookingIdParams,
  CreateReviewInput,
  ListReviewsQuery,
  PropertyIdParams,
  PublicReview,
  RespondToReviewInput,
  Review,
  ReviewIdParams,
  UserIdParams,
} from './reviews.schemas.js';
import type { ReviewsApi } from './reviews.service.js';

const bearer = [{ bearerAuth: [] }];
const optionalBearer: Record<string, string[]>[] = [{}, { bearerAuth: [] }];

export const reviewsRoutes: FastifyPluginAsyncZod<{ reviews: ReviewsApi }> = async (app, { reviews }) => {
  app.post(
    '/v1/bookings/:id/review',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['reviews'],
        operationId: 'createReview',
        summary: 'Review a completed stay (its guest, once)',
        description: `The booking’s guest rates the stay 1–5 with an optional comment. Checked in this order: a booking the caller cannot see is 404 (\`booking_not_found\`); its host or an admin, who can see it, get 403 \`not_booking_guest\`; a booking that is not \`completed\` is 409 \`stay_not_completed\`; more than ${REVIEW_WINDOW_DAYS} days after the check-out time (11:00 property local time) is 422 \`review_window_closed\`; a second review of the booking is 409 \`already_reviewed\` (a unique index decides, so concurrent attempts store one). Double-blind: the review is seen by its author only (\`publishedAt\` null) until the host has reviewed the guest too or the review window closes; both then publish at the same instant, and only then does the rating count in the place’s \`ratingCount\` and \`ratingAverage\` (exact under concurrency).`,
        security: bearer,
        params: BookingIdParams,
        body: CreateReviewInput,
        response: {
          201: Review,
          ...problemResponses({
            403: ['not_booking_guest'],
            404: ['booking_not_found'],
            409: ['stay_not_completed', 'already_reviewed'],
            422: ['review_window_closed'],
          }),
        },
      },
    },
    async (request, reply) => {
      const review = await reviews.createReview(request.params.id, request.body, request.ctx);
      return reply.status(201).header('location', `/v1/reviews/${review.id}`).send(review);
    },
  );

  app.post(
    '/v1/bookings/:id/guest-review',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['reviews'],
        operationId: 'createGuestReview',
        summary: 'Review the guest of a completed stay (its host, once)',
        description: `The booking’s host rates the guest 1–5 with an optional comment. Checked in this order: a booking the caller cannot see is 404 (\`booking_not_found\`); its guest or an admin, who can see it, get 403 \`not_booking_host\`; a booking that is not \`completed\` is 409 \`stay_not_completed\`; more than ${REVIEW_WINDOW_DAYS} days after the check-out time is 422 \`review_window_closed\`; a second review of the guest for the booking is 409 \`guest_already_reviewed\` (a unique index decides). Double-blind: seen by its author only until the guest has reviewed the stay too or the review window closes; both then publish at the same instant, and only then does the rating count in the guest’s \`guestRating\`.`,
        security: bearer,
        params: BookingIdParams,
        body: CreateReviewInput,
        response: {
          201: Review,
          ...problemResponses({
            403: ['not_booking_host'],
            404: ['booking_not_found'],
            409: ['stay_not_completed', 'guest_already_reviewed'],
            422: ['review_window_closed'],
          }),
        },
      },
    },
    async (request, reply) => {
      const review = await reviews.createGuestReview(request.params.id, request.body, request.ctx);
      return reply.status(201).header('location', `/v1/reviews/${review.id}`).send(review);
    },
  );

  app.get(
    '/v1/users/:id/reviews',
    {
      schema: {
        tags: ['reviews'],
        operationId: 'listUserReviews',
        summary: 'Reviews a user received as a guest',
        description:
          'Public: the published reviews hosts wrote of this user’s stays, newest publication first (publication time, then id), keyset-paginated; each with its author’s public profile. Reviews not yet published (double-blind) are never listed. Unknown user: 404 `user_not_found`.',
        security: optionalBearer,
        params: UserIdParams,
        querystring: ListReviewsQuery,
        response: { 200: pageSchema(PublicReview), ...problemResponses({ 404: ['user_not_found'] }) },
      },
    },
    (request) => reviews.listUserReviews(request.params.id, request.query),
  );

  app.get(
    '/v1/reviews/:id',
    {
      schema: {
        tags: ['reviews'],
        operationId: 'getReview',
        summary: 'A review',
        description:
          'Once published: a review of a place while the place is visible to the caller (listed; else its host and admins only), a review of a guest always. Before publication (double-blind) only its author sees it. Otherwise 404 `review_not_found`.',
        security: optionalBearer,
        params: ReviewIdParams,
        response: { 200: PublicReview, ...problemResponses({ 404: ['review_not_found'] }) },
      },
    },
    (request) => reviews.getReview(request.params.id, request.ctx),
  );

  app.get(
    '/v1/properties/:id/reviews',
    {
      schema: {
        tags: ['reviews'],
        operationId: 'listPropertyReviews',
        summary: 'Reviews of a property',
        description:
          'Public for a listed property (a draft or unlisted one: its host and admins only, else 404). Published guest reviews only (a review is published once both sides of the stay have written theirs or the review window has closed), to everyone, admins included. Newest first (creation time, then id), keyset-paginated. Each review carries its author’s public profile only.',
        security: optionalBearer,
        params: PropertyIdParams,
        querystring: ListReviewsQuery,
        response: { 200: pageSchema(PublicReview), ...problemResponses({ 404: ['property_not_found'] }) },
      },
    },
    (request) => reviews.listPropertyReviews(request.params.id, request.query, request.ctx),
  );

  app.post(
    '/v1/reviews/:id/response',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['reviews'],
        operationId: 'respondToReview',
        summary: 'Respond to a review (the property’s host, once)',
        description:
          'Unknown review (or one not yet published, to anyone but the stay’s guest and host): 404 `review_not_found`. Anyone but the host of the reviewed property: 403 `not_property_host`. A review of a guest takes no response: 409 `review_not_respondable`. Before publication: 409 `review_not_published`. A second response: 409 `already_responded` (a conditional update decides, so of concurrent responses one is stored).',
        security: bearer,
        params: ReviewIdParams,
        body: RespondToReviewInput,
        response: {
          200: Review,
          ...problemResponses({
            403: ['not_property_host'],
            404: ['review_not_found'],
            409: ['already_responded', 'review_not_published', 'review_not_respondable'],
          }),
        },
      },
    },
    (request) => reviews.respondToReview(request.params.id, request.body, request.ctx),
  );
};
