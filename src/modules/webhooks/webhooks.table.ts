import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { userIdColumn } from '../users/index.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * Partner events: one row per domain change a partner could act on, written in the
 * change's transaction with `seq` null. The sequencer (one at a time, under an advisory
 * lock) numbers committed rows 1, 2, 3 … in (created_at, id) order; the feed and the
 * deliveries read numbered rows only, so a reader never sees a number before the ones
 * below it. `host_ids` and `guest_id` say whom the event concerns (visibility).
 */
export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }),
    type: text('type').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    hostIds: uuid('host_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    guestId: uuid('guest_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('events_seq_key').on(t.seq),
    index('events_unsequenced_idx')
      .on(t.createdAt, t.id)
      .where(sql`seq is null`),
    index('events_host_ids_idx').using('gin', t.hostIds),
  ],
);

export type EventRow = typeof events.$inferSelect;

/**
 * A partner's HTTP endpoint (a host's or an admin's). The signing secret is stored
 * encrypted (AES-256-GCM); after a rotation the previous one keeps signing beside the new
 * one until `previous_secret_expires_at`. `cursor_seq` is the last event delivered (or
 * skipped as not for this endpoint): deliveries go one at a time in seq order behind it.
 * `lease_until`/`lease_token` make one worker at a time the endpoint's deliverer.
 * `failing_since` is the first failure of the current run of failures; three days of
 * them disable the endpoint (`disabled_at`).
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id').notNull().references(userIdColumn, { onDelete: 'cascade' }),
    /** Admins' endpoints receive every event; hosts' only those about their places and bookings. */
    allEvents: boolean('all_events').notNull().default(false),
    url: text('url').notNull(),
    description: text('description'),
    eventTypes: text('event_types').array().notNull(),
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: instant('previous_secret_expires_at'),
    cursorSeq: bigint('cursor_seq', { mode: 'number' }).notNull().default(0),
    nextAttemptAt: instant('next_attempt_at'),
    failingSince: instant('failing_since'),
    disabledAt: instant('disabled_at'),
    leaseUntil: instant('lease_until'),
    leaseToken: uuid('lease_token'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [index('webhook_endpoints_owner_idx').on(t.ownerId, t.createdAt, t.id)],
);

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;

export const DELIVERY_STATUSES = ['succeeded', 'retrying', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event's delivery to one endpoint: its attempts so far and the last answer. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    eventType: text('event_type').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(1),
    responseStatus: integer('response_status'),
    error: text('error'),
    nextAttemptAt: instant('next_attempt_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('webhook_deliveries_endpoint_event_key').on(t.endpointId, t.eventId),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt.desc(), t.id.desc()),
  ],
);

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
