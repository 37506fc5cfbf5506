import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/types.js';
import { SafeFetchError, safeFetch } from '../../platform/net/safe-fetch.js';
import { lastSeq } from './events.repository.js';
import type { SecretBox } from './webhooks.secrets.js';
import { signatureHeader } from './webhooks.secrets.js';
import type { WebhooksSettings } from './webhooks.settings.js';
import * as repo from './webhooks.repository.js';
import type { EventRow, WebhookEndpointRow } from './webhooks.table.js';
import { toEventDto } from './webhooks.schemas.js';

/** Events read per round trip to the database while an endpoint catches up. */
const BATCH = 200;
/** Successes recorded together (and the lease renewed) at least this often. */
const FLUSH_EVERY = 50;
/** The endpoint's delivery lease: renewed at each flush, so a dead worker's endpoint is free within a minute. */
const LEASE_MS = 60_000;
/** The first retry's delay; each next one waits as long as the endpoint has been failing, up to the cap. */
const FIRST_RETRY_MS = 5_000;
/** An answer's body is not read beyond this (it is ignored). */
const MAX_ANSWER_BYTES = 4_096;

export interface SendOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
}

export interface DeliveryDeps {
  db: Db;
  clock: Clock;
  settings: WebhooksSettings;
  box: SecretBox;
  /** Queues a delivery run of the endpoint at `runAt` (a retry). */
  scheduleRun(endpointId: string, runAt: Date): Promise<void>;
  /** The endpoint was disabled after failing for WEBHOOK_RETRY_HOURS: queue its owner's e-mail. */
  onDisabled(endpoint: WebhookEndpointRow): Promise<void>;
}

/** The signing secrets in force: the current one, and the previous one during its overlap. */
export function liveSecrets(box: SecretBox, endpoint: WebhookEndpointRow, now: Date): string[] {
  const secrets = [box.open(endpoint.secret)];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(box.open(endpoint.previousSecret));
  }
  return secrets;
}

