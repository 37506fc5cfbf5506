import type { Db } from '../db/types.js';

/** Progress of one seed phase (a module names its phases, e.g. "users"). */
export interface SeedProgress {
  phase: string;
  done: number;
  total: number;
}

/** One seeding run, as each module's seed step sees it. */
export interface SeedRun {
  db: Db;
  /** The same seed and counts produce the same data (ids aside). */
  seed: number;
  /** Timestamps are spread over the years before this instant; future dates follow it. */
  nowMs: number;
  /** Requested row counts by name (`--users`, `--properties`); a step reads its own. */
  counts: Readonly<Record<string, number>>;
  /** Rows per INSERT. */
  batchSize: number;
  /** Batches written at once; above 1 only helps over a connection pool. */
  concurrency: number;
  /** Deployment values the data depends on, by name (`serviceFeePercent` prices seeded stays). */
  settings: Readonly<Record<string, number>>;
  /**
   * A demo marketplace (the `seed` command): besides the counts asked for, the lived-in
   * parts — reviews and host responses, conversations, an admin, accounts worth signing in
   * as. Off, a step writes only its counts (benchmarks seed millions of rows that way).
   */
  demo?: boolean;
  /**
   * Where a step stores files by key (the photos' image variants): the deployment's media
   * store. Absent (a bare database, as most tests seed), steps that need it write no files
   * and no rows that would point at them.
   */
  files?: SeedFiles;
  progress(progress: SeedProgress): void;
}

/** A media store, as a seed step writes to it. */
export interface SeedFiles {
  put(key: string, body: Buffer, options: { contentType: string; immutable: boolean }): Promise<void>;
}

export const DAY_MS = 86_400_000;

/**
 * Groups a stream into batches and writes up to `concurrency` of them at a time; the next
 * batch is generated while earlier ones are in the database.
 */
export async function writeInBatches<T>(
  source: AsyncIterable<T>,
  size: number,
  concurrency: number,
  write: (batch: T[]) => Promise<void>,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const start = (batch: T[]) => {
    const task: Promise<void> = write(batch).finally(() => inFlight.delete(task));
    // Failures surface through race/all below; this only stops an "unhandled" report.
    task.catch(() => undefined);
    inFlight.add(task);
  };
  try {
    let batch: T[] = [];
    for await (const item of source) {
      batch.push(item);
      if (batch.length < size) continue;
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      start(batch);
      batch = [];
    }
    if (batch.length > 0) start(batch);
    await Promise.all(inFlight);
  } finally {
    // Never return while a write still uses the connection.
    await Promise.allSettled(inFlight);
  }
}
