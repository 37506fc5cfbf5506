import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../src/platform/db/client.js';
import { DEFAULT_MIGRATION_TIMEOUTS, MigrationError } from '../src/platform/db/migrator.js';
import { withDatabase } from '#test/global-setup.js';
import { migrateUpTo } from '#test/migrations.js';

/**
 * The newest migrations applied by the real migrator (`Database.migrate()`, as `staylane
 * migrate` runs it) to a PostgreSQL database in use: migrated up to the one before them by
 * drizzle's migrator (as every deployment was), seeded with mail deliveries, then written to
 * by writers that behave like the release still serving — claims inserted, claims marked
 * sent — while the migrations run. Twice: first while a long transaction holds a lock the
 * migration needs (the migration must give up after its lock timeout rather than queue the
 * writes behind it for as long as that transaction lasts), then normally.
 *
 * Each write is timed; the longest is the write stall the migration caused. No write may be
 * lost: every one either succeeded and is in the table, or failed with an error a client
 * retries.
 */
const databaseUrl = process.env.TEST_DATABASE_URL;

const LAST_BEFORE = '0020_account_privacy_indexes';
const SEEDED = 500_000;
const WRITERS = 4;
const LOCK_TIMEOUT_MS = 5_000; // DEFAULT_MIGRATION_TIMEOUTS.lock, checked below
/** Errors a client retries: serialization failure, deadlock, lock timeout, cancelled statement. */
const RETRYABLE = new Set(['40001', '40P01', '55P03', '57014']);

type Phase = 'before' | 'blocked' | 'migrating' | 'after';

interface Outcome {
  phase: Phase;
  ms: number;
  error?: string;
}

