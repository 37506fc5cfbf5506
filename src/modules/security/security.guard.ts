import { BlockList } from 'node:net';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { plainAddress, subnetOf } from '../../platform/ip.js';
import type { RequestGuard } from '../../module.js';
import { addActivity, allBlockedRanges } from './security.repository.js';

/** Addresses counted per process before their counts are written early (a ceiling on memory). */
export const MAX_TRACKED_ADDRESSES = 10_000;
/** How often a process adds its counts to the database's. */
const FLUSH_INTERVAL_MS = 10_000;
const HOUR_MS = 3_600_000;

const ADMIN_PATHS = ['/v1/admin/', '/admin/'];
const isAdminPath = (path: string) => ADMIN_PATHS.some((prefix) => path.startsWith(prefix));

export const addressBlocked = () => new AppError('forbidden', 'ip_blocked', 'Requests from this address are refused.');

interface Counts {
  requests: number;
  adminProbes: number;
}

export type SecurityGuard = RequestGuard & {
  /** Reads the block list again now (after a change made by this process). */
  reload(): Promise<void>;
  /** Writes the counts held in memory (tests; the guard does it every 10 s by itself). */
  flush(): Promise<void>;
};

/**
 * The block list and the per-address counts, held in each API process.
 *
 * Block list: a `net.BlockList` built from the table, read again every `refreshSeconds`
 * on the next request (never on a timer, never by more than one request at once), and at
 * once by the process that changed it. While the database cannot be read, the last list
 * read stays in force (none at all before the first read: requests are let through).
 *
 * Counts: requests and refused admin calls per address for the current hour, added to the
 * table every 10 s (or sooner, past MAX_TRACKED_ADDRESSES addresses). A write that fails
 * drops its counts: they decide only what the hourly sweep flags.
 */
export function createSecurityGuard(deps: { db: Db; clock: Clock; refreshSeconds: number }): SecurityGuard {
  const { db, clock } = deps;
  let blocked: BlockList | undefined;
  let loadedAt = -Infinity;
  let loading: Promise<void> | undefined;

  let hour = Math.floor(clock.now().getTime() / HOUR_MS);
  let counts = new Map<string, Counts>();
  let flushedAt = clock.now().getTime();
  let flushing: Promise<void> | undefined;

  async function reload(): Promise<void> {
    const ranges = await allBlockedRanges(db);
    const list = new BlockList();
    for (const range of ranges) {
      const subnet = subnetOf(range);
      if (subnet) list.addSubnet(subnet.address, subnet.prefix, subnet.family);
    }
    blocked = list;
    loadedAt = clock.now().getTime();
  }

  function refreshIfStale(now: number): Promise<void> | undefined {
    if (loading || now - loadedAt < deps.refreshSeconds * 1000) return loading;
    loadedAt = now; // one attempt per interval, even when it fails
    loading = reload()
      .catch(() => undefined)
      .finally(() => (loading = undefined));
    return loading;
  }

  function flush(): Promise<void> {
    if (counts.size === 0) return flushing ?? Promise.resolve();
    const batch = [...counts].map(([ip, c]) => ({ ip, ...c }));
    const batchHour = new Date(hour * HOUR_MS);
    counts = new Map();
    flushedAt = clock.now().getTime();
    const previous = flushing ?? Promise.resolve();
    const write: Promise<void> = previous
      .then(() => addActivity(db, batchHour, batch))
      .catch(() => undefined)
      .finally(() => {
        if (flushing === write) flushing = undefined;
      });
    flushing = write;
    return write;
  }

  function entryFor(address: string, now: number): Counts {
    const current = Math.floor(now / HOUR_MS);
    if (current !== hour || counts.size >= MAX_TRACKED_ADDRESSES || now - flushedAt >= FLUSH_INTERVAL_MS) {
      void flush();
      hour = current;
    }
    let entry = counts.get(address);
    if (!entry) counts.set(address, (entry = { requests: 0, adminProbes: 0 }));
    return entry;
  }

  return {
    async admit(ip) {
      // Fastify reports the peer's address, or with TRUST_PROXY the one the proxy forwarded;
      // anything that is not an address is neither counted nor matched.
      const plain = plainAddress(ip);
      if (!plain) return;
      const now = clock.now().getTime();
      entryFor(plain.address, now).requests += 1;
      const pending = refreshIfStale(now);
      if (!blocked && pending) await pending;
      if (blocked?.check(plain.address, plain.family)) throw addressBlocked();
    },
    answered(ip, path, statusCode) {
      if ((statusCode !== 401 && statusCode !== 403) || !isAdminPath(path)) return;
      const plain = plainAddress(ip);
      if (plain) entryFor(plain.address, clock.now().getTime()).adminProbes += 1;
    },
    reload,
    flush,
  };
}
