import { randomUUID } from 'node:crypto';
import { bumpGeneration, cached, currentGeneration, type Cache } from '../../platform/cache/cache.js';
import type { Clock } from '../../platform/clock.js';
import { requireActor, type RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import type { Publish } from '../../module.js';
import type { AuditService } from '../audit/index.js';
import type { PropertyEvents } from './properties.events.js';
import { notPropertyOwner, propertyNotFound } from './properties.errors.js';
import { canView, isOwner, locationAccess, redactLocation } from './properties.policy.js';
import * as repo from './properties.repository.js';
import { findRevealedPropertyIds } from './properties.calendar.repository.js';
import { toPropertyDto, type ExactProperty, type Property } from './properties.schemas.js';

export interface PropertiesServiceDeps {
  db: Db;
  cache: Cache;
  clock: Clock;
  audit: AuditService;
  /** Runs the handlers of `property.deleted` inside the delete's transaction. */
  publish: Publish<PropertyEvents>;
  onCacheLookup?: (cache: string, hit: boolean) => void;
  /** How long a search page may be served from cache (writes also invalidate it). */
  searchTtlMs?: number;
}

/** The fields other modules add to places (see PropertyExtension). */
export type PropertyExtras = Partial<Pick<Property, 'coverPhoto' | 'photos' | 'saved'>>;

/**
 * What another module adds to the places this module answers with (photos, the caller's
 * wishlists). `shared` fields are the same for every caller: read when a place or a search
 * page is read from the database, and cached with it (the adding module calls
 * `invalidateProperty` after its changes). `viewer` fields are the signed-in caller's own:
 * read for each answer after the cache, never for anonymous callers. `load` answers for all
 * the ids at once (one query, never one per place); `detail` is true for the answer about
 * one place.
 */
export interface PropertyExtension {
  readonly scope: 'shared' | 'viewer';
  load(
    ids: readonly string[],
    options: { detail: boolean; viewerId?: string },
  ): Promise<ReadonlyMap<string, PropertyExtras>>;
}

const DETAIL_TTL_MS = 10 * 60_000;
const SEARCH_GENERATION_KEY = 'properties:search-generation';

/** What every use case of the module shares: the cached detail, its invalidation, and who sees what. */
export type PropertyAccess = ReturnType<typeof createPropertyAccess>;

export function createPropertyAccess(deps: PropertiesServiceDeps) {
  const { db, cache, onCacheLookup } = deps;
  const detailKey = (id: string) => `property:${id}`;
  const detailGeneration = (id: string) => `property-gen:${id}`;
  const calendarGenerationKey = (id: string) => `property-calendar-gen:${id}`;
  const extensions: PropertyExtension[] = [];

  /** The places with the fields of the extensions of `scope`, as new objects (nothing passed in is changed). */
  async function withExtras<P extends Property>(
    list: P[],
    scope: PropertyExtension['scope'],
    options: { detail: boolean; viewerId?: string },
  ): Promise<P[]> {
    const active = extensions.filter((e) => e.scope === scope);
    if (active.length === 0 || list.length === 0) return list;
    const ids = [...new Set(list.map((p) => p.id))];
    const extras = await Promise.all(active.map((e) => e.load(ids, options)));
    return list.map((p) => Object.assign({ ...p }, ...extras.map((m) => m.get(p.id))) as P);
  }

  // Property detail is cached until a write changes it; search pages for a short while.
  // Both are keyed by generations that every write bumps after commit, so a fill that
  // raced a write can never be served.
  const loadProperty = cached<[string], ExactProperty>(
    {
      cache,
      name: 'property',
      ttlMs: DETAIL_TTL_MS,
      key: detailKey,
      generationKey: detailGeneration,
      onLookup: onCacheLookup,
    },
    async (id) => {
      const row = await repo.findPropertyById(db, id);
      if (!row) return undefined;
      const [property] = await withExtras([toPropertyDto(row)], 'shared', { detail: true });
      return property;
    },
  );

  /** The place if the caller may see it, else not found (a draft does not exist for others). */
  async function visibleProperty(id: string, ctx: RequestContext): Promise<ExactProperty> {
    const property = await loadProperty(id);
    if (!property || !canView(property, ctx.actor)) throw propertyNotFound();
    return property;
  }

  // Every write bumps the search generation; read once per search, it keys both the page
  // and the city names it resolves (a write can list the first place of a city).
  // Without a cache (Redis down), a one-off generation: the search runs uncached.
  async function searchGeneration(): Promise<string> {
    try {
      return await currentGeneration(cache, SEARCH_GENERATION_KEY, await cache.get(SEARCH_GENERATION_KEY));
    } catch {
      return randomUUID();
    }
  }

  /** Ends the cached detail of the property and every cached search page. Call it after commit. */
  async function invalidateProperty(id: string): Promise<void> {
    await Promise.all([
      bumpGeneration(cache, detailGeneration(id)),
      bumpGeneration(cache, calendarGenerationKey(id)),
      bumpGeneration(cache, SEARCH_GENERATION_KEY),
    ]);
  }

  /**
   * A calendar change shows in dated searches and in the place's calendar generation (what
   * caches of its calendar, such as the iCal feed, are keyed by); the detail does not carry
   * the calendar.
   */
  async function invalidateCalendar(id: string): Promise<void> {
    await Promise.all([bumpGeneration(cache, calendarGenerationKey(id)), bumpGeneration(cache, SEARCH_GENERATION_KEY)]);
  }

  /** The place's calendar generation: a new value after every change of its calendar (or of the place). */
  async function calendarGeneration(id: string): Promise<string> {
    const key = calendarGenerationKey(id);
    return currentGeneration(cache, key, await cache.get(key));
  }

  /**
   * The places as the caller may see them: exact or with the location redacted (see
   * `locationAccess`), with the caller's own fields (`viewer` extensions). Anonymous callers,
   * hosts and admins cost no query for the location; anyone else one query for the whole
   * list, whatever its length. Callers pass the shared, exact DTOs (cached for everyone) and
   * get new objects: nothing cached is changed.
   */
  async function forCaller(list: ExactProperty[], ctx: RequestContext, detail = false): Promise<Property[]> {
    const access = list.map((p) => locationAccess(p, ctx));
    const asking = [...new Set(list.filter((_, i) => access[i] === 'calendar').map((p) => p.id))];
    const [revealed, own] = await Promise.all([
      asking.length > 0 && ctx.actor ? findRevealedPropertyIds(db, ctx.actor.id, asking) : new Set<string>(),
      ctx.actor ? withExtras(list, 'viewer', { detail, viewerId: ctx.actor.id }) : list,
    ]);
    return own.map((p, i) =>
      access[i] === 'exact' || (access[i] === 'calendar' && revealed.has(p.id)) ? p : redactLocation(p),
    );
  }

  /** The place for a write by its host: 404 when invisible, 403 when visible but not theirs. */
  async function ownedProperty(id: string, ctx: RequestContext): Promise<ExactProperty> {
    const actor = requireActor(ctx);
    const property = await visibleProperty(id, ctx);
    if (!isOwner(property, actor)) throw notPropertyOwner();
    return property;
  }

  return {
    deps,
    searchGeneration,
    invalidateProperty,
    invalidateCalendar,
    calendarGeneration,
    loadProperty,
    forCaller,
    withExtras,
    /** Adds another module's fields to every place answered from now on (see PropertyExtension). */
    extendProperties: (extension: PropertyExtension): void => void extensions.push(extension),
    visibleProperty,
    ownedProperty,
  };
}
