import { withClient } from './db.js';
import type { Received } from './queue.js';
import { drain, leftSending, type DrainResult } from './scale-mail.js';

/**
 * The fault run: one batch of e-mails drained with nothing going wrong, then a second batch
 * of the same size with three faults injected part-way, in turn: FLUSHALL of the queue's
 * Redis, kill -9 of a worker (a replacement started, as a supervisor would), and a restart
 * of PostgreSQL. Reports both drain times, their ratio (target ≤ 2×), the e-mails whose
 * delivery claim was left `sending` (in doubt: perhaps sent, perhaps not) and those lost
 * without such a trace (the run fails on any).
 */

/** The relay looks for lost queue jobs every 2 s, among rows relayed over 15 s ago (queue-transport.ts). */
const LOST_CHECK_SECONDS = 2;
const LOST_AFTER_SECONDS = 15;
const TARGET_RATIO = 2;
/** The workers' lease when JOB_LEASE_SECONDS is unset (src/config.ts). */
export const DEFAULT_LEASE_SECONDS = 15;

export interface FaultRunOptions {
  url: string;
  received: Received;
  emails: number;
  leaseSeconds: number;
  flushRedis: () => Promise<void>;
  killWorker: () => Promise<void>;
  restartPostgres: () => Promise<void>;
  log: (line: string) => void;
}

/** The longest wait between two e-mails of a batch (enqueue start counts as the first), and when it began. */
function longestPause(received: Received, result: DrainResult) {
  const times = [result.started, ...result.expected.flatMap((id) => received.at.get(id) ?? [])].sort((a, b) => a - b);
  let pause = { seconds: 0, from: 0 };
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i]! - times[i - 1]!) / 1000;
    if (gap > pause.seconds) pause = { seconds: gap, from: (times[i - 1]! - result.started) / 1000 };
  }
  return pause;
}

const thousands = new Intl.NumberFormat('en-US');
const n = (v: number) => thousands.format(Math.round(v));

/** Each claim left sending, against the first fault that was not over yet when it was made. */
function attribute(doubt: readonly { at: number }[], faulted: DrainResult): string[] {
  const faultsAt = faulted.injected.map((f) => ({
    ...f,
    at: faulted.started + f.at * 1000,
    end: faulted.started + f.end * 1000,
  }));
  const owner = (claimedAt: number) => faultsAt.find((f) => claimedAt <= f.end);
  const attributed = faultsAt.flatMap((f) => {
    const claims = doubt.filter((d) => owner(d.at) === f);
    if (claims.length === 0) return [];
    const first = Math.min(...claims.map((c) => c.at));
    const last = Math.max(...claims.map((c) => c.at));
    const when =
      last <= f.at
        ? `in the ${n(f.at - first)} ms before the ${f.name}`
        : first >= f.at
          ? `during the ${f.name}`
          : `from ${n(f.at - first)} ms before the ${f.name} until it was over`;
    return [`${n(claims.length)} claimed ${when}`];
  });
  const later = doubt.filter((d) => !owner(d.at)).length;
  if (later > 0) attributed.push(`${n(later)} claimed after the last fault was over`);
  return attributed;
}

/** The batch's job rows by how many runs each took, with when the last of each group was done (s after `started`). */
async function runsPerRow(
  url: string,
  started: number,
): Promise<{ attempts: number; rows: number; lastDone: number }[]> {
  const result = await withClient(url, (c) =>
    c.query<{ attempts: number; rows: string; last_done: Date | null }>(
      `select attempts, count(*) as rows, max(finished_at) as last_done from jobs
       where kind = 'users.send-verification-email' and created_at >= $1 group by attempts order by attempts`,
      [new Date(started - 1_000)],
    ),
  );
  return result.rows.map((r) => ({
    attempts: r.attempts,
    rows: Number(r.rows),
    lastDone: r.last_done ? (r.last_done.getTime() - started) / 1000 : NaN,
  }));
}

