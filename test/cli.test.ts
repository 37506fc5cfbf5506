import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
    expect(res.stderr).toContain('Usage: staylane');
  });

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
      server = spawn(process.execPath, [cli, 'serve'], {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          DATA_DIR: dataDir,
          PORT: '0',
          LOG_LEVEL: 'info',
          ADMIN_EMAIL: 'root@example.com',
          ADMIN_PASSWORD: 'bootstrap-secret-1',
        },
      });
      port = await new Promise<number>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 45_000);
        server.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /Staylane listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
        server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
      });
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
