import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sparePort } from '../test/kit/instances.js';

/**
 * Target: cold `npm start` on a fresh clone to the first 200 from /healthz (≤ 4 s).
 * Each run gives `npm start` a data directory that does not exist yet and an empty TMPDIR
 * (so tsx has no transpile cache either), polls /healthz every 20 ms, records the time to the
 * first 200, stops the server, then starts it again on the same data directory (warm).
 * Several checkouts (`BENCH_COLD_DIRS=before=/path/a,after=/path/b`) are measured in
 * alternation, the order swapped every round, so both see the same load on a shared machine.
 * Each checkout is first prepared as `npm install` would (its postinstall script, if any).
 *
 * The phases come from the server's "listening" log line (`startup`): npm and tsx launchers
 * (spawn to the serving process's start), imports (process start to `serve`: node, tsx and
 * the modules), db open (lock, template copy if any, PGlite initdb or open, extensions; it runs
 * during the imports), db wait (what is left of it after the imports, plus the container),
 * migrations, app (Fastify build), listen (admin bootstrap, listen), then the poll's lag.
 *
 * Env: BENCH_COLD_RUNS (5), BENCH_COLD_DIRS (this checkout), BENCH_COLD_TSX_CACHE
 * (`fresh` (default): an empty TMPDIR per start; `shared`: the machine's tsx cache).
 */

interface Startup {
  importsMs: number;
  openMs?: number;
  containerMs: number;
  migrationsMs: number;
  fromTemplate?: boolean;
  appMs: number;
  listenMs: number;
  uptimeMs: number;
}

interface Sample {
  totalMs: number;
  phases?: Record<string, number>;
  fromTemplate?: boolean;
}

const POLL_MS = 20;

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
const TIMEOUT_MS = 120_000;

