import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/types.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { publicLink, renderEmail, type Mailer } from '../../platform/mail/index.js';
import type { AuditService } from '../audit/index.js';
import type { UsersApi } from '../users/index.js';
import { findEventById, purgeEvents } from './events.repository.js';
import { createDelivery, liveSecrets } from './webhooks.delivery.js';
import { createEndpoints } from './webhooks.endpoints.js';
import { createEventFeed } from './webhooks.feed.js';
import { enqueueCatchUp, enqueueDisabledEmail, enqueueRetry } from './webhooks.jobs.js';
import * as repo from './webhooks.repository.js';
import { createSecretBox, deriveSecretKey } from './webhooks.secrets.js';
import { toEndpointDto } from './webhooks.schemas.js';
import type { WebhooksSettings } from './webhooks.settings.js';

export interface WebhooksServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  users: Pick<UsersApi, 'getContacts'>;
  mailer: Mailer;
  settings: WebhooksSettings;
  jwtSecret: string | undefined;
  publicUrl: string;
}

/** Endpoints woken per scheduled tick (the rest at the next one). */
const CATCH_UP_LIMIT = 500;
const PURGE_BATCH = 10_000;

export function createWebhooksService(deps: WebhooksServiceDeps) {
  const { db, clock, settings, users, mailer, publicUrl } = deps;
  const box = createSecretBox(deriveSecretKey(settings.secretKey, deps.jwtSecret));
  const feed = createEventFeed({ db });
  const delivery = createDelivery({
    db,
    clock,
    settings,
    box,
    scheduleRun: (endpointId, runAt) => enqueueRetry(db, endpointId, runAt),
    onDisabled: (endpoint) => enqueueDisabledEmail(db, endpoint.id, endpoint.failingSince ?? clock.now()),
  });
  const endpoints = createEndpoints({
    db,
    clock,
    audit: deps.audit,
    box,
    rotationOverlapHours: settings.rotationOverlapHours,
  });

  return {
    ...feed,
    ...endpoints,
    runEndpoint: delivery.runEndpoint,

    /** The scheduled pass: numbers what a kick missed and wakes endpoints that are behind. */
    async tick(now: Date): Promise<number> {
      const numbered = await feed.sequenceNow();
      const behind = await repo.findBehindEndpoints(db, now, CATCH_UP_LIMIT);
      for (const id of behind) await enqueueCatchUp(db, id, now);
      return numbered;
    },

    /** Sends a delivery's event again and records the attempt on it (the endpoint's order is not involved). */
    async redeliverNow(endpointId: string, deliveryId: string): Promise<void> {
      const endpoint = await repo.findEndpoint(db, endpointId);
      const record = endpoint && (await repo.findDelivery(db, endpointId, deliveryId));
      const event = record && (await findEventById(db, record.eventId));
      if (!endpoint || !record || !event) return;
      const outcome = await delivery.send(endpoint.url, event, liveSecrets(box, endpoint, clock.now()));
      await repo.recordDeliveries(db, [
        {
          endpointId,
          eventId: event.id,
          seq: record.seq,
          eventType: record.eventType,
          // A failed manual attempt leaves a delivered event delivered.
          status: outcome.ok ? 'succeeded' : record.status === 'succeeded' ? 'succeeded' : record.status,
          responseStatus: outcome.status,
          error: outcome.error,
          nextAttemptAt: record.nextAttemptAt,
          at: clock.now(),
        },
      ]);
    },

    async sendDisabledEmail(endpointId: string, since: string): Promise<void> {
      const endpoint = await repo.findEndpoint(db, endpointId);
      if (!endpoint?.disabledAt) return;
      const owner = (await users.getContacts([endpoint.ownerId])).get(endpoint.ownerId);
      if (!owner) return;
      await mailer.send({
        to: owner.email,
        dedupeKey: `webhook-disabled:${endpointId}:${since}`,
        ...renderEmail({
          subject: 'A webhook endpoint was disabled',
          paragraphs: [
            `Hello ${owner.firstName},`,
            `Deliveries to your webhook endpoint ${endpoint.url} failed for ${settings.retryHours} hours in a row, so it was disabled.`,
            'Events are kept: once it answers again, re-enable it and it receives what it missed, in order.',
          ],
          action: { label: 'Your webhooks', url: publicLink(publicUrl, '/settings/webhooks') },
        }),
      });
    },

    async purge(now: Date): Promise<number> {
      const before = new Date(now.getTime() - settings.retentionDays * 86_400_000);
      let total = await repo.purgeDeliveries(db, before);
      for (;;) {
        const n = await withTransaction(db, (tx) => purgeEvents(tx, before, PURGE_BATCH));
        total += n;
        if (n < PURGE_BATCH) return total;
      }
    },

    /** The user's endpoints for their personal-data export (never a secret). */
    async *endpointsOf(userId: string): AsyncIterable<unknown> {
      for (const row of await repo.listEndpointsOf(db, userId)) yield toEndpointDto(row);
    },

    /** A closing account's endpoints go in the closure's transaction: nothing more is sent for it. */
    onAccountClosed: (userId: string, tx: Db) => repo.deleteEndpointsOf(tx, userId),

    closeDelivery: delivery.close,
  };
}

export type WebhooksApi = ReturnType<typeof createWebhooksService>;
