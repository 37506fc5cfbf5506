import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { messageIdFor } from '../src/platform/mail/index.js';
import { startProcess, type ChildProcessHandle } from './child-servers.js';
import { percentile } from './load-runner.js';
import { freshDatabase, withClient } from './db.js';
import { sparePort } from '../test/kit/instances.js';

/**
 * The background-work targets, on PostgreSQL + Redis with real `staylane worker` processes:
 *  (a) 10,000 queued e-mails drain to a local SMTP server (started here, counting what
 *      arrives) at ≥ 500/s with two workers; exactly 10,000 distinct Message-IDs must arrive;
 *  (b) 1,000 e-mails all due at the same second a few seconds ahead leave within 2 s of it.
 *
 * The job is the real `users.send-verification-email` for seeded users: it goes through
 * the registry, the user lookup, the token insert, the mailer's delivery claim and nodemailer
 * to SMTP, as a registration's e-mail does. A bench-only kind would have to be registered in
 * the workers too, and would measure less of what production runs.
 *
 * Env: BENCH_QUEUE_DATABASE_URL (postgres://postgres@127.0.0.1:5432/staylane_bench_queue,
 * dropped and created anew each run), BENCH_QUEUE_REDIS_URL (redis://127.0.0.1:6379/9: a
 * Redis database of its own, so no other worker takes these jobs), BENCH_QUEUE_EMAILS
 * (10000), BENCH_QUEUE_BURST (1000), BENCH_QUEUE_WORKERS (2), BENCH_QUEUE_CPU_PROF (a
 * directory: the workers run with --cpu-prof and write their profiles there on exit).
 */

const SEND_VERIFICATION_EMAIL = 'users.send-verification-email';
/** The host of PUBLIC_URL the workers run with: the host part of every Message-ID. */
export const MAIL_HOST = 'staylane.bench';
/** Address prefix of the users this bench adds (unverified, so each job sends its e-mail). */
const USER_PREFIX = 'queue-bench-';
const TARGET_RATE = 500;
const TARGET_LATENESS_MS = 2_000;
/** Seconds between enqueueing the burst and its due time: beyond a relay tick, within the relay's look-ahead. */
const BURST_AHEAD_S = 3;

export interface QueueBenchSettings {
  databaseUrl: string;
  redisUrl: string;
  emails: number;
  burst: number;
  workers: number;
  cpuProfDir: string | undefined;
}

export function queueBenchSettings(
  env: NodeJS.ProcessEnv,
  int: (name: string, fallback: number) => number,
): QueueBenchSettings {
  return {
    databaseUrl: env.BENCH_QUEUE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/staylane_bench_queue',
    redisUrl: env.BENCH_QUEUE_REDIS_URL ?? 'redis://127.0.0.1:6379/9',
    emails: int('BENCH_QUEUE_EMAILS', 10_000),
    burst: int('BENCH_QUEUE_BURST', 1_000),
    workers: int('BENCH_QUEUE_WORKERS', 2),
    cpuProfDir: env.BENCH_QUEUE_CPU_PROF || undefined,
  };
}

export interface QueueBenchResult {
  /** The report section, markdown. */
  markdown: string;
  /** Why the run failed, when it did. */
  failure?: string;
}

export interface Received {
  /** Arrivals per Message-ID (more than one would be a duplicate e-mail). */
  arrivals: Map<string, number>;
  /** Time of the first arrival per Message-ID. */
  at: Map<string, number>;
  total: number;
}

/** A local SMTP server that keeps only each message's Message-ID and arrival time. */
export async function startSmtpSink(): Promise<{ url: string; received: Received; close(): Promise<void> }> {
  const received: Received = { arrivals: new Map(), at: new Map(), total: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const at = Date.now();
        const raw = Buffer.concat(chunks).toString('utf8');
        const head = raw.slice(0, raw.indexOf('\r\n\r\n') >>> 0);
        const id = /^message-id:\s*(<[^>\r\n]+>)/im.exec(head)?.[1] ?? '(none)';
        received.total++;
        received.arrivals.set(id, (received.arrivals.get(id) ?? 0) + 1);
        if (!received.at.has(id)) received.at.set(id, at);
        callback();
      });
    },
  });
  // A sender that dies mid-message (a worker killed by the scale bench) resets its connection:
  // that message was not received, and the sink goes on.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

