import type { Clock } from '../../platform/clock.js';
import { requireActor, type Actor, type RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { z } from 'zod';
import type { AuditService } from '../audit/index.js';
import { lastSeq } from './events.repository.js';
import {
  deliveryNotFound,
  endpointNotFound,
  hostsOnly,
  MAX_ENDPOINTS_PER_OWNER,
  tooManyEndpoints,
} from './webhooks.errors.js';
import { enqueueRedelivery } from './webhooks.jobs.js';
import * as repo from './webhooks.repository.js';
import {
  toDeliveryDto,
  toEndpointDto,
  type CreateWebhookInput,
  type UpdateWebhookInput,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookSecret,
} from './webhooks.schemas.js';
import { newSigningSecret, type SecretBox } from './webhooks.secrets.js';
import type { WebhookEndpointRow } from './webhooks.table.js';

export interface EndpointDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  box: SecretBox;
  rotationOverlapHours: number;
}

const deliveryCursor = z.tuple([z.iso.datetime(), z.uuid()]);

/** Hosts and admins register endpoints; each sees and changes only its own (404 otherwise). */
export function createEndpoints({ db, clock, audit, box, rotationOverlapHours }: EndpointDeps) {
  const partner = (ctx: RequestContext): Actor => {
    const actor = requireActor(ctx);
    if (actor.role === 'guest') throw hostsOnly();
    return actor;
  };

  // Anyone's id but the owner's is 404, a guest's included: no answer tells that it exists.
  async function owned(id: string, ctx: RequestContext): Promise<WebhookEndpointRow> {
    const actor = requireActor(ctx);
    const row = await repo.findEndpoint(db, id);
    if (!row || row.ownerId !== actor.id || actor.role === 'guest') throw endpointNotFound();
    return row;
  }

  const auditEntry = (action: string, id: string, detail: Record<string, unknown> = {}) => ({
    action,
    entity: 'webhook_endpoint',
    entityId: id,
    detail,
  });

  return {
    /** A new endpoint receives events numbered from now on (not the past: the feed has those). */
    async createWebhook(input: CreateWebhookInput, ctx: RequestContext): Promise<WebhookSecret> {
      const actor = partner(ctx);
      const secret = newSigningSecret();
      const row = await withTransaction(db, async (tx) => {
        await repo.lockOwner(tx, actor.id);
        if ((await repo.countEndpoints(tx, actor.id)) >= MAX_ENDPOINTS_PER_OWNER) throw tooManyEndpoints();
        const created = await repo.insertEndpoint(tx, {
          ownerId: actor.id,
          allEvents: actor.role === 'admin',
          url: input.url,
          description: input.description ?? null,
          eventTypes: input.events,
          secret: box.seal(secret),
          cursorSeq: await lastSeq(tx),
        });
        await audit.record(ctx, auditEntry('webhook.created', created.id, { url: input.url }), tx);
        return created;
      });
      return { endpoint: toEndpointDto(row), secret };
    },

    async listWebhooks(ctx: RequestContext): Promise<WebhookEndpoint[]> {
      const actor = partner(ctx);
      return (await repo.listEndpointsOf(db, actor.id)).map(toEndpointDto);
    },

    getWebhook: async (id: string, ctx: RequestContext): Promise<WebhookEndpoint> =>
      toEndpointDto(await owned(id, ctx)),

    async updateWebhook(id: string, input: UpdateWebhookInput, ctx: RequestContext): Promise<WebhookEndpoint> {
      await owned(id, ctx);
      const now = clock.now();
      const row = await withTransaction(db, async (tx) => {
        const updated = await repo.updateEndpoint(tx, id, {
          ...(input.url !== undefined && { url: input.url }),
          ...(input.events !== undefined && { eventTypes: input.events }),
          ...(input.description !== undefined && { description: input.description }),
          // Re-enabled, it resumes at its cursor: what it missed while disabled comes in order.
          ...(input.enabled === true && { disabledAt: null, failingSince: null, nextAttemptAt: null }),
          ...(input.enabled === false && { disabledAt: now }),
          updatedAt: now,
        });
        if (!updated) throw endpointNotFound();
        await audit.record(ctx, auditEntry('webhook.updated', id, { fields: Object.keys(input) }), tx);
        return updated;
      });
      return toEndpointDto(row);
    },

    async deleteWebhook(id: string, ctx: RequestContext): Promise<void> {
      await owned(id, ctx);
      await withTransaction(db, async (tx) => {
        if (!(await repo.deleteEndpoint(tx, id))) throw endpointNotFound();
        await audit.record(ctx, auditEntry('webhook.deleted', id), tx);
      });
    },

    /** A new secret, shown once; the previous one keeps signing beside it for the overlap. */
    async rotateWebhookSecret(id: string, ctx: RequestContext): Promise<WebhookSecret> {
      const current = await owned(id, ctx);
      const now = clock.now();
      const secret = newSigningSecret();
      const row = await withTransaction(db, async (tx) => {
        const updated = await repo.updateEndpoint(tx, id, {
          secret: box.seal(secret),
          previousSecret: rotationOverlapHours > 0 ? current.secret : null,
          previousSecretExpiresAt:
            rotationOverlapHours > 0 ? new Date(now.getTime() + rotationOverlapHours * 3_600_000) : null,
          updatedAt: now,
        });
        if (!updated) throw endpointNotFound();
        await audit.record(ctx, auditEntry('webhook.secret_rotated', id), tx);
        return updated;
      });
      return { endpoint: toEndpointDto(row), secret };
    },

    async listDeliveries(
      id: string,
      query: { limit: number; cursor?: string },
      ctx: RequestContext,
    ): Promise<Page<WebhookDelivery> & { cursors: string[] }> {
      await owned(id, ctx);
      const after = query.cursor ? decodeCursor(query.cursor, deliveryCursor) : undefined;
      const rows = await repo.listDeliveries(
        db,
        id,
        query.limit + 1,
        after && { createdAt: new Date(after[0]), id: after[1] },
      );
      return toPage(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id], toDeliveryDto);
    },

    /** Queues the delivery's event to be sent again at once (outside the endpoint's order). */
    async redeliver(id: string, deliveryId: string, ctx: RequestContext): Promise<WebhookDelivery> {
      await owned(id, ctx);
      const delivery = await repo.findDelivery(db, id, deliveryId);
      if (!delivery) throw deliveryNotFound();
      await withTransaction(db, async (tx) => {
        await enqueueRedelivery(tx, id, deliveryId, clock.now());
        await audit.record(ctx, auditEntry('webhook.redelivered', id, { deliveryId }), tx);
      });
      return toDeliveryDto(delivery);
    },
  };
}

export type Endpoints = ReturnType<typeof createEndpoints>;
