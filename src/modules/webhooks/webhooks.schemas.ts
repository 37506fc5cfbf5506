import { z } from 'zod';
import { parseFetchableUrl } from '../../platform/net/safe-fetch.js';
import { pageQuerySchema } from '../../platform/pagination.js';
import { ENDPOINT_URL_MAX_LENGTH } from './webhooks.errors.js';
import type { EventRow, WebhookDeliveryRow, WebhookEndpointRow } from './webhooks.table.js';
import { DELIVERY_STATUSES } from './webhooks.table.js';

/** Every event a partner can receive, in the order the docs list them. */
export const PARTNER_EVENT_TYPES = [
  'booking.created',
  'booking.requested',
  'booking.confirmed',
  'booking.declined',
  'booking.canceled',
  'booking.expired',
  'booking.completed',
  'payment.succeeded',
  'payment.refunded',
  'payout.paid',
  'review.published',
  'property.updated',
  'calendar.changed',
] as const;
export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];

export const EventType = z.enum(PARTNER_EVENT_TYPES).meta({ id: 'EventType', description: 'A partner event’s type.' });

const EXAMPLE_WEBHOOK_ID = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const EXAMPLE_DELIVERY_ID = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';
const EXAMPLE_URL = 'https://partner.example.com/hooks/staylane';

export const WebhookParams = z.object({
  id: z
    .uuid()
    .describe('The webhook endpoint’s id.')
    .meta({ examples: [EXAMPLE_WEBHOOK_ID] }),
});
export const DeliveryParams = WebhookParams.extend({
  deliveryId: z
    .uuid()
    .describe('The delivery’s id.')
    .meta({ examples: [EXAMPLE_DELIVERY_ID] }),
});

const endpointUrl = z
  .string()
  .trim()
  .min(1)
  .max(ENDPOINT_URL_MAX_LENGTH)
  .refine((v) => parseFetchableUrl(v) !== undefined, 'Must be an http or https URL without credentials.')
  .describe(
    `Where events are POSTed: http or https, no user name or password, at most ${ENDPOINT_URL_MAX_LENGTH} characters. Only public addresses are called; redirects are not followed.`,
  );

const eventTypes = z
  .array(EventType)
  .min(1)
  .max(PARTNER_EVENT_TYPES.length)
  .refine((v) => new Set(v).size === v.length, 'Each type at most once.')
  .describe('The event types the endpoint receives (at least one, each once).');

const description = z.string().trim().max(500).describe('A note for the owner (at most 500 characters).');

export const CreateWebhookInput = z
  .strictObject({ url: endpointUrl, events: eventTypes, description: description.optional() })
  .meta({
    id: 'CreateWebhookInput',
    description: 'A new webhook endpoint: where to send which events.',
    examples: [{ url: EXAMPLE_URL, events: ['booking.confirmed', 'booking.canceled'], description: 'Channel manager' }],
  });
export type CreateWebhookInput = z.infer<typeof CreateWebhookInput>;

export const UpdateWebhookInput = z
  .strictObject({
    url: endpointUrl.optional(),
    events: eventTypes.optional(),
    description: description.nullable().optional(),
    enabled: z
      .boolean()
      .optional()
      .describe('True re-enables an endpoint disabled after 3 days of failures: it resumes where it stopped.'),
  })
  .meta({
    id: 'UpdateWebhookInput',
    description: 'The fields to change; the others keep their values.',
    examples: [{ events: ['booking.created', 'booking.canceled'], enabled: true }],
  });
export type UpdateWebhookInput = z.infer<typeof UpdateWebhookInput>;

export const WebhookEndpoint = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(EventType),
    enabled: z.boolean().describe('False once the endpoint failed for 3 days (its owner was e-mailed).'),
    failingSince: z.iso
      .datetime()
      .nullable()
      .describe('Since when deliveries keep failing (retried with back-off); null when healthy.'),
    nextAttemptAt: z.iso.datetime().nullable().describe('When a failing endpoint is next tried.'),
    disabledAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookEndpoint', description: 'An HTTP endpoint that receives signed events.' });
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const WebhookSecret = z
  .object({
    endpoint: WebhookEndpoint,
    secret: z
      .string()
      .describe(
        'The signing secret (`whsec_` + base64), shown this once: verify deliveries with it (Standard Webhooks).',
      ),
  })
  .meta({ id: 'WebhookSecret', description: 'An endpoint and its signing secret, shown once.' });
