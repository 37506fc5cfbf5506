import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, testEnv, uniqueEmail } from '#test/helpers.js';
import { startPostgres, type Instance } from '#test/kit/instances.js';
import { call, cli, root, startServerProcess, type Outcome, type ServerProcess } from '#test/kit/server-process.js';

/**
 * `staylane serve` (a real process) on a PostgreSQL of the test's own, which the test
 * restarts while registrations are in flight. The process must live through it: what was
 * in flight either succeeds or is a 503 with Retry-After, and the service comes back by
 * itself once the database is up again.
 */
// Runs with the PostgreSQL suite (CI sets TEST_DATABASE_URL; the server binaries are then there).
const enabled = Boolean(process.env.TEST_DATABASE_URL);

describe.skipIf(!enabled)('a PostgreSQL restart under write load', () => {
  let pg: Instance;
  let server: ServerProcess;

  beforeAll(async () => {
    pg = await startPostgres();
    // No Redis: this is about the database alone (jobs run in the server's process).
    const { REDIS_URL: _redis, ...env } = testEnv({ DATABASE_URL: pg.url, LOG_LEVEL: 'info' });
    // A PostgreSQL deployment migrates as a step of its own before serving.
    await promisify(execFile)(process.execPath, [cli, 'migrate'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    server = await startServerProcess(env);
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await pg?.close();
  }, 60_000);

  const register = () =>
    call(`${server.base}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail('fault'), password: PASSWORD, firstName: 'Fault', lastName: 'Test' }),
    });

  it('keeps the process alive; in-flight requests succeed or answer 503 with Retry-After; it recovers', async () => {
    expect((await register()).status).toBe(201);
    const outcomes: Outcome[] = [];
    let stopLoad = false;
    // 16 clients registering back to back: transactions are open whenever the database goes.
    const load = Array.from({ length: 16 }, async () => {
      while (!stopLoad && server.child.exitCode === null) outcomes.push(await register());
    });

    await sleep(1_500);
    const restartedAt = Date.now();
    await pg.stop();
    await sleep(1_000);
    await pg.start();
    const upAt = Date.now();
    await sleep(3_000);
    stopLoad = true;
    await Promise.all(load);

    const count = (status: number) => outcomes.filter((o) => o.status === status).length;
    console.log(`PostgreSQL restart under load: ${count(201)} × 201, ${count(503)} × 503, ${count(0)} unanswered`);
    expect(server.child.exitCode, server.tail()).toBeNull();
    const statuses = new Set(outcomes.map((o) => o.status));
    expect(
      [...statuses].filter((s) => s !== 201 && s !== 503),
      server.tail(),
    ).toEqual([]);
    expect(outcomes.filter((o) => o.status === 503 && o.retryAfter === null)).toEqual([]);
    // Requests made while the database was down were answered, not left hanging or crashed.
    expect(outcomes.some((o) => o.status === 503 && o.at >= restartedAt && o.at <= upAt)).toBe(true);
    // It came back by itself: registrations succeed again within seconds of the restart.
    expect(outcomes.some((o) => o.status === 201 && o.at > upAt)).toBe(true);
    expect((await register()).status).toBe(201);
  }, 60_000);
});
