import { Cron } from 'croner';
import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import type { Schedule } from './job.js';
import { enqueue } from './outbox.repository.js';

export interface Scheduler {
  /** Writes the latest tick at or before `now` of every schedule; returns how many rows were new. */
  tick(now?: Date): Promise<number>;
  start(): void;
  stop(): void;
}

export const cronKey = (name: string, tick: Date) => `cron:${name}:${tick.toISOString()}`;

/**
 * Turns schedules into outbox rows keyed `cron:<name>:<tick>`: any number of schedulers
 * (one per process) write the same key, so each tick runs once. Stateless: after downtime
 * only the latest missed tick runs, not every one in between.
 */
export function createScheduler(options: {
  db: Db;
  schedules: readonly Schedule[];
  clock: Clock;
  /** How often the background loop looks for a new tick (default 10 s). */
  pollMs?: number;
  log?: { error(obj: object, msg: string): void };
}): Scheduler {
  const { db, clock, log } = options;
  // Parsing here makes a bad pattern fail at start-up, not at the first tick.
  const crons = options.schedules.map((s) => ({
    schedule: s,
    cron: new Cron(s.cron, { timezone: 'UTC', paused: true }),
  }));
  let timer: NodeJS.Timeout | undefined;

  async function tick(now: Date = clock.now()): Promise<number> {
    let written = 0;
    for (const { schedule, cron } of crons) {
      // previousRuns is strictly before its reference: a tick at exactly `now` is due now.
      const [latest] = cron.previousRuns(1, new Date(now.getTime() + 1));
      if (!latest) continue;
      const id = await enqueue(db, {
        kind: schedule.kind,
        payload: {},
        runAt: latest,
        key: cronKey(schedule.name, latest),
      });
      if (id) written++;
    }
    return written;
  }

  return {
    tick,
    start() {
      if (timer) return;
      const safeTick = () => void tick().catch((e: unknown) => log?.error({ err: e }, 'scheduling jobs failed'));
      timer = setInterval(safeTick, options.pollMs ?? 10_000);
      timer.unref();
      safeTick();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
