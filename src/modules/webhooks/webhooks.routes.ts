import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../http/problem.js';
import { ENDPOINT_URL_MAX_LENGTH, MAX_ENDPOINTS_PER_OWNER } from './webhooks.errors.js';
import {
  CreateWebhookInput,
  DeliveryPage,
  DeliveryParams,
  EventPage,
  ListDeliveriesQuery,
  ListEventsQuery,
  UpdateWebhookInput,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookParams,
  WebhookSecret,
} from './webhooks.schemas.js';
import type { WebhooksApi } from './webhooks.service.js';

const bearer = [{ bearerAuth: [] }];
const PARTNERS =
  'Hosts and admins (a guest is 403 `hosts_only`). A host’s endpoints receive only events about their own places and bookings; an admin’s receive every event.';
const OWN =
  'The caller’s own endpoint only: any other id (a guest’s call included) is 404 `webhook_endpoint_not_found`.';
const notFound = { 404: ['webhook_endpoint_not_found'] } as const;

/** Partner webhooks: endpoints, their secrets, their deliveries; and the events feed. */
export const webhooksRoutes: FastifyPluginAsyncZod<{ webhooks: WebhooksApi }> = async (app, { webhooks }) => {
  app.get(
    '/v1/events',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['webhooks'],
        operationId: 'listEvents',
        summary: 'Partner events after a sequence number (polling)',
        description: `Events in \`seq\` order (gap-free across the deployment) after \`after\`, optionally of some \`types\`; poll again with \`page.nextAfter\`. Kept \`EVENTS_RETENTION_DAYS\` (30) days. A host reads events about their places and bookings, an admin every event; a guest is 403 \`hosts_only\`. An unknown type is 422.`,
        security: bearer,
        querystring: ListEventsQuery,
        response: { 200: EventPage, ...problemResponses({ 403: ['hosts_only'] }) },
      },
    },
    async (request) => webhooks.listEvents(request.query, request.ctx),
  );

  app.post(
    '/v1/webhooks',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['webhooks'],
        operationId: 'createWebhook',
        summary: 'Register a webhook endpoint',
        description: `201 with the endpoint, \`Location\` and its signing secret (\`whsec_…\`), shown this once. It receives the chosen event types numbered from now on, signed per Standard Webhooks (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\`), in \`seq\` order, retried with back-off for 3 days. At most ${MAX_ENDPOINTS_PER_OWNER} endpoints per account (409 \`too_many_webhook_endpoints\`); the URL is http(s), at most ${ENDPOINT_URL_MAX_LENGTH} characters (422). ${PARTNERS}`,
        security: bearer,
        body: CreateWebhookInput,
        response: {
          201: WebhookSecret,
          ...problemResponses({ 403: ['hosts_only'], 409: ['too_many_webhook_endpoints'] }),
        },
      },
    },
    async (request, reply) => {
      const created = await webhooks.createWebhook(request.body, request.ctx);
      return reply.status(201).header('location', `/v1/webhooks/${created.endpoint.id}`).send(created);
    },
  );

  app.get(
    '/v1/webhooks',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['webhooks'],
        operationId: 'listWebhooks',
        summary: 'The caller’s webhook endpoints',
        description: `Oldest first (at most ${MAX_ENDPOINTS_PER_OWNER}); secrets are never shown again. ${PARTNERS}`,
        security: bearer,
        response: { 200: WebhookEndpointList, ...problemResponses({ 403: ['hosts_only'] }) },
      },
    },
    async (request) => ({ data: await webhooks.listWebhooks(request.ctx) }),
  );

  app.get(
    '/v1/webhooks/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['webhooks'],
        operationId: 'getWebhook',
        summary: 'A webhook endpoint',
        description: `Its settings and health (failing since, next attempt, disabled). ${OWN}`,
        security: bearer,
        params: WebhookParams,
        response: { 200: WebhookEndpoint, ...problemResponses(notFound) },
      },
    },
    async (request) => webhooks.getWebhook(request.params.id, request.ctx),
  );

  app.patch(
    '/v1/webhooks/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['webhooks'],
        operationId: 'updateWebhook',
        summary: 'Change a webhook endpoint',
        description: `URL, event types, description; \`enabled: true\` re-enables an endpoint disabled after 3 days of failures (it resumes where it stopped, in order). ${OWN}`,
        security: bearer,
        params: WebhookParams,
        body: UpdateWebhookInput,
        response: { 200: WebhookEndpoint, ...problemResponses(notFound) },
      },
    },
    async (request) => webhooks.updateWebhook(request.params.id, request.body, request.ctx),
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['webhooks'],
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook endpoint',
        description: `204; nothing more is sent to it, and its delivery records go with it. ${OWN}`,
        security: bearer,
        params: WebhookParams,
        response: { 204: z.null().describe('Deleted'), ...problemResponses(notFound) },
      },
    },
    async (request, reply) => {
      await webhooks.deleteWebhook(request.params.id, request.ctx);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['webhooks'],
        operationId: 'rotateWebhookSecret',
        summary: 'Replace a webhook endpoint’s signing secret',
        description: `The new secret, shown this once. For \`WEBHOOK_ROTATION_OVERLAP_HOURS\` (24) hours deliveries carry two signatures (new and previous secret) in \`webhook-signature\`, so receivers can switch without losing a delivery. ${OWN}`,
        security: bearer,
        params: WebhookParams,
        response: { 200: WebhookSecret, ...problemResponses(notFound) },
      },
    },
    async (request) => webhooks.rotateWebhookSecret(request.params.id, request.ctx),
  );
};

/** An endpoint's deliveries: the list and a redelivery on request. */
export const webhookDeliveryRoutes: FastifyPluginAsyncZod<{ webhooks: WebhooksApi }> = async (app, { webhooks }) => {
  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['webhooks'],
        operationId: 'listWebhookDeliveries',
        summary: 'A webhook endpoint’s deliveries',
        description: `Newest first: each event sent (or being retried), its status, attempts, last response code and next attempt. Kept 30 days. ${OWN}`,
        security: bearer,
        params: WebhookParams,
        querystring: ListDeliveriesQuery,
        response: { 200: DeliveryPage, ...problemResponses({ ...notFound, 422: ['invalid_cursor'] }) },
      },
    },
    async (request) => {
      const { data, page } = await webhooks.listDeliveries(request.params.id, request.query, request.ctx);
      return { data, page };
    },
  );

  app.post(
    '/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['webhooks'],
        operationId: 'redeliverWebhookDelivery',
        summary: 'Send a delivery again',
        description: `202 with the delivery as it is: its event is queued to be sent again at once, with the same \`webhook-id\` (outside the endpoint’s order; the attempt shows in the deliveries moments later). A delivery the endpoint does not have is 404 \`webhook_delivery_not_found\`. ${OWN}`,
        security: bearer,
        params: DeliveryParams,
        response: {
          202: WebhookDelivery,
          ...problemResponses({ 404: ['webhook_endpoint_not_found', 'webhook_delivery_not_found'] }),
        },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await webhooks.redeliver(request.params.id, request.params.deliveryId, request.ctx)),
  );
};
