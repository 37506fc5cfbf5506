import { z } from 'zod';
import { requireActor, type RequestContext } from '../../platform/context.js';
import { todayIn } from '../../platform/dates.js';
import { keysetRows, mapRows } from '../../platform/db/keyset.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import type { PropertyAccess } from './properties.access.js';
import { hasBookingEndingAfter } from './properties.calendar.repository.js';
import { mapConstraintError } from '../../platform/errors.js';
import {
  invalidStayRules,
  notAHost,
  propertiesConstraints,
  propertyHasBookings,
  propertyNotFound,
} from './properties.errors.js';
import { canView } from './properties.policy.js';
import * as repo from './properties.repository.js';
import {
  toPropertyDto,
  type CreatePropertyInput,
  type HostPropertiesQuery,
  type Property,
  type UpdatePropertyInput,
} from './properties.schemas.js';
import type { PropertyRow } from './properties.table.js';

const hostCursor = z.tuple([isoInstant, z.uuid()]);

/** Listings: a host's places, their reads as each caller may see them, and their ratings. */
export function createListing(access: PropertyAccess) {
  const { db, clock, audit, publish } = access.deps;
  const { invalidateProperty, ownedProperty, visibleProperty, forCaller, withExtras } = access;
  /** A place just written, answered to its host as a read of it would be (with every extension's fields). */
  const asWritten = async (row: PropertyRow, ctx: RequestContext) =>
    (await forCaller(await withExtras([toPropertyDto(row)], 'shared', { detail: true }), ctx, true))[0]!;

  return {
    async createProperty(input: CreatePropertyInput, ctx: RequestContext): Promise<Property> {
      const actor = requireActor(ctx);
      if (actor.role !== 'host') throw notAHost();
      const { address, ...fields } = input;
      const row = await withTransaction(db, async (tx, { afterCommit }) => {
        const created = await repo.insertProperty(tx, {
          ...fields,
          hostId: actor.id,
          addressLine1: address.line1,
          city: address.city,
          region: address.region,
          postalCode: address.postalCode,
          country: address.country,
        });
        afterCommit(() => invalidateProperty(created.id));
        return created;
      });
      return asWritten(row, ctx);
    },

    /** The property as the caller may see it (location privacy applied), else not found. */
    async getProperty(id: string, ctx: RequestContext): Promise<Property> {
      const [shown] = await forCaller([await visibleProperty(id, ctx)], ctx, true);
      return shown!;
    },

    /**
     * Properties by id for batch loading (GraphQL), as the caller may see them: only those
     * they may view, location privacy applied. Two queries for any number of ids.
     */
    async getPropertiesByIds(ids: readonly string[], ctx: RequestContext): Promise<Map<string, Property>> {
      const rows = await repo.findPropertiesByIds(db, ids);
      const visible = rows.map(toPropertyDto).filter((p) => canView(p, ctx.actor));
      const extended = await withExtras(visible, 'shared', { detail: false });
      return new Map((await forCaller(extended, ctx)).map((p) => [p.id, p]));
    },

    async updateProperty(id: string, input: UpdatePropertyInput, ctx: RequestContext): Promise<Property> {
      const current = await ownedProperty(id, ctx);
      if ((input.maxNights ?? current.maxNights) < (input.minNights ?? current.minNights)) throw invalidStayRules();
      const { address, ...fields } = input;
      const merged = address ? { ...current.address, ...address } : undefined;
      const row = await withTransaction(db, async (tx, { afterCommit }) => {
        const updated = await repo.updateProperty(tx, id, {
          ...fields,
          ...(merged && {
            addressLine1: merged.line1,
            city: merged.city,
            region: merged.region,
            postalCode: merged.postalCode,
            country: merged.country,
          }),
        });
        if (!updated) throw propertyNotFound();
        await publish(tx, 'property.updated', { propertyId: id, hostId: updated.hostId, fields: Object.keys(input) });
        afterCommit(() => invalidateProperty(id));
        return updated;
      }).catch((e: unknown) => {
        throw mapConstraintError(e, propertiesConstraints);
      });
      return asWritten(row, ctx);
    },

    /**
     * Soft-deletes the property unless a booking of it ends after today (property time
     * zone). The delete's row update comes first: it waits for any transaction reserving
     * dates (which locks the row, see reserveDates), so the check below sees every committed booking.
     */
    async deleteProperty(id: string, ctx: RequestContext): Promise<void> {
      const property = await ownedProperty(id, ctx);
      await withTransaction(db, async (tx, { afterCommit }) => {
        if (!(await repo.softDeleteProperty(tx, id))) throw propertyNotFound();
        if (await hasBookingEndingAfter(tx, id, todayIn(property.timezone, clock.now()))) {
          throw propertyHasBookings();
        }
        await audit.record(ctx, { action: 'property.deleted', entity: 'property', entityId: id }, tx);
        await publish(tx, 'property.deleted', { propertyId: id, ctx });
        afterCommit(() => invalidateProperty(id));
      });
    },

    /**
     * Takes every listed place of a host off the market inside the caller's transaction
     * (the host closed their account); readers stop seeing them once it commits.
     */
    async unlistHostPlaces(hostId: string, tx: Db, ctx: RequestContext): Promise<void> {
      await withTransaction(tx, async (tx, { afterCommit }) => {
        const ids = await repo.unlistHostProperties(tx, hostId);
        for (const id of ids) {
          await audit.record(ctx, { action: 'property.unlisted', entity: 'property', entityId: id }, tx);
        }
        if (ids.length > 0) afterCommit(() => Promise.all(ids.map((id) => invalidateProperty(id))));
      });
    },

    /** A host's places, every status but deleted, exact (their personal-data export). */
    hostPlaces(hostId: string): AsyncGenerator<Property> {
      return mapRows(
        keysetRows<PropertyRow, { createdAt: string; id: string }>(
          (after, limit) => repo.findPropertiesByHost(db, { hostId, limit, after }),
          (r) => ({ createdAt: r.createdAt.toISOString(), id: r.id }),
        ),
        toPropertyDto,
      );
    },

    /** The signed-in host's own places: every one exact, as their host sees it. */
    async listHostProperties(query: HostPropertiesQuery, ctx: RequestContext): Promise<Page<Property>> {
      const actor = requireActor(ctx);
      if (actor.role !== 'host') throw notAHost();
      const after = query.cursor ? decodeCursor(query.cursor, hostCursor) : undefined;
      const rows = await repo.findPropertiesByHost(db, {
        hostId: actor.id,
        status: query.status,
        limit: query.limit + 1,
        after: after && { createdAt: after[0], id: after[1] },
      });
      const page = toPage(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id], toPropertyDto);
      return { ...page, data: await withExtras(page.data, 'shared', { detail: false }) };
    },

    /**
     * Adds a review's rating (1–5) to the place's sum and count in `tx`, as one atomic
     * UPDATE (the average is a generated column of the same row), and ends the cached
     * detail and search pages once `tx` commits. Not found when the place does not exist.
     */
    async addRating(tx: Db, propertyId: string, rating: number): Promise<void> {
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new RangeError('addRating: 1 to 5');
      await withTransaction(tx, async (tx, { afterCommit }) => {
        if (!(await repo.addPropertyRating(tx, propertyId, rating))) throw propertyNotFound();
        afterCommit(() => invalidateProperty(propertyId));
      });
    },
  };
}
