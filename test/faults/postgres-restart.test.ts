import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, testEnv, uniqueEmail } from '#test/helpers.js';
import { startPostgres, type Instance } from '#test/kit/instances.js';

/**
 * `staylane serve` (the built CLI, a real process) on a PostgreSQL of the test's own, which
 * the test restarts while registrations and bookings' reads are in flight. The process
 * must live through it: what was in flight either succeeds or is a 503 with Retry-After,
 * and the service comes back by itself once the database is up again.
 */
const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'bin', 'staylane.js');
// Runs with the PostgreSQL suite (CI sets TEST_DATABASE_URL; the binaries are then there).
const enabled = Boolean(process.env.TEST_DATABASE_URL);

interface Outcome {
  status: number;
  retryAfter: string | null;
  at: number;
}

describe.skipIf(!enabled)('a PostgreSQL restart under write load', () => {
  let pg: Instance;
  let server: ChildProcess;
  let base = '';
  let output = '';
  const tail = () => output.slice(-4_000);

  beforeAll(async () => {
    pg = await startPostgres();
    const { REDIS_URL: _redis, ...env } = testEnv({
      DATABASE_URL: pg.url,
      HOST: '127.0.0.1',
      PORT: '0',
      // The start-up line (with the port) is at info; so is one line per request.
      LOG_LEVEL: 'info',
    });
    const processEnv = { PATH: process.env.PATH ?? '', ...env };
    // A PostgreSQL deployment migrates as a step of its own before serving.
    await promisify(execFile)(process.execPath, [cli, 'migrate'], { cwd: root, env: processEnv });
    server = spawn(process.execPath, [cli, 'serve'], { cwd: root, env: processEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-65_536)));
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${tail()}`)), 60_000);
      server.stdout!.on('data', (d: Buffer) => {
        output = (output + d.toString()).slice(-65_536);
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      server.once('exit', (code) => reject(new Error(`server exited ${code}: ${tail()}`)));
    });
  }, 90_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await pg?.close();
  }, 60_000);

  /** One registration; a request the server never answered (a crash, a reset) is status 0. */
  const register = async (): Promise<Outcome> => {
    try {
      const res = await fetch(`${base}/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: uniqueEmail('fault'), password: PASSWORD, firstName: 'Fault', lastName: 'Test' }),
      });
      await res.arrayBuffer();
      return { status: res.status, retryAfter: res.headers.get('retry-after'), at: Date.now() };
    } catch {
      return { status: 0, retryAfter: null, at: Date.now() };
    }
  };

  it('keeps the process alive; in-flight requests succeed or answer 503 with Retry-After; it recovers', async () => {
    expect((await register()).status).toBe(201);
    const outcomes: Outcome[] = [];
    let stopLoad = false;
    // 16 clients registering back to back: transactions are open whenever the database goes.
    const load = Array.from({ length: 16 }, async () => {
      while (!stopLoad && server.exitCode === null) outcomes.push(await register());
    });

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const restartedAt = Date.now();
    await pg.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await pg.start();
    const upAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    stopLoad = true;
    await Promise.all(load);

    const count = (status: number) => outcomes.filter((o) => o.status === status).length;
    console.log(`PostgreSQL restart under load: ${count(201)} × 201, ${count(503)} × 503, ${count(0)} unanswered`);
    expect(server.exitCode, tail()).toBeNull();
    const statuses = new Set(outcomes.map((o) => o.status));
    expect(
      [...statuses].filter((s) => s !== 201 && s !== 503),
      tail(),
    ).toEqual([]);
    expect(outcomes.filter((o) => o.status === 503 && o.retryAfter === null)).toEqual([]);
    // Requests made while the database was down were answered, not left hanging or crashed.
    expect(outcomes.some((o) => o.status === 503 && o.at >= restartedAt && o.at <= upAt)).toBe(true);
    // It came back by itself: registrations succeed again within seconds of the restart.
    expect(outcomes.some((o) => o.status === 201 && o.at > upAt)).toBe(true);
    expect((await register()).status).toBe(201);
  }, 60_000);
});