async function startOnce(cwd: string, dataDir: string, tmp: string): Promise<Sample> {
  const port = await sparePort();
  const spawnedAt = Date.now();
  const child = spawn('npm', ['start'], {
    cwd,
    // A process group of its own: npm, tsx's launcher and the server stop together.
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TMPDIR: tmp,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  try {
    for (;;) {
      if (exited) throw new Error(`npm start exited before answering:\n${output.slice(-2000)}`);
      if (Date.now() - spawnedAt > TIMEOUT_MS) throw new Error(`no 200 from /healthz in ${TIMEOUT_MS} ms`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await sleep(POLL_MS);
    }
    const answeredAt = Date.now();
    // The line is written right after listen: give the pipe a moment to deliver it.
    let line: { time: number; startup: Startup } | undefined;
    for (let i = 0; i < 50 && !line; i++) {
      line = output
        .split('\n')
        .filter((l) => l.includes('"startup":'))
        .map((l) => JSON.parse(l) as { time: number; startup: Startup })[0];
      if (!line) await sleep(20);
    }
    const sample: Sample = { totalMs: answeredAt - spawnedAt };
    if (line) {
      const s = line.startup;
      const processStart = line.time - s.uptimeMs;
      sample.fromTemplate = s.fromTemplate;
      sample.phases = {
        launchers: processStart - spawnedAt,
        imports: s.importsMs,
        'db open': s.openMs ?? s.containerMs,
        'db wait': s.containerMs,
        migrations: s.migrationsMs,
        app: s.appMs,
        listen: s.listenMs,
        'poll lag': answeredAt - line.time,
      };
    }
    return sample;
  } finally {
    if (child.pid !== undefined && groupAlive(child.pid)) process.kill(-child.pid, 'SIGTERM');
    const forced = setTimeout(() => {
      if (child.pid !== undefined && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    }, 15_000);
    await gone;
    // npm may exit before the server it started: wait until the whole group is gone.
    while (child.pid !== undefined && groupAlive(child.pid)) await sleep(POLL_MS);
    clearTimeout(forced);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
};

export interface ColdStartSettings {
  runs: number;
  dirs: { label: string; dir: string }[];
  tsxCache: 'fresh' | 'shared';
}

export function coldStartSettings(
  env: NodeJS.ProcessEnv,
  int: (name: string, fallback: number) => number,
  root: string,
): ColdStartSettings {
  const dirs = (env.BENCH_COLD_DIRS ?? `this checkout=${root}`).split(',').map((item) => {
    const at = item.indexOf('=');
    return at < 0
      ? { label: item, dir: path.resolve(item) }
      : { label: item.slice(0, at), dir: path.resolve(item.slice(at + 1)) };
  });
  const tsxCache = env.BENCH_COLD_TSX_CACHE ?? 'fresh';
  if (tsxCache !== 'fresh' && tsxCache !== 'shared') throw new Error('BENCH_COLD_TSX_CACHE must be fresh or shared');
  return { runs: int('BENCH_COLD_RUNS', 5), dirs, tsxCache };
}

export async function coldStartBench(settings: ColdStartSettings, log: (message: string) => void): Promise<string> {
  for (const { label, dir } of settings.dirs) {
    log(`cold start: preparing ${label} as npm install would (postinstall)`);
    const prepared = spawnSync('npm', ['run', '--if-present', 'postinstall'], { cwd: dir, stdio: 'inherit' });
    if (prepared.status !== 0) throw new Error(`postinstall failed in ${dir}`);
  }
  const loadBefore = loadavg();
  const cold = new Map<string, Sample[]>(settings.dirs.map((d) => [d.label, []]));
  const warm = new Map<string, Sample[]>(settings.dirs.map((d) => [d.label, []]));
  for (let round = 0; round < settings.runs; round++) {
    const order = round % 2 ? [...settings.dirs].reverse() : settings.dirs;
    for (const { label, dir } of order) {
      const scratch = await mkdtemp(path.join(tmpdir(), 'staylane-cold-'));
      try {
        const dataDir = path.join(scratch, 'data');
        const tmp = settings.tsxCache === 'fresh' ? path.join(scratch, 'tmp') : tmpdir();
        if (settings.tsxCache === 'fresh') await mkdir(tmp);
        const c = await startOnce(dir, dataDir, tmp);
        const w = await startOnce(dir, dataDir, tmp);
        cold.get(label)!.push(c);
        warm.get(label)!.push(w);
        log(`cold start: ${label} round ${round + 1}: cold ${c.totalMs} ms, warm ${w.totalMs} ms`);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    }
  }
  const loadAfter = loadavg();
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' / ');
  const lines = [
    `### (i) Cold start: \`npm start\` to the first 200 from /healthz (target ≤ 4 s)`,
    '',
    `${settings.runs} runs per checkout, alternating; new data directory each run; tsx cache: ${settings.tsxCache}; ` +
      `load average (1/5/15 min) before ${fmt(loadBefore)}, after ${fmt(loadAfter)}.`,
    '',
    '| checkout | cold median (ms) | cold min–max | warm median (ms) | warm min–max |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const { label } of settings.dirs) {
    const c = cold.get(label)!.map((s) => s.totalMs);
    const w = warm.get(label)!.map((s) => s.totalMs);
    lines.push(
      `| ${label} | **${median(c)}** | ${Math.min(...c)}–${Math.max(...c)} | ${median(w)} | ${Math.min(...w)}–${Math.max(...w)} |`,
    );
  }
  // `db open` runs while the modules load (imports); `db wait` is what remains of it after them.
  const phaseNames = ['launchers', 'imports', 'db open', 'db wait', 'migrations', 'app', 'listen', 'poll lag'];
  const withPhases = [...cold, ...warm].some(([, samples]) => samples.some((s) => s.phases));
  if (withPhases) {
    lines.push('', 'Phase medians (ms):', '', `| checkout | start | ${phaseNames.join(' | ')} |`);
    lines.push(`| --- | --- | ${phaseNames.map(() => '---:').join(' | ')} |`);
    for (const { label } of settings.dirs) {
      for (const [kind, samples] of [
        ['cold', cold.get(label)!],
        ['warm', warm.get(label)!],
      ] as const) {
        const timed = samples.filter((s) => s.phases);
        if (!timed.length) continue;
        const template = kind === 'cold' && timed.some((s) => s.fromTemplate) ? ' (template)' : '';
        const cells = phaseNames.map((p) => String(median(timed.map((s) => s.phases![p]!))));
        lines.push(`| ${label} | ${kind}${template} | ${cells.join(' | ')} |`);
      }
    }
  }
  return lines.join('\n') + '\n';
}
