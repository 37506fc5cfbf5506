import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId, parseInput } from '../../graphql/input.js';
import { connectionTypeDefs, toConnection } from '../../graphql/relay.js';
import { sdl } from '../../graphql/sdl.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import { messageAddedTopic } from './messages.policy.js';
import {
  ListConversationsQuery,
  ListMessagesQuery,
  SendMessageInput,
  StartConversationInput,
} from './messages.schemas.js';
import type { MessagesApi } from './messages.service.js';
import { batchById } from '../../graphql/loaders.js';

export const messagesTypeDefs = sdl(
  /* GraphQL */ `
    "A message, plain text."
    type Message {
      id: ID!
      conversationId: ID!
      senderId: ID!
      body: String!
      createdAt: String!
      "When the other participant read it; null while unread."
      readAt: String
    }

    "A guest's thread with the host of a place; one per guest and place."
    type Conversation {
      id: ID!
      propertyId: ID!
      "The place, batch-loaded; null once it is no longer visible to the caller."
      property: Property
      guestId: ID!
      "The guest's public profile, batch-loaded."
      guest: PublicProfile
      hostId: ID!
      "The host's public profile, batch-loaded."
      host: PublicProfile
      "The guest's pending or confirmed booking of the place made last, when the guest last wrote."
      bookingId: ID
      lastMessageAt: String!
      "Messages from the other participant the caller has not read."
      unreadCount: Int!
      lastMessage: Message
      "Newest first; batch-loaded for a page of conversations."
      messages(first: Int, after: String): MessageConnection!
    }
  `,
  connectionTypeDefs('Conversation'),
  connectionTypeDefs('Message'),
  /* GraphQL */ `
    extend type Query {
      "The caller's conversations as guest and host, newest activity first."
      conversations(first: Int, after: String): ConversationConnection!
      "A conversation: its participants only; else NOT_FOUND."
      conversation(id: ID!): Conversation
    }

    extend type Mutation {
      "Writes to the host of a place: opens the conversation, or adds to the existing one. Same rules as POST /v1/conversations."
      startConversation(propertyId: ID!, body: String!): Conversation!
      "Adds a message to a conversation of the caller's."
      sendMessage(conversationId: ID!, body: String!): Message!
      "Marks every message from the other participant read."
      markConversationRead(conversationId: ID!): Conversation!
    }

    type Subscription {
      "Messages added to a conversation of the caller's, as they are stored. Authenticate the WebSocket connection (see README)."
      messageAdded(conversationId: ID!): Message!
    }
  `,
);

type PageArgs = { first?: unknown; after?: unknown };

export function messagesGraphql(
  messages: MessagesApi,
  properties: PropertiesApi,
  users: UsersApi,
): { typeDefs: string; resolvers: IResolvers; loaders: MercuriusLoaders } {
  return {
    typeDefs: messagesTypeDefs,
    resolvers: {
      Query: {
        conversations: async (_root, args: PageArgs, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const query = parseInput(ListConversationsQuery, { limit: args.first, cursor: args.after }, '');
          return toConnection(await messages.listConversations(query, caller));
        },
        conversation: async (_root, args: { id: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          return messages.getConversation(parseId(args.id), caller);
        },
      },
      Mutation: {
        startConversation: async (_root, args: { propertyId: unknown; body: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const input = parseInput(StartConversationInput, { propertyId: args.propertyId, body: args.body }, '');
          return (await messages.startConversation(input, caller)).conversation;
        },
        sendMessage: async (_root, args: { conversationId: unknown; body: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const id = parseId(args.conversationId);
          return messages.sendMessage(id, parseInput(SendMessageInput, { body: args.body }, ''), caller);
        },
        markConversationRead: async (_root, args: { conversationId: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          return messages.markConversationRead(parseId(args.conversationId), caller);
        },
      },
      Subscription: {
        messageAdded: {
          // Checked once, when subscribing: the caller must take part in the conversation.
          subscribe: async (_root: unknown, args: { conversationId: unknown }, ctx: GraphqlContext) => {
            const caller = await requireCaller(ctx);
            const id = parseId(args.conversationId);
            await messages.requireParticipant(id, caller);
            return ctx.pubsub.subscribe(messageAddedTopic(id));
          },
        },
      },
    },
    loaders: {
      Conversation: {
        // One query per page for each relation, however many conversations it holds.
        property: batchById(
          (o: { propertyId: string }) => o.propertyId,
          async (ids, ctx) => properties.getPropertiesByIds(ids, await ctx.requestContext()),
        ),
        guest: batchById(
          (o: { guestId: string }) => o.guestId,
          (ids) => users.getPublicProfiles(ids),
        ),
        host: batchById(
          (o: { hostId: string }) => o.hostId,
          (ids) => users.getPublicProfiles(ids),
        ),
        // Queries with the same page arguments share one query (one lateral scan per conversation).
        messages: async (queries: { obj: { id: string }; params: PageArgs }[], ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const groups = new Map<string, { args: PageArgs; ids: string[] }>();
          for (const q of queries) {
            const key = JSON.stringify([q.params.first ?? null, q.params.after ?? null]);
            const group = groups.get(key) ?? { args: q.params, ids: [] };
            group.ids.push(q.obj.id);
            groups.set(key, group);
          }
          const pages = new Map<string, ReturnType<typeof toConnection>>();
          for (const [key, group] of groups) {
            const query = parseInput(ListMessagesQuery, { limit: group.args.first, cursor: group.args.after }, '');
            const found = await messages.listMessagesOfConversations(group.ids, query, caller);
            for (const [id, page] of found) pages.set(`${key}:${id}`, toConnection(page));
          }
          return queries.map((q) => {
            const key = JSON.stringify([q.params.first ?? null, q.params.after ?? null]);
            return pages.get(`${key}:${q.obj.id}`)!;
          });
        },
      },
    },
  };
}