describe.skipIf(!databaseUrl)('migrating a live database (PostgreSQL only: set TEST_DATABASE_URL)', () => {
  let url: string;
  let database: Database;
  const clients: pg.Client[] = [];

  const connect = async () => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    const name = `${inject('runId')}_live_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await admin.query(`create database "${name}"`);
    } finally {
      await admin.end();
    }
    url = withDatabase(databaseUrl!, name);
    database = await openDatabase({ kind: 'postgres', url });
    await migrateUpTo(database, LAST_BEFORE);
    const seed = await connect();
    // One in ten still `sending`: the rows the new partial index holds.
    await seed.query(
      `insert into mail_deliveries (dedupe_key, recipient, subject, state, message_id, created_at, sent_at)
       select 'seed:' || g, 'guest' || (g % 5000) || '@example.com', 'Your booking',
              case when g % 10 = 0 then 'sending' else 'sent' end, '<' || g || '@staylane.test>',
              now() - g * interval '1 minute', case when g % 10 = 0 then null else now() end
         from generate_series(1, $1::int) g`,
      [SEEDED],
    );
    await seed.query('analyze mail_deliveries');
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => undefined);
    await database?.close();
  });

  it('keeps every write, and stalls writes no longer than the lock timeout', async () => {
    expect(DEFAULT_MIGRATION_TIMEOUTS.lock).toBe(`${LOCK_TIMEOUT_MS / 1000}s`);
    let phase: Phase = 'before';
    let stop = false;
    const outcomes: Outcome[] = [];
    const inserted: string[] = [];
    const sent: string[] = [];

    // The serving release's writes: a new claim, or a seeded `sending` claim marked sent.
    const writer = async (w: number) => {
      const client = await connect();
      for (let i = 0; !stop; i++) {
        const started = performance.now();
        const at = phase;
        try {
          if (i % 2 === 0) {
            const key = `live:${w}:${i}`;
            await client.query(
              `insert into mail_deliveries (dedupe_key, recipient, subject, state, message_id)
               values ($1, 'guest@example.com', 'Live', 'sending', $2)`,
              [key, `<${key}@staylane.test>`],
            );
            inserted.push(key);
          } else {
            const key = `seed:${10 * (1 + w + WRITERS * ((i - 1) / 2))}`;
            const r = await client.query(
              `update mail_deliveries set state = 'sent', sent_at = now() where dedupe_key = $1 and state = 'sending'`,
              [key],
            );
            expect(r.rowCount).toBe(1);
            sent.push(key);
          }
          outcomes.push({ phase: at, ms: performance.now() - started });
        } catch (e) {
          outcomes.push({
            phase: at,
            ms: performance.now() - started,
            error: (e as { code?: string }).code ?? String(e),
          });
        }
        await sleep(5);
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await sleep(300);

    // 1. A long transaction (a report, a stuck session) holds a lock the migration needs.
    phase = 'blocked';
    const report = await connect();
    await report.query('begin');
    await report.query(`select count(*) from mail_deliveries where state = 'sending'`);
    let started = performance.now();
    const failed = await database.migrate().catch((e: unknown) => e);
    const gaveUpAfter = performance.now() - started;
    expect(failed).toBeInstanceOf(MigrationError);
    expect(failed).toMatchObject({ tag: '0021_security_and_mail_claims', cause: { code: '55P03' } });
    // Nothing of it applied: it and every later migration are still pending.
    expect((await database.pendingMigrations()).slice(0, 2)).toEqual([
      '0021_security_and_mail_claims',
      '0022_mail_sending_index',
    ]);
    await report.query('commit');

    // 2. The migration Job runs again.
    phase = 'migrating';
    started = performance.now();
    await database.migrate();
    const tookMs = performance.now() - started;
    phase = 'after';
    await sleep(300);
    stop = true;
    await Promise.all(writers);

    expect(await database.pendingMigrations()).toEqual([]);
    const longest = (p: Phase) => Math.max(0, ...outcomes.filter((o) => o.phase === p).map((o) => o.ms));
    const stalls = { blocked: longest('blocked'), migrating: longest('migrating') };
    console.log(
      `live migration: ${outcomes.length} writes (${inserted.length} inserts, ${sent.length} updates) on ` +
        `${SEEDED.toLocaleString('en')} mail_deliveries rows; blocked attempt gave up after ${gaveUpAfter.toFixed(0)} ms, ` +
        `longest write stall meanwhile ${stalls.blocked.toFixed(0)} ms; the run applied 0021 onwards in ${tookMs.toFixed(0)} ms, ` +
        `longest write stall meanwhile ${stalls.migrating.toFixed(0)} ms`,
    );

    // No write lost: each failure is retryable, each success is in the table.
    expect(outcomes.filter((o) => o.error && !RETRYABLE.has(o.error))).toEqual([]);
    expect(outcomes.filter((o) => o.phase === 'migrating').length).toBeGreaterThan(0);
    const check = await connect();
    const found = await check.query<{ n: number }>(
      'select count(*)::int as n from mail_deliveries where dedupe_key = any($1)',
      [inserted],
    );
    expect(found.rows[0]!.n).toBe(inserted.length);
    const marked = await check.query<{ n: number }>(
      `select count(*)::int as n from mail_deliveries where dedupe_key = any($1) and state = 'sent'`,
      [sent],
    );
    expect(marked.rows[0]!.n).toBe(sent.length);

    // The writes queued behind the waiting migration until its lock timeout ended the wait
    // (so this test does see a stall), and never longer: the timeout plus 2 s for a busy
    // two-core machine. When the migration runs, its only lock that blocks writes is 0021's
    // ALTER TABLE, held for the milliseconds its transaction lasts; the index is built
    // CONCURRENTLY. 1 s is that with the same allowance for the machine.
    expect(stalls.blocked).toBeGreaterThan(LOCK_TIMEOUT_MS * 0.8);
    expect(stalls.blocked).toBeLessThan(LOCK_TIMEOUT_MS + 2_000);
    expect(stalls.migrating).toBeLessThan(1_000);

    // The index built while rows changed holds exactly the rows still sending.
    const index = await check.query<{ indisvalid: boolean }>(
      `select indisvalid from pg_index where indexrelid = 'mail_deliveries_sending_idx'::regclass`,
    );
    expect(index.rows).toEqual([{ indisvalid: true }]);
    const count = `select count(*)::int as n from mail_deliveries where state = 'sending'`;
    await check.query('set enable_seqscan = off');
    const plan = await check.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${count}`);
    expect(JSON.stringify(plan.rows)).toContain('mail_deliveries_sending_idx');
    const viaIndex = (await check.query<{ n: number }>(count)).rows[0]!.n;
    await check.query('reset enable_seqscan; set enable_indexscan = off; set enable_bitmapscan = off');
    const viaTable = (await check.query<{ n: number }>(count)).rows[0]!.n;
    expect(viaIndex).toBe(viaTable);
    expect(viaTable).toBe(SEEDED / 10 - sent.length + inserted.length);
  }, 120_000);
});
