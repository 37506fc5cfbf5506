import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ChildServer {
  name: string;
  origin: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx <script> ...args` (plain `node <script>` for compiled JavaScript)
 * with the given environment and waits until `readyPath` answers below 500. Its output is
 * passed through, prefixed with its name, or appended to `logFile`: a server logging every
 * request would otherwise have the benchmark's own process copy its log lines, taking CPU
 * from the server it measures.
 */
export async function startServer(options: {
  name: string;
  cwd: string;
  script: string;
  args?: string[];
  nodeArgs?: string[];
  env: Record<string, string>;
  port: number;
  readyPath: string;
  logFile?: string;
}): Promise<ChildServer> {
  const origin = `http://127.0.0.1:${options.port}`;
  const loader = options.script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const log = options.logFile ? openSync(options.logFile, 'a') : undefined;
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...loader, options.script, ...(options.args ?? [])],
    {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', log ?? 'pipe', log ?? 'pipe'],
    },
  );
  if (log !== undefined) closeSync(log);
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => `[${options.name}] ${line}\n`)
      .join('');
  child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let alive = true;
  void exited.then(() => (alive = false));

  const stop = async () => {
    if (!alive) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(forced);
  };

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!alive) throw new Error(`${options.name} exited before it was ready (code ${await exited})`);
    try {
      const res = await fetch(origin + options.readyPath);
      await res.arrayBuffer();
      if (res.status < 500) return { name: options.name, origin, pid: child.pid, stop };
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  await stop();
  throw new Error(`${options.name} did not answer ${options.readyPath} within 60 s`);
}

export interface ChildProcessHandle {
  name: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `node [nodeArgs] --import tsx <script> ...args` and waits until a line of its
 * output matches `ready` (for processes with no HTTP port, such as `staylane worker`).
 */
export async function startProcess(options: {
  name: string;
  cwd: string;
  script: string;
  args?: string[];
  nodeArgs?: string[];
  env: Record<string, string>;
  ready: RegExp;
}): Promise<ChildProcessHandle> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', options.script, ...(options.args ?? [])],
    { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let alive = true;
  void exited.then(() => (alive = false));
  let markReady!: () => void;
  const readyLine = new Promise<void>((resolve) => (markReady = resolve));
  const pass = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      if (options.ready.test(line)) markReady();
      process.stderr.write(`[${options.name}] ${line}\n`);
    }
  };
  child.stdout?.on('data', pass);
  child.stderr?.on('data', pass);
  const stop = async () => {
    if (!alive) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(forced);
  };
  const outcome = await Promise.race([
    readyLine.then(() => 'ready' as const),
    exited.then(() => 'exited' as const),
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 60_000).unref()),
  ]);
  if (outcome === 'ready') return { name: options.name, pid: child.pid, stop };
  await stop();
  throw new Error(
    `${options.name} ${outcome === 'exited' ? 'exited' : 'was not'} ready (no line matching ${options.ready})`,
  );
}
