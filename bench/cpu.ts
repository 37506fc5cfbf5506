import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU used by the server under test and by PostgreSQL while a load runs, read from
 * /proc/<pid>/stat (utime + stime, every thread of the process): a throughput figure means
 * little without knowing whether the server, the database or neither was the bottleneck.
 * Figures are percent of one core (200 % = both cores of a 2-core machine).
 */
export interface CpuShare {
  /** The server process, % of one core. */
  server: number;
  /** Every `postgres` process of the machine (backends, walwriter, checkpointer …), % of one core. */
  postgres: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux.

/** The parent and utime + stime (seconds) of a process, from its /proc/<pid>/stat. */
function readStat(pid: number | string): { ppid: number; seconds: number } {
  // The command name (field 2) may hold spaces: split after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
}

/** utime + stime of a process in seconds, or 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    return readStat(pid).seconds;
  } catch {
    return 0;
  }
}

/** Every process's parent and CPU seconds so far (utime + stime), by pid. */
export function processCpu(): Map<number, { ppid: number; seconds: number }> {
  const table = new Map<number, { ppid: number; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      table.set(Number(entry), readStat(entry));
    } catch {
      // Gone since the directory was read.
    }
  }
  return table;
}

/**
 * CPU seconds used between two processCpu() readings by `root` and its descendants (as the
 * tree stands at the second reading: a cluster's parent and its API processes, a
 * postmaster and its backends). A process started in between counts from 0; one that ended
 * in between is not counted.
 */
export function treeCpuDelta(
  before: ReadonlyMap<number, { seconds: number }>,
  after: ReadonlyMap<number, { ppid: number; seconds: number }>,
  root: number,
): number {
  const inTree = (pid: number) => {
    for (let p: number | undefined = pid; p !== undefined && p > 0; p = after.get(p)?.ppid) if (p === root) return true;
    return false;
  };
  let total = 0;
  for (const [pid, { seconds }] of after) if (inTree(pid)) total += seconds - (before.get(pid)?.seconds ?? 0);
  return total;
}

function commandName(pid: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** CPU seconds of every PostgreSQL process alive now, by pid (a backend's own counter). */
function postgresSeconds(): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const name = commandName(entry);
    if (name === 'postgres' || name?.startsWith('postgres:')) seconds.set(Number(entry), cpuSeconds(Number(entry)));
  }
  return seconds;
}

export const cpuReadable = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/**
 * Runs `work` and returns its result with the CPU the server (`serverPid`) and PostgreSQL
 * used meanwhile. PostgreSQL backends that end during the run are counted up to their last
 * reading (pools keep theirs open, so this is rare); backends started during it count from 0.
 */
export async function withCpu<T>(
  serverPid: number | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuShare | undefined }> {
  if (!cpuReadable || serverPid === undefined) return { result: await work(), cpu: undefined };
  const serverBefore = cpuSeconds(serverPid);
  const pgBefore = postgresSeconds();
  const started = performance.now();
  const result = await work();
  const wall = (performance.now() - started) / 1000;
  const serverAfter = cpuSeconds(serverPid);
  let pgUsed = 0;
  for (const [pid, after] of postgresSeconds()) pgUsed += after - (pgBefore.get(pid) ?? 0);
  return {
    result,
    cpu: { server: ((serverAfter - serverBefore) / wall) * 100, postgres: (pgUsed / wall) * 100 },
  };
}

/** Several runs' shares as one, weighted by their duration. */
export function combineCpu(shares: readonly { cpu: CpuShare | undefined; seconds: number }[]): CpuShare | undefined {
  if (shares.some((s) => !s.cpu)) return undefined;
  const total = shares.reduce((sum, s) => sum + s.seconds, 0);
  const weighted = (pick: (c: CpuShare) => number) =>
    shares.reduce((sum, s) => sum + pick(s.cpu!) * s.seconds, 0) / total;
  return { server: weighted((c) => c.server), postgres: weighted((c) => c.postgres) };
}

export const cpuCells = (cpu: CpuShare | undefined) =>
  cpu ? [`${cpu.server.toFixed(0)} %`, `${cpu.postgres.toFixed(0)} %`] : ['n/a', 'n/a'];
