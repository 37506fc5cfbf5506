import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, testEnv } from '#test/helpers.js';
import { startServerProcess, type ServerProcess } from '#test/kit/server-process.js';

/**
 * `staylane serve --workers 2` as a real process on PostgreSQL: two API processes answer
 * on one port, and SIGTERM to the parent stops both and exits 0.
 */
const enabled = Boolean(process.env.TEST_DATABASE_URL);

/** A GET on a connection of its own (no keep-alive), so each may reach another process. */
const get = (url: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });

const pidsAnswering = (output: string) =>
  new Set(
    output
      .split('\n')
      .filter((line) => line.includes('"request completed"') && line.includes('/healthz'))
      .map((line) => (JSON.parse(line) as { pid: number }).pid),
  );

describe.skipIf(!enabled)('serve --workers', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess(
      testEnv({
        DATABASE_URL: await createTestDatabaseUrl(),
        REDIS_KEY_PREFIX: `test:${randomUUID()}:`,
        SHUTDOWN_DRAIN_SECONDS: '1',
        LOG_LEVEL: 'info',
      }),
      { args: ['--workers', '2'] },
    );
  }, 90_000);

  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it('answers from two processes on one port, and stops them both on SIGTERM', async () => {
    // The second process may still be starting when the first says it listens.
    const deadline = Date.now() + 30_000;
    while (pidsAnswering(server.output()).size < 2 && Date.now() < deadline) {
      expect(await get(`${server.base}/healthz`)).toBe(200);
    }
    const pids = [...pidsAnswering(server.output())];
    expect(pids, server.tail()).toHaveLength(2);
    expect(pids).not.toContain(server.child.pid);

    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    expect(await exited, server.tail()).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);
});
