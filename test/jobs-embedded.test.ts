import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startEmbeddedJobs } from '../src/composition/lifecycle.js';
import { idempotencyKeys } from '../src/platform/idempotency/idempotency.table.js';
import { createJobRunner, enqueue, getJob, jobs } from '../src/platform/jobs/index.js';
import { useTestApp } from '#test/helpers.js';

const testApp = useTestApp();
const log = { error: () => undefined };

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('embedded jobs (serve without Redis)', () => {
  it('writes the current cron ticks, runs due jobs in-process and counts them in the metrics', async () => {
    const { container } = testApp();
    const db = container.database.db;
    const id = (await enqueue(
      db,
      { kind: 'users.purge-refresh-tokens', payload: {} },
      { registry: container.jobs.registry },
    ))!;
    const running = startEmbeddedJobs(container, log, { pollMs: 20 });
    try {
      await until(async () => (await getJob(db, id))?.state === 'done');
      // The scheduler's first tick: the sweep's current minute, run too.
      await until(async () => {
        const [sweep] = await db.select().from(jobs).where(eq(jobs.kind, 'bookings.expire-holds'));
        return sweep?.state === 'done';
      });
    } finally {
      await running.stop();
    }
    const metrics = await container.metrics.registry.getSingleMetricAsString('job_runs_total');
    expect(metrics).toMatch(/job_runs_total\{kind="users.purge-refresh-tokens",outcome="done"\} [1-9]/);
    expect(await container.metrics.registry.getSingleMetricAsString('job_lateness_seconds')).toMatch(
      /job_lateness_seconds_count\{kind="bookings.expire-holds"\} 1/,
    );
  });

  it('waits startAfterMs before claiming due rows, and never starts when stopped before then', async () => {
    const { container } = testApp();
    const db = container.database.db;
    const id = (await enqueue(
      db,
      { kind: 'users.purge-refresh-tokens', payload: {} },
      { registry: container.jobs.registry },
    ))!;

    const stoppedEarly = startEmbeddedJobs(container, log, { pollMs: 20, startAfterMs: 300 });
    await new Promise((r) => setTimeout(r, 100));
    await stoppedEarly.stop();
    await new Promise((r) => setTimeout(r, 400));
    // Stopped within its delay: it never started.
    expect((await getJob(db, id))?.state).toBe('pending');

    const started = Date.now();
    const running = startEmbeddedJobs(container, log, { pollMs: 20, startAfterMs: 300 });
    try {
      await new Promise((r) => setTimeout(r, 150));
      expect((await getJob(db, id))?.state).toBe('pending');
      await until(async () => (await getJob(db, id))?.state === 'done');
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      await running.stop();
    }
  });

  it('the hourly purge deletes expired idempotency keys only', async () => {
    const { container } = testApp();
    const db = container.database.db;
    const now = container.clock.now();
    const user = '00000000-0000-4000-8000-000000000001';
    await db.insert(idempotencyKeys).values([
      { userId: user, key: 'expired', requestHash: 'h', expiresAt: new Date(now.getTime() - 1_000) },
      { userId: user, key: 'live', requestHash: 'h', expiresAt: new Date(now.getTime() + 60_000) },
    ]);
    await enqueue(db, { kind: 'http.purge-idempotency-keys', payload: {}, runAt: now });
    const runner = createJobRunner({ db, registry: container.jobs.registry, clock: container.clock });
    expect((await runner.drainDue()).done).toBeGreaterThanOrEqual(1);
    const left = await db
      .select({ key: idempotencyKeys.key })
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.userId, user));
    expect(left).toEqual([{ key: 'live' }]);
  });
});