export type WebhookSecret = z.infer<typeof WebhookSecret>;

export const WebhookEndpointList = z
  .object({ data: z.array(WebhookEndpoint).describe('Oldest first (at most 10).') })
  .meta({ id: 'WebhookEndpointList', description: 'The caller’s webhook endpoints.' });

export const WebhookDelivery = z
  .object({
    id: z.uuid(),
    eventId: z.uuid().describe('The event’s id, also the `webhook-id` header of every attempt.'),
    seq: z.number().int(),
    eventType: EventType,
    status: z
      .enum(DELIVERY_STATUSES)
      .describe(
        '`succeeded` (a 2xx answer), `retrying` (failed, tried again at `nextAttemptAt`), `failed` (given up).',
      ),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable().describe('The last attempt’s HTTP status; null when none came.'),
    error: z.string().nullable().describe('Why the last attempt failed, in short.'),
    nextAttemptAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookDelivery', description: 'One event’s delivery to one endpoint.' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const DeliveryPage = z
  .object({
    data: z.array(WebhookDelivery),
    page: z.object({ nextCursor: z.string().nullable(), hasMore: z.boolean() }),
  })
  .meta({ id: 'WebhookDeliveryPage', description: 'Deliveries, newest first.' });

export const ListDeliveriesQuery = pageQuerySchema;

export const Event = z
  .object({
    id: z.uuid().describe('Stable: the `webhook-id` header of its deliveries.'),
    seq: z.number().int().describe('Gap-free and increasing across the deployment.'),
    type: EventType,
    createdAt: z.iso.datetime(),
    data: z.record(z.string(), z.unknown()).describe('The resource as the REST API shows it (see the type).'),
  })
  .meta({ id: 'Event', description: 'A change a partner could act on.' });
export type Event = z.infer<typeof Event>;

export const EVENTS_PAGE_MAX = 100;

export const ListEventsQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(0)
    .describe('Events numbered after this `seq` (0: from the oldest kept).'),
  types: z
    .string()
    .max(400)
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const list = v.split(',').map((t) => t.trim());
      for (const t of list) {
        if (!(PARTNER_EVENT_TYPES as readonly string[]).includes(t)) {
          ctx.addIssue({ code: 'custom', message: `Unknown event type: ${t.slice(0, 40)}` });
          return z.NEVER;
        }
      }
      return list as PartnerEventType[];
    })
    .describe('Comma-separated event types (all when absent).'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(EVENTS_PAGE_MAX)
    .default(50)
    .describe(`Page size, 1–${EVENTS_PAGE_MAX} (default 50).`),
});
export type ListEventsQuery = z.infer<typeof ListEventsQuery>;

export const EventPage = z
  .object({
    data: z.array(Event),
    page: z.object({
      nextAfter: z.number().int().describe('Pass as `after` for the next page (or the next poll).'),
      hasMore: z.boolean(),
    }),
  })
  .meta({ id: 'EventPage', description: 'Events in `seq` order.' });
export type EventPage = z.infer<typeof EventPage>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toEventDto(row: EventRow): Event {
  return {
    id: row.id,
    seq: row.seq!,
    type: row.type as PartnerEventType,
    createdAt: row.createdAt.toISOString(),
    data: row.data,
  };
}

export function toEndpointDto(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.eventTypes as PartnerEventType[],
    enabled: row.disabledAt === null,
    failingSince: iso(row.failingSince),
    nextAttemptAt: iso(row.nextAttemptAt),
    disabledAt: iso(row.disabledAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toDeliveryDto(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    eventId: row.eventId,
    seq: row.seq,
    eventType: row.eventType as PartnerEventType,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    error: row.error,
    nextAttemptAt: iso(row.nextAttemptAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
