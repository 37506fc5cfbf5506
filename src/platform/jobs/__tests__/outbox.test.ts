import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, usingPostgres } from '#test/helpers.js';
import { systemClock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import { withTransaction } from '../../db/transaction.js';
import {
  claimDueJobs,
  claimJobsByIds,
  createJobRegistry,
  createJobRunner,
  createScheduler,
  defaultBackoffMs,
  defineJob,
  enqueue,
  getJob,
  jobs,
  markJobDone,
  markJobsDone,
  purgeFinishedJobs,
  type JobDefinition,
} from '../index.js';

let database: Database;
const T0 = new Date('2030-03-01T10:00:30.000Z');
const clock = { current: T0, now: () => clock.current };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db.delete(jobs);
  clock.current = T0;
});

const at = (ms: number) => new Date(T0.getTime() + ms);

function recorder(kind = 'test.record') {
  const seen: string[] = [];
  const job = defineJob({
    kind,
    schema: z.object({ n: z.number().int() }),
    handle: async (payload, ctx) => {
      seen.push(`${payload.n}:${ctx.attempt}`);
    },
  });
  return { seen, job };
}

const runnerFor = (defs: JobDefinition[], extra: Partial<Parameters<typeof createJobRunner>[0]> = {}) =>
  createJobRunner({ db: database.db, registry: createJobRegistry(defs), clock, ...extra });

