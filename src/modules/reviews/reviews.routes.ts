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
        description: `The booking’s guest rates the stay 1–5 with an optional comment. Checked in this order: a booking the caller cannot see is 404 (\`booking_not_found\`); its host or an admin, who can see it, get 403 \`not_booking_guest\`; a booking that is not \`completed\` is 409 \`stay_not_completed\`; more than ${REVIEW_WINDOW_DAYS} days after the check-out time (11:00 property local time) is 422 \`review_window_closed\`; a second review of the booking is 409 \`already_reviewed\` (a unique index decides, so concurrent attempts store one). The place’s \`ratingCount\` and \`ratingAverage\` include the rating as soon as this answers, exact under concurrent reviews.`,
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

  app.get(
    '/v1/reviews/:id',
    {
      schema: {
        tags: ['reviews'],
        operationId: 'getReview',
        summary: 'A review',
        description:
          'Public while its property is visible to the caller (listed; else its host and admins only); otherwise 404 `review_not_found`.',
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
          'Public for a listed property (a draft or unlisted one: its host and admins only, else 404). Newest first (creation time, then id), keyset-paginated. Each review carries its author’s public profile only.',
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
          'Unknown review: 404 `review_not_found`. Anyone but the host of the reviewed property: 403 `not_property_host`. A second response: 409 `already_responded` (a conditional update decides, so of concurrent responses one is stored).',
        security: bearer,
        params: ReviewIdParams,
        body: RespondToReviewInput,
        response: {
          200: Review,
          ...problemResponses({
            403: ['not_property_host'],
            404: ['review_not_found'],
            409: ['already_responded'],
          }),
        },
      },
    },
    (request) => reviews.respondToReview(request.params.id, request.body, request.ctx),
  );
};