export async function faultRun(options: FaultRunOptions): Promise<{ markdown: string; failures: string[] }> {
  const { received, log } = options;
  // Long enough for a claim of a killed worker to lapse and be found lost: only a lost e-mail waits it out.
  const idleMs = (options.leaseSeconds + LOST_AFTER_SECONDS + 2 * LOST_CHECK_SECONDS + 30) * 1000;
  log(`scale: draining ${n(options.emails)} e-mails, no fault`);
  const calm = await drain({ url: options.url, received, emails: options.emails, faults: [], idleMs, log });
  log(`  ${calm.seconds.toFixed(1)} s`);
  log(`scale: draining ${n(options.emails)} e-mails through faults`);
  const faulted = await drain({
    url: options.url,
    received,
    emails: options.emails,
    idleMs,
    log,
    faults: [
      { name: 'FLUSHALL of Redis', after: 0.2, inject: options.flushRedis },
      { name: 'kill -9 of a worker, replacement started', after: 0.4, inject: options.killWorker },
      { name: 'PostgreSQL restart (pg_ctl stop -m fast, start)', after: 0.6, inject: options.restartPostgres },
    ],
  });
  log(`  ${faulted.seconds.toFixed(1)} s`);
  const doubt = await leftSending(options.url, received);
  const runs = await runsPerRow(options.url, faulted.started);
  const attributed = attribute(doubt, faulted);

  // Not received: left sending (the record says it may not have left), or lost without a trace.
  const sending = new Set(doubt.map((d) => d.id));
  const missing = (r: DrainResult) => r.expected.filter((id) => !received.at.has(id));
  const unsent = (r: DrainResult) => missing(r).filter((id) => sending.has(id)).length;
  const lost = (r: DrainResult) => missing(r).filter((id) => !sending.has(id)).length;
  const failures: string[] = [];
  for (const [label, r] of [
    ['no-fault drain', calm],
    ['drain through faults', faulted],
  ] as const) {
    if (lost(r) > 0) failures.push(`${label}: ${n(lost(r))} of ${n(r.emails)} e-mails lost without a trace`);
  }
  const row = (label: string, r: DrainResult, ratio: string) =>
    `| ${label} | ${n(r.arrived)} / ${n(r.emails)} | ${n(unsent(r))} | **${n(lost(r))}** | ${r.seconds.toFixed(1)} | ${ratio} |`;
  const ratio = faulted.seconds / calm.seconds;
  const isDefault = options.leaseSeconds === DEFAULT_LEASE_SECONDS;
  const pause = longestPause(received, faulted);
  const markdown = [
    `### Drain through faults (${n(options.emails)} e-mails per batch)`,
    '',
    `The real \`users.send-verification-email\` job for ${n(options.emails)} unverified users, enqueued in one ` +
      'transaction; drain time is enqueue start → last e-mail of the batch received. Workers with ' +
      `JOB_LEASE_SECONDS ${options.leaseSeconds} (${isDefault ? 'the default' : `the default is ${DEFAULT_LEASE_SECONDS}`}), ` +
      `JOB_REQUEUE_AFTER_SECONDS 600 (the default); the relay checks every second that Redis kept its ` +
      `data and looks for lost queue jobs every ${LOST_CHECK_SECONDS} s among rows relayed over ${LOST_AFTER_SECONDS} s ago.`,
    '',
    '| batch | received | not received, claim left `sending` | lost without a trace | drain s | vs no fault |',
    '|---|---:|---:|---:|---:|---:|',
    row('no fault', calm, '1×'),
    row(
      'FLUSHALL, kill -9, PostgreSQL restart',
      faulted,
      `**${ratio.toFixed(1)}×** (target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : '**missed**'})`,
    ),
    '',
    'Faults, in order: ' +
      faulted.injected.map((f) => `${f.name} at ${f.at.toFixed(1)} s (${n(f.arrived)} received by then)`).join('; ') +
      (faulted.injected.length < 3 ? ` — only ${faulted.injected.length} of 3 injected before the batch was in` : '') +
      `. Longest wait between two e-mails of the faulted batch: ${pause.seconds.toFixed(1)} s, from ` +
      `${pause.from.toFixed(1)} s. Delivery claims left \`sending\` after both batches (claimed, never marked sent: ` +
      'in doubt once MAIL_SENDING_TIMEOUT_SECONDS has passed, for an admin to resolve): ' +
      `**${n(doubt.length)}**, ${n(doubt.filter((d) => d.arrived).length)} of them received by the sink` +
      `${attributed.length > 0 ? ` (${attributed.join('; ')})` : ''}. Job rows of the faulted batch by runs ` +
      `(claims) each took: ${runs.map((r) => `${r.attempts}: ${n(r.rows)}, the last done at ${r.lastDone.toFixed(1)} s`).join('; ')}.`,
    '',
  ].join('\n');
  return { markdown, failures };
}
