import type { IResolvers } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId, parseInput } from '../../graphql/input.js';
import { connectionTypeDefs, pageArguments, toConnection } from '../../graphql/relay.js';
import { describedFrom, graphqlInput, sdl } from '../../graphql/sdl.js';
import { pageQuerySchema } from '../../platform/pagination.js';
import {
  CreateWebhookInput,
  ListEventsQuery,
  UpdateWebhookInput,
  WebhookDelivery,
  WebhookEndpoint,
  type Event,
} from './webhooks.schemas.js';
import type { WebhooksApi } from './webhooks.service.js';

const TYPES = "Event types such as booking.created (see the Event type's `type`).";
const WEBHOOK_ID = '"The webhook endpoint\'s id."';

export const webhooksTypeDefs = describedFrom(
  { WebhookEndpoint, WebhookDelivery },
  sdl(
    /* GraphQL */ `
      "A change a partner could act on (the body of a webhook delivery)."
      type Event {
        "Stable: the webhook-id header of its deliveries."
        id: ID!
        "Gap-free and increasing across the deployment."
        seq: Int!
        "The event's type: booking.created|requested|confirmed|declined|canceled|expired|completed, payment.succeeded|refunded, payout.paid, review.published, property.updated or calendar.changed."
        type: String!
        "When the change was made."
        createdAt: DateTime!
        "The resource as the REST API shows it, as JSON text."
        data: String!
      }

      "An HTTP endpoint that receives signed events."
      type WebhookEndpoint {
        "The endpoint's id."
        id: ID!
        "Where events are POSTed."
        url: String!
        "The owner's note."
        description: String
        "${TYPES}"
        events: [String!]!
        enabled: Boolean!
        failingSince: DateTime
        nextAttemptAt: DateTime
        "When it was disabled after 3 days of failures; null while enabled."
        disabledAt: DateTime
        "When it was registered."
        createdAt: DateTime!
        "When it last changed."
        updatedAt: DateTime!
      }

      "An endpoint with its signing secret, shown once."
      type WebhookSecret {
        "The endpoint."
        endpoint: WebhookEndpoint!
        "The signing secret (whsec_ + base64): verify deliveries with it (Standard Webhooks)."
        secret: String!
      }

      "One event's delivery to one endpoint."
      type WebhookDelivery {
        "The delivery's id."
        id: ID!
        eventId: ID!
        "The event's seq."
        seq: Int!
        "The event's type."
        eventType: String!
        "The outcome so far: succeeded, retrying or failed."
        status: String!
        "How many times it was sent."
        attempts: Int!
        responseStatus: Int
        error: String
        "When it is tried again; null unless retrying."
        nextAttemptAt: DateTime
        "When it was first tried."
        createdAt: DateTime!
        "When it was last tried."
        updatedAt: DateTime!
      }
    `,
    connectionTypeDefs('Event', 'event', 'events'),
    connectionTypeDefs('WebhookDelivery', 'delivery', 'deliveries'),
    graphqlInput('CreateWebhookInput', CreateWebhookInput, {
      types: { events: '[String!]!' },
      descriptions: { events: `The event types it receives (at least one, each once). ${TYPES}` },
    }),
    graphqlInput('UpdateWebhookInput', UpdateWebhookInput, {
      types: { events: '[String!]' },
      descriptions: { events: `The event types it receives. ${TYPES}` },
    }),
    /* GraphQL */ `
      extend type Query {
        "Events after a seq (hosts: about their places and bookings; admins: all; guests: FORBIDDEN hosts_only). Same rules as GET /v1/events."
        events("Events numbered after this seq (an edge's cursor is its event's seq; leave out to start from the oldest kept)." after: String, "Only these types (all when absent)." types: [String!], "Page size, 1–100 (default 50)." first: Int): EventConnection!
        "The caller's webhook endpoints, oldest first (hosts and admins)."
        webhooks: [WebhookEndpoint!]!
        "One of the caller's webhook endpoints (NOT_FOUND for anyone else's)."
        webhook(${WEBHOOK_ID} id: ID!): WebhookEndpoint!
        "An endpoint's deliveries, newest first."
        webhookDeliveries(${WEBHOOK_ID} id: ID!, ${pageArguments}): WebhookDeliveryConnection!
      }

      extend type Mutation {
        "Registers an endpoint and answers its signing secret, shown once. At most 10 per account (CONFLICT too_many_webhook_endpoints). Same rules as POST /v1/webhooks."
        createWebhook("The endpoint." input: CreateWebhookInput!): WebhookSecret!
        "Changes an endpoint (enabled: true re-enables one disabled after failures)."
        updateWebhook(${WEBHOOK_ID} id: ID!, "The changes." input: UpdateWebhookInput!): WebhookEndpoint!
        "Deletes an endpoint."
        deleteWebhook(${WEBHOOK_ID} id: ID!): Boolean!
        "Replaces the signing secret (answered once); the previous one keeps signing beside it for 24 hours."
        rotateWebhookSecret(${WEBHOOK_ID} id: ID!): WebhookSecret!
        "Queues a delivery's event to be sent again at once."
        redeliverWebhookDelivery(${WEBHOOK_ID} id: ID!, "The delivery's id." deliveryId: ID!): WebhookDelivery!
      }
    `,
  ),
);

