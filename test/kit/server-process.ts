import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** `staylane <command>` as production runs it: the CLI in a process of its own. */
export const root = path.resolve(import.meta.dirname, '../..');
export const cli = path.join(root, 'bin', 'staylane.js');

export interface ServerProcess {
  /** `http://127.0.0.1:<port>` the server said it listens on. */
  readonly base: string;
  readonly child: ChildProcess;
  /** The last 4 KiB of what it printed, for assertion messages. */
  tail(): string;
  /** The last 64 KiB of what it printed. */
  output(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `staylane serve` with exactly `env` (plus PATH) on a port the OS picks, and resolves
 * once it prints that it listens. LOG_LEVEL must be info or lower for that line to show.
 * `ipc` opens an IPC channel to it, as a process manager that forks it does; `args` follow
 * `serve` on the command line.
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: { ipc?: boolean; args?: string[] } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [cli, 'serve', ...(options.args ?? [])], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  // The last 64 KiB only: a request line per request adds up under load.
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-65_536));
  child.stderr!.on('data', keep);
  const tail = () => output.slice(-4_000);
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${tail()}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      keep(d);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${tail()}`)));
  });
  return {
    base,
    child,
    tail,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Outcome {
  /** 0 when the server never answered (a crash, a reset). */
  status: number;
  retryAfter: string | null;
  at: number;
}

/** One request; what a load loop records of it. */
export async function call(url: string, init?: RequestInit): Promise<Outcome> {
  try {
    const res = await fetch(url, init);
    await res.arrayBuffer();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), at: Date.now() };
  } catch {
    return { status: 0, retryAfter: null, at: Date.now() };
  }
}
