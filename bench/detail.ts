import { isDeepStrictEqual } from 'node:util';
import type { ChildServer } from './child-servers.js';
import { combineCpu, cpuCells, withCpu, type CpuShare } from './cpu.js';
import { combineWrk, runWrk, type WrkResult } from './wrk.js';

/**
 * Section (a) of `npm run bench`, GET /v1/properties/{id}: the wrk runs of Staylane, its
 * peers (bench/peers.ts) and the bare node:http + pg ceiling (bench/ceiling-server.ts), and
 * the rows of its table.
 */

export type Measured = WrkResult & { cpu: CpuShare | undefined };

export interface DetailRunSettings {
  rounds: number;
  connections: number;
  /** Seconds per run. */
  duration: number;
}

const thousands = new Intl.NumberFormat('en-US');
const n = (v: number) => thousands.format(Math.round(v));
const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const failures = (r: WrkResult) => r.non2xx + r.socketErrors;

/** Whether two servers answer GET /v1/properties/{id} with the same status, and the same JSON on a 200. */
export async function sameJson(a: ChildServer, b: ChildServer, id: string): Promise<boolean> {
  const [x, y] = await Promise.all(
    [a, b].map(async (s) => {
      const res = await fetch(`${s.origin}/v1/properties/${id}`);
      return res.status === 200 ? await res.json() : res.status;
    }),
  );
  return isDeepStrictEqual(x, y);
}

/**
 * wrk runs of every server over the same path list (one path per line of `file`), one server
 * at a time, the order rotated each round so that no server always runs first or last; each
 * server's runs continue where its previous run stopped, so within a server no id repeats
 * until the list is used up. Returns each server's combined result, in `servers` order.
 */
export async function detailThroughput(
  servers: readonly ChildServer[],
  file: string,
  label: string,
  settings: DetailRunSettings,
  log: (line: string) => void,
): Promise<Measured[]> {
  const results: Measured[][] = servers.map(() => []);
  const offsets = servers.map(() => 0);
  for (let round = 0; round < settings.rounds; round++) {
    for (let k = 0; k < servers.length; k++) {
      const i = (round + k) % servers.length;
      const server = servers[i]!;
      const { result: r, cpu } = await withCpu(server.pid, () =>
        runWrk({
          origin: server.origin,
          script: 'paths.lua',
          args: [file, String(offsets[i]), '2'],
          connections: settings.connections,
          threads: 2,
          duration: settings.duration,
        }),
      );
      offsets[i]! += r.requests;
      log(
        `  ${label}, round ${round + 1}, ${server.name}: ${n(r.perSecond)} req/s, p99 ${ms(r.p99)} ms, failures ${failures(r)}, ` +
          `CPU ${cpuCells(cpu).join(' server, ')} PostgreSQL`,
      );
      results[i]!.push({ ...r, cpu });
    }
  }
  return results.map((runs) => ({
    ...combineWrk(runs),
    cpu: combineCpu(runs.map((r) => ({ cpu: r.cpu, seconds: r.seconds }))),
  }));
}

/**
 * The table rows of one id set: Staylane, the peer (a string: why it was skipped) and the
 * ceiling, each with its share of the ceiling's throughput, and Staylane ÷ peer on
 * Staylane's row.
 */
export function detailRows(
  label: string,
  app: Measured,
  peer: { name: string; result: Measured | string },
  ceiling: Measured,
): string[][] {
  const share = (r: Measured) => `${((r.perSecond / ceiling.perSecond) * 100).toFixed(0)} %`;
  const figures = (r: Measured) => [n(r.perSecond), ms(r.p50), ms(r.p95), ms(r.p99), String(failures(r))];
  const peerResult = peer.result;
  const versusPeer =
    typeof peerResult === 'string' ? 'n/a' : `**${(app.perSecond / peerResult.perSecond).toFixed(2)}×**`;
  return [
    [label, 'Staylane', ...figures(app), `**${share(app)}**`, versusPeer, ...cpuCells(app.cpu)],
    typeof peerResult === 'string'
      ? [label, peer.name, 'skipped', '', '', '', '', '', '', '', '']
      : [label, peer.name, ...figures(peerResult), share(peerResult), '', ...cpuCells(peerResult.cpu)],
    [label, 'ceiling', ...figures(ceiling), '100 %', '', ...cpuCells(ceiling.cpu)],
  ];
}

export const DETAIL_HEADER = [
  'ids',
  'server',
  'req/s',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'non-2xx',
  'ratio (share of the ceiling)',
  'Staylane ÷ NestJS',
  'server CPU',
  'PostgreSQL CPU',
];
