import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import {
  Conversation,
  ConversationIdParams,
  ListConversationsQuery,
  ListMessagesQuery,
  Message,
  SendMessageInput,
  StartConversationInput,
} from './messages.schemas.js';
import type { MessagesApi } from './messages.service.js';

const bearer = [{ bearerAuth: [] }];

const PARTICIPANTS =
  'Its guest and host only: anyone else, and any id that is not a conversation (malformed ones included), gets 404.';
const SEND_LIMIT =
  'Each user may send 60 messages a minute across conversations (429 `message_rate_limited` with `Retry-After`), on top of the per-address limit.';
const BODY =
  'The body is plain text (never HTML-processed), 1–4000 characters once leading and trailing whitespace is trimmed.';

export const messagesRoutes: FastifyPluginAsyncZod<{ messages: MessagesApi }> = async (app, { messages }) => {
  app.post(
    '/v1/conversations',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['messages'],
        operationId: 'startConversation',
        summary: 'Write to the host of a place (opens the conversation, or adds to it)',
        description: `One conversation per guest and place. The first message opens it: 201 with \`Location\`. A later message about the same place is added to the existing conversation: 200 with that conversation. Either way the answer is the conversation, its \`lastMessage\` the message just sent. The conversation is linked (\`bookingId\`) to the caller’s pending or confirmed booking of the place made last, looked up again on each such message (an earlier link stays when there is none). A place the caller cannot see is 404; a host writing about their own place is 422 \`own_property\`. ${BODY} ${SEND_LIMIT}`,
        security: bearer,
        body: StartConversationInput,
        response: {
          200: Conversation.describe('The message was added to the caller’s existing conversation about the place'),
          201: Conversation.describe('The message opened a new conversation'),
          ...problemResponses({
            404: ['property_not_found'],
            409: ['conversation_exists'],
            422: ['own_property'],
            429: ['message_rate_limited'],
          }),
        },
      },
    },
    async (request, reply) => {
      const { conversation, created } = await messages.startConversation(request.body, request.ctx);
      if (!created) return reply.status(200).send(conversation);
      return reply.status(201).header('location', `/v1/conversations/${conversation.id}`).send(conversation);
    },
  );

  app.get(
    '/v1/conversations',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['messages'],
        operationId: 'listMyConversations',
        summary: 'Your conversations, as guest and as host',
        description:
          'Newest activity first (`lastMessageAt`, then id), keyset-paginated. Each carries `unreadCount`: the messages from the other participant you have not read, and its last message.',
        security: bearer,
        querystring: ListConversationsQuery,
        response: { 200: pageSchema(Conversation) },
      },
    },
    async (request) => {
      const { data, page } = await messages.listConversations(request.query, request.ctx);
      return { data, page };
    },
  );

  app.get(
    '/v1/conversations/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['messages'],
        operationId: 'getConversation',
        summary: 'A conversation',
        description: PARTICIPANTS,
        security: bearer,
        params: ConversationIdParams,
        response: { 200: Conversation, ...problemResponses({ 404: ['conversation_not_found'] }) },
      },
    },
    (request) => messages.getConversation(request.params.id, request.ctx),
  );

  app.get(
    '/v1/conversations/:id/messages',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['messages'],
        operationId: 'listMessages',
        summary: 'The messages of a conversation, newest first',
        description: `Keyset-paginated (creation time, then id). ${PARTICIPANTS}`,
        security: bearer,
        params: ConversationIdParams,
        querystring: ListMessagesQuery,
        response: { 200: pageSchema(Message), ...problemResponses({ 404: ['conversation_not_found'] }) },
      },
    },
    async (request) => {
      const { data, page } = await messages.listMessages(request.params.id, request.query, request.ctx);
      return { data, page };
    },
  );

  app.post(
    '/v1/conversations/:id/messages',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['messages'],
        operationId: 'sendMessage',
        summary: 'Send a message',
        description: `201 with the message and \`Location\` of the conversation’s messages. The other participant is e-mailed 5 minutes after the first message they have not read (one e-mail per unread streak), and live subscribers (GraphQL \`messageAdded\`) receive it once stored. ${BODY} ${PARTICIPANTS} ${SEND_LIMIT}`,
        security: bearer,
        params: ConversationIdParams,
        body: SendMessageInput,
        response: {
          201: Message,
          ...problemResponses({ 404: ['conversation_not_found'], 429: ['message_rate_limited'] }),
        },
      },
    },
    async (request, reply) => {
      const message = await messages.sendMessage(request.params.id, request.body, request.ctx);
      return reply.status(201).header('location', `/v1/conversations/${message.conversationId}/messages`).send(message);
    },
  );

  app.post(
    '/v1/conversations/:id/read',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['messages'],
        operationId: 'markConversationRead',
        summary: 'Mark the conversation read',
        description: `Marks every message from the other participant read (\`readAt\`) and answers 200 with the conversation, its \`unreadCount\` now 0. Repeating it changes nothing. ${PARTICIPANTS}`,
        security: bearer,
        params: ConversationIdParams,
        response: { 200: Conversation, ...problemResponses({ 404: ['conversation_not_found'] }) },
      },
    },
    (request) => messages.markConversationRead(request.params.id, request.ctx),
  );
};
