import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * PostgreSQL and Redis servers of a test's own, on spare ports, which the test stops and
 * starts to see what the application does through the fault. Not the shared servers of
 * TEST_DATABASE_URL / TEST_REDIS_URL, which other test files use at the same time.
 */

const run = promisify(execFile);

/** A free TCP port on 127.0.0.1 (the OS picks it; it is free again once this returns). */
export async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
const asOwner = (command: string, args: string[]) =>
  process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);

async function binDir(): Promise<string> {
  const { stdout } = await run('pg_config', ['--bindir']);
  return stdout.trim();
}

export interface Instance {
  readonly url: string;
  readonly port: number;
  /** Stops the server the way a restart or a failover does: open connections are cut. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  close(): Promise<void>;
}

/** A throwaway PostgreSQL cluster (no fsync: its data does not outlive the test). */
export async function startPostgres(): Promise<Instance> {
  const bin = await binDir();
  const dir = await mkdtemp(path.join(tmpdir(), 'staylane-pg-'));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(dir, 'data');
  const port = await sparePort();
  await asOwner(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const pgCtl = (...args: string[]) => asOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-w', '-t', '30', ...args]);
  const instance: Instance = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => void (await pgCtl('-m', 'fast', 'stop')),
    start: async () => void (await pgCtl('-o', options, '-l', path.join(dir, 'log'), 'start')),
    async close() {
      await pgCtl('-m', 'immediate', 'stop').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await instance.start();
  return instance;
}

/** A throwaway Redis server (no persistence). */
export async function startRedis(): Promise<Instance> {
  const dir = await mkdtemp(path.join(tmpdir(), 'staylane-redis-'));
  const port = await sparePort();
  const cli = (...args: string[]) => run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  const instance: Instance = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await cli('shutdown', 'nosave').catch(() => undefined);
      for (
        let i = 0;
        i < 100 &&
        (await cli('ping').then(
          () => true,
          () => false,
        ));
        i++
      )
        await sleep(50);
    },
    async start() {
      await run('redis-server', [
        '--daemonize',
        'yes',
        '--bind',
        '127.0.0.1',
        '--port',
        String(port),
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--pidfile',
        path.join(dir, 'pid'),
      ]);
      for (
        let i = 0;
        i < 100 &&
        !(await cli('ping').then(
          () => true,
          () => false,
        ));
        i++
      )
        await sleep(50);
    },
    async close() {
      await instance.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await instance.start();
  return instance;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
