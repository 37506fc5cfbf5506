import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/composition/cli.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'staylane.js');

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `staylane serve` on an embedded data directory and a free port, once it listens. */
async function serve(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ server: ChildProcess; port: number }> {
  const server = spawn(process.execPath, [cli, 'serve'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', ...env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 45_000);
    server.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Staylane listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  // A server just started on a busy machine may still shed load (503 overloaded) while the
  // event-loop delay of its start-up decays; the tests want it serving.
  for (let tries = 0; (await fetch(`http://127.0.0.1:${port}/`)).status === 503 && tries < 100; tries++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return { server, port };
}

describe('staylane CLI', () => {
  it('stops with one line naming a bad variable', async () => {
    const res = await run(['serve'], { PORT: 'abc' });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toMatch(/^Invalid configuration: PORT /);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses --workers that is not 1-64, and more than one worker on the embedded database', async () => {
    for (const bad of ['0', 'two', '65']) {
      const res = await run(['serve', '--workers', bad], {});
      expect(res.code).toBe(2);
      expect(res.stderr.trim()).toBe(`serve: --workers must be an integer from 1 to 64, got "${bad}"`);
    }
    const embedded = await run(['serve', '--workers', '2'], {});
    expect(embedded.code).toBe(2);
    expect(embedded.stderr.trim()).toMatch(/^serve: --workers needs DATABASE_URL/);
  });

  it('refuses a weak admin password, at start-up and in create-admin, with one line', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-cli-'));
    try {
      const serve = await run(['serve'], {
        DATA_DIR: dataDir,
        PORT: '0',
        ADMIN_EMAIL: 'root@example.com',
        ADMIN_PASSWORD: '1234567890',
      });
      expect(serve.code).toBe(1);
      expect(serve.stderr.trim()).toMatch(/^Invalid configuration: ADMIN_PASSWORD is refused: Too easy to guess\. /);
      expect(serve.stderr.trim().split('\n')).toHaveLength(1);

      const admin = await run(['create-admin', '--email', 'x@example.com', '--password', 'password12'], {
        DATA_DIR: dataDir,
      });
      expect(admin.code).toBe(2);
      expect(admin.stderr.trim()).toMatch(/^create-admin: --password is refused: Too easy to guess\. /);
      expect(admin.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('prints usage for an unknown command', async () => {
    const res = await run(['frobnicate'], {});
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^staylane: unknown command frobnicate\n/);
    expect(res.stderr).toContain('Usage: staylane');
  });

  it('prints the usage of every command on --help and -h, exit 0, whatever the environment', async () => {
    // An invalid variable would stop any command that loaded the configuration.
    const env = { PORT: 'abc', DATABASE_URL: 'not a url' };
    for (const command of [[], ['help'], ...COMMANDS.map((c) => [c])]) {
      const flags = command[0] === 'help' ? [[]] : [['--help'], ['-h']];
      const results = await Promise.all(flags.map((flag) => run([...command, ...flag], env)));
      for (const res of results) {
        expect(res.code, `${command.join(' ')}: ${res.stderr}`).toBe(0);
        expect(res.stderr).toBe('');
        const name = command[0] && command[0] !== 'help' ? command[0] : '<command>';
        expect(res.stdout).toMatch(new RegExp(`^Usage: staylane ${name}[ \\n]`));
        expect(res.stdout).toContain('--help');
      }
    }
    const topic = await run(['help', 'seed'], env);
    expect(topic.stdout).toMatch(/^Usage: staylane seed /);
  }, 120_000);

  it('refuses an unknown option with one line and the usage, never a stack trace', async () => {
    const results = await Promise.all(
      [[], ...COMMANDS.map((c) => [c])].map(async (command) => ({
        command,
        res: await run([...command, '--frobnicate'], {}),
      })),
    );
    for (const { command, res } of results) {
      const who = command[0] ? `staylane ${command[0]}` : 'staylane';
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr.split('\n')[0]).toBe(`${who}: unknown option --frobnicate`);
      expect(res.stderr).toContain(`Usage: ${command[0] ? who : 'staylane <command>'}`);
      expect(res.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
      expect(res.stdout).toBe('');
    }
    const missing = await run(['seed', '--users'], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe("staylane seed: Option '--users <value>' argument missing");
    const positional = await run(['migrate', 'now'], {});
    expect(positional.code).toBe(2);
    expect(positional.stderr.split('\n')[0]).toBe('staylane migrate: unexpected argument now');
  }, 120_000);

  it('seeds a demo marketplace whose printed guest, host and admin sign in', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-cli-'));
    let server: ChildProcess | undefined;
    try {
      const seeded = await run(['seed', '--users', '30', '--properties', '40'], { DATA_DIR: dataDir });
      expect(seeded.code, seeded.stderr).toBe(0);
      expect(seeded.stdout).toMatch(/^Seeded 30 users .* and an admin, 40 properties .* bookings, .* reviews/);
      const account = (role: string) => new RegExp(`^\\s+${role}\\s+(\\S+)$`, 'm').exec(seeded.stdout)?.[1];
      const password = account('password');
      expect(seeded.stdout).toContain('demo data only');
      const started = await serve(dataDir);
      server = started.server;
      for (const [role, expected] of [
        ['guest', undefined],
        ['host', 'host'],
        ['admin', 'admin'],
      ] as const) {
        const login = await fetch(`http://127.0.0.1:${started.port}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: account(role), password }),
        });
        expect(login.status, `${role} ${account(role)}`).toBe(200);
        if (expected) expect(((await login.json()) as { user: { role: string } }).user.role).toBe(expected);
      }
    } finally {
      if (server && server.exitCode === null) {
        const exited = new Promise((r) => server!.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('refuses to start a worker without Redis and PostgreSQL, with one line', async () => {
    const noRedis = await run(['worker'], { DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    expect(noRedis.code).toBe(1);
    expect(noRedis.stderr.trim()).toBe(
      'worker needs REDIS_URL; without Redis, `serve` runs the jobs in its own process',
    );
    const noDatabase = await run(['worker'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(noDatabase.code).toBe(1);
    expect(noDatabase.stderr.trim()).toMatch(/^worker needs DATABASE_URL/);
  });

  describe('with a server holding the embedded data directory', () => {
    let dataDir: string;
    let server: ChildProcess;
    let port = 0;

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'staylane-cli-'));
      ({ server, port } = await serve(dataDir, {
        ADMIN_EMAIL: 'root@example.com',
        ADMIN_PASSWORD: 'bootstrap-secret-1',
      }));
    }, 60_000);

    afterAll(async () => {
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    });

    it('serves over real HTTP with the bootstrap admin created', async () => {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const login = await fetch(`http://127.0.0.1:${port}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'root@example.com', password: 'bootstrap-secret-1' }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { user: { role: string } }).user.role).toBe('admin');
    });

    it('refuses to open the same data directory from another command', async () => {
      const res = await run(['migrate'], { DATA_DIR: dataDir });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/in use by process \d+ \(staylane serve\)/);
      const admin = await run(['create-admin', '--email', 'x@example.com', '--password', 'long-enough-1'], {
        DATA_DIR: dataDir,
      });
      expect(admin.code).toBe(1);
      expect(admin.stderr).toMatch(/in use by process/);
    });

    it('shuts down gracefully on SIGTERM, releasing the data directory', async () => {
      const exited = new Promise<number | null>((r) => server.once('exit', r));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      const res = await run(['migrate'], { DATA_DIR: dataDir });
      expect(res.stdout).toContain('Migrations applied.');
      expect(res.code).toBe(0);
    }, 60_000);
  });
});
