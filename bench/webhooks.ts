import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../src/composition/config.js';
import { createContainer } from '../src/composition/container.js';
import { withTransaction } from '../src/platform/db/transaction.js';
import { sparePort } from '../test/kit/instances.js';
import { startProcess, type ChildProcessHandle } from './child-servers.js';
import { freshDatabase } from './db.js';

/**
 * `npm run bench -- --only webhooks`: partner webhook deliveries on PostgreSQL + Redis with
 * two real `staylane worker` processes and 10 local receiving endpoints (an admin's, taking
 * every event), each verifying every delivery with the standardwebhooks library.
 *  (a) throughput: N events written (one transaction each, 8 writers at once, numbered by the
 *      writer's sequencer after commit) until each of the 10 endpoints has received all N,
 *      each once and in seq order. Target: ≥ 500 events/s end to end (5,000 deliveries/s).
 *  (b) an endpoint down then back: endpoint 0 answers 503 for DOWN seconds while M events are
 *      written, then recovers; it must receive all M once each, in order. The hour of the
 *      target is shortened to BENCH_WEBHOOKS_DOWN_S (20 s) and the workers cap the back-off
 *      at WEBHOOK_MAX_BACKOFF_SECONDS=5 (its default is 10 h): the mechanism is the same.
 * Env: BENCH_WEBHOOKS_DATABASE_URL (postgres://postgres@127.0.0.1:5432/staylane_bench_webhooks),
 * BENCH_WEBHOOKS_REDIS_URL (redis://127.0.0.1:6379/10), BENCH_WEBHOOKS_EVENTS (20000),
 * BENCH_WEBHOOKS_DOWN_EVENTS (2000), BENCH_WEBHOOKS_DOWN_S (20).
 */

const ENDPOINTS = 10;
const WRITERS = 8;
const TARGET_RATE = 500;

interface Receiver {
  url: string;
  seqs: number[];
  ids: Set<string>;
  bad: number;
  down: boolean;
  server: http.Server;
}

async function startReceiver(secret: () => string): Promise<Receiver> {
  let verifier: { secret: string; wh: Webhook } | undefined;
  const receiver: Receiver = { url: '', seqs: [], ids: new Set(), bad: 0, down: false, server: undefined as never };
  receiver.server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (receiver.down) return void res.writeHead(503).end();
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        if (!verifier || verifier.secret !== secret()) verifier = { secret: secret(), wh: new Webhook(secret()) };
        const event = verifier.wh.verify(body, req.headers as Record<string, string>) as {
          seq: number;
          id: string;
        };
        receiver.seqs.push(event.seq);
        receiver.ids.add(event.id);
      } catch {
        receiver.bad++;
      }
      res.writeHead(204).end();
    });
  });
  receiver.server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
  return receiver;
}

/** How many of `seqs` after `from` arrived, and whether they came once each in increasing order. */
function check(r: Receiver, from: number) {
  const got = r.seqs.filter((s) => s > from);
  let ordered = true;
  for (let i = 1; i < got.length; i++) if (got[i]! <= got[i - 1]!) ordered = false;
  return { count: got.length, distinct: new Set(got).size, ordered };
}

export interface WebhooksBenchResult {
  markdown: string;
  failure?: string;
}

