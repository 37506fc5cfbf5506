import { z } from 'zod';
import { defineJob, type JobDefinition, type Schedule } from '../../platform/jobs/index.js';
import { HOST_DIGEST_SWEEP, HostDigestPayload, SEND_HOST_DIGEST, type HostDigest } from './notifications.digest.js';

/**
 * The kinds the digest had when bookings owned it. Rows of them may still be in the outbox
 * at deploy time, and during a rolling deploy processes running the old code keep writing
 * them after any migration could have renamed them; as aliases they run instead of dying as
 * unknown kinds. Same payloads and keys, so an old and a new sweep of one tick still send
 * each host one e-mail. Remove once no unfinished row of these kinds is left.
 */
const LEGACY_SWEEP = 'bookings.host-digests';
const LEGACY_SEND = 'bookings.send-host-digest';

export function notificationsJobs(digest: HostDigest): JobDefinition[] {
  const sweep = (kind: string) =>
    defineJob({
      kind,
      schema: z.object({}),
      // The tick, not the run's clock: a late or repeated run covers the same 24 hours.
      handle: (_payload, ctx) => digest.enqueueHostDigests(ctx.runAt),
    });
  const send = (kind: string) =>
    defineJob({
      kind,
      schema: HostDigestPayload,
      handle: (payload) => digest.sendHostDigest(payload.hostId, new Date(payload.windowEnd)),
    });
  return [sweep(HOST_DIGEST_SWEEP), send(SEND_HOST_DIGEST), sweep(LEGACY_SWEEP), send(LEGACY_SEND)];
}

export const notificationsSchedules: Schedule[] = [
  { name: 'notifications.host-digests', cron: '0 7 * * *', kind: HOST_DIGEST_SWEEP },
];
