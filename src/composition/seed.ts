import type { BookingsSeeded } from '../modules/bookings/index.js';
import { MODULES } from '../modules/index.js';
import { SEED_PASSWORD, seededEmails, type UsersSeeded } from '../modules/users/index.js';
import { inDependencyOrder, type SeedReport } from '../module.js';
import type { Db } from '../platform/db/types.js';
import type { SeedFiles, SeedProgress, SeedRun } from '../platform/seeding/run.js';

export const DEFAULT_SEED = 20_240_601;

export interface SeedOptions {
  /** Rows wanted per kind, by the name each module's seed step reads (`users`, `properties`, `bookings`). */
  counts: Readonly<Record<string, number>>;
  /** The same seed and counts produce the same data (ids aside). */
  seed?: number;
  /** Timestamps are spread over the years before this instant; future dates follow it. */
  now?: Date;
  /** Rows per INSERT. 1,000 properties × 31 columns stays well under PostgreSQL's 65,535 parameters. */
  batchSize?: number;
  /** Batches written at once; above 1 only helps over a connection pool. */
  concurrency?: number;
  /** Deployment values the data depends on (`serviceFeePercent`); the default settings otherwise. */
  settings?: Readonly<Record<string, number>>;
  /**
   * A demo marketplace (what the `seed` command writes): stays even without a `bookings`
   * count, reviews, conversations, an admin, and accounts to sign in as (`logins`).
   */
  demo?: boolean;
  /** The media store seeded files go to (photos' images); without one, no photos are seeded. */
  files?: SeedFiles;
}

/** Accounts of a demo seed to sign in as; every seeded account shares the one published password. */
export interface SeedLogins {
  guest: string;
  host: string;
  admin: string;
  password: string;
}

export interface SeedSummary {
  seed: number;
  /** Every module's counts, merged (`users`, `hosts`, `properties`, `listed`, `blocks`, …). */
  counts: Record<string, number>;
  /** One phrase per module that seeds, in order. */
  parts: string[];
  elapsedMs: number;
  /** A demo seed's accounts to try. */
  logins?: SeedLogins;
}

/**
 * Fills the database with demo data: each module's seed step in dependency order, each
 * handed what the steps it depends on returned (the users' hosts own the properties).
 */
export async function seedDatabase(
  db: Db,
  options: SeedOptions,
  onProgress: (progress: SeedProgress) => void = () => undefined,
): Promise<SeedSummary> {
  const started = performance.now();
  const run: SeedRun = {
    db,
    seed: options.seed ?? DEFAULT_SEED,
    nowMs: (options.now ?? new Date()).getTime(),
    counts: options.counts,
    batchSize: options.batchSize ?? 1000,
    concurrency: options.concurrency ?? 1,
    settings: options.settings ?? {},
    demo: options.demo ?? false,
    files: options.files,
    progress: onProgress,
  };
  const seeded: Record<string, SeedReport> = {};
  for (const module of inDependencyOrder(MODULES)) {
    if (module.seed) seeded[module.name] = await module.seed(run, seeded);
  }
  const reports = Object.values(seeded);
  const logins = run.demo ? await demoLogins(run.db, seeded) : undefined;
  return {
    seed: run.seed,
    counts: reports.reduce<Record<string, number>>((all, r) => ({ ...all, ...r.counts }), {}),
    // A step with nothing to do (a demo's extras outside a demo) says nothing.
    parts: reports.map((r) => r.summary).filter(Boolean),
    elapsedMs: Math.round(performance.now() - started),
    ...(logins && { logins }),
  };
}

/** The showcase guest and host the bookings step picked, and the admin the users step made. */
async function demoLogins(db: Db, seeded: Record<string, SeedReport>): Promise<SeedLogins | undefined> {
  const { admin } = seeded.users as UsersSeeded;
  const { showcase } = (seeded.bookings ?? {}) as Partial<BookingsSeeded>;
  if (!admin || !showcase) return undefined;
  const emails = await seededEmails(db, [showcase.guestId, showcase.hostId]);
  const guest = emails.get(showcase.guestId);
  const host = emails.get(showcase.hostId);
  return guest && host ? { guest, host, admin, password: SEED_PASSWORD } : undefined;
}

export function formatSeedSummary(s: SeedSummary): string {
  return `Seeded ${s.parts.join(', ') || 'nothing'} in ${(s.elapsedMs / 1000).toFixed(1)} s (seed ${s.seed}).`;
}

/** The accounts to try after a demo seed, or undefined when there are none. */
export function formatSeedLogins(s: SeedSummary): string | undefined {
  if (!s.logins) return undefined;
  const { guest, host, admin, password } = s.logins;
  return [
    'Sign in to try it (demo data only: every seeded account has this published password):',
    `  guest     ${guest}`,
    `  host      ${host}`,
    `  admin     ${admin}`,
    `  password  ${password}`,
  ].join('\n');
}
