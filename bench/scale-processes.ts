import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type ChildServer } from './child-servers.js';
import { sparePort } from '../test/kit/instances.js';

/**
 * The processes of the scale bench, all from the production build (dist/): `staylane serve
 * --workers N` on one port, and `staylane worker` processes, each with its health and
 * metrics port, so that one can be killed by its pid and its job runs read from /metrics.
 */

const MAIN = 'dist/composition/main.js';

/** `serve --workers N` and waits until N API processes have said they listen (the parent's first child answers first). */
export async function startApi(options: {
  root: string;
  env: Record<string, string>;
  port: number;
  processes: number;
  logFile: string;
}): Promise<ChildServer> {
  const api = await startServer({
    name: `api×${options.processes}`,
    cwd: options.root,
    script: MAIN,
    args: ['serve', '--workers', String(options.processes)],
    env: { ...options.env, PORT: String(options.port) },
    port: options.port,
    readyPath: '/healthz',
    logFile: options.logFile,
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const listening = await listeningPids(options.logFile);
    if (listening.size >= options.processes) return api;
    if (Date.now() > deadline) {
      await api.stop();
      throw new Error(`only ${listening.size} of ${options.processes} API processes listened within 60 s`);
    }
    await sleep(200);
  }
}

/** Pids of the processes whose "listening" line is in a log file of JSON lines. */
async function listeningPids(file: string): Promise<Set<number>> {
  const pids = new Set<number>();
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (!line.includes('Staylane listening on')) continue;
    try {
      pids.add((JSON.parse(line) as { pid: number }).pid);
    } catch {
      // Not a JSON line (the cluster parent prints plain lines).
    }
  }
  return pids;
}

export interface WorkerProcess extends ChildServer {
  /** Job runs this process counted, by `kind` and `outcome` (`job_runs_total`). */
  runs(): Promise<Map<string, number>>;
  /** SIGKILL: no handler finishes, no claim is handed back. */
  kill(): Promise<void>;
}

/** A `staylane worker`, ready once its /healthz answers. */
export async function startWorker(options: {
  root: string;
  env: Record<string, string>;
  name: string;
  logFile: string;
}): Promise<WorkerProcess> {
  const port = await sparePort();
  const worker = await startServer({
    name: options.name,
    cwd: options.root,
    script: MAIN,
    args: ['worker'],
    env: { ...options.env, WORKER_PORT: String(port) },
    port,
    readyPath: '/healthz',
    logFile: options.logFile,
  });
  const token = options.env.METRICS_TOKEN;
  return {
    ...worker,
    async runs() {
      const res = await fetch(`${worker.origin}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`${options.name}: /metrics answered ${res.status}`);
      return jobRuns(await res.text());
    },
    async kill() {
      if (worker.pid === undefined) return;
      process.kill(worker.pid, 'SIGKILL');
      // stop() waits for the exit (and sends nothing to a process that is gone).
      await worker.stop();
    },
  };
}

const runKey = (kind: string, outcome: string) => `${kind}|${outcome}`;

/** `job_runs_total{kind,outcome}` from Prometheus text, keyed `kind|outcome`. */
function jobRuns(text: string): Map<string, number> {
  const runs = new Map<string, number>();
  for (const m of text.matchAll(/^job_runs_total\{([^}]*)\} (\S+)$/gm)) {
    const label = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(m[1]!)?.[1] ?? '';
    runs.set(runKey(label('kind'), label('outcome')), Number(m[2]));
  }
  return runs;
}

/**
 * The job runs of every worker the bench started: the last reading of each (a killed
 * worker's is read just before the kill), so runs are counted once per process.
 */
export class RunLedger {
  private readonly last = new Map<WorkerProcess, Map<string, number>>();

  async read(worker: WorkerProcess): Promise<void> {
    this.last.set(worker, await worker.runs());
  }

  /** Runs of `kind` with `outcome` over every worker. */
  total(kind: string, outcome: string): number {
    let sum = 0;
    for (const runs of this.last.values()) sum += runs.get(runKey(kind, outcome)) ?? 0;
    return sum;
  }
}

export const logFileOf = (dir: string, name: string) => path.join(dir, `${name}.log`);

/**
 * The pid of the `program` server (postgres, redis-server) started for `port`: its command
 * line names the port (`-p <port>`, or Redis's title `redis-server 127.0.0.1:<port>`).
 */
export function serverPid(program: string, port: number): number {
  const names = new RegExp(`(-p |:)${port}( |$)`);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const line = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      if (path.basename(line.split(' ')[0] ?? '') === program && names.test(line)) return Number(entry);
    } catch {
      // Gone, or not ours to read.
    }
  }
  throw new Error(`no ${program} process for port ${port} in /proc`);
}
