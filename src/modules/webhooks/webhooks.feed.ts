import type { RequestContext } from '../../platform/context.js';
import { requireActor } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import { withTransaction } from '../../platform/db/transaction.js';
import * as events from './events.repository.js';
import { hostsOnly } from './webhooks.errors.js';
import { enqueueEndpointRuns } from './webhooks.jobs.js';
import * as repo from './webhooks.repository.js';
import { toEventDto, type EventPage, type ListEventsQuery, type PartnerEventType } from './webhooks.schemas.js';

/** What a partner event says, and whom it concerns: hosts see events that name them. */
export interface PartnerEvent {
  type: PartnerEventType;
  /** The resource as the REST API shows it. */
  data: Record<string, unknown>;
  hostIds: readonly string[];
  guestId?: string | null;
}

/** Events numbered per sequencer transaction (a longer backlog takes several). */
const SEQUENCE_BATCH = 2_000;

export interface FeedDeps {
  db: Db;
}

/**
 * Recording, numbering and reading partner events. `record` runs inside the change's
 * transaction; the sequencer is kicked once it commits (and by a schedule every few
 * seconds, for a process that died in between). Kicks while a run is under way are
 * folded into one more run, so a burst of commits costs a few sequencer transactions.
 */
export function createEventFeed({ db }: FeedDeps) {
  let running: Promise<void> | undefined;
  let again = false;

  /** Numbers committed events and queues a delivery run of every endpoint that may want them. */
  async function sequenceOnce(): Promise<number> {
    return withTransaction(db, async (tx) => {
      const numbered = await events.sequenceEvents(tx, SEQUENCE_BATCH);
      if (numbered.length === 0) return 0;
      const types = [...new Set(numbered.map((e) => e.type))];
      const hostIds = [...new Set(numbered.flatMap((e) => e.hostIds))];
      const endpoints = await repo.findInterestedEndpoints(tx, types, hostIds);
      await enqueueEndpointRuns(tx, endpoints, numbered.at(-1)!.seq);
      return numbered.length;
    });
  }

  async function sequenceAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await sequenceOnce();
      total += n;
      if (n < SEQUENCE_BATCH) return total;
    }
  }

  function kick(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          // Best effort: the scheduled run numbers whatever a failed kick left.
          await sequenceAll().catch(() => 0);
        } while (again);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  /** Writes the event in `tx` (the change's transaction); it is numbered once `tx` commits. */
  async function record(tx: Db, event: PartnerEvent): Promise<void> {
    await withTransaction(tx, async (tx, scope) => {
      await events.insertEvent(tx, event);
      scope.afterCommit(() => {
        void kick();
      });
    });
  }

  return {
    record,

    /**
     * A `listens` handler turning a module's event into a partner event: one line per type,
     * e.g. `'booking.created': feed.relay('booking.created', (e) => ({ data: e.booking, hostIds: [e.hostId] }))`.
     */
    relay:
      <P>(type: PartnerEventType, map: (payload: P) => Omit<PartnerEvent, 'type'>) =>
      (tx: Db, payload: P) =>
        record(tx, { type, ...map(payload) }),

    /** Numbers every committed event now (the schedule's run; tests). */
    sequenceNow: async (): Promise<number> => {
      await running;
      return sequenceAll();
    },

    /** Waits for a kicked sequencer run to finish. */
    settled: async (): Promise<void> => {
      while (running) await running;
    },

    /**
     * Hosts read events about their places and bookings, admins every event; guests have
     * no partner events (403 hosts_only).
     */
    async listEvents(query: ListEventsQuery, ctx: RequestContext): Promise<EventPage> {
      const actor = requireActor(ctx);
      if (actor.role === 'guest') throw hostsOnly();
      const rows = await events.listEvents(db, {
        after: query.after,
        types: query.types,
        hostId: actor.role === 'admin' ? undefined : actor.id,
        limit: query.limit + 1,
      });
      const hasMore = rows.length > query.limit;
      const shown = rows.slice(0, query.limit);
      return {
        data: shown.map(toEventDto),
        page: { nextAfter: shown.at(-1)?.seq ?? query.after, hasMore },
      };
    },
  };
}

export type EventFeed = ReturnType<typeof createEventFeed>;
