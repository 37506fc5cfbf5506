import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv } from '#test/helpers.js';
import { call, startServerProcess, type ServerProcess } from '#test/kit/server-process.js';

/**
 * SIGTERM to `staylane serve` (a real process, forked with an IPC channel as process
 * managers do): readiness fails at once, requests are still served for the drain, then the
 * port closes and the process exits by itself.
 */
const DRAIN_SECONDS = 2;

describe('stopping a server', () => {
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-shutdown-'));
    // Embedded: the drain is the process's own affair, whatever the database.
    const { REDIS_URL: _redis, ...env } = testEnv({
      DATA_DIR: dataDir,
      SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS),
      LOG_LEVEL: 'info',
    });
    server = await startServerProcess(env, { ipc: true });
  }, 90_000);

  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers /readyz 503 at once, keeps serving through the drain, then closes the port and exits 0', async () => {
    const { base, child } = server;
    expect((await call(`${base}/readyz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    await sleep(300);

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'draining', checks: {} });
    expect((await call(`${base}/healthz`)).status).toBe(200);
    expect((await call(`${base}/v1/properties?city=Lisbon`)).status).toBe(200);

    const code = await Promise.race([exited, sleep(20_000).then(() => 'still running')]);
    expect(code, server.tail()).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(DRAIN_SECONDS * 1000 - 100);
    expect((await call(`${base}/healthz`)).status).toBe(0);
  }, 60_000);
});
