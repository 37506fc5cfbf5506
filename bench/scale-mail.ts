import { messageIdFor } from '../src/platform/mail/index.js';
import { withClient } from './db.js';
import { awaitArrivals, enqueueVerificationEmails, MAIL_HOST, type Received } from './queue.js';
import type { RunLedger } from './scale-processes.js';

/**
 * What the scale bench checks of background work: every e-mail once at the SMTP sink,
 * every cron tick run once across the workers, and how long a batch of e-mails takes to
 * drain with and without faults injected part-way.
 */

const thousands = new Intl.NumberFormat('en-US');
const n = (v: number) => thousands.format(Math.round(v));

/** The Message-IDs of the e-mail each booking sends when it is made (`booking-held`). */
export async function heldEmails(url: string): Promise<string[]> {
  const rows = await withClient(url, (c) => c.query<{ id: string }>(`select id from bookings`));
  return rows.rows.map((r) => messageIdFor(`booking-held:${r.id}`, MAIL_HOST));
}

/** Message-IDs that arrived more than once, of all that arrived. */
export const duplicates = (received: Received) => [...received.arrivals.values()].filter((c) => c > 1).length;

export interface Fault {
  name: string;
  /** Share of the batch received before the fault is injected. */
  after: number;
  inject(): Promise<void>;
}

export interface DrainResult {
  emails: number;
  arrived: number;
  /** Enqueue start → last e-mail of the batch received. */
  seconds: number;
  /**
   * Each fault: seconds after enqueue start when it began and when it was over (a restart
   * takes a while), and how many e-mails of the batch had arrived when it began.
   */
  injected: { name: string; at: number; end: number; arrived: number }[];
  /** The batch's Message-IDs, and when its enqueueing started (ms). */
  expected: string[];
  started: number;
}

const arrivedOf = (received: Received, expected: readonly string[]) =>
  expected.reduce((sum, id) => sum + (received.at.has(id) ? 1 : 0), 0);

/**
 * Enqueues `emails` verification e-mails in one transaction and waits for all of them at
 * the sink (or for `idleMs` without a new one); meanwhile each fault is injected once its
 * share of the batch has arrived, in order.
 */
export async function drain(options: {
  url: string;
  received: Received;
  emails: number;
  faults: readonly Fault[];
  idleMs: number;
  log: (line: string) => void;
}): Promise<DrainResult> {
  const { received, log } = options;
  const started = Date.now();
  const expected = await enqueueVerificationEmails(options.url, options.emails);
  const injected: DrainResult['injected'] = [];
  let done = false;
  const injector = (async () => {
    for (const fault of options.faults) {
      while (!done && arrivedOf(received, expected) < fault.after * expected.length) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      if (done) return;
      const at = (Date.now() - started) / 1000;
      const arrived = arrivedOf(received, expected);
      log(`scale: ${fault.name} at ${at.toFixed(1)} s (${n(arrived)} of ${n(expected.length)} received)`);
      await fault.inject();
      injected.push({ name: fault.name, at, end: (Date.now() - started) / 1000, arrived });
    }
  })();
  const arrived = await awaitArrivals(received, expected, options.idleMs);
  done = true;
  await injector;
  const last = Math.max(...expected.map((id) => received.at.get(id) ?? 0));
  return { emails: expected.length, arrived, seconds: (last - started) / 1000, injected, expected, started };
}

/**
 * Delivery claims still `sending`: their sender stopped between the claim and marking them
 * sent, so whether the mail server took them is unknown (after MAIL_SENDING_TIMEOUT_SECONDS
 * they are in doubt, for an admin to resolve). Each with its Message-ID, when it was claimed
 * (ms) and whether the sink received it.
 */
export async function leftSending(
  url: string,
  received: Received,
): Promise<{ id: string; at: number; arrived: boolean }[]> {
  const rows = await withClient(url, (c) =>
    c.query<{ id: string; at: Date }>(
      `select message_id as id, coalesce(claimed_at, created_at) as at from mail_deliveries where state = 'sending'`,
    ),
  );
  return rows.rows.map((r) => ({ id: r.id, at: r.at.getTime(), arrived: received.at.has(r.id) }));
}

/** Deliveries the database records as sent that never reached the sink. */
export async function sentNotReceived(url: string, received: Received): Promise<number> {
  const rows = await withClient(url, (c) =>
    c.query<{ id: string }>(`select message_id as id from mail_deliveries where state = 'sent'`),
  );
  return rows.rows.filter((r) => !received.at.has(r.id)).length;
}

export interface TickCount {
  kind: string;
  ticks: number;
  done: number;
  /** Ticks claimed more than once (a run cut short by a fault and started again). */
  reclaimed: number;
  /** Ticks due over a minute ago and not done. */
  overdue: number;
  /** Runs that ended done, summed over every worker's `job_runs_total`. */
  runs: number;
  retries: number;
}

/**
 * The cron ticks written over the run (rows keyed `cron:<name>:<tick>`, one per tick by
 * the unique key) against the runs the workers counted. The counters are read before and
 * after the rows, until both readings agree, so no run falls between the two.
 */
export async function cronTicks(url: string, ledger: RunLedger, readAll: () => Promise<void>): Promise<TickCount[]> {
  const rowsNow = () =>
    withClient(url, async (c) =>
      (
        await c.query<{ kind: string; ticks: string; done: string; reclaimed: string; overdue: string }>(
          `select kind, count(*) as ticks, count(*) filter (where state = 'done') as done,
                count(*) filter (where attempts > 1) as reclaimed,
                count(*) filter (where state <> 'done' and run_at < now() - interval '1 minute') as overdue
           from jobs where dedupe_key like 'cron:%' group by kind order by kind`,
        )
      ).rows.map((r) => ({
        kind: r.kind,
        ticks: Number(r.ticks),
        done: Number(r.done),
        reclaimed: Number(r.reclaimed),
        overdue: Number(r.overdue),
      })),
    );
  for (let attempt = 0; ; attempt++) {
    await readAll();
    const runsBefore = (kind: string) => ledger.total(kind, 'done');
    const rows = await rowsNow();
    const before = rows.map((r) => runsBefore(r.kind));
    await readAll();
    const stable = rows.every((r, i) => ledger.total(r.kind, 'done') === before[i]);
    if (stable || attempt >= 5) {
      return rows.map((r) => ({ ...r, runs: ledger.total(r.kind, 'done'), retries: ledger.total(r.kind, 'retry') }));
    }
  }
}

/** Why the tick counts fail, if they do: a tick run twice, or one due over a minute ago not run. */
export function tickFailures(ticks: readonly TickCount[]): string[] {
  const failures: string[] = [];
  for (const t of ticks) {
    if (t.runs > t.done) failures.push(`${t.kind}: ${t.runs} runs for ${t.done} ticks done (a tick ran twice)`);
    if (t.runs < t.done) failures.push(`${t.kind}: ${t.done} ticks done but ${t.runs} runs counted`);
    if (t.overdue > 0) failures.push(`${t.kind}: ${t.overdue} ticks due over a minute ago have not run`);
  }
  return failures;
}

export const tickTable = (ticks: readonly TickCount[]) =>
  [
    '| kind | ticks written | ticks done | runs counted by the workers | retried runs | ticks claimed more than once |',
    '|---|---:|---:|---:|---:|---:|',
    ...ticks.map((t) => `| \`${t.kind}\` | ${t.ticks} | ${t.done} | **${t.runs}** | ${t.retries} | ${t.reclaimed} |`),
  ].join('\n');
