import { z } from 'zod';
import type { Db } from '../../platform/db/types.js';
import { defineJob, enqueue, type JobDefinition, type Schedule } from '../../platform/jobs/index.js';

/** One delivery run of an endpoint: its events after its cursor, in order. */
export const WEBHOOK_DELIVER = 'webhooks.deliver';
/** Every few seconds: numbers events a kick missed and wakes endpoints that are behind. */
export const WEBHOOK_SEQUENCE = 'webhooks.sequence';
/** Sends one delivery again (the owner asked). */
export const WEBHOOK_REDELIVER = 'webhooks.redeliver';
/** Tells an endpoint's owner it was disabled (once per run of failures). */
export const WEBHOOK_DISABLED_EMAIL = 'webhooks.send-disabled-email';
/** Daily: events and delivery records past EVENTS_RETENTION_DAYS go. */
export const WEBHOOK_PURGE = 'webhooks.purge';

const EndpointPayload = z.object({ endpointId: z.uuid() });
const RedeliverPayload = z.object({ endpointId: z.uuid(), deliveryId: z.uuid() });
const DisabledPayload = z.object({ endpointId: z.uuid(), since: z.iso.datetime() });

/** Runs keyed by the last number they were queued for: a repeated sequencer pass adds nothing. */
export async function enqueueEndpointRuns(tx: Db, endpointIds: readonly string[], seq: number): Promise<void> {
  for (const endpointId of endpointIds) {
    await enqueue(tx, { kind: WEBHOOK_DELIVER, payload: { endpointId }, key: `webhook-run:${endpointId}:${seq}` });
  }
}

/** A retry at `runAt` (the key names it, so a retry is queued once). */
export async function enqueueRetry(db: Db, endpointId: string, runAt: Date): Promise<void> {
  await enqueue(db, {
    kind: WEBHOOK_DELIVER,
    payload: { endpointId },
    runAt,
    key: `webhook-retry:${endpointId}:${runAt.getTime()}`,
  });
}

/** A periodic catch-up run (one per endpoint per tick). */
export async function enqueueCatchUp(db: Db, endpointId: string, tick: Date): Promise<void> {
  await enqueue(db, {
    kind: WEBHOOK_DELIVER,
    payload: { endpointId },
    key: `webhook-catch-up:${endpointId}:${tick.getTime()}`,
  });
}

export async function enqueueRedelivery(db: Db, endpointId: string, deliveryId: string, now: Date): Promise<void> {
  await enqueue(db, {
    kind: WEBHOOK_REDELIVER,
    payload: { endpointId, deliveryId },
    key: `webhook-redeliver:${deliveryId}:${now.getTime()}`,
  });
}

export async function enqueueDisabledEmail(db: Db, endpointId: string, since: Date): Promise<void> {
  await enqueue(db, {
    kind: WEBHOOK_DISABLED_EMAIL,
    payload: { endpointId, since: since.toISOString() },
    key: `job:webhook-disabled:${endpointId}:${since.toISOString()}`,
  });
}

export interface WebhookJobHandlers {
  runEndpoint(endpointId: string): Promise<void>;
  tick(now: Date): Promise<number>;
  redeliverNow(endpointId: string, deliveryId: string): Promise<void>;
  sendDisabledEmail(endpointId: string, since: string): Promise<void>;
  purge(now: Date): Promise<number>;
}

export function webhookJobs(handlers: WebhookJobHandlers): JobDefinition[] {
  return [
    defineJob({ kind: WEBHOOK_DELIVER, schema: EndpointPayload, handle: (p) => handlers.runEndpoint(p.endpointId) }),
    defineJob({ kind: WEBHOOK_SEQUENCE, schema: z.object({}), handle: (_p, ctx) => handlers.tick(ctx.now) }),
    defineJob({
      kind: WEBHOOK_REDELIVER,
      schema: RedeliverPayload,
      handle: (p) => handlers.redeliverNow(p.endpointId, p.deliveryId),
    }),
    defineJob({
      kind: WEBHOOK_DISABLED_EMAIL,
      schema: DisabledPayload,
      handle: (p) => handlers.sendDisabledEmail(p.endpointId, p.since),
    }),
    defineJob({ kind: WEBHOOK_PURGE, schema: z.object({}), handle: (_p, ctx) => handlers.purge(ctx.now) }),
  ];
}

export const webhookSchedules: Schedule[] = [
  { name: 'webhooks.sequence', cron: '*/5 * * * * *', kind: WEBHOOK_SEQUENCE },
  { name: 'webhooks.purge', cron: '17 4 * * *', kind: WEBHOOK_PURGE },
];
