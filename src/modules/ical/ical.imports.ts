import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import { isAppError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import type { PropertiesApi } from '../properties/index.js';
import {
  importNotFound,
  MAX_IMPORTS_PER_PROPERTY,
  SYNC_REQUEST_INTERVAL_S,
  syncTooSoon,
  tooManyImports,
} from './ical.errors.js';
import * as repo from './ical.imports.repository.js';
import { toIcalImportDto, type CreateIcalImportInput, type IcalImport } from './ical.imports.schemas.js';
import { enqueueFeedSync, enqueueRequestedSync } from './ical.jobs.js';

export interface IcalImportsApi {
  /** Adds an external calendar to the host's place (at most 5, else 409) and queues its first sync at once. */
  addImport(propertyId: string, input: CreateIcalImportInput, ctx: RequestContext): Promise<IcalImport>;
  /** The place's imported calendars (its host). */
  listImports(propertyId: string, ctx: RequestContext): Promise<IcalImport[]>;
  /**
   * Queues a sync of one feed now (its host), at most one a minute per feed: a feed synced
   * or queued less than a minute ago is 429 `ical_sync_too_soon` with Retry-After.
   */
  requestSync(propertyId: string, importId: string, ctx: RequestContext): Promise<IcalImport>;
  /** Removes one and releases the nights it blocked, in one transaction. */
  removeImport(propertyId: string, importId: string, ctx: RequestContext): Promise<void>;
}

export function createIcalImports(deps: { db: Db; clock: Clock; properties: PropertiesApi }): IcalImportsApi {
  const { db, clock, properties } = deps;

  /** The caller's own place, else not found: a feed's URL is a secret, and so is whether a place has any. */
  async function ownPlace(propertyId: string, ctx: RequestContext): Promise<void> {
    try {
      await properties.getOwnedProperty(propertyId, ctx);
    } catch (e) {
      if (isAppError(e) && e.code === 'not_property_owner') throw notFound('property');
      throw e;
    }
  }

  return {
    async addImport(propertyId, input, ctx) {
      await ownPlace(propertyId, ctx);
      return withTransaction(db, async (tx) => {
        // Concurrent adds to one place take turns, so the limit holds.
        await repo.lockPlaceImports(tx, propertyId);
        if ((await repo.countImports(tx, propertyId)) >= MAX_IMPORTS_PER_PROPERTY) throw tooManyImports();
        const now = clock.now();
        const row = await repo.insertImport(tx, { propertyId, url: input.url, name: input.name, nextSyncAt: now });
        await enqueueFeedSync(tx, row.id, now, now);
        return toIcalImportDto(row);
      });
    },

    async listImports(propertyId, ctx) {
      await ownPlace(propertyId, ctx);
      return (await repo.listImports(db, propertyId)).map(toIcalImportDto);
    },

    async requestSync(propertyId, importId, ctx) {
      await ownPlace(propertyId, ctx);
      const row = await repo.findImport(db, importId);
      if (!row || row.propertyId !== propertyId) throw importNotFound();
      const now = clock.now();
      const since = row.lastSyncAt ? (now.getTime() - row.lastSyncAt.getTime()) / 1000 : Infinity;
      if (since < SYNC_REQUEST_INTERVAL_S) throw syncTooSoon(Math.ceil(SYNC_REQUEST_INTERVAL_S - since));
      // The job's key names the minute: of concurrent requests, one queues it.
      if (!(await enqueueRequestedSync(db, importId, now))) {
        throw syncTooSoon(SYNC_REQUEST_INTERVAL_S - (Math.floor(now.getTime() / 1000) % SYNC_REQUEST_INTERVAL_S));
      }
      return toIcalImportDto(row);
    },

    async removeImport(propertyId, importId, ctx) {
      await ownPlace(propertyId, ctx);
      await withTransaction(db, async (tx) => {
        // The import's row first, then the calendar: the order a sync takes them in.
        const row = await repo.findImport(tx, importId, true);
        if (!row || row.propertyId !== propertyId) throw importNotFound();
        await repo.deleteImport(tx, importId, propertyId);
        await properties.releaseExternalRanges(tx, propertyId, importId);
      });
    },
  };
}