/** Adds `count` users with unverified addresses, the recipients of the verification e-mails. */
export async function insertMailUsers(url: string, count: number): Promise<void> {
  await withClient(url, (c) =>
    c.query(
      `insert into users (email, password_hash, first_name, last_name)
       select $2::text || g || '@example.com', 'not-a-hash', 'Bench', 'User ' || g from generate_series(1, $1) g`,
      [count, USER_PREFIX],
    ),
  );
}

/**
 * The real `users.send-verification-email` job for `count` of the users insertMailUsers
 * added, due at `runAt` (now when absent), in one transaction as many sign-ups would write
 * them. Returns the Message-ID each e-mail will carry (its key is `verify-email:<job id>`).
 */
export async function enqueueVerificationEmails(url: string, count: number, runAt?: Date): Promise<string[]> {
  const ids = await withClient(url, async (c) => {
    const rows = await c.query<{ id: string }>(
      `insert into jobs (kind, payload, run_at)
       select $1, jsonb_build_object('userId', id), coalesce($3::timestamptz, now())
       from (select id from users where email like $4::text || '%' order by email limit $2) u
       returning id`,
      [SEND_VERIFICATION_EMAIL, count, runAt ?? null, USER_PREFIX],
    );
    return rows.rows.map((r) => r.id);
  });
  return ids.map((id) => messageIdFor(`verify-email:${id}`, MAIL_HOST));
}

/** Waits until every expected Message-ID arrived, or nothing new arrived for `idleMs`. */
export async function awaitArrivals(received: Received, expected: readonly string[], idleMs = 30_000): Promise<number> {
  const waiting = new Set(expected);
  let lastChange = Date.now();
  for (;;) {
    const before = waiting.size;
    for (const id of waiting) if (received.at.has(id)) waiting.delete(id);
    if (waiting.size === 0) return expected.length;
    if (waiting.size !== before) lastChange = Date.now();
    else if (Date.now() - lastChange > idleMs) return expected.length - waiting.size;
    await sleep(100);
  }
}