export function createDelivery(deps: DeliveryDeps) {
  const { db, clock, settings, box } = deps;
  // Connections to endpoints are kept open between deliveries (each new one is checked by the guard).
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 4 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 4 }),
  };

  /** POSTs one event, signed; any 2xx is a success, anything else (or no answer) a failure. */
  async function send(url: string, event: EventRow, secrets: readonly string[]): Promise<SendOutcome> {
    const body = JSON.stringify(toEventDto(event));
    // The receiver checks the timestamp against its own clock (5 minutes' tolerance): wall time, not the app's clock.
    const at = new Date();
    try {
      const answer = await safeFetch(url, {
        method: 'POST',
        body,
        allowPrivate: settings.allowPrivate,
        timeoutMs: settings.timeoutMs,
        maxBytes: MAX_ANSWER_BYTES,
        maxRedirects: 0,
        agents,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Staylane-Webhooks/1',
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signatureHeader(secrets, event.id, at, body),
        },
      });
      const ok = answer.status >= 200 && answer.status < 300;
      return { ok, status: answer.status, error: ok ? null : `HTTP ${answer.status}` };
    } catch (e) {
      // A too-large answer still came from the endpoint: its status is unknown here, so it counts as a failure.
      const error = e instanceof SafeFetchError ? e.message : 'The endpoint could not be reached.';
      return { ok: false, status: null, error };
    }
  }

  async function failed(endpoint: WebhookEndpointRow, token: string, event: EventRow, outcome: SendOutcome) {
    const now = clock.now();
    const since = endpoint.failingSince ?? now;
    const failingMs = now.getTime() - since.getTime();
    const disable = failingMs >= settings.retryHours * 3_600_000;
    const delay = Math.min(Math.max(failingMs, FIRST_RETRY_MS), settings.maxBackoffSeconds * 1000);
    const nextAttemptAt = disable ? null : new Date(now.getTime() + delay);
    await repo.recordDeliveries(db, [
      {
        endpointId: endpoint.id,
        eventId: event.id,
        seq: event.seq!,
        eventType: event.type,
        status: disable ? 'failed' : 'retrying',
        responseStatus: outcome.status,
        error: outcome.error,
        nextAttemptAt,
        at: now,
      },
    ]);
    await repo.updateLeased(db, endpoint.id, token, {
      failingSince: since,
      nextAttemptAt,
      updatedAt: now,
      ...(disable && { disabledAt: now }),
    });
    if (disable) await deps.onDisabled(endpoint);
    else await deps.scheduleRun(endpoint.id, nextAttemptAt!);
  }

  /** Delivers the endpoint's events in seq order until it is caught up or one fails. */
  async function drain(endpoint: WebhookEndpointRow, token: string): Promise<'caught_up' | 'failed' | 'lost'> {
    let cursor = endpoint.cursorSeq;
    let recovered = endpoint.failingSince !== null;
    for (;;) {
      const top = await lastSeq(db);
      const batch = await repo.nextEventsFor(db, { ...endpoint, cursorSeq: cursor }, BATCH);
      const secrets = liveSecrets(box, endpoint, clock.now());
      let records: repo.DeliveryRecord[] = [];
      const flush = async (to: number) => {
        const now = clock.now();
        await repo.recordDeliveries(db, records);
        records = [];
        const kept = await repo.updateLeased(db, endpoint.id, token, {
          cursorSeq: to,
          leaseUntil: new Date(now.getTime() + LEASE_MS),
          ...(recovered && { failingSince: null, nextAttemptAt: null }),
        });
        recovered = false;
        cursor = to;
        return kept;
      };
      for (const event of batch) {
        const outcome = await send(endpoint.url, event, secrets);
        if (!outcome.ok) {
          if (records.length > 0 && !(await flush(records.at(-1)!.seq))) return 'lost';
          await failed({ ...endpoint, cursorSeq: cursor }, token, event, outcome);
          return 'failed';
        }
        records.push({
          endpointId: endpoint.id,
          eventId: event.id,
          seq: event.seq!,
          eventType: event.type,
          status: 'succeeded',
          responseStatus: outcome.status,
          error: null,
          nextAttemptAt: null,
          at: clock.now(),
        });
        if (records.length >= FLUSH_EVERY && !(await flush(event.seq!))) return 'lost';
      }
      // A short batch held every event up to `top` this endpoint takes: the cursor skips the rest.
      const to = batch.length < BATCH ? Math.max(top, batch.at(-1)?.seq ?? 0) : batch.at(-1)!.seq!;
      if ((records.length > 0 || to > cursor || recovered) && !(await flush(to))) return 'lost';
      if (batch.length < BATCH) return 'caught_up';
    }
  }

  return {
    send,
    /**
     * One delivery run of an endpoint: takes its lease (another worker holding it is
     * delivering already: nothing to do), delivers in order, gives the lease back, and
     * looks again in case events came while it was giving it back.
     */
    runEndpoint: async (endpointId: string): Promise<void> => {
      for (let round = 0; round < 100; round++) {
        const token = randomUUID();
        const endpoint = await repo.claimEndpoint(db, endpointId, token, clock.now(), LEASE_MS);
        if (!endpoint) return;
        let outcome: 'caught_up' | 'failed' | 'lost' | 'waiting' = 'waiting';
        try {
          if (!endpoint.nextAttemptAt || endpoint.nextAttemptAt <= clock.now()) outcome = await drain(endpoint, token);
        } finally {
          await repo.updateLeased(db, endpointId, token, { leaseUntil: null, leaseToken: null });
        }
        if (outcome !== 'caught_up') return;
        const after = await repo.findEndpoint(db, endpointId);
        if (!after || after.disabledAt) return;
        if ((await repo.nextEventsFor(db, after, 1)).length === 0) return;
      }
    },
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
