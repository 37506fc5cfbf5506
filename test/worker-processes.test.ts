import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { inArray, like, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/platform/db/client.js';
import { MODULES } from '../src/modules/index.js';
import { jobs } from '../src/platform/jobs/index.js';
import { mailDeliveries } from '../src/platform/mail/deliveries.table.js';
import { messageIdFor } from '../src/platform/mail/index.js';
import { startSmtpFake, type SmtpFake } from '#test/fakes/smtp-fake.js';
import { createTestDatabaseUrl, rowsOf, testEnv } from '#test/helpers.js';

/**
 * `staylane worker` as it runs in production: separate processes on a real PostgreSQL and
 * Redis, sending through a real SMTP server. Each worker also runs a scheduler.
 */
const redisUrl = process.env.TEST_REDIS_URL;
const databaseUrl = process.env.TEST_DATABASE_URL;

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'staylane.js');
const METRICS_TOKEN = 'worker-metrics-token-0123456789';
const VERIFY = 'users.send-verification-email';
// A worker's handlers at once, and its SMTP connections (as many, so no claimed message waits for one).
const CONCURRENCY = 16;
const PUBLIC_HOST = 'staylane.test';

interface Worker {
  child: ChildProcess;
  port: number;
  output: () => string;
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!redisUrl || !databaseUrl)('staylane worker processes on PostgreSQL and Redis', () => {
  let url: string;
  let database: Database;
  let redis: Redis;
  let smtp: SmtpFake;
  // Every key of these workers' queue is under this prefix: wiping it is FLUSHALL for them
  // without touching the other tests sharing the Redis server.
  const redisPrefix = `test:${randomUUID()}:`;
  const workers: Worker[] = [];

  function startWorker(): Promise<Worker> {
    const child = spawn(process.execPath, [cli, 'worker'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        ...testEnv({
          NODE_ENV: 'production',
          LOG_LEVEL: 'info',
          DATABASE_URL: url,
          REDIS_URL: redisUrl!,
          REDIS_KEY_PREFIX: redisPrefix,
          SMTP_URL: smtp.url,
          PUBLIC_URL: `https://${PUBLIC_HOST}`,
          HOST: '127.0.0.1',
          WORKER_PORT: '0',
          METRICS_TOKEN,
          // Seconds, not minutes: a killed worker's jobs and a wiped queue's rows come back quickly.
          JOB_LEASE_SECONDS: '2',
          JOB_REQUEUE_AFTER_SECONDS: '2',
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise<Worker>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start: ${out}`)), 45_000);
      const onData = () => {
        const line = out.split('\n').find((l) => l.includes('Staylane worker running'));
        if (!line) return;
        clearTimeout(timer);
        child.stdout.off('data', onData);
        const worker = { child, port: (JSON.parse(line) as { port: number }).port, output: () => out };
        workers.push(worker);
        resolve(worker);
      };
      child.stdout.on('data', onData);
      child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${out}`)));
    });
  }

  /** N users and one verification e-mail job each, due now; returns the jobs' ids. */
  async function enqueueVerificationEmails(n: number): Promise<string[]> {
    const tag = randomUUID().slice(0, 8);
    const users = await rowsOf<{ id: string }>(
      database.db,
      sql`insert into users (email, password_hash, first_name, last_name)
          select 'w' || g || '-' || ${tag} || '@example.com', 'not-a-hash', 'Worker', 'Test'
          from generate_series(1, ${n}) g returning id`,
    );
    const rows = await database.db
      .insert(jobs)
      .values(users.map((u) => ({ kind: VERIFY, payload: { userId: u.id } })))
      .returning({ id: jobs.id });
    return rows.map((r) => r.id);
  }

  async function allDone(ids: string[], timeoutMs: number): Promise<void> {
    await until(
      `${ids.length} jobs done`,
      async () => {
        const rows = await database.db.select({ state: jobs.state }).from(jobs).where(inArray(jobs.id, ids));
        return rows.length === ids.length && rows.every((r) => r.state === 'done');
      },
      timeoutMs,
    );
  }

  const messageIds = (ids: string[]) => new Set(ids.map((id) => messageIdFor(`verify-email:${id}`, PUBLIC_HOST)));

  const scrape = (w: Worker, pathname: string, authorization?: string) =>
    fetch(`http://127.0.0.1:${w.port}${pathname}`, { headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    url = await createTestDatabaseUrl();
    database = await openDatabase({ kind: 'postgres', url });
    redis = new Redis(redisUrl!);
    smtp = await startSmtpFake();
    await Promise.all([startWorker(), startWorker()]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(
      workers.map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }),
    );
    await wipeQueue();
    redis?.disconnect();
    await smtp?.close();
    await database?.close();
  });

  /** FLUSHALL as these workers see it: every key under their prefix deleted. */
  async function wipeQueue(): Promise<number> {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  it('two workers send 200 e-mails exactly once each, and each cron tick runs once', async () => {
    const ids = await enqueueVerificationEmails(200);
    await allDone(ids, 45_000);

    const wanted = messageIds(ids);
    const got = smtp.received.map((m) => m.headers['message-id']).filter((id) => id && wanted.has(id));
    expect(got).toHaveLength(200);
    expect(new Set(got).size).toBe(200);
    const deliveries = await database.db
      .select({ state: mailDeliveries.state })
      .from(mailDeliveries)
      .where(like(mailDeliveries.dedupeKey, 'verify-email:%'));
    expect(deliveries).toHaveLength(200);
    expect(deliveries.every((d) => d.state === 'sent')).toBe(true);

    // Both schedulers wrote every schedule's latest tick: one row per key, each run once.
    await until('cron ticks done', async () => {
      const rows = await database.db.select({ state: jobs.state }).from(jobs).where(like(jobs.dedupeKey, 'cron:%'));
      return rows.every((r) => r.state === 'done');
    });
    const ticks = await rowsOf<{ key: string; rows: number; state: string; attempts: number }>(
      database.db,
      sql`select dedupe_key as key, count(*)::int as rows, min(state) as state, max(attempts) as attempts
          from jobs where dedupe_key like 'cron:%' group by dedupe_key`,
    );
    const scheduled = new Set(ticks.map((t) => t.key.split(':')[1]));
    for (const name of [...MODULES.flatMap((m) => m.schedules ?? []).map((s) => s.name), 'jobs.purge-finished']) {
      expect(scheduled).toContain(name);
    }
    for (const tick of ticks) {
      expect(tick.rows).toBe(1);
      // A tick written since the wait above may not have run yet.
      if (tick.state === 'done') expect(tick.attempts).toBe(1);
    }
  }, 60_000);

  it('serves health, readiness and token-protected metrics with the job counts on WORKER_PORT', async () => {
    for (const w of workers) {
      expect((await scrape(w, '/healthz')).status).toBe(200);
      const ready = await scrape(w, '/readyz');
      expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
      const refused = await scrape(w, '/metrics');
      expect(refused.status).toBe(401);
      expect((await scrape(w, '/metrics', `Bearer ${METRICS_TOKEN}x`)).status).toBe(401);
      expect((await scrape(w, '/nothing-here')).status).toBe(404);
    }
    const texts = await Promise.all(
      workers.map(async (w) => (await scrape(w, '/metrics', `Bearer ${METRICS_TOKEN}`)).text()),
    );
    let runs = 0;
    for (const text of texts) {
      const done = new RegExp(`^job_runs_total\\{kind="${VERIFY}",outcome="done"\\} (\\d+)$`, 'm').exec(text);
      // Both workers took part.
      expect(Number(done?.[1])).toBeGreaterThan(0);
      runs += Number(done![1]);
      expect(text).toMatch(new RegExp(`^job_run_duration_seconds_count\\{kind="${VERIFY}"\\} [1-9]`, 'm'));
      expect(text).toMatch(new RegExp(`^job_lateness_seconds_count\\{kind="${VERIFY}"\\} [1-9]`, 'm'));
      expect(text).toMatch(new RegExp(`^outbox_jobs\\{kind="${VERIFY}",state="done"\\} 200$`, 'm'));
    }
    // A run whose lease ran out may have been repeated (its e-mail was not): 200 at least.
    expect(runs).toBeGreaterThanOrEqual(200);
  });

  it('loses and duplicates nothing when a worker is killed mid-batch and Redis is wiped', async () => {
    // Both workers busy to the brim: every handler has handed its message over and waits for
    // the server's answer, so the kill lands in the middle of sends, never between two steps
    // of a message's transfer.
    smtp.hold();
    const ids = await enqueueVerificationEmails(60);
    await until('both workers sending at full concurrency', () => smtp.held === 2 * CONCURRENCY, 30_000);
    const [victim] = workers;
    const killed = new Promise((r) => victim!.child.once('exit', r));
    victim!.child.kill('SIGKILL');
    await killed;
    expect(await wipeQueue()).toBeGreaterThan(0);
    smtp.release();

    // The survivor finishes: the victim's leases run out and the wiped queue's rows come
    // back from PostgreSQL after JOB_REQUEUE_AFTER_SECONDS.
    await allDone(ids, 45_000);

    const wanted = messageIds(ids);
    const got = smtp.received.map((m) => m.headers['message-id']).filter((id) => id && wanted.has(id));
    expect(new Set(got).size).toBe(60);
    expect(got).toHaveLength(60);
    const deliveries = await database.db
      .select({ key: mailDeliveries.dedupeKey, state: mailDeliveries.state })
      .from(mailDeliveries)
      .where(
        inArray(
          mailDeliveries.dedupeKey,
          ids.map((id) => `verify-email:${id}`),
        ),
      );
    expect(deliveries).toHaveLength(60);
    // The victim's sends reached the server but were never recorded as sent: their keys
    // stay claimed, so the reruns of those jobs sent nothing again.
    expect(deliveries.filter((d) => d.state === 'sending')).toHaveLength(CONCURRENCY);
    expect(deliveries.filter((d) => d.state === 'sent')).toHaveLength(60 - CONCURRENCY);
  }, 60_000);
});