const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : v < 10 ? v.toFixed(2) : v.toFixed(0));
const thousands = new Intl.NumberFormat('en-US');
const n = (v: number) => thousands.format(Math.round(v));

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function spread(values: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

export async function queueBench(
  settings: QueueBenchSettings,
  root: string,
  log: (line: string) => void,
): Promise<QueueBenchResult> {
  const { databaseUrl, emails, burst } = settings;
  log(`queue: preparing ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`);
  await freshDatabase(databaseUrl);
  const users = Math.max(emails, burst);
  await insertMailUsers(databaseUrl, users);

  const smtp = await startSmtpSink();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-bench-queue-'));
  const workers: ChildProcessHandle[] = [];
  const failures: string[] = [];
  try {
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: settings.redisUrl,
      SMTP_URL: smtp.url,
      PUBLIC_URL: `https://${MAIL_HOST}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
    };
    log(`queue: starting ${settings.workers} workers`);
    for (let i = 1; i <= settings.workers; i++) {
      workers.push(
        await startProcess({
          name: `worker-${i}`,
          cwd: root,
          script: 'src/composition/main.ts',
          args: ['worker'],
          nodeArgs: settings.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', settings.cpuProfDir] : [],
          // Each worker serves its health and metrics on a port of its own.
          env: { ...env, WORKER_PORT: String(await sparePort()) },
          ready: /Staylane worker running/,
        }),
      );
    }

    // (a) drain: every user's e-mail, due now, in one transaction.
    log(`queue: (a) enqueueing ${n(emails)} e-mails`);
    const enqueueStarted = Date.now();
    const drainExpected = await enqueueVerificationEmails(databaseUrl, emails);
    const enqueueMs = Date.now() - enqueueStarted;
    const drainArrived = await awaitArrivals(smtp.received, drainExpected);
    const drainTimes = drainExpected.flatMap((id) => smtp.received.at.get(id) ?? []).sort((a, b) => a - b);
    const drainSeconds = drainTimes.length > 1 ? (drainTimes.at(-1)! - drainTimes[0]!) / 1000 : Number.NaN;
    const perSecond = (drainTimes.length - 1) / drainSeconds;
    const totalSeconds = drainTimes.length > 0 ? (drainTimes.at(-1)! - enqueueStarted) / 1000 : Number.NaN;
    const distinctDrain = new Set(drainExpected.filter((id) => smtp.received.at.has(id))).size;
    if (distinctDrain !== emails) failures.push(`(a) ${n(distinctDrain)} of ${n(emails)} distinct Message-IDs arrived`);

    // (b) burst: `burst` e-mails all due at one whole second a few seconds ahead.
    const runAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + BURST_AHEAD_S * 1000);
    log(`queue: (b) ${n(burst)} e-mails due at ${runAt.toISOString()}`);
    const burstExpected = await enqueueVerificationEmails(databaseUrl, burst, runAt);
    const burstArrived = await awaitArrivals(smtp.received, burstExpected);
    if (burstArrived !== burst) failures.push(`(b) ${n(burstArrived)} of ${n(burst)} e-mails arrived`);
    const due = runAt.getTime();
    const delivered = spread(burstExpected.flatMap((id) => smtp.received.at.get(id) ?? []).map((t) => t - due));
    // The handler's delivery claim (mail_deliveries.created_at, the worker's clock) is the
    // first trace a run leaves: after the job's claim, the user lookup and the token insert.
    const claimed = await withClient(databaseUrl, (c) =>
      c.query<{ at: Date }>(`select created_at as at from mail_deliveries where message_id = any($1)`, [burstExpected]),
    );
    const started = spread(claimed.rows.map((r) => r.at.getTime() - due));
    const early = claimed.rows.filter((r) => r.at.getTime() < due).length;
    if (early > 0) failures.push(`(b) ${n(early)} e-mails started before their due time`);

    await sleep(1_000);
    const duplicates = [...smtp.received.arrivals.values()].filter((c) => c > 1).length;
    if (duplicates > 0) failures.push(`${n(duplicates)} Message-IDs arrived more than once`);
    const strays = smtp.received.total - drainArrived - burstArrived - duplicates;

    const report = [
      `### (g) Background e-mail (${settings.workers} \`staylane worker\` processes, PostgreSQL + Redis, local SMTP)`,
      '',
      `The real \`${SEND_VERIFICATION_EMAIL}\` job for ${n(users)} seeded users: claim, user lookup, token insert, ` +
        `delivery claim, nodemailer to an SMTP server in the benchmark process.`,
      '',
      table(
        ['run', 'e-mails', 'distinct Message-IDs', 'seconds (first → last received)', 'e-mails/s', 'target'],
        [
          [
            `(a) ${n(emails)} due at once`,
            n(drainArrived),
            n(distinctDrain),
            drainSeconds.toFixed(2),
            `**${n(perSecond)}**`,
            `≥ ${TARGET_RATE}/s: ${perSecond >= TARGET_RATE ? 'met' : '**missed**'}`,
          ],
        ],
      ),
      '',
      `Enqueued in one transaction in ${n(enqueueMs)} ms; enqueue start → last e-mail received ${totalSeconds.toFixed(2)} s. ` +
        `Duplicate arrivals: ${n(duplicates)}; messages with other ids: ${n(strays)}.`,
      '',
      table(
        ['(b) ' + n(burst) + ' e-mails due at one second', 'p50 ms', 'p99 ms', 'max ms', 'target'],
        [
          [
            'started (delivery claim − due)',
            ms(started.p50),
            ms(started.p99),
            ms(started.max),
            `≤ ${TARGET_LATENESS_MS} ms`,
          ],
          [
            'received by SMTP − due',
            ms(delivered.p50),
            ms(delivered.p99),
            `**${ms(delivered.max)}**`,
            `≤ ${TARGET_LATENESS_MS} ms: ${delivered.max <= TARGET_LATENESS_MS ? 'met' : '**missed**'}`,
          ],
        ],
      ),
      '',
      `Enqueued ${BURST_AHEAD_S} s ahead of the due second (within the relay's 5 s look-ahead, so they wait in ` +
        `BullMQ as delayed jobs). ${n(burstArrived)} of ${n(burst)} arrived.`,
      '',
    ];
    const failure = failures.length > 0 ? failures.join('; ') : undefined;
    if (failure) report.push(`**FAILED: ${failure}**`, '');
    return { markdown: report.join('\n'), failure };
  } finally {
    for (const w of workers.reverse()) await w.stop();
    await smtp.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