export async function webhooksBench(
  env: NodeJS.ProcessEnv,
  root: string,
  log: (line: string) => void,
): Promise<WebhooksBenchResult> {
  const databaseUrl = env.BENCH_WEBHOOKS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/staylane_bench_webhooks';
  const redisUrl = env.BENCH_WEBHOOKS_REDIS_URL ?? 'redis://127.0.0.1:6379/10';
  const events = Number(env.BENCH_WEBHOOKS_EVENTS ?? 20_000);
  const downEvents = Number(env.BENCH_WEBHOOKS_DOWN_EVENTS ?? 2_000);
  const downSeconds = Number(env.BENCH_WEBHOOKS_DOWN_S ?? 20);
  log(`webhooks: fresh database ${new URL(databaseUrl).pathname.slice(1)}`);
  await freshDatabase(databaseUrl);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-bench-webhooks-'));
  const jwtSecret = randomBytes(32).toString('hex');
  const common = {
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `bench-webhooks-${Date.now()}:`,
    JWT_SECRET: jwtSecret,
    DATA_DIR: dataDir,
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_MAX_BACKOFF_SECONDS: '5',
    HOST: '127.0.0.1',
  };
  const container = await createContainer(loadConfig({ ...common, LOG_LEVEL: 'silent' }));
  const webhooks = container.services.webhooks;
  const secrets: string[] = [];
  const receivers: Receiver[] = [];
  const workers: ChildProcessHandle[] = [];
  const rows: string[] = [];
  const failures: string[] = [];
  try {
    const admin = await container.services.users.createAdmin({
      email: `bench-admin-${Date.now()}@example.com`,
      password: 'Bench-password-9x!',
    });
    const ctx = { actor: { id: admin!.id, role: 'admin' as const } };
    for (let i = 0; i < ENDPOINTS; i++) {
      const receiver = await startReceiver(() => secrets[i]!);
      const { secret } = await webhooks.createWebhook({ url: receiver.url, events: ['booking.created'] }, ctx);
      secrets.push(secret);
      receivers.push(receiver);
    }
    log('webhooks: starting 2 workers');
    for (let i = 1; i <= 2; i++) {
      workers.push(
        await startProcess({
          name: `worker-${i}`,
          cwd: root,
          script: 'src/composition/main.ts',
          args: ['worker'],
          env: { ...common, LOG_LEVEL: 'info', WORKER_PORT: String(await sparePort()) },
          ready: /Staylane worker running/,
        }),
      );
    }
    const db = container.database.db;
    const write = async (count: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          while (next < count) {
            const i = next++;
            await withTransaction(db, (tx) =>
              webhooks.record(tx, { type: 'booking.created', data: { i }, hostIds: [] }),
            );
          }
        }),
      );
    };
    const waitFor = async (done: () => boolean, limitMs: number) => {
      const deadline = Date.now() + limitMs;
      while (!done() && Date.now() < deadline) await sleep(50);
      return done();
    };

    // (a) throughput.
    log(`webhooks: (a) writing ${events} events`);
    const t0 = performance.now();
    await write(events);
    const written = performance.now() - t0;
    const all = await waitFor(() => receivers.every((r) => r.seqs.length >= events), 300_000);
    const elapsed = performance.now() - t0;
    const rate = events / (elapsed / 1000);
    const results = receivers.map((r) => check(r, 0));
    const exact = results.every((c) => c.count === events && c.distinct === events && c.ordered);
    const bad = receivers.reduce((n, r) => n + r.bad, 0);
    rows.push(
      `| (a) ${events.toLocaleString('en')} events → ${ENDPOINTS} endpoints | written in ${(written / 1000).toFixed(1)} s, all delivered in ${(elapsed / 1000).toFixed(1)} s | **${rate.toFixed(0)} events/s** (${(rate * ENDPOINTS).toFixed(0)} deliveries/s) | ${exact ? 'every endpoint: all, once each, in order' : 'MISMATCH'}; ${bad} signatures refused |`,
    );
    log(`webhooks: (a) ${rate.toFixed(0)} events/s end to end; exact=${exact}`);
    if (!all || !exact) failures.push(`(a) endpoints got ${results.map((c) => c.count).join(', ')} of ${events}`);
    if (rate < TARGET_RATE) failures.push(`(a) ${rate.toFixed(0)} events/s, target ${TARGET_RATE}`);
    if (bad > 0) failures.push(`(a) ${bad} signatures refused`);

    // (b) endpoint 0 down, then back.
    const top = Math.max(...receivers[0]!.seqs);
    receivers[0]!.down = true;
    log(`webhooks: (b) endpoint 0 down for ${downSeconds} s, writing ${downEvents} events`);
    const downAt = performance.now();
    await write(downEvents);
    const others = await waitFor(() => receivers.slice(1).every((r) => check(r, top).count >= downEvents), 120_000);
    await sleep(Math.max(0, downSeconds * 1000 - (performance.now() - downAt)));
    receivers[0]!.down = false;
    const backAt = performance.now();
    const caughtUp = await waitFor(() => check(receivers[0]!, top).count >= downEvents, 120_000);
    const recovery = performance.now() - backAt;
    await sleep(2_000); // any duplicate would arrive meanwhile
    const back = check(receivers[0]!, top);
    const once = back.count === downEvents && back.distinct === downEvents && back.ordered;
    rows.push(
      `| (b) endpoint down ${downSeconds} s (503) while ${downEvents.toLocaleString('en')} events are written, then back | caught up ${(recovery / 1000).toFixed(1)} s after coming back | ${back.count} received, ${back.distinct} distinct | ${once ? 'all, once each, in order' : 'MISMATCH'}; the other 9 unaffected: ${others ? 'yes' : 'NO'} |`,
    );
    log(`webhooks: (b) caught up in ${(recovery / 1000).toFixed(1)} s; once in order=${once}`);
    if (!caughtUp || !once)
      failures.push(`(b) endpoint 0 got ${back.count} (${back.distinct} distinct) of ${downEvents}`);
  } finally {
    for (const w of workers.reverse()) await w.stop();
    await container.close();
    for (const r of receivers) {
      r.server.closeAllConnections();
      r.server.close();
    }
    await rm(dataDir, { recursive: true, force: true });
  }
  const markdown = [
    '### Webhook deliveries (2 `staylane worker` processes, PostgreSQL + Redis, 10 local endpoints)',
    '',
    '| run | time | figure | check |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
  return failures.length > 0 ? { markdown, failure: failures.join('; ') } : { markdown };
}