const toGraphqlEvent = (e: Event) => ({ ...e, data: JSON.stringify(e.data) });

export function webhooksGraphql(webhooks: WebhooksApi): { typeDefs: string; resolvers: IResolvers } {
  return {
    typeDefs: webhooksTypeDefs,
    resolvers: {
      Query: {
        events: async (_root, args: { after?: unknown; types?: unknown; first?: unknown }, ctx: GraphqlContext) => {
          const rc = await requireCaller(ctx);
          const types = Array.isArray(args.types) ? args.types.join(',') : undefined;
          const query = parseInput(
            ListEventsQuery,
            { after: args.after ?? undefined, types: types || undefined, limit: args.first ?? undefined },
            '',
          );
          const page = await webhooks.listEvents(query, rc);
          return toConnection({
            data: page.data.map(toGraphqlEvent),
            page: { nextCursor: null, hasMore: page.page.hasMore },
            cursors: page.data.map((e) => String(e.seq)),
          });
        },
        webhooks: async (_root, _args, ctx: GraphqlContext) => webhooks.listWebhooks(await requireCaller(ctx)),
        webhook: async (_root, args: { id: unknown }, ctx: GraphqlContext) =>
          webhooks.getWebhook(parseId(args.id), await requireCaller(ctx)),
        webhookDeliveries: async (
          _root,
          args: { id: unknown; first?: unknown; after?: unknown },
          ctx: GraphqlContext,
        ) => {
          const rc = await requireCaller(ctx);
          const query = parseInput(
            pageQuerySchema,
            { limit: args.first ?? undefined, cursor: args.after ?? undefined },
            '',
          );
          return toConnection(await webhooks.listDeliveries(parseId(args.id), query, rc));
        },
      },
      Mutation: {
        createWebhook: async (_root, args: { input: unknown }, ctx: GraphqlContext) => {
          const rc = await requireCaller(ctx);
          return webhooks.createWebhook(parseInput(CreateWebhookInput, args.input), rc);
        },
        updateWebhook: async (_root, args: { id: unknown; input: unknown }, ctx: GraphqlContext) => {
          const rc = await requireCaller(ctx);
          const input = parseInput(UpdateWebhookInput, args.input);
          return webhooks.updateWebhook(parseId(args.id), input, rc);
        },
        deleteWebhook: async (_root, args: { id: unknown }, ctx: GraphqlContext) => {
          await webhooks.deleteWebhook(parseId(args.id), await requireCaller(ctx));
          return true;
        },
        rotateWebhookSecret: async (_root, args: { id: unknown }, ctx: GraphqlContext) =>
          webhooks.rotateWebhookSecret(parseId(args.id), await requireCaller(ctx)),
        redeliverWebhookDelivery: async (_root, args: { id: unknown; deliveryId: unknown }, ctx: GraphqlContext) =>
          webhooks.redeliver(parseId(args.id), parseId(args.deliveryId), await requireCaller(ctx)),
      },
    },
  };
}
