import type { z } from 'zod';

/** What a handler learns about the run it is part of. */
export interface JobContext {
  id: string;
  kind: string;
  /** 1 on the first run. */
  attempt: number;
  /** When the job was due (for a cron job: its tick). */
  runAt: Date;
  /** The runner's clock at the start of this run. */
  now: Date;
}

/**
 * One kind of job: its payload's schema and its handler. Handlers may run more than once
 * for one row (a lease that ran out, a worker killed after the work and before the row was
 * marked done), so they are written to be repeatable.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  readonly kind: string;
  readonly schema: S;
  handle(payload: z.output<S>, ctx: JobContext): Promise<unknown>;
}

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

/** A recurring job: at each tick of `cron` (UTC), one `kind` job with an empty payload. */
export interface Schedule {
  name: string;
  /** Five or six fields (seconds first when six), UTC. */
  cron: string;
  kind: string;
}

export interface JobRegistry {
  get(kind: string): JobDefinition | undefined;
  kinds(): string[];
}

export function createJobRegistry(definitions: readonly JobDefinition[]): JobRegistry {
  const byKind = new Map<string, JobDefinition>();
  for (const d of definitions) {
    if (byKind.has(d.kind)) throw new Error(`Two job definitions for the kind "${d.kind}"`);
    byKind.set(d.kind, d);
  }
  return { get: (kind) => byKind.get(kind), kinds: () => [...byKind.keys()] };
}

/** Schedules naming a kind nobody handles would fill the outbox with dead rows: refused at start-up. */
export function checkSchedules(schedules: readonly Schedule[], registry: JobRegistry): void {
  const names = new Set<string>();
  for (const s of schedules) {
    if (names.has(s.name)) throw new Error(`Two schedules named "${s.name}"`);
    names.add(s.name);
    if (!registry.get(s.kind)) throw new Error(`Schedule "${s.name}" names the unknown job kind "${s.kind}"`);
  }
}
