import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId, parseInput } from '../../graphql/input.js';
import { connectionTypeDefs, pageArguments, toConnection } from '../../graphql/relay.js';
import { describedFrom, graphqlInput, sdl } from '../../graphql/sdl.js';
import type { UsersApi } from '../users/index.js';
import { CreateReviewInput, ListReviewsQuery, RespondToReviewInput, Review } from './reviews.schemas.js';
import type { ReviewsApi } from './reviews.service.js';
import { batchById } from '../../graphql/loaders.js';

export const reviewsTypeDefs = describedFrom(
  { Review, 'Mutation.respondToReview': RespondToReviewInput },
  sdl(
    /* GraphQL */ `
      "A review of a completed stay: the guest's of the place (with the host's response) or the host's of the guest."
      type Review {
        "The review's id."
        id: ID!
        "The stay reviewed."
        bookingId: ID!
        "The property reviewed."
        propertyId: ID!
        "The author's user id: the guest for a review of the place, the host for a review of the guest."
        authorId: ID!
        "Who reviews whom: guest_to_host (the guest reviews the stay and its place) or host_to_guest (the host reviews the guest)."
        direction: ReviewDirection!
        "The author's public profile, batch-loaded."
        author: PublicProfile
        "1 to 5 stars."
        rating: Int!
        "Plain text; empty when the guest wrote none."
        comment: String!
        hostResponse: String
        hostRespondedAt: DateTime
        "When it was written."
        createdAt: DateTime!
        "When it became visible to others (both reviews written, or the review window closed); null while only its author sees it."
        publishedAt: DateTime
      }

      "Who reviews whom."
      enum ReviewDirection {
        "The guest reviews the stay and its place."
        guest_to_host
        "The host reviews the guest."
        host_to_guest
      }
    `,
    connectionTypeDefs('Review', 'review', 'reviews'),
    graphqlInput('CreateReviewInput', CreateReviewInput, { about: 'A guest’s review of a stay.' }),
    /* GraphQL */ `
      extend type Property {
        "Newest first; batch-loaded for a whole page of properties in one query. Costs its first (default 20) times its selection."
        reviews(${pageArguments}): ReviewConnection!
      }

      extend type Booking {
        "The guest's review of the stay: once published, or to its author before; batch-loaded."
        review: Review
        "The host's review of the guest: once published, or to its author before; batch-loaded."
        guestReview: Review
      }

      extend type Query {
        "The published reviews hosts wrote of this user as a guest, newest first; same rules as GET /v1/users/{id}/reviews. Costs its first (default 20) times its selection."
        userReviews("The user's id." userId: ID!, ${pageArguments}): ReviewConnection!
      }

      extend type Mutation {
        "The booking's guest reviews the completed stay, once; same rules and errors as POST /v1/bookings/{id}/review."
        createReview("The stay's booking id." bookingId: ID!, "The review." input: CreateReviewInput!): Review!
        "The booking's host reviews its guest, once; same rules and errors as POST /v1/bookings/{id}/guest-review."
        createGuestReview("The stay's booking id." bookingId: ID!, "The review." input: CreateReviewInput!): Review!
        "The property's host responds to a review, once; same rules and errors as POST /v1/reviews/{id}/response."
        respondToReview("The review's id." reviewId: ID!, body: String!): Review!
      }
    `,
  ),
);

type PageArgs = { first?: unknown; after?: unknown };

export function reviewsGraphql(
  reviews: ReviewsApi,
  users: UsersApi,
): { typeDefs: string; resolvers: IResolvers; loaders: MercuriusLoaders } {
  return {
    typeDefs: reviewsTypeDefs,
    resolvers: {
      Query: {
        userReviews: async (_root, args: { userId: unknown } & PageArgs) => {
          const query = parseInput(ListReviewsQuery, { limit: args.first, cursor: args.after }, '');
          return toConnection(await reviews.listUserReviews(parseId(args.userId), query));
        },
      },
      Mutation: {
        createGuestReview: async (_root, args: { bookingId: unknown; input: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const id = parseId(args.bookingId);
          return reviews.createGuestReview(id, parseInput(CreateReviewInput, args.input), caller);
        },
        createReview: async (_root, args: { bookingId: unknown; input: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const id = parseId(args.bookingId);
          return reviews.createReview(id, parseInput(CreateReviewInput, args.input), caller);
        },
        respondToReview: async (_root, args: { reviewId: unknown; body: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const id = parseId(args.reviewId);
          return reviews.respondToReview(id, parseInput(RespondToReviewInput, { body: args.body }, ''), caller);
        },
      },
    },
    loaders: {
      Property: {
        // One query per distinct (first, after) — for a page of properties, one — whatever its size.
        reviews: async (queries: { obj: { id: string }; params: PageArgs }[]) => {
          const groups = new Map<string, { query: ListReviewsQuery; ids: Set<string> }>();
          for (const q of queries) {
            const query = parseInput(ListReviewsQuery, { limit: q.params.first, cursor: q.params.after }, '');
            const key = JSON.stringify([query.limit, query.cursor ?? null]);
            const group = groups.get(key) ?? { query, ids: new Set<string>() };
            group.ids.add(q.obj.id);
            groups.set(key, group);
          }
          const pages = new Map<string, Awaited<ReturnType<ReviewsApi['reviewsOfProperties']>>>();
          for (const [key, group] of groups)
            pages.set(key, await reviews.reviewsOfProperties([...group.ids], group.query));
          return queries.map((q) => {
            const query = parseInput(ListReviewsQuery, { limit: q.params.first, cursor: q.params.after }, '');
            const page = pages.get(JSON.stringify([query.limit, query.cursor ?? null]))!.get(q.obj.id)!;
            return toConnection(page);
          });
        },
      },
      Booking: {
        review: batchById(
          (o: { id: string }) => o.id,
          async (ids, ctx) => reviews.reviewsOfBookings(ids, 'guest_to_host', (await ctx.requestContext()).actor?.id),
        ),
        guestReview: batchById(
          (o: { id: string }) => o.id,
          async (ids, ctx) => reviews.reviewsOfBookings(ids, 'host_to_guest', (await ctx.requestContext()).actor?.id),
        ),
      },
      Review: {
        author: batchById(
          (o: { authorId: string }) => o.authorId,
          (ids) => users.getPublicProfiles(ids),
        ),
      },
    },
  };
}
