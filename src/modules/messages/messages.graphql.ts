import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId, parseInput } from '../../graphql/input.js';
import { connectionTypeDefs, pageArguments, toConnection } from '../../graphql/relay.js';
import { describedFrom, sdl } from '../../graphql/sdl.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import { messageAddedTopic } from './messages.policy.js';
import {
  Conversation,
  ListConversationsQuery,
  ListMessagesQuery,
  Message,
  SendMessageInput,
  StartConversationInput,
} from './messages.schemas.js';
import type { MessagesApi } from './messages.service.js';
import { batchById } from '../../graphql/loaders.js';

const CONVERSATION_ID = '"The conversation\'s id."';

export const messagesTypeDefs = describedFrom(
  {
    Message,
    Conversation,
    'Mutation.startConversation': StartConversationInput,
    'Mutation.sendMessage': SendMessageInput,
  },
  sdl(
    /* GraphQL */ `
      "A message, plain text."
      type Message {
        "The message's id."
        id: ID!
        "The conversation it belongs to."
        conversationId: ID!
        "The user id of who wrote it."
        senderId: ID!
        "Plain text, as sent (trimmed); render it as text, never as HTML."
        body: String!
        "When it was sent."
        createdAt: DateTime!
        readAt: DateTime
      }

      "A guest's thread with the host of a place; one per guest and place."
      type Conversation {
        ${CONVERSATION_ID}
        id: ID!
        "The place it is about."
        propertyId: ID!
        "The place, batch-loaded; null once it is no longer visible to the caller."
        property: Property
        "The guest's user id."
        guestId: ID!
        "The guest's public profile, batch-loaded."
        guest: PublicProfile
        "The host's user id."
        hostId: ID!
        "The host's public profile, batch-loaded."
        host: PublicProfile
        bookingId: ID
        "When the last message was sent."
        lastMessageAt: DateTime!
        unreadCount: Int!
        "The newest message."
        lastMessage: Message
        "Newest first; batch-loaded for a page of conversations."
        messages(${pageArguments}): MessageConnection!
      }
    `,
    connectionTypeDefs('Conversation', 'conversation', 'conversations'),
    connectionTypeDefs('Message', 'message', 'messages'),
    /* GraphQL */ `
      extend type Query {
        "The caller's conversations as guest and host, newest activity first."
        conversations(${pageArguments}): ConversationConnection!
        "A conversation: its participants only; else NOT_FOUND."
        conversation(${CONVERSATION_ID} id: ID!): Conversation
      }

      extend type Mutation {
        "Writes to the host of a place: opens the conversation, or adds to the existing one. Same rules as POST /v1/conversations."
        startConversation("The place to write about." propertyId: ID!, body: String!): Conversation!
        "Adds a message to a conversation of the caller's."
        sendMessage(${CONVERSATION_ID} conversationId: ID!, body: String!): Message!
        "Marks every message from the other participant read."
        markConversationRead(${CONVERSATION_ID} conversationId: ID!): Conversation!
      }

      "Live events, over the WebSocket at /graphql (graphql-transport-ws) only."
      type Subscription {
        "Messages added to a conversation of the caller's, as they are stored. Authenticate the WebSocket connection with the access token in the \`connection_init\` payload."
        messageAdded(${CONVERSATION_ID} conversationId: ID!): Message!
      }
    `,
  ),
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