describe('enqueue', () => {
  it('writes nothing when the transaction rolls back', async () => {
    await expect(
      withTransaction(database.db, async (tx) => {
        await enqueue(tx, { kind: 'test.record', payload: { n: 1 }, runAt: T0 });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await database.db.select().from(jobs)).toHaveLength(0);
  });

  it('runs a committed job once', async () => {
    const { seen, job } = recorder();
    const id = await withTransaction(database.db, (tx) =>
      enqueue(tx, { kind: job.kind, payload: { n: 7 }, runAt: T0 }),
    );
    const runner = runnerFor([job]);
    expect(await runner.drainDue(at(1_000))).toEqual({ done: 1, retried: 0, dead: 0 });
    expect(await runner.drainDue(at(60_000))).toEqual({ done: 0, retried: 0, dead: 0 });
    expect(seen).toEqual(['7:1']);
    const row = await getJob(database.db, id!);
    expect(row).toMatchObject({ state: 'done', attempts: 1, lockedUntil: null, lastError: null });
    expect(row?.finishedAt).toBeInstanceOf(Date);
  });

  it('does not run a job before it is due', async () => {
    const { seen, job } = recorder();
    await enqueue(database.db, { kind: job.kind, payload: { n: 1 }, runAt: at(60_000) });
    const runner = runnerFor([job]);
    await runner.drainDue(at(59_999));
    expect(seen).toEqual([]);
    await runner.drainDue(at(60_000));
    expect(seen).toEqual(['1:1']);
  });

  it('keeps one row per de-duplication key', async () => {
    const first = await enqueue(database.db, { kind: 'test.record', payload: { n: 1 }, key: 'k:1' });
    const second = await enqueue(database.db, { kind: 'test.record', payload: { n: 2 }, key: 'k:1' });
    expect(first).toBeTypeOf('string');
    expect(second).toBeUndefined();
    const rows = await database.db.select().from(jobs);
    expect(rows.map((r) => r.payload)).toEqual([{ n: 1 }]);
  });

  it('checks the kind and the payload when given a registry', async () => {
    const registry = createJobRegistry([recorder().job]);
    await expect(enqueue(database.db, { kind: 'test.record', payload: { n: 'x' } }, { registry })).rejects.toThrow(
      /invalid payload for "test.record": n:/,
    );
    await expect(enqueue(database.db, { kind: 'nope', payload: {} }, { registry })).rejects.toThrow(/unknown job kind/);
    expect(await database.db.select().from(jobs)).toHaveLength(0);
  });

  it('refuses two definitions of one kind', () => {
    expect(() => createJobRegistry([recorder().job, recorder().job])).toThrow(/Two job definitions/);
  });
});

describe('the runner', () => {
  it('retries a failing job with exponential back-off, then parks it as dead with its error', async () => {
    let calls = 0;
    const failing = defineJob({
      kind: 'test.fail',
      schema: z.object({}),
      handle: async () => {
        calls++;
        throw new Error('provider said no');
      },
    });
    const id = (await enqueue(database.db, { kind: 'test.fail', payload: {}, runAt: T0 }))!;
    const runner = runnerFor([failing]);
    let now = T0;
    for (let attempt = 1; attempt <= 4; attempt++) {
      clock.current = now;
      expect(await runner.drainDue(now)).toEqual({ done: 0, retried: 1, dead: 0 });
      const row = (await getJob(database.db, id))!;
      expect(row).toMatchObject({ state: 'pending', attempts: attempt, lastError: 'Error: provider said no' });
      const delay = defaultBackoffMs(attempt);
      expect(delay).toBe(5_000 * 2 ** (attempt - 1));
      expect(row.runAt.getTime()).toBe(now.getTime() + delay);
      // Not a moment before its back-off has passed.
      expect(await runner.drainDue(new Date(row.runAt.getTime() - 1))).toEqual({ done: 0, retried: 0, dead: 0 });
      now = row.runAt;
    }
    clock.current = now;
    expect(await runner.drainDue(now)).toEqual({ done: 0, retried: 0, dead: 1 });
    expect(calls).toBe(5);
    const dead = (await getJob(database.db, id))!;
    expect(dead).toMatchObject({ state: 'dead', attempts: 5, lastError: 'Error: provider said no', lockedUntil: null });
    expect(dead.finishedAt).toEqual(now);
    expect(await runner.drainDue(at(86_400_000))).toEqual({ done: 0, retried: 0, dead: 0 });
    expect(calls).toBe(5);
  });

  it('parks a job of an unknown kind as dead with a clear error', async () => {
    const id = (await enqueue(database.db, { kind: 'test.gone', payload: {}, runAt: T0 }))!;
    expect(await runnerFor([]).drainDue(T0)).toEqual({ done: 0, retried: 0, dead: 1 });
    expect(await getJob(database.db, id)).toMatchObject({
      state: 'dead',
      lastError: 'unknown job kind "test.gone" (no definition registered)',
    });
  });

  it('stores no SQL or parameters of a failed query', async () => {
    const bad = defineJob({
      kind: 'test.sql',
      schema: z.object({}),
      handle: () => database.db.execute(sql`select * from no_such_table where secret = ${'hunter2'}`),
    });
    const id = (await enqueue(database.db, { kind: 'test.sql', payload: {}, runAt: T0 }))!;
    await runnerFor([bad]).drainDue(T0);
    const row = (await getJob(database.db, id))!;
    expect(row.lastError).toMatch(/database statement failed/);
    expect(row.lastError).not.toMatch(/hunter2|no_such_table/);
  });

  it('runs each job exactly once with two runners draining at the same time', async () => {
    const counts = new Map<number, number>();
    const slow = defineJob({
      kind: 'test.count',
      schema: z.object({ n: z.number() }),
      handle: async ({ n }) => {
        counts.set(n, (counts.get(n) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 2));
      },
    });
    const total = 60;
    await database.db
      .insert(jobs)
      .values(Array.from({ length: total }, (_, n) => ({ kind: 'test.count', payload: { n }, runAt: T0 })));
    const [a, b] = await Promise.all([runnerFor([slow]).drainDue(at(1)), runnerFor([slow]).drainDue(at(1))]);
    expect(a.done + b.done).toBe(total);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    expect(counts.size).toBe(total);
    if (usingPostgres) expect(Math.min(a.done, b.done)).toBeGreaterThan(0);
    const states = await database.db.select({ state: jobs.state }).from(jobs);
    expect(states.every((s) => s.state === 'done')).toBe(true);
  });

  it('runs a job again once the lease of a crashed claim has passed', async () => {
    const { seen, job } = recorder();
    const id = (await enqueue(database.db, { kind: job.kind, payload: { n: 3 }, runAt: T0 }))!;
    const leaseMs = 60_000;
    // A runner claims the row and dies before running it.
    expect(await claimDueJobs(database.db, T0, 10, leaseMs)).toHaveLength(1);
    const runner = runnerFor([job], { leaseMs });
    await runner.drainDue(at(leaseMs - 1));
    expect(seen).toEqual([]);
    clock.current = at(leaseMs);
    await runner.drainDue(at(leaseMs));
    expect(seen).toEqual(['3:2']);
    expect(await getJob(database.db, id)).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('records an outcome the database refused once (a restart as the handler ended) instead of leaving the row claimed', async () => {
    const { seen, job } = recorder();
    const id = (await enqueue(database.db, { kind: job.kind, payload: { n: 4 }, runAt: T0 }))!;
    let refused = 0;
    // The done-marking statement fails the first time, as a connection cut by a restart does.
    const flaky = new Proxy(database.db, {
      get(target, key, receiver) {
        if (key === 'execute' && refused === 0)
          return () => {
            refused++;
            return Promise.reject(new Error('Connection terminated unexpectedly'));
          };
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const runner = createJobRunner({ db: flaky, registry: createJobRegistry([job]), clock, leaseMs: 60_000 });
    expect(await runner.drainDue(T0)).toEqual({ done: 1, retried: 0, dead: 0 });
    expect(refused).toBe(1);
    expect(seen).toEqual(['4:1']);
    expect(await getJob(database.db, id)).toMatchObject({ state: 'done', attempts: 1, lockedUntil: null });
  });

  it('cannot finish a row whose lease another runner has taken over', async () => {
    const { job } = recorder();
    await enqueue(database.db, { kind: job.kind, payload: { n: 1 }, runAt: T0 });
    const [stale] = await claimDueJobs(database.db, T0, 1, 1_000);
    const [fresh] = await claimDueJobs(database.db, at(1_000), 1, 1_000);
    expect(fresh?.id).toBe(stale?.id);
    expect(await markJobDone(database.db, stale!, at(1_500))).toBe(false);
    expect(await markJobDone(database.db, fresh!, at(1_500))).toBe(true);
  });

  it('stops after the running handlers have finished', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let finished = false;
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const waiting = defineJob({
      kind: 'test.wait',
      schema: z.object({}),
      handle: async () => {
        markStarted();
        await gate;
        finished = true;
      },
    });
    const id = (await enqueue(database.db, { kind: 'test.wait', payload: {}, runAt: T0 }))!;
    const runner = runnerFor([waiting], { pollMs: 20 });
    runner.start();
    await started;
    const stopped = runner.stop(5_000);
    setTimeout(release, 30);
    await stopped;
    expect(finished).toBe(true);
    expect(await getJob(database.db, id)).toMatchObject({ state: 'done' });
  });
});

describe('lease renewal', () => {
  // Each step moves the clock most of a lease ahead, then waits until the running handler's
  // lease has been renewed from there: without renewal the second step would find it expired.
  async function leaseRenewedPast(id: string, instant: Date): Promise<void> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const row = await getJob(database.db, id);
      if (row?.lockedUntil && row.lockedUntil > instant) return;
      if (Date.now() > deadline) throw new Error(`lease not renewed past ${instant.toISOString()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('keeps a handler that outlives its lease from being run again, and stops renewing when it ends', async () => {
    const leaseMs = 60_000;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const long = defineJob({
      kind: 'test.long',
      schema: z.object({}),
      handle: async () => {
        runs++;
        markStarted();
        await gate;
      },
    });
    const id = (await enqueue(database.db, { kind: 'test.long', payload: {}, runAt: T0 }))!;
    const first = runnerFor([long], { leaseMs, renewEveryMs: 10 });
    const draining = first.drainDue(T0);
    await started;
    const second = runnerFor([long], { leaseMs });
    // Four leases' worth of time while the handler runs; another runner finds nothing to claim.
    for (let step = 1; step <= 8; step++) {
      clock.current = at(step * (leaseMs / 2));
      await leaseRenewedPast(id, at(step * (leaseMs / 2) + leaseMs / 2));
      expect(await second.drainDue(clock.current)).toEqual({ done: 0, retried: 0, dead: 0 });
      expect(await claimDueJobs(database.db, clock.current, 10, leaseMs)).toEqual([]);
    }
    release();
    expect(await draining).toEqual({ done: 1, retried: 0, dead: 0 });
    expect(runs).toBe(1);
    const done = (await getJob(database.db, id))!;
    expect(done).toMatchObject({ state: 'done', attempts: 1, lockedUntil: null });
    // Nothing renews a finished row behind its back.
    await new Promise((r) => setTimeout(r, 50));
    expect(await getJob(database.db, id)).toEqual(done);
  });

  it('records the outcome of a failed long run under its renewed lease', async () => {
    const leaseMs = 60_000;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const failing = defineJob({
      kind: 'test.long-fail',
      schema: z.object({}),
      handle: async () => {
        markStarted();
        await gate;
        throw new Error('gave up');
      },
    });
    const id = (await enqueue(database.db, { kind: 'test.long-fail', payload: {}, runAt: T0 }))!;
    const draining = runnerFor([failing], { leaseMs, renewEveryMs: 10 }).drainDue(T0);
    await started;
    clock.current = at(2 * leaseMs);
    await leaseRenewedPast(id, at(2 * leaseMs));
    release();
    expect(await draining).toEqual({ done: 0, retried: 1, dead: 0 });
    expect(await getJob(database.db, id)).toMatchObject({
      state: 'pending',
      lastError: 'Error: gave up',
      lockedUntil: null,
      runAt: new Date(at(2 * leaseMs).getTime() + defaultBackoffMs(1)),
    });
  });
});

describe('batched claims and done-marking', () => {
  it('claims each due row once per batch, and marks done only the runs whose lease is still theirs', async () => {
    const now = new Date();
    const ids: string[] = [];
    for (const n of [1, 2, 3])
      ids.push((await enqueue(database.db, { kind: 'test.record', payload: { n }, runAt: now }))!);
    const later = await enqueue(database.db, {
      kind: 'test.record',
      payload: { n: 4 },
      runAt: new Date(now.getTime() + 60_000),
    });

    // A repeated id is claimed once; an id that is no uuid names no row; a row not due stays.
    const claimed = await claimJobsByIds(database.db, [ids[0]!, ids[0]!, 'not-a-uuid', ids[1]!, later!], now, 60_000);
    expect(claimed.map((r) => r.id).sort()).toEqual([ids[0], ids[1]].sort());
    expect(claimed.every((r) => r.attempts === 1)).toBe(true);
    // Leased now: a second claim in the lease gets nothing.
    expect(await claimJobsByIds(database.db, [ids[0]!, ids[1]!], now, 60_000)).toEqual([]);

    const [first, second] = [claimed.find((r) => r.id === ids[0])!, claimed.find((r) => r.id === ids[1])!];
    // The second run's lease passed and another claim took the row over: it is no longer that run's.
    const afterLease = new Date(now.getTime() + 61_000);
    const [takenOver] = await claimJobsByIds(database.db, [second.id], afterLease, 60_000);
    expect(takenOver?.attempts).toBe(2);
    const finishedAt = new Date(now.getTime() + 1_000);
    expect(
      await markJobsDone(database.db, [
        { row: first, at: finishedAt },
        { row: second, at: finishedAt },
      ]),
    ).toEqual([true, false]);
    expect(await getJob(database.db, first.id)).toMatchObject({ state: 'done', lockedUntil: null, finishedAt });
    expect(await getJob(database.db, second.id)).toMatchObject({ state: 'pending', finishedAt: null });
    expect(await getJob(database.db, ids[2]!)).toMatchObject({ state: 'pending', attempts: 0 });
  });
});

describe('the background loop', () => {
  it('starts a job at its due time, not at the next poll', async () => {
    const startedAt: number[] = [];
    const job = defineJob({
      kind: 'test.timely',
      schema: z.object({}),
      handle: async () => {
        startedAt.push(Date.now());
      },
    });
    const dueAt = Date.now() + 400;
    await enqueue(database.db, { kind: 'test.timely', payload: {}, runAt: new Date(dueAt) });
    // A poll a minute apart: only waking at the due time can start it in time.
    const runner = runnerFor([job], { clock: systemClock, pollMs: 60_000 });
    runner.start();
    try {
      const deadline = Date.now() + 5_000;
      while (startedAt.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await runner.stop(1_000);
    }
    expect(startedAt).toHaveLength(1);
    expect(startedAt[0]! - dueAt).toBeGreaterThanOrEqual(0);
    expect(startedAt[0]! - dueAt).toBeLessThan(250);
  });
});

describe('purgeFinishedJobs', () => {
  it('deletes rows done before the cut-off and keeps dead, pending and recent ones', async () => {
    const old = at(-8 * 86_400_000);
    const recent = at(-60_000);
    await database.db.insert(jobs).values([
      { kind: 'k', payload: {}, state: 'done', finishedAt: old, dedupeKey: 'old-done' },
      { kind: 'k', payload: {}, state: 'done', finishedAt: recent, dedupeKey: 'recent-done' },
      { kind: 'k', payload: {}, state: 'dead', finishedAt: old, dedupeKey: 'old-dead' },
      { kind: 'k', payload: {}, state: 'pending', runAt: old, dedupeKey: 'old-pending' },
    ]);
    expect(await purgeFinishedJobs(database.db, at(-7 * 86_400_000), 100)).toBe(1);
    const left = await database.db.select({ key: jobs.dedupeKey }).from(jobs);
    expect(left.map((r) => r.key).sort()).toEqual(['old-dead', 'old-pending', 'recent-done']);
  });
});

describe('the scheduler', () => {
  const schedules = [{ name: 'sweep', cron: '* * * * *', kind: 'test.sweep' }];

  it('writes one row per tick, however many schedulers run', async () => {
    const a = createScheduler({ db: database.db, schedules, clock });
    const b = createScheduler({ db: database.db, schedules, clock });
    const counts = await Promise.all([a.tick(T0), b.tick(T0), a.tick(at(10_000))]);
    expect(counts.reduce((x, y) => x + y)).toBe(1);
    const rows = await database.db.select().from(jobs).where(eq(jobs.kind, 'test.sweep'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ dedupeKey: 'cron:sweep:2030-03-01T10:00:00.000Z', payload: {} });
    expect(rows[0]!.runAt).toEqual(new Date('2030-03-01T10:00:00.000Z'));
    // The next minute's tick, at its very instant.
    expect(await b.tick(new Date('2030-03-01T10:01:00.000Z'))).toBe(1);
    expect(await database.db.select().from(jobs)).toHaveLength(2);
  });

  it('refuses a bad pattern at start-up', () => {
    expect(() =>
      createScheduler({ db: database.db, schedules: [{ name: 'x', cron: 'every day', kind: 'k' }], clock }),
    ).toThrow();
  });
});
